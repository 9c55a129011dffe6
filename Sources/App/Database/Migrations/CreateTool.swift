import Fluent

struct CreateTool: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ToolModel.schema)
            .id()
            .field("slug", .string, .required)
            .field("title", .string, .required)
            .field("material_slug", .string)
            .field("status", .string, .required)
            .field("version", .int, .required)
            .field("revision", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "slug")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ToolModel.schema).delete()
    }
}
