import Fluent
import Foundation
import SamspilCore

/// The typology of partnership forms, with the defaults written in our own words (administrators change them as data).
struct CreatePartnershipForm: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PartnershipFormModel.schema)
            .id()
            .field("slug", .string, .required)
            .field("name", .string, .required)
            .field("description", .string, .required)
            .field("position", .int64, .required)
            .unique(on: "slug")
            .create()
        for (position, form) in PartnershipForm.defaults.enumerated() {
            let row = PartnershipFormModel()
            row.id = UUID()
            row.slug = form.slug
            row.name = form.name
            row.description = form.description
            row.position = position
            try await row.create(on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PartnershipFormModel.schema).delete()
    }
}
