import Fluent
import SQLKit

struct CreatePartnership: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PartnershipModel.schema)
            .id()
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("revision", .int64, .required)
            .field("created_by", .uuid, .references(UserModel.schema, "id", onDelete: .setNull))
            .field("slug", .string, .required)
            .field("title", .string, .required)
            .field("summary", .string, .required)
            .field("form", .string, .required)
            .field("school_years", .string, .required)
            .field("purpose", .string, .required)
            .field("goals", .string, .required)
            .field("subjects", .string, .required)
            .field("grade_levels", .string, .required)
            .field("classes_expected", .int64)
            .field("pupils_expected", .int64)
            .field("state", .string, .required)
            .field("agreement_version", .int64, .required)
            .field("accepted_version", .int64)
            .field("renewed_from", .uuid)
            .field("published_at", .datetime)
            // The fields the parties are asked to publish as a case ("" while nobody has proposed it).
            .field("case_fields", .string, .required)
            .unique(on: "slug")
            .create()
        try await (database as! any SQLDatabase).create(index: "partnerships_state_idx").on(PartnershipModel.schema).column("state").run()
        // The coordinator's list, newest change first (read backwards: bench/partnerships).
        try await (database as! any SQLDatabase).create(index: "partnerships_updated_idx").on(PartnershipModel.schema)
            .column("updated_at").column("id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PartnershipModel.schema).delete()
    }
}
