import Fluent
import SQLKit

struct CreatePartnershipParty: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PartnershipPartyModel.schema)
            .id()
            .field("added_at", .datetime, .required)
            .field("partnership_id", .uuid, .required, .references(PartnershipModel.schema, "id", onDelete: .cascade))
            .field("organisation_id", .uuid, .required, .references(OrganisationModel.schema, "id", onDelete: .cascade))
            .field("role", .string, .required)
            // The order the parties joined in (times can be equal: a frozen clock, one transaction).
            .field("position", .int64, .required)
            .field("publish_consent_at", .datetime)
            .unique(on: "partnership_id", "organisation_id")
            .create()
        // A person's and a municipality's partnerships are found through their organisations.
        try await (database as! any SQLDatabase).create(index: "partnership_parties_organisation_idx").on(PartnershipPartyModel.schema)
            .column("organisation_id").column("partnership_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PartnershipPartyModel.schema).delete()
    }
}
