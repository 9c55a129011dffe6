import Fluent

struct CreatePartnershipDocument: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PartnershipDocumentModel.schema)
            .id()
            .field("created_at", .datetime, .required)
            .field("partnership_id", .uuid, .required, .references(PartnershipModel.schema, "id", onDelete: .cascade))
            .field("file_id", .uuid, .required, .references(StoredFileModel.schema, "id", onDelete: .cascade))
            .field("title", .string, .required)
            // Who uploaded it; the document stays with the partnership when the person's account is deleted.
            .field("user_id", .uuid, .references(UserModel.schema, "id", onDelete: .setNull))
            .unique(on: "file_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PartnershipDocumentModel.schema).delete()
    }
}
