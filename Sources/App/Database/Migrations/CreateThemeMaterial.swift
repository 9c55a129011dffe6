import Fluent

struct CreateThemeMaterial: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ThemeMaterialModel.schema)
            .id()
            .field("theme_id", .uuid, .required, .references(ThemeModel.schema, "id", onDelete: .cascade))
            .field("material_id", .uuid, .required, .references(MaterialModel.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .unique(on: "theme_id", "material_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ThemeMaterialModel.schema).delete()
    }
}
