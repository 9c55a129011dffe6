import Fluent
import SQLKit

/// The organisation that publishes a material (optional). No foreign key: SQLite cannot drop a column that
/// is part of one, so `revert` would fail; organisations are never deleted, and reads join with LEFT JOIN.
struct UpdateMaterialOrganisation: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema(MaterialModel.schema).field("organisation_id", .uuid).update()
        try await sql.create(index: "materials_organisation_idx").on(MaterialModel.schema).column("organisation_id").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(index: "materials_organisation_idx").run()
        try await database.schema(MaterialModel.schema).deleteField("organisation_id").update()
    }
}
