import Fluent

struct CreateMaterialRevision: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MaterialRevisionModel.schema)
            .id()
            .field("saved_at", .datetime, .required)
            .field("revision", .int64, .required)
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("snapshot", .string, .required)
            .field("material_id", .uuid, .required, .references(MaterialModel.schema, "id", onDelete: .cascade))
            .unique(on: "material_id", "revision")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MaterialRevisionModel.schema).delete()
    }
}
