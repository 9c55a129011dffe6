import Fluent

struct CreateVocabularyTerm: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(VocabularyTermModel.schema)
            .id()
            .field("kind", .string, .required)
            .field("slug", .string, .required)
            .field("label", .string, .required)
            .field("plural_label", .string)
            .field("position", .int, .required)
            .unique(on: "kind", "slug")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(VocabularyTermModel.schema).delete()
    }
}
