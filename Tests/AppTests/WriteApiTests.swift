@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing
import Vapor
import VaporTesting

/// Personal API tokens made in the browser, and the write API they open, on both backends.
@Suite struct WriteApiTests {
    typealias Browser = LoginTests.Browser

    /// Makes a token through the page and returns it as the page shows it (once).
    static func token(_ browser: Browser, name: String = "Import fra regneark") async throws -> String {
        let csrf = try await browser.csrfToken(on: "/redaktion/api-noegler")
        let page = try await browser.post("/redaktion/api-noegler", ["_csrf": csrf, "name": name])
        #expect(page.status == .ok)
        #expect(page.headers.first(name: .cacheControl)?.contains("no-store") == true)
        let marker = "<code class=\"token\">"
        guard let start = page.text.range(of: marker)?.upperBound, let end = page.text[start...].firstIndex(of: "<") else {
            throw LoginTests.TestFailure("no token on the page")
        }
        return String(page.text[start..<end])
    }

    static func send(_ app: Application, _ method: HTTPMethod, _ path: String, token: String?, json: String? = nil,
                     headers extra: [(String, String)] = []) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let token { headers.replaceOrAdd(name: .authorization, value: "Bearer \(token)") }
        if json != nil { headers.contentType = .json }
        for (name, value) in extra { headers.replaceOrAdd(name: name, value: value) }
        return try await app.testing().sendRequest(method, path, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    static func problems(_ response: TestingHTTPResponse) throws -> [String: String] {
        #expect(response.headers.first(name: .contentType)?.hasPrefix("application/problem+json") == true)
        let object = try #require(try response.json() as? [String: Any])
        let errors = object["errors"] as? [[String: String]] ?? []
        return Dictionary(errors.map { ($0["field"] ?? "", $0["message"] ?? "") }, uniquingKeysWith: { $0 + " " + $1 })
    }

    static let valid = """
        {"title": "Robotter på biblioteket", "type": "artikel", "teaser": "Et forløb med LEGO-robotter.", "body": "## Forløbet\\n\\nTre uger med robotter.",
         "credits": {"kind": "written", "persons": ["Ida Lund"], "organisation": "Biblioteket"}, "year": 2023, "language": "da",
         "audiences": ["skoler"], "topics": ["samarbejde"], "status": "published"}
        """

    @Test(arguments: TestBackend.all)
    func aTokenMadeInTheBrowserCreatesChangesAndDeletesMaterials(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let browser = try await MaterialEditTests.editor(app)
            let token = try await Self.token(browser)
            #expect(token.hasPrefix("samspil_") && token.count > 40)
            let list = try await browser.get("/redaktion/api-noegler")
            #expect(list.text.contains("Import fra regneark") && list.text.contains(String(token.prefix(14))))
            #expect(!list.text.contains(token), "the token is shown only once")

            // Without a token, with a wrong one: 401 with WWW-Authenticate; a session cookie does not count.
            for sent in [nil, "samspil_forkert", "Bearer"] {
                let refused = try await Self.send(app, .POST, "/api/v1/materials", token: sent, json: Self.valid)
                #expect(refused.status == .unauthorized)
                #expect(refused.headers.first(name: .wwwAuthenticate) == "Bearer realm=\"samspil\"")
                #expect(try Self.problems(refused).isEmpty)
            }
            var withCookie = browser.cookieHeader
            withCookie.contentType = .json
            #expect(try await app.testing().sendRequest(.POST, "/api/v1/materials", headers: withCookie, body: ByteBuffer(string: Self.valid)).status == .unauthorized)

            // Broken input: every problem named by its field, nothing stored.
            let broken = try await Self.send(app, .POST, "/api/v1/materials", token: token, json: """
                {"title": "  ", "type": "artikel", "teaser": "x", "year": "2023", "audiences": ["findes-ikke", 7], "language": "de",
                 "credits": {"persons": [""], "role": "x"}, "farve": "blå", "versions": []}
                """)
            #expect(broken.status == .unprocessableEntity)
            let problems = try Self.problems(broken)
            for field in ["title", "year", "audiences[0]", "audiences[1]", "language", "credits.persons[0]", "credits.role", "farve", "versions"] {
                #expect(problems[field] != nil, "no problem for \(field): \(problems)")
            }
            #expect(try await Self.send(app, .POST, "/api/v1/materials", token: token, json: "[1, 2]").status == .badRequest)
            #expect(try await Self.send(app, .POST, "/api/v1/materials", token: token, json: "{\"title\": ").status == .badRequest)
            #expect(try await MaterialQueries.find(slug: "robotter-paa-biblioteket", visibility: .all, on: app.db) == nil)

            // Created: 201, Location, ETag; on the page, in search and in the feed.
            let created = try await Self.send(app, .POST, "/api/v1/materials", token: token, json: Self.valid)
            #expect(created.status == .created)
            #expect(created.headers.first(name: .location) == "/api/v1/materials/robotter-paa-biblioteket")
            #expect(created.headers.first(name: .eTag) == "\"1\"")
            #expect(try await app.get("/materialer/robotter-paa-biblioteket").text.contains("Ida Lund"))
            #expect(try await app.get("/api/v1/search?q=robot").text.contains("robotter-paa-biblioteket"))
            #expect(try await app.get("/feed.atom").text.contains("Robotter på biblioteket"))
            #expect(try await Self.send(app, .POST, "/api/v1/materials", token: token, json: Self.valid).status == .conflict)

            // PATCH merges: absent fields stay, null clears; If-Match guards against lost updates.
            let patched = try await Self.send(app, .PATCH, "/api/v1/materials/robotter-paa-biblioteket", token: token,
                                              json: "{\"year\": null, \"teaser\": \"Nyt resumé.\"}", headers: [("If-Match", "\"1\"")])
            #expect(patched.status == .ok)
            #expect(patched.headers.first(name: .eTag) == "\"2\"")
            var stored = try #require(try await MaterialQueries.find(slug: "robotter-paa-biblioteket", visibility: .all, on: app.db))
            #expect(stored.year == nil && stored.teaser == "Nyt resumé." && stored.title == "Robotter på biblioteket" && stored.credits.persons == ["Ida Lund"])
            let stale = try await Self.send(app, .PATCH, "/api/v1/materials/robotter-paa-biblioteket", token: token,
                                            json: "{\"title\": \"Overskrevet\"}", headers: [("If-Match", "\"1\"")])
            #expect(stale.status == .preconditionFailed)
            stored = try #require(try await MaterialQueries.find(slug: "robotter-paa-biblioteket", visibility: .all, on: app.db))
            #expect(stored.title == "Robotter på biblioteket")
            #expect(try await Self.send(app, .PATCH, "/api/v1/materials/robotter-paa-biblioteket", token: token,
                                        json: "{}", headers: [("If-Match", "2")]).status == .badRequest)
            // A member the material does not have is refused, also as null (the merge would drop it unseen).
            for unknown in ["{\"\": null}", "{\"colour\": null}", "{\"credits\": {\"role\": null}}"] {
                let refused = try await Self.send(app, .PATCH, "/api/v1/materials/robotter-paa-biblioteket", token: token, json: unknown)
                #expect(refused.status == .unprocessableEntity, "\(unknown)")
            }

