import Fluent

struct CreateMaterial: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MaterialModel.schema)
            .id()
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("slug", .string, .required)
            .field("title", .string, .required)
            .field("genre", .string)
            .field("type_slug", .string, .required)
            .field("teaser", .string, .required)
            .field("body", .string, .required)
            .field("credit_kind", .string, .required)
            .field("credit_organisation", .string)
            .field("year", .int)
            .field("language", .string, .required)
            .field("reading_minutes", .int)
            .field("status", .string, .required)
            .field("sort_title", .string, .required)
            .unique(on: "slug")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MaterialModel.schema).delete()
    }
}
