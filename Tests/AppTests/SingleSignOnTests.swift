@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing
import Vapor
import VaporTesting

/// Single sign-on end to end against a real OpenID Connect provider the tests start (`TestOIDCProvider`, over
/// HTTP on a free port): the login page's button, the provider's round trip with state, nonce and PKCE, the ID
/// token's signature checked against the provider's JWKS, and every way an answer is refused.
@Suite(.serialized) struct SingleSignOnTests {
    typealias Browser = LoginTests.Browser

    /// Runs `body` with a provider and an app configured with it.
    static func withProvider(_ backend: TestBackend = .sqlite, _ body: (Application, TestOIDCProvider) async throws -> Void) async throws {
        let provider = try await TestOIDCProvider.start()
        do {
            try await withApp(backend, settings: { $0.signOnProviders = [provider.provider] }) { app in try await body(app, provider) }
        } catch {
            try await provider.shutdown()
            throw error
        }
        try await provider.shutdown()
    }

    /// Follows the login as a browser would: the button, the provider (which answers at once), and back. Returns
    /// the app's answer to the provider's redirect, and that redirect's path and query.
    static func logIn(_ browser: Browser, provider: TestOIDCProvider, next: String? = nil) async throws -> (TestingHTTPResponse, String) {
        let path = try await providerAnswer(browser, provider: provider, next: next)
        return (try await browser.get(path), path)
    }

    /// The button and the provider's round trip, up to the address the provider sends the browser back to.
    static func providerAnswer(_ browser: Browser, provider: TestOIDCProvider, next: String? = nil) async throws -> String {
        let start = try await browser.get("/log-ind/sso/test" + (next.map { "?naeste=" + PercentEncoding.queryValue($0) } ?? ""))
        #expect(start.status == .seeOther)
        let authorize = try #require(start.headers.first(name: .location))
        #expect(authorize.hasPrefix(provider.issuer + "/authorize?"))
        for part in ["response_type=code", "client_id=samspil-test", "code_challenge_method=S256", "scope=openid%20email%20profile",
                     "redirect_uri=http%3A%2F%2Fsamspil.test%2Flog-ind%2Fsso%2Ftest%2Fsvar"] {
            #expect(authorize.contains(part), "\(part)")
        }
        let answer = try await provider.app.get(String(authorize.dropFirst(provider.issuer.count)))
        #expect(answer.status == .seeOther, "\(answer.text)")
        let back = try #require(answer.headers.first(name: .location))
        #expect(back.hasPrefix("http://samspil.test/log-ind/sso/test/svar?"))
        return String(back.dropFirst("http://samspil.test".count))
    }

    @Test(arguments: TestBackend.all)
    func aFirstLoginMakesAnAccountAndALaterOneFindsIt(backend: TestBackend) async throws {
        try await Self.withProvider(backend) { app, provider in
            let loginPage = try await app.get("/log-ind?naeste=/organisationer")
            #expect(loginPage.text.contains("href=\"/log-ind/sso/test?naeste=/organisationer\" class=\"button\">Test-login</a>"))

            let browser = Browser(app)
            let (answer, _) = try await Self.logIn(browser, provider: provider, next: "/organisationer")
            #expect(answer.status == .seeOther)
            #expect(answer.headers.first(name: .location) == "/organisationer", "on to where the person was going")
            let mine = try await browser.get("/min-side")
            #expect(mine.status == .ok && mine.text.contains("Lone Lærer") && mine.text.contains("lone@eksempelskolen.example"))
            let account = try #require(try await AccountQueries.find(email: "lone@eksempelskolen.example", on: app.db))
            #expect(account.emailVerifiedAt != nil && account.role == Role.member.rawValue, "the provider vouched for the address")
            #expect(try await SignOnIdentityModel.query(on: app.db).count() == 1)

            // Later, with another address at the provider: the identity finds the same account.
            var moved = TestOIDCProvider.Person()
            moved.email = "lone@ny-skole.example"
            provider.login(as: moved)
            let again = Browser(app)
            #expect(try await Self.logIn(again, provider: provider).0.status == .seeOther)
            #expect(try await again.get("/min-side").text.contains("lone@eksempelskolen.example"))
            #expect(try await UserModel.query(on: app.db).filter(\.$email == "lone@ny-skole.example").count() == 0)
        }
    }

