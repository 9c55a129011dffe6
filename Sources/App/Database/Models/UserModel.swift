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

    init() {}

    func domain() throws -> Account {
        Account(id: try requireID(), email: email, name: name, role: Role(rawValue: role) ?? .editor,
                disabled: disabledAt != nil, createdAt: createdAt)
    }
}
