import Fluent
import SQLKit

/// An index in the order of `MaterialQueries.forEachBatch` (title, then slug): an export reads the
/// catalogue a page at a time, each page starting where the last ended, and needs no sort of the whole
/// table nor a list of every id.
struct AddMaterialTitleOrderIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).create(index: "materials_sort_title_slug_idx")
            .on(MaterialModel.schema).column("sort_title").column("slug").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(index: "materials_sort_title_slug_idx").run()
    }
}
