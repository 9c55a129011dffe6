import Fluent

struct CreateSignOnIdentity: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SignOnIdentityModel.schema)
            .id()
            .field("created_at", .datetime, .required)
            .field("last_used_at", .datetime, .required)
            .field("provider", .string, .required)
            .field("subject", .string, .required)
            .field("user_id", .uuid, .required, .references(UserModel.schema, "id", onDelete: .cascade))
            .unique(on: "provider", "subject")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SignOnIdentityModel.schema).delete()
    }
}
