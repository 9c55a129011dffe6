import Fluent
import SQLKit

/// When a person showed that their e-mail address is theirs. Accounts from before sign-up existed were all made
/// by an administrator or on the command line, so they count as verified from when they were made.
struct UpdateUserEmailVerified: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UserModel.schema).field("email_verified_at", .datetime).update()
        try await (database as! any SQLDatabase).raw("UPDATE \(ident: UserModel.schema) SET email_verified_at = created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(UserModel.schema).deleteField("email_verified_at").update()
    }
}
