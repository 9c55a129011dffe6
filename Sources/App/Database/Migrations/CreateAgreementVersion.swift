import Fluent

struct CreateAgreementVersion: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AgreementVersionModel.schema)
            .id()
            .field("created_at", .datetime, .required)
            .field("partnership_id", .uuid, .required, .references(PartnershipModel.schema, "id", onDelete: .cascade))
            .field("number", .int64, .required)
            .field("body", .string, .required)
            .field("author_name", .string, .required)
            .field("author_email", .string, .required)
            .unique(on: "partnership_id", "number")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AgreementVersionModel.schema).delete()
    }
}
