import Fluent

struct CreateMaterialPerson: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MaterialPersonModel.schema)
            .id()
            .field("material_id", .uuid, .required, .references(MaterialModel.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("name", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MaterialPersonModel.schema).delete()
    }
}
