import Fluent
import SQLKit

/// Indexes for the listing filters and sort orders. Plain `CREATE INDEX`, which SQLite and PostgreSQL share.
struct AddMaterialIndexes: AsyncMigration {
    private static let indexes: [(name: String, table: String, columns: [String])] = [
        ("materials_status_year_idx", MaterialModel.schema, ["status", "year"]),
        ("materials_status_sort_title_idx", MaterialModel.schema, ["status", "sort_title"]),
        ("materials_type_idx", MaterialModel.schema, ["type_slug"]),
        ("material_terms_lookup_idx", MaterialTermModel.schema, ["kind", "term_slug"]),
        ("material_persons_material_idx", MaterialPersonModel.schema, ["material_id"]),
        ("material_versions_material_idx", MaterialVersionModel.schema, ["material_id"]),
        ("theme_materials_material_idx", ThemeMaterialModel.schema, ["material_id"]),
    ]

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for index in Self.indexes {
            var builder = sql.create(index: index.name).on(index.table)
            for column in index.columns { builder = builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for index in Self.indexes {
            try await sql.drop(index: index.name).run()
        }
    }
}