            // PUT replaces every field: absent required ones are problems; the slug cannot change.
            let partial = try await Self.send(app, .PUT, "/api/v1/materials/robotter-paa-biblioteket", token: token, json: "{\"title\": \"Kun titel\"}")
            #expect(partial.status == .unprocessableEntity)
            #expect(Set(try Self.problems(partial).keys) == ["type", "teaser"])
            let renamed = try await Self.send(app, .PUT, "/api/v1/materials/robotter-paa-biblioteket", token: token,
                                              json: Self.valid.replacingOccurrences(of: "{\"title\"", with: "{\"slug\": \"andet\", \"title\""))
            #expect(try Self.problems(renamed).keys.contains("slug"))
            let replaced = try await Self.send(app, .PUT, "/api/v1/materials/robotter-paa-biblioteket", token: token,
                                               json: Self.valid.replacingOccurrences(of: "\"status\": \"published\"", with: "\"status\": \"draft\""))
            #expect(replaced.status == .ok)
            #expect(replaced.headers.first(name: .eTag) == "\"3\"")
            #expect(try await app.get("/materialer/robotter-paa-biblioteket").status == .notFound)
            #expect(try await Self.send(app, .PUT, "/api/v1/materials/findes-ikke", token: token, json: Self.valid).status == .notFound)
            // The draft: hidden from readers, shown with its ETag to the token's holder; a bad token is refused.
            #expect(try await app.get("/api/v1/materials/robotter-paa-biblioteket").status == .notFound)
            let draft = try await Self.send(app, .GET, "/api/v1/materials/robotter-paa-biblioteket", token: token)
            #expect(draft.status == .ok && draft.headers.first(name: .eTag) == "\"3\"" && draft.text.contains("\"status\":\"draft\""))
            #expect(try await Self.send(app, .GET, "/api/v1/materials/robotter-paa-biblioteket", token: "samspil_forkert").status == .unauthorized)

