@testable import App
import Foundation
import JWTKit
import NIOConcurrencyHelpers
import Vapor

/// A small OpenID Connect provider for the tests, served over real HTTP on a free port of 127.0.0.1: discovery,
/// an authorization endpoint that answers at once with a code (as if the person had logged in there), a token
/// endpoint that checks the client's secret (client_secret_basic), the redirect address and the PKCE verifier,
/// and its JWKS. Its ID tokens are ES256, signed by the key the JWKS publishes — unless a test spoils them.
final class TestOIDCProvider: Sendable {
    /// What the next ID token gets wrong on purpose.
    enum Spoil: Sendable { case nothing, signature, nonce, expired, audience }

    struct Person: Sendable {
        var subject = "uni-4711"
        var email: String? = "lone@eksempelskolen.example"
        var emailVerified = true
        var name = "Lone Lærer"
        var institutions: [String] = []
    }

    private struct Code: Sendable { var nonce: String; var challenge: String; var redirect: String; var person: Person }

    private struct State: Sendable {
        var spoil = Spoil.nothing
        var person = Person()
        var codes: [String: Code] = [:]
        var tokenRequests = 0
    }

    let app: Application
    let port: Int
    let clientID = "samspil-test"
    let clientSecret = "hemmelig:nøgle"
    private let state = NIOLockedValueBox(State())
    private let key = ES256PrivateKey()
    private let strangerKey = ES256PrivateKey()
    /// Tokens are issued at this time (the tests' frozen clock).
    private let now: Date

    var issuer: String { "http://127.0.0.1:\(port)" }

    var provider: SignOnProvider {
        SignOnProvider(id: "test", label: "Test-login", issuer: issuer, clientID: clientID, clientSecret: clientSecret,
                       institutionClaim: "institutions")
    }

    var tokenRequests: Int { state.withLockedValue { $0.tokenRequests } }

    func spoil(_ spoil: Spoil) { state.withLockedValue { $0.spoil = spoil } }
    func login(as person: Person) { state.withLockedValue { $0.person = person } }

    private init(app: Application, port: Int, now: Date) {
        self.app = app
        self.port = port
        self.now = now
    }

    static func start(now: Date = frozenNow) async throws -> TestOIDCProvider {
        let app = try await Application.make(.testing)
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = 0
        app.logger.logLevel = .warning
        let box = NIOLockedValueBox<TestOIDCProvider?>(nil)
        func provider() throws -> TestOIDCProvider {
            guard let provider = box.withLockedValue({ $0 }) else { throw Abort(.serviceUnavailable) }
            return provider
        }
        app.get(".well-known", "openid-configuration") { _ in
            let provider = try provider()
            let issuer = provider.issuer
            return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(string: """
                {"issuer":"\(issuer)","authorization_endpoint":"\(issuer)/authorize","token_endpoint":"\(issuer)/token",\
                "jwks_uri":"\(issuer)/jwks","response_types_supported":["code"],"subject_types_supported":["public"],\
                "id_token_signing_alg_values_supported":["ES256"]}
                """))
        }
        app.get("jwks") { _ in try provider().jwks() }
        app.get("authorize") { req in try provider().authorize(req) }
        app.post("token") { req in try await provider().token(req) }
        try await app.server.start(address: nil)
        guard let port = app.http.server.shared.localAddress?.port else { throw Abort(.internalServerError, reason: "no port") }
        let started = TestOIDCProvider(app: app, port: port, now: now)
        box.withLockedValue { $0 = started }
        return started
    }

    func shutdown() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }

    private func jwks() throws -> Response {
        guard let parameters = key.publicKey.parameters else { throw Abort(.internalServerError) }
        return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(string: """
            {"keys":[{"kty":"EC","crv":"P-256","alg":"ES256","use":"sig","kid":"k1","x":"\(parameters.x)","y":"\(parameters.y)"}]}
            """))
    }

    /// Checks what a client must send and answers with a code at the redirect address.
    private func authorize(_ req: Request) throws -> Response {
        let query = try req.query.decode([String: String].self)
        guard query["response_type"] == "code", query["client_id"] == clientID, query["code_challenge_method"] == "S256",
              let redirect = query["redirect_uri"], let state = query["state"], let nonce = query["nonce"],
              let challenge = query["code_challenge"], query["scope"]?.split(separator: " ").contains("openid") == true else {
            throw Abort(.badRequest, reason: "incomplete authorization request")
        }
        let code = OpenIDConnect.randomValue()
        self.state.withLockedValue { $0.codes[code] = Code(nonce: nonce, challenge: challenge, redirect: redirect, person: $0.person) }
        return Response(status: .seeOther, headers: ["Location": redirect + "?code=\(code)&state=\(state)"])
    }

    private func token(_ req: Request) async throws -> Response {
        struct Form: Content { var grant_type: String; var code: String; var redirect_uri: String; var code_verifier: String }
        let form = try req.content.decode(Form.self)
        // The client's id and secret, form-encoded inside Basic (RFC 6749 2.3.1).
        guard let basic = req.headers.basicAuthorization, basic.username.removingPercentEncoding == clientID,
              basic.password.removingPercentEncoding == clientSecret else { throw Abort(.unauthorized) }
        let (code, spoil) = state.withLockedValue { state -> (Code?, Spoil) in
            state.tokenRequests += 1
            return (state.codes.removeValue(forKey: form.code), state.spoil)
        }
        guard form.grant_type == "authorization_code", let code, code.redirect == form.redirect_uri,
              OpenIDConnect.challenge(of: form.code_verifier) == code.challenge else { throw Abort(.badRequest, reason: "invalid_grant") }
        struct Claims: JWTPayload {
            var iss: IssuerClaim
            var sub: SubjectClaim
            var aud: AudienceClaim
            var exp: ExpirationClaim
            var iat: IssuedAtClaim
            var nonce: String
            var email: String?
            var email_verified: Bool
            var name: String
            var institutions: [String]
            func verify(using algorithm: some JWTAlgorithm) async throws {}
        }
        let person = code.person
        let claims = Claims(
            iss: IssuerClaim(value: issuer), sub: SubjectClaim(value: person.subject),
            aud: AudienceClaim(value: [spoil == .audience ? "another-client" : clientID]),
            exp: ExpirationClaim(value: now.addingTimeInterval(spoil == .expired ? -600 : 300)), iat: IssuedAtClaim(value: now.addingTimeInterval(-5)),
            nonce: spoil == .nonce ? "a-nonce-of-another-login" : code.nonce, email: person.email, email_verified: person.emailVerified,
            name: person.name, institutions: person.institutions)
        let keys = JWTKeyCollection()
        // A wrong signature: the same key id as the JWKS names, another key.
        await keys.add(ecdsa: spoil == .signature ? strangerKey : key, kid: "k1")
        let idToken = try await keys.sign(claims, kid: "k1")
        return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(string: """
            {"access_token":"not-used","token_type":"Bearer","expires_in":300,"id_token":"\(idToken)"}
            """))
    }
}
