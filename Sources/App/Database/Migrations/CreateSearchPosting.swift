import Fluent
import SQLKit

/// The inverted index: which terms a material holds, with their field-weighted frequency.
struct CreateSearchPosting: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("search_postings")
            .field("term_id", .int64, .required, .references("search_terms", "id"))
            .field("material_id", .uuid, .required, .references("search_documents", "material_id", onDelete: .cascade))
            .field("tf", .double, .required)
            .compositeIdentifier(over: "term_id", "material_id")
            .create()
        try await (database as! any SQLDatabase).create(index: "search_postings_material_idx")
            .on("search_postings").column("material_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("search_postings").delete()
    }
}
