import Fluent
import SQLKit

struct CreateMembership: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MembershipModel.schema)
            .id()
            .field("created_at", .datetime, .required)
            .field("user_id", .uuid, .required, .references(UserModel.schema, "id", onDelete: .cascade))
            .field("organisation_id", .uuid, .required, .references(OrganisationModel.schema, "id", onDelete: .cascade))
            .field("role", .string, .required)
            .unique(on: "user_id", "organisation_id", "role")
            .create()
        try await (database as! any SQLDatabase).create(index: "memberships_organisation_idx").on(MembershipModel.schema)
            .column("organisation_id").column("role").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MembershipModel.schema).delete()
    }
}
