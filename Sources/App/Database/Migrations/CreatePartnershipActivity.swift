import Fluent
import SQLKit

struct CreatePartnershipActivity: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PartnershipActivityModel.schema)
            .id()
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("revision", .int64, .required)
            .field("partnership_id", .uuid, .required, .references(PartnershipModel.schema, "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("starts_at", .datetime, .required)
            .field("ends_at", .datetime, .required)
            .field("place", .string, .required)
            .field("classes", .string, .required)
            .field("grade_level", .string)
            .field("pupils", .int64)
            .field("subject", .string)
            .field("teacher", .string, .required)
            .field("status", .string, .required)
            .create()
        try await (database as! any SQLDatabase).create(index: "partnership_activities_partnership_idx").on(PartnershipActivityModel.schema)
            .column("partnership_id").column("starts_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PartnershipActivityModel.schema).delete()
    }
}
