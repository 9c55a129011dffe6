@testable import App
import Fluent
import Foundation
import SamspilCore
import NIOCore
import Testing
import Vapor
import VaporTesting

/// Logging in and out through the real routes and middleware, on both backends.
@Suite struct LoginTests {
    static let origin = "http://samspil.test"
    static let password = "hest og ko i stalden"

    /// A browser: keeps cookies, sends the site's Origin with forms.
    final class Browser: @unchecked Sendable {
        let app: Application
        var cookies: [String: String] = [:]

        init(_ app: Application) { self.app = app }

        var cookieHeader: HTTPHeaders {
            var headers = HTTPHeaders()
            if !cookies.isEmpty { headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
            return headers
        }

        func keep(_ response: TestingHTTPResponse) {
            for (name, value) in response.headers.setCookie?.all ?? [:] {
                if value.string.isEmpty { cookies[name] = nil } else { cookies[name] = value.string }
            }
        }

        func get(_ path: String) async throws -> TestingHTTPResponse {
            let response = try await app.testing().sendRequest(.GET, path, headers: cookieHeader)
            keep(response)
            return response
        }

        func post(_ path: String, _ fields: [String: String], origin: String? = LoginTests.origin, method: HTTPMethod = .POST) async throws -> TestingHTTPResponse {
            try await post(path, pairs: fields.map { ($0.key, $0.value) }, origin: origin, method: method)
        }

        /// A form with repeated names (checkboxes: `audiences[]=a&audiences[]=b`).
        func post(_ path: String, pairs fields: [(String, String)], origin: String? = LoginTests.origin, method: HTTPMethod = .POST) async throws -> TestingHTTPResponse {
            var headers = cookieHeader
            headers.contentType = .urlEncodedForm
            if let origin { headers.replaceOrAdd(name: .origin, value: origin) }
            func encoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
            let body = fields.map { "\($0.0)=\(encoded($0.1))" }.joined(separator: "&")
            let response = try await app.testing().sendRequest(method, path, headers: headers, body: ByteBuffer(string: body))
            keep(response)
            return response
        }

        /// A multipart/form-data form with fields and one file (an upload).
        func postMultipart(_ path: String, fields: [(String, String)], fileField: String = "file", fileName: String, contentType: String = "application/pdf",
                           bytes: [UInt8]) async throws -> TestingHTTPResponse {
            let boundary = "samspil-test-boundary"
            var body = Data()
            for (name, value) in fields {
                body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
            }
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(fileField)\"; filename=\"\(fileName)\"\r\nContent-Type: \(contentType)\r\n\r\n".utf8)
            body += Data(bytes)
            body += Data("\r\n--\(boundary)--\r\n".utf8)
            var headers = cookieHeader
            headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            headers.replaceOrAdd(name: .origin, value: LoginTests.origin)
            let response = try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(data: body))
            keep(response)
            return response
        }

        /// The CSRF token of the first form on a page.
        func csrfToken(on path: String) async throws -> String {
            let html = try await get(path).text
            let marker = "name=\"_csrf\" value=\""
            guard let start = html.range(of: marker)?.upperBound, let end = html[start...].firstIndex(of: "\"") else {
                throw TestFailure("no CSRF field on \(path)")
            }
            return String(html[start..<end])
        }

