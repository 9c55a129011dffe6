import Fluent

struct CreatePartnershipInvitation: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PartnershipInvitationModel.schema)
            .id()
            .field("created_at", .datetime, .required)
            .field("partnership_id", .uuid, .required, .references(PartnershipModel.schema, "id", onDelete: .cascade))
            .field("email", .string, .required)
            .field("organisation_name", .string, .required)
            .field("role", .string, .required)
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .field("invited_by", .string, .required)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PartnershipInvitationModel.schema).delete()
    }
}
