import Fluent

struct CreateWorksheetAnswer: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(WorksheetAnswerModel.schema)
            .id()
            .field("worksheet_id", .uuid, .required, .references(WorksheetModel.schema, "id", onDelete: .cascade))
            .field("item_id", .string, .required)
            .field("answer", .string, .required)
            .field("revision", .int, .required)
            .field("updated_at", .datetime, .required)
            // The owners' answers outlive the person who gave them; a deleted person's name is blanked.
            .field("user_id", .uuid, .references(UserModel.schema, "id", onDelete: .setNull))
            .field("author_name", .string, .required)
            // One current answer per item: two first saves of an item at once cannot both insert.
            .unique(on: "worksheet_id", "item_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WorksheetAnswerModel.schema).delete()
    }
}
