import Fluent

struct CreateEmailVerification: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(EmailVerificationModel.schema)
            .id()
            .field("created_at", .datetime, .required)
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .field("user_id", .uuid, .required, .references(UserModel.schema, "id", onDelete: .cascade))
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(EmailVerificationModel.schema).delete()
    }
}
