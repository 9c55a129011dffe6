import Fluent
import SQLKit

struct CreateOrganisation: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OrganisationModel.schema)
            .id()
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("revision", .int64, .required)
            .field("created_by", .uuid, .references(UserModel.schema, "id", onDelete: .setNull))
            .field("slug", .string, .required)
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("sort_name", .string, .required)
            .field("status", .string, .required)
            .field("municipality_code", .string)
            .field("institution_number", .string)
            .field("school_kind", .string)
            .field("environment_kind", .string)
            .field("other_kind", .string)
            .field("street", .string)
            .field("postcode", .string)
            .field("town", .string)
            .field("website", .string)
            .field("phone", .string)
            .field("email", .string)
            .field("description", .string, .required)
            .field("accessibility", .string)
            .field("latitude", .double)
            .field("longitude", .double)
            .unique(on: "slug")
            // NULLs never collide on either database, so only schools (which must have one) are unique.
            .unique(on: "institution_number")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "organisations_listing_idx").on(OrganisationModel.schema)
            .column("status").column("kind").column("sort_name").run()
        try await sql.create(index: "organisations_municipality_idx").on(OrganisationModel.schema)
            .column("municipality_code").column("status").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OrganisationModel.schema).delete()
    }
}
