import Fluent
import SQLKit

struct CreatePartnershipEvent: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PartnershipEventModel.schema)
            .id()
            .field("at", .datetime, .required)
            .field("partnership_id", .uuid, .required, .references(PartnershipModel.schema, "id", onDelete: .cascade))
            // The order within the partnership: several entries can share a moment (an acceptance and the agreed state).
            .field("sequence", .int64, .required)
            .field("kind", .string, .required)
            .field("from_state", .string)
            .field("to_state", .string)
            .field("actor_name", .string, .required)
            .field("actor_email", .string, .required)
            .field("comment", .string, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "partnership_events_partnership_idx").on(PartnershipEventModel.schema)
            .column("partnership_id").column("sequence").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PartnershipEventModel.schema).delete()
    }
}
