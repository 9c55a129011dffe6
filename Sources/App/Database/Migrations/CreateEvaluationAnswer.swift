import Fluent

struct CreateEvaluationAnswer: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(EvaluationAnswerModel.schema)
            .id()
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("partnership_id", .uuid, .required, .references(PartnershipModel.schema, "id", onDelete: .cascade))
            .field("occasion", .string, .required)
            .field("organisation_id", .uuid, .required, .references(OrganisationModel.schema, "id", onDelete: .cascade))
            // The party's answers outlive the person who gave them; a deleted person's name is blanked.
            .field("user_id", .uuid, .references(UserModel.schema, "id", onDelete: .setNull))
            .field("person_name", .string, .required)
            .field("answers", .string, .required)
            .unique(on: "partnership_id", "occasion", "organisation_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(EvaluationAnswerModel.schema).delete()
    }
}
