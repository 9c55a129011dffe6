import Fluent

struct CreateWorksheetAnswerEvent: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(WorksheetAnswerEventModel.schema)
            .id()
            .field("worksheet_id", .uuid, .required, .references(WorksheetModel.schema, "id", onDelete: .cascade))
            .field("item_id", .string, .required)
            .field("revision", .int, .required)
            .field("answer", .string, .required)
            .field("at", .datetime, .required)
            .field("user_id", .uuid, .references(UserModel.schema, "id", onDelete: .setNull))
            .field("author_name", .string, .required)
            // Also the history's index: an item's saves in order.
            .unique(on: "worksheet_id", "item_id", "revision")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WorksheetAnswerEventModel.schema).delete()
    }
}
