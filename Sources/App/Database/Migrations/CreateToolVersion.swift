import Fluent

struct CreateToolVersion: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ToolVersionModel.schema)
            .id()
            .field("tool_id", .uuid, .required, .references(ToolModel.schema, "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("definition", .string, .required)
            .field("created_at", .datetime, .required)
            .field("author_email", .string, .required)
            .field("author_name", .string, .required)
            .unique(on: "tool_id", "number")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ToolVersionModel.schema).delete()
    }
}