    @Test func aVerifiedAddressLinksTheExistingAccountAndAnUnverifiedOneIsRefused() async throws {
        try await Self.withProvider { app, provider in
            _ = try await AccountQueries.create(email: "lone@eksempelskolen.example", name: "Lone", password: SignUpTests.password, role: .editor,
                                                now: frozenNow, hashing: PasswordHashing(app), verified: false, on: app.db)
            var unverified = TestOIDCProvider.Person()
            unverified.emailVerified = false
            provider.login(as: unverified)
            let refused = try await Self.logIn(Browser(app), provider: provider).0
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains("Der findes allerede en konto med din e-mailadresse, men Test-login har ikke bekræftet adressen."))
            #expect(try await SignOnIdentityModel.query(on: app.db).count() == 0)

            provider.login(as: TestOIDCProvider.Person())
            let browser = Browser(app)
            #expect(try await Self.logIn(browser, provider: provider).0.status == .seeOther)
            #expect(try await browser.get("/redaktion").status == .ok, "the existing account, with its role")
            let account = try #require(try await AccountQueries.find(email: "lone@eksempelskolen.example", on: app.db))
            #expect(account.emailVerifiedAt != nil, "now confirmed")
        }
    }

    /// Each broken answer is refused with its Danish message, nobody is logged in, and no account is made.
    @Test(arguments: [
        (TestOIDCProvider.Spoil.signature, "signaturen passer ikke"),
        (.nonce, "hører ikke til dette login-forsøg"),
        (.expired, "er udløbet"),
        (.audience, "var ikke udstedt til Samspil"),
    ])
    func brokenTokensAreRefused(spoil: TestOIDCProvider.Spoil, message: String) async throws {
        try await Self.withProvider { app, provider in
            provider.spoil(spoil)
            let browser = Browser(app)
            let (answer, _) = try await Self.logIn(browser, provider: provider)
            #expect(answer.status == .badRequest)
            #expect(answer.text.contains(message), "\(spoil)")
            #expect(answer.text.contains("<title>Fejl: Log ind – Samspil</title>"))
            #expect(try await browser.get("/min-side").status == .seeOther, "not logged in")
            #expect(try await UserModel.query(on: app.db).filter(\.$email == "lone@eksempelskolen.example").count() == 0)
        }
    }

    /// The provider's answer arriving twice at once (a double click, two tabs, two processes): one login, one
    /// account, one identity; the other is refused.
    @Test(arguments: TestBackend.all)
    func aStateSentTwiceAtOnceLogsInOnce(backend: TestBackend) async throws {
        try await Self.withProvider(backend) { app, provider in
            let first = Browser(app)
            let path = try await Self.providerAnswer(first, provider: provider)
            let second = Browser(app)
            second.cookies = first.cookies
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for browser in [first, second] { group.addTask { try await browser.get(path).status } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .seeOther }.count == 1 && statuses.filter { $0 == .badRequest }.count == 1, "\(statuses)")
            #expect(provider.tokenRequests == 1, "the provider is asked once")
            #expect(try await UserModel.query(on: app.db).filter(\.$email == "lone@eksempelskolen.example").count() == 1)
            #expect(try await SignOnIdentityModel.query(on: app.db).count() == 1)
        }
    }

    @Test func aStateIsUsedOnceAndOnlyByTheBrowserThatLeft() async throws {
        try await Self.withProvider { app, provider in
            let browser = Browser(app)
            let (answer, path) = try await Self.logIn(browser, provider: provider)
            #expect(answer.status == .seeOther)
            // The same answer again (a replay, or the back button): refused, and the provider is not asked again.
            let requests = provider.tokenRequests
            let replayed = try await browser.get(path)
            #expect(replayed.status == .badRequest)
            #expect(replayed.text.contains("Login-forsøget er udløbet eller allerede brugt."))
            #expect(provider.tokenRequests == requests)

            // An answer taken to another browser (a login forced on someone): refused, and the attempt is spent.
            let leaving = Browser(app)
            let start = try await leaving.get("/log-ind/sso/test")
            let authorize = try #require(start.headers.first(name: .location))
            let answerURL = try #require(try await provider.app.get(String(authorize.dropFirst(provider.issuer.count)))
                .headers.first(name: .location))
            let victim = Browser(app)
            let forced = try await victim.get(String(answerURL.dropFirst("http://samspil.test".count)))
            #expect(forced.status == .badRequest && forced.text.contains("Login-forsøget er udløbet eller allerede brugt."))
            #expect(try await victim.get("/min-side").status == .seeOther)
            // Unknown provider, missing state, and the provider's own refusal.
            #expect(try await browser.get("/log-ind/sso/ukendt").status == .notFound)
            #expect(try await Browser(app).get("/log-ind/sso/test/svar?code=x").status == .badRequest)
            let cancelled = try await Browser(app).get("/log-ind/sso/test/svar?error=access_denied&error_description=Brugeren+afbr%C3%B8d")
            #expect(cancelled.status == .badRequest && cancelled.text.contains("Test-login afbrød login (Brugeren afbrød)."))
        }
    }

    @Test(arguments: TestBackend.all)
    func institutionNumbersProposeMembershipsOfTheirSchools(backend: TestBackend) async throws {
        try await Self.withProvider(backend) { app, provider in
            _ = try await loadDemoOrganisations(on: app)
            var teacher = TestOIDCProvider.Person()
            teacher.institutions = ["999001", "999002", "123456"]
            provider.login(as: teacher)
            let browser = Browser(app)
            let (answer, _) = try await Self.logIn(browser, provider: provider)
            #expect(answer.headers.first(name: .location) == "/min-side?besked=foreslaaet")
            let requests = try await JoinRequestModel.query(on: app.db).with(\.$organisation).all()
            #expect(Set(requests.map(\.organisation.slug)) == ["eksempelskolen", "demo-friskole"], "schools the directory has; 123456 is none")
            #expect(requests.allSatisfy { $0.role == OrganisationRole.teacher.rawValue && $0.outcome == nil }, "proposed, not granted")
            #expect(try await MembershipModel.query(on: app.db).count() == 0)
            // A second login proposes nothing new.
            #expect(try await Self.logIn(Browser(app), provider: provider).0.headers.first(name: .location) == "/min-side")
            #expect(try await JoinRequestModel.query(on: app.db).count() == 2)
        }
    }

    @Test func settingsNameEachProvider() throws {
        let environment = [
            "SAMSPIL_OIDC_PROVIDERS": "unilogin, mitid-erhverv",
            "SAMSPIL_OIDC_UNILOGIN_ISSUER": "https://broker.unilogin.dk/auth/realms/broker/",
            "SAMSPIL_OIDC_UNILOGIN_CLIENT_ID": "samspil", "SAMSPIL_OIDC_UNILOGIN_CLIENT_SECRET": "s1",
            "SAMSPIL_OIDC_UNILOGIN_LABEL": "UNI-Login", "SAMSPIL_OIDC_UNILOGIN_INSTITUTION_CLAIM": "institution_ids",
            "SAMSPIL_OIDC_MITID_ERHVERV_ISSUER": "https://mitid.example", "SAMSPIL_OIDC_MITID_ERHVERV_CLIENT_ID": "c",
            "SAMSPIL_OIDC_MITID_ERHVERV_CLIENT_SECRET": "s2",
        ]
        let providers = try AppSettings.fromEnvironment(environment).signOnProviders
        #expect(providers.map(\.id) == ["unilogin", "mitid-erhverv"])
        #expect(providers[0].issuer == "https://broker.unilogin.dk/auth/realms/broker" && providers[0].label == "UNI-Login")
        #expect(providers[0].institutionClaim == "institution_ids" && providers[1].scopes == "openid email profile")
        var plain = environment
        plain["SAMSPIL_OIDC_MITID_ERHVERV_ISSUER"] = "http://mitid.example"
        #expect(throws: (any Error).self, "http only on this machine") { try AppSettings.fromEnvironment(plain) }
        var missing = environment
        missing["SAMSPIL_OIDC_UNILOGIN_CLIENT_SECRET"] = nil
        #expect(throws: (any Error).self) { try AppSettings.fromEnvironment(missing) }
        #expect(try AppSettings.fromEnvironment([:]).signOnProviders.isEmpty)
    }
}
