import Fluent
import SQLKit

struct CreatePendingNotification: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PendingNotificationModel.schema)
            .id()
            .field("created_at", .datetime, .required)
            .field("user_id", .uuid, .required, .references(UserModel.schema, "id", onDelete: .cascade))
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "pending_notifications_user_idx").on(PendingNotificationModel.schema)
            .column("user_id").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PendingNotificationModel.schema).delete()
    }
}
