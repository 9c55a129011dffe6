import Crypto
import Foundation
import JWTKit
import NIOCore
import Vapor

/// The provider's side of an OpenID Connect login (authorization code flow with PKCE): its discovery document,
/// the token request, and the ID token's signature (against the provider's JWKS, with `vapor/jwt-kit`) and claims.
/// Each failure is a `SignOnFailure` with the Danish words the person is shown.
enum OpenIDConnect {
    /// What can go wrong, each with what the person reads on the login page.
    enum SignOnFailure: Error, Equatable {
        case unknownProvider
        case attemptUnknown
        case providerRefused(String)
        case providerUnreachable
        case badSignature
        case wrongIssuerOrAudience
        case expired
        case wrongNonce
        case noEmail
        case emailTaken
        case disabled

        func message(provider label: String) -> String {
            switch self {
            case .unknownProvider: "Samspil kender ikke den login-udbyder."
            case .attemptUnknown:
                "Login-forsøget er udløbet eller allerede brugt. Start forfra ved at vælge \(label) igen."
            case .providerRefused(let reason): "\(label) afbrød login (\(reason)). Prøv igen, eller log ind med adgangskode."
            case .providerUnreachable: "Samspil kunne ikke tale med \(label). Prøv igen om lidt."
            case .badSignature: "Svaret fra \(label) kunne ikke bekræftes: signaturen passer ikke. Du er ikke logget ind."
            case .wrongIssuerOrAudience: "Svaret fra \(label) var ikke udstedt til Samspil. Du er ikke logget ind."
            case .expired: "Svaret fra \(label) er udløbet. Start forfra ved at vælge \(label) igen."
            case .wrongNonce: "Svaret fra \(label) hører ikke til dette login-forsøg. Du er ikke logget ind."
            case .noEmail: "\(label) oplyste ingen e-mailadresse, og uden den kan Samspil ikke oprette en konto til dig."
            case .emailTaken:
                "Der findes allerede en konto med din e-mailadresse, men \(label) har ikke bekræftet adressen. Log ind med din adgangskode."
            case .disabled: "Kontoen er spærret. Kontakt Samspils administratorer."
            }
        }
    }

    /// The parts of the discovery document a login uses.
    struct Metadata: Decodable, Sendable {
        let issuer: String
        let authorization_endpoint: String
        let token_endpoint: String
        let jwks_uri: String
    }

    /// The verified identity of an ID token.
    struct Identity: Sendable, Equatable {
        var subject: String
        var email: String?
        var emailVerified: Bool
        var name: String?
        /// Six-digit institution numbers from the provider's institution claim.
        var institutionNumbers: [String]
    }

