import Fluent
import Foundation

/// A login through an OpenID Connect provider under way: what the answer must match. Made when the person
/// leaves for the provider, taken (deleted) exactly once when they come back, so a `state` cannot be used twice
/// on any process. Holds nothing about a person: the login has not happened yet.
final class SignOnAttemptModel: Model, @unchecked Sendable {
    static let schema = "sign_on_attempts"

    // MARK: managed
    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date

    // MARK: data
    /// SHA-256 of the `state` sent to the provider (the state itself is only in the browser's cookie and the URL).
    @Field(key: "state_hash") var stateHash: String
    /// The provider's id from the settings.
    @Field(key: "provider") var provider: String
    @Field(key: "nonce") var nonce: String
    /// The PKCE code verifier, sent with the code to the token endpoint.
    @Field(key: "code_verifier") var codeVerifier: String
    /// Where to go after logging in (a path of this site).
    @Field(key: "next") var next: String

    init() {}
}

/// An account's identity at an OpenID Connect provider (`iss` as configured and `sub`): how a later login with
/// that provider finds the account again, whatever the e-mail address says then.
final class SignOnIdentityModel: Model, @unchecked Sendable {
    static let schema = "sign_on_identities"

    // MARK: managed
    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "last_used_at") var lastUsedAt: Date

    // MARK: data
    @Field(key: "provider") var provider: String
    @Field(key: "subject") var subject: String

    // MARK: relationships
    @Parent(key: "user_id") var user: UserModel

    init() {}
}
