import Fluent

struct CreateStoredFile: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(StoredFileModel.schema)
            .id()
            .field("created_at", .datetime, .required)
            .field("content_type", .string, .required)
            .field("file_name", .string, .required)
            .field("size", .int, .required)
            .field("data", .data, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StoredFileModel.schema).delete()
    }
}
