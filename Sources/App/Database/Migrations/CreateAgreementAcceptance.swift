import Fluent

struct CreateAgreementAcceptance: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AgreementAcceptanceModel.schema)
            .id()
            .field("accepted_at", .datetime, .required)
            .field("partnership_id", .uuid, .required, .references(PartnershipModel.schema, "id", onDelete: .cascade))
            .field("version", .int64, .required)
            .field("organisation_id", .uuid, .required, .references(OrganisationModel.schema, "id", onDelete: .cascade))
            .field("person_name", .string, .required)
            .field("person_email", .string, .required)
            // A party accepts a version once, however many of its people press the button at once.
            .unique(on: "partnership_id", "version", "organisation_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AgreementAcceptanceModel.schema).delete()
    }
}
