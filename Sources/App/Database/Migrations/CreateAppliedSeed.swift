import Fluent

struct CreateAppliedSeed: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AppliedSeedModel.schema)
            .id()
            .field("name", .string, .required)
            .field("applied_at", .datetime, .required)
            .unique(on: "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AppliedSeedModel.schema).delete()
    }
}