            // Every change is in the history and the audit log, by the token's owner.
            let history = try await browser.get("/redaktion/materialer/robotter-paa-biblioteket/historik")
            #expect(history.text.contains("Revision 3 (nuværende)") && history.text.contains("redaktor@skole.dk"))
            #expect(Set(try await AuditLog.recent(on: app.db).map(\.action)) == ["token.create", "material.create", "material.update"])

            // DELETE: refused on a stale ETag, then done.
            #expect(try await Self.send(app, .DELETE, "/api/v1/materials/robotter-paa-biblioteket", token: token, headers: [("If-Match", "\"2\"")]).status == .preconditionFailed)
            #expect(try await Self.send(app, .DELETE, "/api/v1/materials/robotter-paa-biblioteket", token: token, headers: [("If-Match", "\"3\"")]).status == .noContent)
            #expect(try await MaterialQueries.find(slug: "robotter-paa-biblioteket", visibility: .all, on: app.db) == nil)

            // Revoked in the browser: the token stops working at once.
            let listed = try await browser.get("/redaktion/api-noegler").text
            let idMarker = "name=\"id\" value=\""
            let idStart = try #require(listed.range(of: idMarker)?.upperBound)
            let id = String(listed[idStart...].prefix { $0 != "\"" })
            let csrf = try await browser.csrfToken(on: "/redaktion/api-noegler")
            #expect(try await browser.post("/redaktion/api-noegler/tilbagekald", ["_csrf": csrf, "id": id]).status == .seeOther)
            #expect(try await browser.get("/redaktion/api-noegler").text.contains("Du har ingen API-nøgler."))
            #expect(try await Self.send(app, .POST, "/api/v1/materials", token: token, json: Self.valid).status == .unauthorized)
        }
    }

    @Test func tokensNeedANameACSRFTokenAndALiveAccount() async throws {
        try await withApp(.sqlite) { app in
            let browser = try await MaterialEditTests.editor(app)
            let csrf = try await browser.csrfToken(on: "/redaktion/api-noegler")
            let unnamed = try await browser.post("/redaktion/api-noegler", ["_csrf": csrf, "name": "   "])
            #expect(unnamed.status == .unprocessableEntity)
            #expect(unnamed.text.contains("Giv nøglen et navn") && !unnamed.text.contains("<code class=\"token\">"))
            #expect(unnamed.text.contains("<title>Fejl: API-nøgler – Samspil</title>"))
            #expect(try await browser.post("/redaktion/api-noegler", ["name": "Uden CSRF"]).status == .forbidden)
            #expect(try await browser.post("/redaktion/api-noegler", ["_csrf": csrf, "name": "Fremmed"], origin: "https://evil.example").status == .forbidden)
            // Hostile names are escaped.
            _ = try await Self.token(browser, name: "<script>alert(1)</script>")
            let listed = try await browser.get("/redaktion/api-noegler").text
            #expect(listed.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !listed.contains("<script>alert"))
            try await ApiTokenModel.query(on: app.db).delete()
            // Someone else's token cannot be revoked by id.
            let token = try await Self.token(browser)
            _ = try await AccountQueries.create(email: "anden@skole.dk", password: LoginTests.password, role: .editor, now: frozenNow,
                                                hashing: PasswordHashing(app), on: app.db)
            let other = Browser(app)
            _ = try await other.logIn("anden@skole.dk")
            let id = try #require(try await ApiTokenModel.query(on: app.db).first()?.requireID())
            let otherCSRF = try await other.csrfToken(on: "/redaktion/api-noegler")
            #expect(try await other.post("/redaktion/api-noegler/tilbagekald", ["_csrf": otherCSRF, "id": id.uuidString]).status == .notFound)
            #expect(try await Self.send(app, .DELETE, "/api/v1/materials/samarbejder-og-partnerskaber", token: token, headers: [("If-Match", "\"999\"")]).status == .preconditionFailed)
            // A disabled account's tokens stop at once; the database holds only the token's hash.
            #expect(try await ApiTokenModel.query(on: app.db).all().allSatisfy { $0.tokenHash == SessionQueries.hash(token) && !$0.tokenHash.contains(token) })
            _ = try await AccountQueries.disable(email: "redaktor@skole.dk", now: frozenNow, on: app.db)
            #expect(try await Self.send(app, .DELETE, "/api/v1/materials/samarbejder-og-partnerskaber", token: token).status == .unauthorized)
            #expect(try await MaterialQueries.find(slug: "samarbejder-og-partnerskaber", visibility: .all, on: app.db) != nil)
        }
    }

    /// The write API's responses match the OpenAPI document, status by status.
    @Test func writeResponsesMatchTheirSchemas() async throws {
        try await withApp(.sqlite) { app in
            let document = try await OpenAPITests.document(app)
            let validator = SchemaValidator(document: document)
            let browser = try await MaterialEditTests.editor(app)
            let token = try await Self.token(browser)
            let cases: [(HTTPMethod, String, String, String?, String?, UInt)] = [
                (.POST, "/api/v1/materials", "/api/v1/materials", nil, Self.valid, 401),
                (.POST, "/api/v1/materials", "/api/v1/materials", token, "{\"title\": 1}", 422),
                (.POST, "/api/v1/materials", "/api/v1/materials", token, "nej", 400),
                (.POST, "/api/v1/materials", "/api/v1/materials", token, Self.valid, 201),
                (.POST, "/api/v1/materials", "/api/v1/materials", token, Self.valid, 409),
                (.GET, "/api/v1/materials/robotter-paa-biblioteket", "/api/v1/materials/{slug}", token, nil, 200),
                (.GET, "/api/v1/materials/robotter-paa-biblioteket", "/api/v1/materials/{slug}", "samspil_forkert", nil, 401),
                (.PATCH, "/api/v1/materials/robotter-paa-biblioteket", "/api/v1/materials/{slug}", token, "{\"year\": 2020}", 200),
                (.PUT, "/api/v1/materials/robotter-paa-biblioteket", "/api/v1/materials/{slug}", token, "{}", 422),
                (.PUT, "/api/v1/materials/findes-ikke", "/api/v1/materials/{slug}", token, Self.valid, 404),
            ]
            for (method, path, template, sent, json, status) in cases {
                let response = try await Self.send(app, method, path, token: sent, json: json)
                #expect(response.status.code == status, "\(method) \(path): \(response.status.code) \(response.text)")
                let problems = try OpenAPITests.schemaProblems(response, method, template, document: document, validator: validator)
                #expect(problems.isEmpty, "\(method) \(path): \(problems)")
            }
            let deleted = try await Self.send(app, .DELETE, "/api/v1/materials/robotter-paa-biblioteket", token: token)
            #expect(deleted.status == .noContent && deleted.body.readableBytes == 0)
        }
    }
}
