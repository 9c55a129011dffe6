import Fluent

struct CreateGradeLevel: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(GradeLevelModel.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("stage", .string, .required)
            .field("position", .int, .required)
            .unique(on: "code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(GradeLevelModel.schema).delete()
    }
}
