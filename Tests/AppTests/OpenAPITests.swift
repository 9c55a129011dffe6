@testable import App
import Foundation
import Testing
import Vapor
import VaporTesting

@Suite struct OpenAPITests {
    /// What is wrong with a response against the schema the document gives for its path, method and status
    /// (a status or media type the document does not give fails the `#require`s).
    static func schemaProblems(_ response: TestingHTTPResponse, _ method: HTTPMethod, _ template: String,
                               document: [String: Any], validator: SchemaValidator) throws -> [String] {
        let paths = try #require(document["paths"] as? [String: Any])
        let operation = try #require((paths[template] as? [String: Any])?[method.rawValue.lowercased()] as? [String: Any])
        let responses = try #require(operation["responses"] as? [String: Any])
        var documented = try #require(responses[String(response.status.code)] as? [String: Any],
                                      "\(method) \(template): status \(response.status.code) is not documented")
        if let reference = documented["$ref"] as? String { documented = try #require(validator.resolve(reference)) }
        let content = try #require(documented["content"] as? [String: Any])
        let mediaType = try #require(response.headers.first(name: .contentType)?.split(separator: ";").first.map(String.init))
        let schema = try #require((content[mediaType] as? [String: Any])?["schema"] as? [String: Any],
                                  "\(method) \(template): \(mediaType) is not documented for \(response.status.code)")
        return validator.problems(try response.json(), schema)
    }

    static func document(_ app: Application) async throws -> [String: Any] {
        let response = try await app.get("/api/v1/openapi.json")
        #expect(response.status == .ok)
        #expect(response.headers.contentType == .json)
        return try #require(try response.json() as? [String: Any])
    }

    @Test func everyRegisteredAPIRouteIsDocumented() async throws {
        try await withApp(seed: false) { app in
            let document = try await Self.document(app)
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let apiRoutes = app.routes.all.filter { $0.path.first?.description == "api" }
            #expect(apiRoutes.count >= 6)
            var documented = Set<String>()
            for route in apiRoutes {
                let path = "/" + route.path.map { component -> String in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
                let method = route.method.rawValue.lowercased()
                #expect(paths[path]?[method] != nil, "\(route.method) \(path) is not in openapi.json")
                documented.insert("\(method) \(path)")
            }
            // And nothing is documented that does not exist.
            for (path, operations) in paths {
                for method in operations.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                    #expect(documented.contains("\(method) \(path)"), "\(method) \(path) is documented but not routed")
                }
            }
        }
    }

    /// Real responses, each checked against the schema the document gives for its path, method and status.
    @Test(arguments: TestBackend.all)
    func responsesMatchTheirSchemas(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let document = try await Self.document(app)
            let validator = SchemaValidator(document: document)
            let samples: [(request: String, template: String)] = [
                ("/api/v1/materials", "/api/v1/materials"),
                ("/api/v1/materials?limit=100&sort=title", "/api/v1/materials"),
                ("/api/v1/materials?year=abc&foo=1", "/api/v1/materials"),
                ("/api/v1/materials/behoever-vi-samarbete-oever-organisationsgraenser", "/api/v1/materials/{slug}"),
                ("/api/v1/materials/samarbejder-og-partnerskaber", "/api/v1/materials/{slug}"),
                ("/api/v1/materials/findes-ikke", "/api/v1/materials/{slug}"),
                ("/api/v1/themes", "/api/v1/themes"),
                ("/api/v1/themes/samarbejder-og-partnerskaber", "/api/v1/themes/{slug}"),
                ("/api/v1/themes/findes-ikke", "/api/v1/themes/{slug}"),
                ("/api/v1/vocabularies", "/api/v1/vocabularies"),
                ("/api/v1/vocabularies?x=1", "/api/v1/vocabularies"),
            ]
            for sample in samples {
                let response = try await app.get(sample.request)
                let problems = try Self.schemaProblems(response, .GET, sample.template, document: document, validator: validator)
                #expect(problems.isEmpty, "\(sample.request): \(problems)")
            }
        }
    }

    @Test func theValidatorCatchesMismatches() throws {
        let document = try JSONSerialization.jsonObject(with: Data("""
            {"components": {"schemas": {"T": {"type": "object", "additionalProperties": false, "required": ["a"],
              "properties": {"a": {"type": "integer", "minimum": 1}, "b": {"type": ["string", "null"], "enum": ["x", null]}}}}}}
            """.utf8)) as! [String: Any]
        let validator = SchemaValidator(document: document)
        let schema: [String: Any] = ["$ref": "#/components/schemas/T"]
        func problems(_ json: String) throws -> Int {
            validator.problems(try JSONSerialization.jsonObject(with: Data(json.utf8)), schema).count
        }
        #expect(try problems(#"{"a": 1, "b": "x"}"#) == 0)
        #expect(try problems(#"{"a": 2, "b": null}"#) == 0)
        #expect(try problems(#"{"b": "x"}"#) == 1)
        #expect(try problems(#"{"a": 0}"#) == 1)
        #expect(try problems(#"{"a": "1"}"#) == 1)
        #expect(try problems(#"{"a": 1.5}"#) == 1)
        #expect(try problems(#"{"a": 1, "c": 2}"#) == 1)
        #expect(try problems(#"{"a": 1, "b": "y"}"#) == 1)
        #expect(try problems(#"{"a": true}"#) == 1)
        #expect(try problems(#"[1]"#) == 1)
    }
}
