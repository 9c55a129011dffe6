import Fluent

struct CreateNotificationSetting: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(NotificationSettingModel.schema)
            .id()
            .field("user_id", .uuid, .required, .references(UserModel.schema, "id", onDelete: .cascade))
            .field("digest", .bool, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "user_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(NotificationSettingModel.schema).delete()
    }
}
