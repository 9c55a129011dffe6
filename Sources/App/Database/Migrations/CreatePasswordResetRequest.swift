import Fluent

struct CreatePasswordResetRequest: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PasswordResetRequestModel.schema)
            .id()
            .field("requested_at", .datetime, .required)
            .field("email", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PasswordResetRequestModel.schema).delete()
    }
}