        func logIn(_ email: String, _ password: String = LoginTests.password) async throws -> TestingHTTPResponse {
            let token = try await csrfToken(on: "/log-ind")
            return try await post("/log-ind", ["email": email, "password": password, "_csrf": token, "naeste": "/redaktion"])
        }
    }

    struct TestFailure: Error, CustomStringConvertible { var description: String; init(_ d: String) { description = d } }

    static func withAccounts(_ backend: TestBackend, _ body: (Application) async throws -> Void) async throws {
        try await withApp(backend, seed: false) { app in
            for (email, role) in [("redaktor@skole.dk", Role.editor), ("admin@skole.dk", .administrator)] {
                _ = try await AccountQueries.create(email: email, password: password, role: role, now: frozenNow, hashing: PasswordHashing(app), on: app.db)
            }
            try await body(app)
        }
    }

    @Test(arguments: TestBackend.all)
    func loginStartsANewSessionAndLogoutEndsIt(backend: TestBackend) async throws {
        try await Self.withAccounts(backend) { app in
            let browser = Browser(app)
            let anonymous = try await browser.get("/redaktion")
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers.first(name: .location) == "/log-ind?naeste=/redaktion")

            let login = try await browser.logIn("Redaktor@Skole.dk")
            #expect(login.status == .seeOther)
            #expect(login.headers.first(name: .location) == "/redaktion")
            let setCookie = login.headers[.setCookie].joined(separator: "\n")
            #expect(setCookie.contains("samspil-session="))
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.lowercased().contains("samesite=lax"))
            #expect(!setCookie.contains("Secure"), "plain HTTP: no Secure flag")
            let firstToken = try #require(browser.cookies["samspil-session"])
            #expect(try await SessionModel.query(on: app.db).first()?.tokenHash == SessionQueries.hash(firstToken))

            let home = try await browser.get("/redaktion")
            #expect(home.status == .ok)
            #expect(home.text.contains("redaktor@skole.dk"))

            // Logging in again (from a form of the logged-in session) gives a new token and ends the old session.
            let sessionToken = try await browser.csrfToken(on: "/redaktion")
            _ = try await browser.post("/log-ind", ["email": "redaktor@skole.dk", "password": Self.password, "_csrf": sessionToken])
            let secondToken = try #require(browser.cookies["samspil-session"])
            #expect(secondToken != firstToken)
            #expect(try await SessionModel.query(on: app.db).count() == 1)

            let token = try await browser.csrfToken(on: "/redaktion")
            let logout = try await browser.post("/log-ud", ["_csrf": token])
            #expect(logout.status == .seeOther)
            #expect(try await SessionModel.query(on: app.db).count() == 0)
            // The old cookie no longer works, even if a browser kept it.
            browser.cookies["samspil-session"] = secondToken
            #expect(try await browser.get("/redaktion").status == .seeOther)
        }
    }

    @Test(arguments: TestBackend.all)
    func wrongPasswordsAreRefusedAndThrottled(backend: TestBackend) async throws {
        try await Self.withAccounts(backend) { app in
            let browser = Browser(app)
            let wrong = try await browser.logIn("redaktor@skole.dk", "forkert adgangskode")
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.text.contains("E-mailadressen eller adgangskoden er forkert."))
            #expect(wrong.text.contains("value=\"redaktor@skole.dk\""), "the address typed is kept")
            #expect(browser.cookies["samspil-session"] == nil)
            // An unknown address gets the same answer.
            #expect(try await browser.logIn("ingen@skole.dk", "forkert adgangskode").text.contains("E-mailadressen eller adgangskoden er forkert."))
            for _ in 0..<4 { _ = try await browser.logIn("redaktor@skole.dk", "forkert adgangskode") }
            // Five failures for the account: even the right password must wait.
            let locked = try await browser.logIn("redaktor@skole.dk")
            #expect(locked.status == .tooManyRequests)
            #expect(Int(locked.headers.first(name: .retryAfter) ?? "") ?? 0 > 0)
            #expect(locked.text.contains("for mange forkerte forsøg"))
            #expect(browser.cookies["samspil-session"] == nil)
            // Another account is not locked by it.
            #expect(try await browser.logIn("admin@skole.dk").status == .seeOther)
        }
    }

    @Test(arguments: TestBackend.all)
    func formsWithoutTheRightTokenOrOriginAreRefused(backend: TestBackend) async throws {
        try await Self.withAccounts(backend) { app in
            let browser = Browser(app)
            let token = try await browser.csrfToken(on: "/log-ind")
            let fields = ["email": "redaktor@skole.dk", "password": Self.password]
            #expect(try await browser.post("/log-ind", fields).status == .forbidden, "no token")
            #expect(try await browser.post("/log-ind", fields.merging(["_csrf": token + "x"]) { $1 }).status == .forbidden, "wrong token")
            #expect(try await browser.post("/log-ind", fields.merging(["_csrf": token]) { $1 }, origin: "https://evil.example").status == .forbidden)
            #expect(try await browser.post("/log-ind", fields.merging(["_csrf": token]) { $1 }, origin: nil).status == .forbidden, "no Origin or Referer")
            #expect(try await SessionModel.query(on: app.db).count() == 0)
            // The token from another browser's cookie does not help either.
            let other = Browser(app)
            _ = try await other.csrfToken(on: "/log-ind")
            browser.cookies["samspil-csrf"] = other.cookies["samspil-csrf"]
            #expect(try await browser.post("/log-ind", fields.merging(["_csrf": token]) { $1 }).status == .forbidden)
            #expect(try await other.post("/log-ind", fields.merging(["_csrf": token]) { $1 }).status == .forbidden)
        }
    }

    @Test(arguments: TestBackend.all)
    func sessionsEndWhenIdleDisabledOrThePasswordChanges(backend: TestBackend) async throws {
        try await Self.withAccounts(backend) { app in
            let browser = Browser(app)
            _ = try await browser.logIn("redaktor@skole.dk")
            #expect(try await browser.get("/redaktion").status == .ok)
            // Idle for longer than the idle timeout (30 minutes by default).
            let session = try #require(try await SessionModel.query(on: app.db).first())
            session.lastSeenAt = frozenNow.addingTimeInterval(-31 * 60)
            try await session.save(on: app.db)
            // Changed behind the app's back, as another process would: this process forgets its copies of sessions
            // (as after any request of its own that is not a GET) rather than waiting out their half second.
            app.samspil.sessionCache.forgetAll()
            #expect(try await browser.get("/redaktion").status == .seeOther)
            #expect(try await SessionModel.query(on: app.db).count() == 0)

            _ = try await browser.logIn("redaktor@skole.dk")
            _ = try await AccountQueries.setPassword(email: "redaktor@skole.dk", password: "en helt anden sætning", now: frozenNow, hashing: PasswordHashing(app), on: app.db)
            app.samspil.sessionCache.forgetAll()
            #expect(try await browser.get("/redaktion").status == .seeOther)

            _ = try await browser.logIn("redaktor@skole.dk", "en helt anden sætning")
            _ = try await AccountQueries.disable(email: "redaktor@skole.dk", now: frozenNow, on: app.db)
            app.samspil.sessionCache.forgetAll()
            #expect(try await browser.get("/redaktion").status == .seeOther)
            #expect(try await browser.logIn("redaktor@skole.dk", "en helt anden sætning").status == .unprocessableEntity)
        }
    }

    /// Two app instances on one database (as two processes): a login made through one is valid on the other,
    /// and a logout through the other ends it for both.
    @Test(arguments: TestBackend.all)
    func sessionsAreSharedByProcesses(backend: TestBackend) async throws {
        try await withApps(backend, count: 2, seed: false) { apps in
            _ = try await AccountQueries.create(email: "redaktor@skole.dk", password: Self.password, role: .editor, now: frozenNow,
                                                hashing: PasswordHashing(apps[0]), on: apps[0].db)
            let first = Browser(apps[0])
            #expect(try await first.logIn("redaktor@skole.dk").status == .seeOther)
            let second = Browser(apps[1])
            second.cookies = first.cookies
            #expect(try await second.get("/redaktion").status == .ok)
            #expect(try await first.get("/redaktion").status == .ok)
            let token = try await second.csrfToken(on: "/redaktion")
            #expect(try await second.post("/log-ud", ["_csrf": token]).status == .seeOther)
            #expect(try await second.get("/redaktion").status == .seeOther, "the process that logged out knows at once")
            // The first process has a copy of the session, trusted for half a second after it read it (SessionCache):
            // the session is over there once that has passed.
            try await Task.sleep(for: .milliseconds(Int64(SessionCache.trustedFor.nanoseconds / 1_000_000) + 100))
            #expect(try await first.get("/redaktion").status == .seeOther)
        }
    }

    /// What was typed comes back escaped.
    @Test func hostileInputIsEscaped() async throws {
        try await Self.withAccounts(.sqlite) { app in
            let browser = Browser(app)
            let token = try await browser.csrfToken(on: "/log-ind")
            let hostile = "\"><script>alert(1)</script>@x.dk"
            let response = try await browser.post("/log-ind", ["email": hostile, "password": "x", "_csrf": token, "naeste": "/\"><script>alert(2)</script>"])
            #expect(response.status == .unprocessableEntity)
            #expect(!response.text.contains("<script>alert"))
            #expect(response.text.contains("&lt;script&gt;alert(1)"))
        }
    }

    @Test func theLoginOnlyRedirectsWithinTheSite() {
        #expect(LoginPage.safeNext("/redaktion?x=1") == "/redaktion?x=1")
        for bad in [nil, "", "https://evil.example", "//evil.example", "/\\evil.example", "redaktion", "/a\u{0}b"] {
            #expect(LoginPage.safeNext(bad) == "/min-side")
        }
    }

    /// Deny by default: every route that can change data refuses visitors who are not logged in. The forms to
    /// log in, log out, make an account and reset a forgotten password are the only state-changing routes open to them, and
    /// those refuse any request without a CSRF token.
    @Test func noWriteRouteIsOpenToAnonymousVisitors() async throws {
        try await Self.withAccounts(.sqlite) { app in
            let openForms: Set<String> = ["/log-ind", "/log-ud", "/glemt-adgangskode", "/nulstil-adgangskode", "/opret-konto"]
            let browser = Browser(app)
            var checked = 0
            for route in app.routes.all where ![.GET, .HEAD, .OPTIONS].contains(route.method) {
                let path = "/" + route.path.map { component -> String in
                    if case .constant(let value) = component { return value }
                    return "eksempel"
                }.joined(separator: "/")
                let response = try await browser.post(path, [:], method: route.method)
                if openForms.contains(path) {
                    #expect(response.status == .forbidden, "\(route.method) \(path) without a CSRF token")
                } else {
                    #expect([.seeOther, .unauthorized].contains(response.status), "\(route.method) \(path) answered \(response.status)")
                    if response.status == .seeOther { #expect(response.headers.first(name: .location)?.hasPrefix("/log-ind") == true) }
                }
                checked += 1
            }
            #expect(checked >= 2)
            // And the editors' pages send anonymous visitors to the login.
            for path in ["/redaktion", "/redaktion/brugere"] {
                #expect(try await browser.get(path).headers.first(name: .location)?.hasPrefix("/log-ind") == true, "\(path)")
            }
        }
    }

    /// Logged in as an administrator, every form still needs its CSRF token (on a real material and theme,
    /// so no route can answer 404 before it checks), and the write API still needs an API token: the
    /// session cookie alone changes nothing.
    @Test func everyFormNeedsItsCSRFTokenEvenWhenLoggedIn() async throws {
        try await withApp(.sqlite) { app in
            _ = try await AccountQueries.create(email: "admin@skole.dk", password: Self.password, role: .administrator, now: frozenNow,
                                                hashing: PasswordHashing(app), on: app.db)
            let admin = Browser(app)
            _ = try await admin.logIn("admin@skole.dk")
            var checked = 0
            for route in app.routes.all where ![.GET, .HEAD, .OPTIONS].contains(route.method) {
                let path = "/" + route.path.map { component -> String in
                    switch component {
                    case .constant(let value): value
                    case .parameter(SitePath.revision): "1"
                    default: "samarbejder-og-partnerskaber"  // a seed material and a seed theme
                    }
                }.joined(separator: "/")
                let response = try await admin.post(path, [:], method: route.method)
                let expected: HTTPStatus = path.hasPrefix("/api/") ? .unauthorized : .forbidden
                #expect(response.status == expected, "\(route.method) \(path) answered \(response.status)")
                checked += 1
            }
            #expect(checked >= 20)
            #expect(try await admin.get("/redaktion").status == .ok, "still logged in")
            #expect(try await MaterialQueries.find(slug: "samarbejder-og-partnerskaber", on: app.db) != nil)
        }
    }

    @Test(arguments: TestBackend.all)
    func theWrongRoleGets403(backend: TestBackend) async throws {
        try await Self.withAccounts(backend) { app in
            let editor = Browser(app)
            _ = try await editor.logIn("redaktor@skole.dk")
            let refused = try await editor.get("/redaktion/brugere")
            #expect(refused.status == .forbidden)
            #expect(refused.text.contains("har ikke adgang"))
            let admin = Browser(app)
            _ = try await admin.logIn("admin@skole.dk")
            let users = try await admin.get("/redaktion/brugere")
            #expect(users.status == .ok)
            #expect(users.text.contains("redaktor@skole.dk") && users.text.contains("Administrator"))
        }
    }
}

