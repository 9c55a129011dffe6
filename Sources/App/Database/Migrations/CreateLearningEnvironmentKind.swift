import Fluent

struct CreateLearningEnvironmentKind: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LearningEnvironmentKindModel.schema)
            .id()
            .field("slug", .string, .required)
            .field("name", .string, .required)
            .field("position", .int, .required)
            .unique(on: "slug")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LearningEnvironmentKindModel.schema).delete()
    }
}
