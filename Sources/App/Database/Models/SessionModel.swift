import Fluent
import Foundation

/// A login. The browser holds a random token; the database only its SHA-256, so a copy of the database
/// does not let anyone log in. Stored in the database, so every app process knows every session.
final class SessionModel: Model, @unchecked Sendable {
    static let schema = "sessions"

    // MARK: managed
    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "last_seen_at") var lastSeenAt: Date

    // MARK: data
    @Field(key: "token_hash") var tokenHash: String
    /// The token every form of this session must send back (CSRF).
    @Field(key: "csrf_token") var csrfToken: String

    // MARK: relationships
    @Parent(key: "user_id") var user: UserModel

    init() {}
}

/// A failed login, counted per account and per address for throttling; kept in the database so all
/// processes count together.
final class LoginFailureModel: Model, @unchecked Sendable {
    static let schema = "login_failures"

    // MARK: managed
    @ID(key: .id) var id: UUID?
    @Field(key: "at") var at: Date

    // MARK: data
    /// "account:<e-mail>" or "address:<IP address>".
    @Field(key: "key") var key: String

    init() {}

    init(key: String, at: Date) {
        self.id = UUID()
        self.key = key
        self.at = at
    }
}
