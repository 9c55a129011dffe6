import Fluent
import SQLKit

struct CreateLoginFailure: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LoginFailureModel.schema)
            .id()
            .field("at", .datetime, .required)
            .field("key", .string, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "login_failures_key_at_idx")
            .on(LoginFailureModel.schema).column("key").column("at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LoginFailureModel.schema).delete()
    }
}
