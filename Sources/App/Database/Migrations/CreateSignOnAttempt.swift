import Fluent

struct CreateSignOnAttempt: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SignOnAttemptModel.schema)
            .id()
            .field("created_at", .datetime, .required)
            .field("state_hash", .string, .required)
            .field("provider", .string, .required)
            .field("nonce", .string, .required)
            .field("code_verifier", .string, .required)
            .field("next", .string, .required)
            .unique(on: "state_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SignOnAttemptModel.schema).delete()
    }
}
