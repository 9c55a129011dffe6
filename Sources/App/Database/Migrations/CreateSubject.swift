import Fluent

struct CreateSubject: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SubjectModel.schema)
            .id()
            .field("slug", .string, .required)
            .field("name", .string, .required)
            .field("group_name", .string, .required)
            .field("from_grade", .string, .required)
            .field("to_grade", .string, .required)
            .field("kind", .string, .required)
            .field("position", .int, .required)
            .unique(on: "slug")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SubjectModel.schema).delete()
    }
}
