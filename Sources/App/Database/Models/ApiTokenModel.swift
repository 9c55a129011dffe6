import Fluent
import Foundation

/// A personal API token for the write API. The holder keeps the token; the database only its SHA-256
/// (the token is 256 random bits, so a fast hash is enough) and its first characters, to recognise it by.
final class ApiTokenModel: Model, @unchecked Sendable {
    static let schema = "api_tokens"

    // MARK: managed
    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?

    // MARK: data
    /// What the holder called it ("Import fra regneark").
    @Field(key: "name") var name: String
    @Field(key: "token_hash") var tokenHash: String
    /// The token's first characters, shown in lists.
    @Field(key: "prefix") var prefix: String

    // MARK: relationships
    @Parent(key: "user_id") var user: UserModel

    init() {}
}
