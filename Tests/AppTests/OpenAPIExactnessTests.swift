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
}
