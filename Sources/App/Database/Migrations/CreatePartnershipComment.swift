import Fluent
import SQLKit

struct CreatePartnershipComment: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PartnershipCommentModel.schema)
            .id()
            .field("created_at", .datetime, .required)
            .field("partnership_id", .uuid, .required, .references(PartnershipModel.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .references(UserModel.schema, "id", onDelete: .cascade))
            .field("author_name", .string, .required)
            .field("body", .string, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "partnership_comments_partnership_idx").on(PartnershipCommentModel.schema)
            .column("partnership_id").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PartnershipCommentModel.schema).delete()
    }
}
