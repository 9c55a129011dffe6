import Fluent

struct CreateCalendarFeed: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CalendarFeedModel.schema)
            .id()
            .field("created_at", .datetime, .required)
            .field("user_id", .uuid, .required, .references(UserModel.schema, "id", onDelete: .cascade))
            .field("scope", .string, .required)
            .field("token_hash", .string, .required)
            .unique(on: "token_hash")
            .unique(on: "user_id", "scope")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CalendarFeedModel.schema).delete()
    }
}
