import Fluent

struct CreateTheme: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ThemeModel.schema)
            .id()
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("slug", .string, .required)
            .field("title", .string, .required)
            .field("section", .string)
            .field("intro", .string, .required)
            .field("status", .string, .required)
            .unique(on: "slug")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ThemeModel.schema).delete()
    }
}
