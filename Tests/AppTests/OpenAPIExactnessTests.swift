@testable import App
import Foundation
import SamspilCore
import Testing
import Vapor
import VaporTesting

/// The OpenAPI document is exact: what it allows the server accepts, and what it refuses the server refuses
/// (schemathesis checks the same from outside in `.ci/run`).
@Suite struct OpenAPIExactnessTests {
    typealias Write = WriteApiTests

    static func schema(_ document: [String: Any], _ name: String) throws -> [String: Any] {
        try #require(((document["components"] as? [String: Any])?["schemas"] as? [String: Any])?[name] as? [String: Any], "no schema \(name)")
    }

    /// The vocabularies and themes are data, so the served document lists the slugs that exist when it is fetched.
    @Test(arguments: TestBackend.all)
    func theServedDocumentNamesTheSlugsThatExist(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            var document = try await OpenAPITests.document(app)
            let vocabularies = try await VocabularyQueries.load(on: app.db)
            #expect(try Self.schema(document, "MaterialTypeSlug")["enum"] as? [String] == vocabularies.materialTypes.map(\.slug))
            #expect(try Self.schema(document, "AudienceSlug")["enum"] as? [String] == vocabularies.audiences.map(\.slug))
            #expect(try Self.schema(document, "TopicSlug")["enum"] as? [String] == vocabularies.topics.map(\.slug))
            #expect(try Self.schema(document, "ThemeSlug")["enum"] as? [String] == ["samarbejder-og-partnerskaber"])
            #expect(vocabularies.materialTypes.count > 3 && vocabularies.audiences.count > 3)

            // Every vocabulary filter and input field refers to those schemas.
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let filters = ["type": "MaterialTypeSlug", "audience": "AudienceSlug", "topic": "TopicSlug", "theme": "ThemeSlug"]
            for path in ["/api/v1/materials", "/api/v1/search"] {
                let parameters = try #require((paths[path]?["get"] as? [String: Any])?["parameters"] as? [[String: Any]])
                for (name, schema) in filters {
                    let parameter = try #require(parameters.first { $0["name"] as? String == name }, "\(path) \(name)")
                    #expect((parameter["schema"] as? [String: String])?["$ref"] == "#/components/schemas/\(schema)", "\(path) \(name)")
                }
            }
            let input = try #require(try Self.schema(document, "MaterialInput")["properties"] as? [String: Any])
            #expect((input["type"] as? [String: String])?["$ref"] == "#/components/schemas/MaterialTypeSlug")
            #expect(((input["audiences"] as? [String: Any])?["items"] as? [String: String])?["$ref"] == "#/components/schemas/AudienceSlug")
            #expect(((input["topics"] as? [String: Any])?["items"] as? [String: String])?["$ref"] == "#/components/schemas/TopicSlug")

            // A term added later is in the next document, and usable at once.
            var added = vocabularies
            added.audiences.append(VocabularyTerm(slug: "foreninger", label: "Foreninger"))
            try await VocabularyQueries.merge(added, on: app.db)
            document = try await OpenAPITests.document(app)
            #expect((try Self.schema(document, "AudienceSlug")["enum"] as? [String])?.last == "foreninger")
            #expect(try await app.get("/api/v1/materials?audience=foreninger").status == .ok)
            #expect(try await app.get("/api/v1/search?audience=foreninger").status == .ok)
            #expect(try await app.get("/api/v1/materials?audience=ukendt").status == .badRequest)
        }
    }

    /// Bodies the document allows for `POST` are created; bodies it refuses are refused, with 422.
    @Test(arguments: TestBackend.all)
    func aNewMaterialIsAcceptedExactlyWhenTheDocumentAllowsIt(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let token = try await Write.token(try await MaterialEditTests.editor(app))
            let document = try await OpenAPITests.document(app)
            let validator = SchemaValidator(document: document)
            let schema: [String: Any] = ["$ref": "#/components/schemas/MaterialInput"]
            let combining = String(repeating: "e\u{301}", count: 150)  // 300 code points, 150 characters
            // Each case changes the valid body: a member's new JSON, or nil to leave the member out.
            let cases: [(String, [String: String?])] = [
                ("valid", [:]),
                ("blank title", ["title": #""   ""#]),
                ("title of a line separator", ["title": #""\u2028""#]),
                ("title of a zero-width space", ["title": #""\u200b""#]),
                ("title with a byte-order mark", ["title": #""\ufeffTitel""#]),
                ("title of a combining mark after a space", ["title": #"" \u0301""#]),
                ("title of 300 code points", ["title": "\"\(combining)\""]),
                ("title of 301 code points in 151 characters", ["title": "\"\(combining)e\""]),
                ("title of 301 code points with a space around", ["title": "\" \(String(repeating: "a", count: 300))\""]),
                ("title null", ["title": "null"]),
                ("title with U+0000", ["title": #""a\u0000b""#]),
                ("body with U+0000", ["body": #""Tekst\u0000""#]),
                ("organisation of U+0000", ["credits": #"{"organisation": "\u0000"}"#]),
                ("a person with U+0000", ["credits": #"{"persons": ["Ida\u0000"]}"#]),
                ("no title", ["title": nil]),
                ("no type", ["type": nil]),
                ("unknown type", ["type": #""findes-ikke""#]),
                ("no teaser", ["teaser": nil]),
                ("teaser of a tab", ["teaser": #""\t""#]),
                ("year 2020.0", ["year": "2020.0"]),
                ("year 1899", ["year": "1899"]),
                ("year as text", ["year": #""2020""#]),
                ("year null", ["year": "null"]),
                ("reading time 600", ["readingMinutes": "600"]),
                ("reading time 0", ["readingMinutes": "0"]),
                ("genre", ["genre": #""fokus""#]),
                ("unknown genre", ["genre": #""andet""#]),
                ("null genre, language, status, body, credits", ["genre": "null", "language": "null", "status": "null", "body": "null", "credits": "null"]),
                ("credits with null members", ["credits": #"{"kind": null, "persons": null, "organisation": null}"#]),
                ("a blank person", ["credits": #"{"persons": [" "]}"#]),
                ("a null person", ["credits": #"{"persons": [null]}"#]),
                ("an unknown credits member", ["credits": #"{"role": "x"}"#]),
                ("an audience twice", ["audiences": #"["skoler", "skoler"]"#]),
                ("a null audience", ["audiences": "[null]"]),
                ("an unknown audience", ["audiences": #"["findes-ikke"]"#]),
                ("null audiences and topics", ["audiences": "null", "topics": "null"]),
                ("an unknown field", ["farve": #""blå""#]),
                ("versions", ["versions": "[]"]),
                ("the reserved slug", ["slug": #""ny""#]),
                ("a slug with capitals", ["slug": #""Abc""#]),
                ("a slug of 121 characters", ["slug": "\"\(String(repeating: "a", count: 121))\""]),
                ("no slug, a title without letters", ["slug": nil, "title": #""!!!""#]),
                ("no slug, a long title", ["slug": nil, "title": "\"\(String(repeating: "Samarbejde og partnerskab ", count: 11))\""]),
            ]
            let base: [String: String] = [
                "title": #""Robotter på biblioteket""#, "type": #""artikel""#, "teaser": #""Et forløb med LEGO-robotter.""#,
                "credits": #"{"kind": "written", "persons": ["Ida Lund"], "organisation": "Biblioteket"}"#, "year": "2023",
                "audiences": #"["skoler"]"#, "topics": #"["samarbejde"]"#, "status": #""published""#,
            ]
            for (number, (name, changes)) in cases.enumerated() {
                var members = base
                members["slug"] = "\"proeve-\(number)\""
                for (key, value) in changes { members[key] = value }
                let json = "{" + members.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
                let problems = validator.problems(try JSONSerialization.jsonObject(with: Data(json.utf8)), schema)
                let response = try await Write.send(app, .POST, "/api/v1/materials", token: token, json: json)
                if problems.isEmpty {
                    #expect(response.status == .created, "\(name): the document allows it, the server answered \(response.status) \(response.text)")
                } else {
                    #expect(response.status == .unprocessableEntity, "\(name): the document refuses it (\(problems)), the server answered \(response.status)")
                }
            }
            // Slugs made from titles always fit.
            #expect(try await MaterialQueries.find(slug: "materiale", visibility: .all, on: app.db) != nil)
            let long = MaterialInput.slug(fromTitle: String(repeating: "Samarbejde og partnerskab ", count: 11))
            #expect(try await MaterialQueries.find(slug: long, visibility: .all, on: app.db) != nil)
        }
    }

    @Test func slugsMadeFromTitlesAreValid() {
        #expect(MaterialInput.slug(fromTitle: "Fire typer af partnerskaber") == "fire-typer-af-partnerskaber")
        #expect(MaterialInput.slug(fromTitle: "!!!") == "materiale")
        #expect(MaterialInput.slug(fromTitle: "Ny") == "materiale")
        let title = String(repeating: "Samarbejde og partnerskab ", count: 11)
        let long = MaterialInput.slug(fromTitle: title)
        #expect(Slug.isValid(long) && long.count <= Slug.maxLength && long.count > 100)
        #expect(Slug.make(from: title).hasPrefix(long + "-"), "cut between words: \(long)")
        let word = MaterialInput.slug(fromTitle: String(repeating: "x", count: 300))
        #expect(word == String(repeating: "x", count: Slug.maxLength))
    }

    /// What the server trims from titles, teasers and names is what the document's pattern counts as white space,
    /// over every Unicode scalar (and U+0000, which the server refuses in any text, is refused by the pattern).
    @Test func theNonBlankPatternIsTheServersWhiteSpace() throws {
        // The committed document: the served one differs only in its `enum`s.
        let document = try #require(try JSONSerialization.jsonObject(with: AppResources.data("openapi.json")) as? [String: Any])
        do {
            let title = try #require((try Self.schema(document, "MaterialInput")["properties"] as? [String: Any])?["title"] as? [String: Any])
            let pattern = try #require(title["pattern"] as? String)
            let expression = try NSRegularExpression(pattern: pattern)
            var differences: [String] = []
            for value in 0...0x10FFFF {
                guard let scalar = Unicode.Scalar(value) else { continue }
                let text = String(Character(scalar))
                let nonBlank = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
                let accepted = !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && value != 0
                if nonBlank != accepted { differences.append(String(value, radix: 16)) }
            }
            #expect(differences.isEmpty, "the pattern and the server disagree on U+\(differences.prefix(20))")
        }
    }

    /// `PUT` and `PATCH` bodies have no `slug`, and the server refuses one, even the path's own; `POST {}` names
    /// exactly the fields the document requires.
    @Test(arguments: TestBackend.all)
    func slugIsRefusedOnPutAndPatchAndRequiredFieldsAreRequired(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let token = try await Write.token(try await MaterialEditTests.editor(app))
            let document = try await OpenAPITests.document(app)
            let validator = SchemaValidator(document: document)
            let required = try #require(try Self.schema(document, "MaterialInput")["required"] as? [String])
            let empty = try await Write.send(app, .POST, "/api/v1/materials", token: token, json: "{}")
            #expect(empty.status == .unprocessableEntity)
            #expect(Set(try Write.problems(empty).keys) == Set(required))
            #expect(Set(required) == ["title", "type", "teaser"])
            #expect(try Self.schema(document, "MaterialReplacement")["required"] as? [String] == required)
            #expect(try Self.schema(document, "MaterialPatch")["required"] == nil)

            #expect(try await Write.send(app, .POST, "/api/v1/materials", token: token, json: Write.valid).status == .created)
            let path = "/api/v1/materials/robotter-paa-biblioteket"
            for (method, schema) in [(HTTPMethod.PUT, "MaterialReplacement"), (.PATCH, "MaterialPatch")] {
                let properties = try #require(try Self.schema(document, schema)["properties"] as? [String: Any])
                #expect(properties["slug"] == nil && Set(properties.keys) == MaterialInput.fields.subtracting(["slug"]), "\(schema)")
                #expect(try Self.schema(document, schema)["additionalProperties"] as? Bool == false)
                let same = Write.valid.replacingOccurrences(of: "{\"title\"", with: "{\"slug\": \"robotter-paa-biblioteket\", \"title\"")
                #expect(!validator.problems(try JSONSerialization.jsonObject(with: Data(same.utf8)), ["$ref": "#/components/schemas/\(schema)"]).isEmpty)
                let refused = try await Write.send(app, method, path, token: token, json: same)
                #expect(refused.status == .unprocessableEntity, "\(method)")
                #expect(try Write.problems(refused)["slug"] != nil, "\(method)")
                #expect(try await Write.send(app, method, path, token: token, json: #"{"slug": null}"#).status == .unprocessableEntity, "\(method)")
            }
            // PATCH: an empty patch is fine; a required field cannot be removed.
            #expect(try await Write.send(app, .PATCH, path, token: token, json: "{}").status == .ok)
            let removed = try await Write.send(app, .PATCH, path, token: token, json: #"{"title": null}"#)
            #expect(removed.status == .unprocessableEntity)
            #expect(try Write.problems(removed)["title"] != nil)
            #expect(!validator.problems(["title": NSNull()], ["$ref": "#/components/schemas/MaterialPatch"]).isEmpty)
            #expect(try await MaterialQueries.find(slug: "robotter-paa-biblioteket", visibility: .all, on: app.db)?.title == "Robotter på biblioteket")
        }
    }

    /// `If-Match` takes what its documented pattern allows, and refuses the rest with 400.
    @Test(arguments: TestBackend.all)
    func ifMatchTakesExactlyTheDocumentedETags(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let token = try await Write.token(try await MaterialEditTests.editor(app))
            let document = try await OpenAPITests.document(app)
            let parameter = try #require(((document["components"] as? [String: Any])?["parameters"] as? [String: Any])?["IfMatch"] as? [String: Any])
            let pattern = try #require((parameter["schema"] as? [String: Any])?["pattern"] as? String)
            #expect(try await Write.send(app, .POST, "/api/v1/materials", token: token, json: Write.valid).status == .created)
            let values = [#""1""#, #"W/"1""#, "*", #""123456789012345678""#, "1", #""a""#, #""-1""#, #""+1""#, #""1234567890123456789""#,
                          #""""#, #""1", "2""#, #"w/"1""#, #"W/ "1""#, #""1"x"#, #""１""#]
            for value in values {
                let allowed = value.range(of: pattern, options: .regularExpression) != nil
                let response = try await Write.send(app, .PATCH, "/api/v1/materials/robotter-paa-biblioteket", token: token, json: "{}",
                                                    headers: [("If-Match", value)])
                if allowed {
                    #expect([.ok, .preconditionFailed].contains(response.status), "\(value): allowed by the document, answered \(response.status)")
                } else {
                    #expect(response.status == .badRequest, "\(value): refused by the document, answered \(response.status)")
                    #expect(try Write.problems(response)["If-Match"] != nil, "\(value)")
                }
            }
            #expect(["*", #""1""#, #"W/"1""#].allSatisfy { $0.range(of: pattern, options: .regularExpression) != nil })
            // The ETag the server sends is what the document says it is.
            let etag = try #require(try await Write.send(app, .GET, "/api/v1/materials/robotter-paa-biblioteket", token: token).headers.first(name: .eTag))
            #expect(etag.range(of: #"^"[0-9]+"$"#, options: .regularExpression) != nil && etag.range(of: pattern, options: .regularExpression) != nil)
        }
    }
}
