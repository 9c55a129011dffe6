import Fluent
import SQLKit

struct CreateWorksheet: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(WorksheetModel.schema)
            .id()
            .field("tool_id", .uuid, .required, .references(ToolModel.schema, "id"))
            .field("tool_version", .int, .required)
            .field("title", .string, .required)
            .field("owner_kind", .string, .required)
            .field("partnership_id", .uuid, .references(PartnershipModel.schema, "id", onDelete: .cascade))
            .field("organisation_id", .uuid, .references(OrganisationModel.schema, "id", onDelete: .cascade))
            // A person's own worksheet goes with the person.
            .field("user_id", .uuid, .references(UserModel.schema, "id", onDelete: .cascade))
            .field("created_by", .uuid, .references(UserModel.schema, "id", onDelete: .setNull))
            .field("shared", .bool, .required)
            .field("revision", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "worksheets_partnership_idx").on(WorksheetModel.schema).column("partnership_id").run()
        try await sql.create(index: "worksheets_organisation_idx").on(WorksheetModel.schema).column("organisation_id").run()
        try await sql.create(index: "worksheets_user_idx").on(WorksheetModel.schema).column("user_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WorksheetModel.schema).delete()
    }
}
