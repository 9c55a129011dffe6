import Fluent

struct CreateApiToken: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ApiTokenModel.schema)
            .id()
            .field("created_at", .datetime, .required)
            .field("last_used_at", .datetime)
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("prefix", .string, .required)
            .field("user_id", .uuid, .required, .references(UserModel.schema, "id", onDelete: .cascade))
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ApiTokenModel.schema).delete()
    }
}
