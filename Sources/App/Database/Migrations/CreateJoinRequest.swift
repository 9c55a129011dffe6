import Fluent

struct CreateJoinRequest: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(JoinRequestModel.schema)
            .id()
            .field("created_at", .datetime, .required)
            .field("role", .string, .required)
            .field("message", .string, .required)
            .field("outcome", .string)
            .field("decided_at", .datetime)
            .field("decided_by", .string)
            .field("user_id", .uuid, .required, .references(UserModel.schema, "id", onDelete: .cascade))
            .field("organisation_id", .uuid, .required, .references(OrganisationModel.schema, "id", onDelete: .cascade))
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(JoinRequestModel.schema).delete()
    }
}
