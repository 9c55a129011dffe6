@testable import App
import Foundation
import Testing
import Vapor
import VaporTesting

/// A path that exists, asked with a method it does not have, is answered with 405 and `Allow` (not 404).
@Suite struct MethodNotAllowedTests {
    /// The methods of the routes whose pattern `path` matches, worked out from `app.routes` without the
    /// router (HEAD wherever GET is, as Vapor routes it), in the order `Allow` gives them.
    static func expectedAllow(_ app: Application, _ path: [String]) -> String {
        var methods = Set<String>()
        for route in app.routes.all where route.path.count == path.count {
            let matches = zip(route.path, path).allSatisfy { pattern, component in
                if case .constant(let value) = pattern { return value == component }
                return true
            }
            if matches { methods.insert(route.method.rawValue) }
        }
        if methods.contains("GET") { methods.insert("HEAD") }
        return ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"].filter(methods.contains).joined(separator: ", ")
    }

    static func send(_ app: Application, _ method: HTTPMethod, _ path: String) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(method, path)
    }

    @Test func theAPIsPathsNameTheirMethods() async throws {
        try await withApp(.sqlite) { app in
            let document = try await OpenAPITests.document(app)
            let validator = SchemaValidator(document: document)
            let cases: [(HTTPMethod, String, String)] = [
                (.OPTIONS, "/api/v1/materials", "GET, HEAD, POST"),
                (.TRACE, "/api/v1/materials", "GET, HEAD, POST"),
                (.PUT, "/api/v1/materials", "GET, HEAD, POST"),
                (.DELETE, "/api/v1/materials", "GET, HEAD, POST"),
                (.OPTIONS, "/api/v1/materials/findes-ikke", "GET, HEAD, PUT, PATCH, DELETE"),
                (.POST, "/api/v1/materials/fire-typer-af-partnerskaber", "GET, HEAD, PUT, PATCH, DELETE"),
                (.TRACE, "/api/v1/search", "GET, HEAD"),
                (.POST, "/api/v1/openapi.json", "GET, HEAD"),
                (.PATCH, "/api/v1/themes/samarbejder-og-partnerskaber", "GET, HEAD"),
            ]
            for (method, path, allow) in cases {
                let response = try await Self.send(app, method, path)
                #expect(response.status == .methodNotAllowed, "\(method) \(path): \(response.status)")
                #expect(response.headers.first(name: .allow) == allow, "\(method) \(path)")
                #expect(response.headers.first(name: .contentType) == "application/problem+json; charset=utf-8")
                let problem = try #require(try response.json() as? [String: Any])
                #expect(problem["status"] as? Int == 405 && problem["title"] as? String == "Metoden er ikke tilladt")
                let problems = validator.problems(problem, ["$ref": "#/components/schemas/Problem"])
                #expect(problems.isEmpty, "\(problems)")
            }
            // What the paths do have still works, HEAD included; paths that do not exist stay 404, and so does a
            // handler's own 404.
            #expect(try await Self.send(app, .GET, "/api/v1/materials").status == .ok)
            #expect(try await Self.send(app, .HEAD, "/api/v1/materials").status == .ok)
            #expect(try await Self.send(app, .TRACE, "/api/v1/findes-ikke").status == .notFound)
            #expect(try await Self.send(app, .OPTIONS, "/api/v1/materials/a/b").status == .notFound)
            #expect(try await Self.send(app, .GET, "/api/v1/materials/findes-ikke").status == .notFound)
            #expect(try await Self.send(app, .POST, "/api/v1/materials").status == .unauthorized)
        }
    }

    /// Every registered path, under methods it lacks, names exactly the methods it has; pages get the Danish page.
    @Test func everyPathAnswers405WithItsMethods() async throws {
        try await withApp(.sqlite) { app in
            var checked = 0
            for route in app.routes.all {
                let path = route.path.map { component -> String in
                    if case .constant(let value) = component { return value }
                    return "x"
                }
                let href = "/" + path.joined(separator: "/")
                let allow = Self.expectedAllow(app, path)
                for method in [HTTPMethod.OPTIONS, .TRACE, .PUT, .DELETE, .POST]
                where !allow.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }).contains(method.rawValue) {
                    let response = try await Self.send(app, method, href)
                    #expect(response.status == .methodNotAllowed, "\(method) \(href): \(response.status)")
                    #expect(response.headers.first(name: .allow) == allow, "\(method) \(href)")
                    if !href.hasPrefix("/api/") {
                        #expect(response.headers.contentType == .html, "\(method) \(href)")
                        #expect(response.text.contains("Metoden er ikke tilladt") && response.text.contains("Fejl 405"), "\(method) \(href)")
                    }
                    checked += 1
                }
            }
            #expect(checked > 150)
            // A path only POST has: HEAD is not GET's there.
            let logout = try await Self.send(app, .HEAD, "/log-ud")
            #expect(logout.status == .methodNotAllowed && logout.headers.first(name: .allow) == "POST")
            #expect(try await Self.send(app, .TRACE, "/findes-ikke").status == .notFound)
        }
    }
}