    /// The claims of an ID token that Samspil reads. Checked after the signature by `identity(…)`, against the
    /// app's clock, not here.
    struct IDTokenClaims: JWTPayload {
        let iss: IssuerClaim
        let sub: SubjectClaim
        let aud: AudienceClaim
        let exp: ExpirationClaim
        let iat: IssuedAtClaim?
        let azp: String?
        let nonce: String?
        let email: String?
        let email_verified: BoolClaim?
        let name: String?

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// A claim's value as providers write institution numbers: one string, several in one string, or an array.
    enum ClaimValue: Decodable {
        case strings([String])
        case other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .strings(text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init))
            } else if let list = try? container.decode([String].self) {
                self = .strings(list)
            } else {
                self = .other
            }
        }
    }

    /// Discovery documents and key sets by issuer, kept an hour; a key set is fetched again (once per token) when
    /// a token names a key it does not hold, so a provider can roll its keys.
    actor Cache {
        private var metadata: [String: (value: Metadata, fetched: Date)] = [:]
        private var keys: [String: (value: JWTKeyCollection, fetched: Date)] = [:]
        static let lifetime: TimeInterval = 3_600

        func metadata(_ provider: SignOnProvider, client: any Client) async throws(SignOnFailure) -> Metadata {
            if let known = metadata[provider.issuer], Date().timeIntervalSince(known.fetched) < Self.lifetime { return known.value }
            let fetched: Metadata = try await OpenIDConnect.get(provider.issuer + "/.well-known/openid-configuration", client: client)
            // The document must be the issuer's own (OpenID Connect Discovery 1.0, 4.3).
            guard fetched.issuer.trimmingSuffix("/") == provider.issuer else { throw .wrongIssuerOrAudience }
            metadata[provider.issuer] = (fetched, Date())
            return fetched
        }

        func keys(_ provider: SignOnProvider, metadata: Metadata, refresh: Bool, client: any Client) async throws(SignOnFailure) -> JWTKeyCollection {
            if !refresh, let known = keys[provider.issuer], Date().timeIntervalSince(known.fetched) < Self.lifetime { return known.value }
            let set: JWKS = try await OpenIDConnect.get(metadata.jwks_uri, client: client)
            let collection = JWTKeyCollection()
            do { _ = try await collection.add(jwks: set) } catch { throw .providerUnreachable }
            keys[provider.issuer] = (collection, Date())
            return collection
        }
    }

    private static func get<T: Decodable>(_ url: String, client: any Client) async throws(SignOnFailure) -> T {
        do {
            let response = try await client.get(URI(string: url)) { $0.timeout = providerTimeout }
            guard response.status == .ok else { throw SignOnFailure.providerUnreachable }
            return try response.content.decode(T.self, using: JSONDecoder())
        } catch {
            throw .providerUnreachable
        }
    }

    /// How long a person waits for a provider that does not answer before being told so.
    static let providerTimeout = TimeAmount.seconds(5)

    // MARK: the flow

    /// Random text for `state`, `nonce` and the PKCE verifier: 32 random bytes, base64url (43 characters).
    static func randomValue() -> String {
        base64URL(Data((0..<32).map { _ in UInt8.random(in: .min ... .max) }))
    }

    /// The PKCE challenge of a verifier (S256).
    static func challenge(of verifier: String) -> String {
        base64URL(Data(SHA256.hash(data: Data(verifier.utf8))))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Where the provider sends the person back.
    static func redirectURI(_ provider: SignOnProvider, publicURL: String) -> String {
        publicURL + SitePath.account(.signOnCallback(provider.id)).href
    }

    /// The provider's authorization address for one attempt.
    static func authorizationURL(
        _ provider: SignOnProvider, metadata: Metadata, state: String, nonce: String, verifier: String, publicURL: String
    ) -> String {
        let query = [
            ("response_type", "code"), ("client_id", provider.clientID), ("redirect_uri", redirectURI(provider, publicURL: publicURL)),
            ("scope", provider.scopes), ("state", state), ("nonce", nonce), ("code_challenge", challenge(of: verifier)),
            ("code_challenge_method", "S256"),
        ].map { "\($0)=\(PercentEncoding.formValue($1))" }.joined(separator: "&")
        return metadata.authorization_endpoint + (metadata.authorization_endpoint.contains("?") ? "&" : "?") + query
    }

    /// Exchanges the code for tokens (client_secret_basic) and returns the verified identity of the ID token.
    static func identity(
        code: String, verifier: String, nonce: String, provider: SignOnProvider, cache: Cache, client: any Client, publicURL: String, now: Date
    ) async throws(SignOnFailure) -> Identity {
        let metadata = try await cache.metadata(provider, client: client)
        struct TokenResponse: Decodable { let id_token: String? }
        let idToken: String
        do {
            var headers = HTTPHeaders()
            headers.basicAuthorization = BasicAuthorization(username: PercentEncoding.formValue(provider.clientID), password: PercentEncoding.formValue(provider.clientSecret))
            headers.contentType = .urlEncodedForm
            headers.replaceOrAdd(name: .accept, value: "application/json")
            let body = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI(provider, publicURL: publicURL)),
                        ("code_verifier", verifier)].map { "\($0)=\(PercentEncoding.formValue($1))" }.joined(separator: "&")
            let response = try await client.post(URI(string: metadata.token_endpoint), headers: headers) {
                $0.body = ByteBuffer(string: body)
                $0.timeout = providerTimeout
            }
            guard response.status == .ok, let token = try response.content.decode(TokenResponse.self, using: JSONDecoder()).id_token else {
                throw SignOnFailure.providerUnreachable
            }
            idToken = token
        } catch {
            throw .providerUnreachable
        }
        return try await verify(idToken, nonce: nonce, provider: provider, metadata: metadata, cache: cache, client: client, now: now)
    }

    /// Checks the ID token: signature against the provider's keys, then issuer, audience (and `azp` when there
    /// are several), expiry and issue time against `now` (a minute's leeway for clocks), and the nonce.
    static func verify(
        _ idToken: String, nonce: String, provider: SignOnProvider, metadata: Metadata, cache: Cache, client: any Client, now: Date
    ) async throws(SignOnFailure) -> Identity {
        var claims: IDTokenClaims?
        for refresh in [false, true] {
            let keys = try await cache.keys(provider, metadata: metadata, refresh: refresh, client: client)
            do {
                claims = try await keys.verify(idToken, as: IDTokenClaims.self)
                break
            } catch let error as JWTError where error.errorType == .unknownKID && !refresh {
                continue
            } catch {
                throw .badSignature
            }
        }
        guard let claims else { throw .badSignature }
        guard claims.iss.value.trimmingSuffix("/") == provider.issuer, claims.aud.value.contains(provider.clientID),
              claims.aud.value.count == 1 || claims.azp == provider.clientID else { throw .wrongIssuerOrAudience }
        let leeway: TimeInterval = 60
        guard claims.exp.value.addingTimeInterval(leeway) > now else { throw .expired }
        if let issued = claims.iat?.value, issued > now.addingTimeInterval(leeway) { throw .expired }
        guard let sent = claims.nonce, sent == nonce else { throw .wrongNonce }
        var institutions: [String] = []
        if let name = provider.institutionClaim, let payload = payloadData(idToken),
           let all = try? JSONDecoder().decode([String: ClaimValue].self, from: payload), case .strings(let values)? = all[name] {
            institutions = values.filter { $0.count == 6 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
        }
        return Identity(subject: claims.sub.value, email: claims.email, emailVerified: claims.email_verified?.value ?? false,
                        name: claims.name, institutionNumbers: institutions)
    }

    /// The decoded payload part of a (verified) token.
    private static func payloadData(_ token: String) -> Data? {
        let parts = token.split(separator: ".")
        guard parts.count == 3 else { return nil }
        var text = String(parts[1]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        return Data(base64Encoded: text)
    }
}
