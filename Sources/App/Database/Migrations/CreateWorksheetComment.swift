import Fluent
import SQLKit

struct CreateWorksheetComment: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(WorksheetCommentModel.schema)
            .id()
            .field("worksheet_id", .uuid, .required, .references(WorksheetModel.schema, "id", onDelete: .cascade))
            .field("item_id", .string, .required)
            .field("user_id", .uuid, .required, .references(UserModel.schema, "id", onDelete: .cascade))
            .field("author_name", .string, .required)
            .field("body", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "worksheet_comments_worksheet_idx").on(WorksheetCommentModel.schema)
            .column("worksheet_id").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WorksheetCommentModel.schema).delete()
    }
}