/// The per-process copies of sessions (`SessionCache`): used within their half second, never after; emptied by
/// any request of the process that is not a GET; a lookup that began before such a request stores nothing.
@Suite struct SessionCacheTests {
    static func current(_ name: String) -> SessionQueries.Current {
        SessionQueries.Current(
            account: Account(id: UUID(), email: "\(name)@skole.dk", name: name, role: .editor, disabled: false, createdAt: frozenNow),
            sessionID: UUID(), csrfToken: "csrf-\(name)")
    }

    @Test func aCopyIsTrustedForHalfASecondOnly() {
        let cache = SessionCache()
        let readAt = NIODeadline.uptimeNanoseconds(1_000_000_000)
        cache.store(Self.current("a"), tokenHash: "h", readAt: readAt, generation: cache.generation)
        #expect(cache.current(tokenHash: "h", now: readAt + .milliseconds(499))?.account.name == "a")
        #expect(cache.current(tokenHash: "h", now: readAt + .milliseconds(500)) == nil)
        #expect(cache.current(tokenHash: "h", now: readAt + .milliseconds(10)) == nil, "dropped once too old")
        #expect(cache.current(tokenHash: "other", now: readAt) == nil)
    }

    @Test func aWriteOfThisProcessEndsEveryCopyAndLookupsBegunBeforeIt() {
        let cache = SessionCache()
        let now = NIODeadline.now()
        cache.store(Self.current("a"), tokenHash: "a", readAt: now, generation: cache.generation)
        let begun = cache.generation
        cache.forgetAll()
        #expect(cache.current(tokenHash: "a", now: now) == nil)
        cache.store(Self.current("b"), tokenHash: "b", readAt: now, generation: begun)
        #expect(cache.current(tokenHash: "b", now: now) == nil, "read before the write: not stored")
        cache.store(Self.current("b"), tokenHash: "b", readAt: now, generation: cache.generation)
        #expect(cache.current(tokenHash: "b", now: now)?.account.name == "b")
    }

    /// Through the app: a logout (a POST) on this process is seen by the very next request, even right after
    /// the session was copied.
    @Test(arguments: TestBackend.all)
    func aLogoutIsSeenAtOnceByItsOwnProcess(backend: TestBackend) async throws {
        try await LoginTests.withAccounts(backend) { app in
            let browser = LoginTests.Browser(app)
            _ = try await browser.logIn("redaktor@skole.dk")
            let token = try #require(browser.cookies["samspil-session"])
            #expect(try await browser.get("/redaktion").status == .ok)
            #expect(app.samspil.sessionCache.current(tokenHash: SessionQueries.hash(token)) != nil, "the session is copied")
            let csrf = try await browser.csrfToken(on: "/redaktion")
            _ = try await browser.post("/log-ud", ["_csrf": csrf])
            browser.cookies["samspil-session"] = token
            #expect(try await browser.get("/redaktion").status == .seeOther)
        }
    }
}
