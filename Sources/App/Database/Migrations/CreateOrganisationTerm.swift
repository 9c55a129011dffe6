import Fluent

/// The subjects and grade levels of an organisation, in the order given: one table for both (`kind` is
/// `subject` or `grade`), as `material_terms` does for a material's audiences and topics.
struct CreateOrganisationTerm: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OrganisationTermModel.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(OrganisationModel.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("term", .string, .required)
            .field("position", .int, .required)
            .unique(on: "organisation_id", "kind", "term")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OrganisationTermModel.schema).delete()
    }
}
