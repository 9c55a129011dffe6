import Fluent
import Foundation
import SamspilCore

/// An account. The password is kept only as a bcrypt hash.
final class UserModel: Model, @unchecked Sendable {
    static let schema = "users"

    // MARK: managed
    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    // MARK: data
    /// Normalised (`EmailAddress.normalise`); unique.
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "role") var role: String
    @OptionalField(key: "disabled_at") var disabledAt: Date?
    @Field(key: "password_changed_at") var passwordChangedAt: Date
    /// When the person showed the address is theirs (`UpdateUserEmailVerified`); nil until then.
    @OptionalField(key: "email_verified_at") var emailVerifiedAt: Date?

    init() {}

    func domain() throws -> Account {
        Account(id: try requireID(), email: email, name: name, role: Role(rawValue: role) ?? .member,
                disabled: disabledAt != nil, createdAt: createdAt, emailVerified: emailVerifiedAt != nil)
    }
}

/// A link that proves a person's e-mail address: sent at sign-up (and again on request), single-use, valid
/// three days.
final class EmailVerificationModel: Model, @unchecked Sendable {
    static let schema = "email_verifications"

    // MARK: managed
    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date

    // MARK: data
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?

    // MARK: relationships
    @Parent(key: "user_id") var user: UserModel

    init() {}
}
