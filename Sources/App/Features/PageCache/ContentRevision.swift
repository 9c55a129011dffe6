import Fluent
import SQLKit

/// The number that says whether a rendered anonymous page is still current: every change to what such pages
/// show raises it in its own transaction (materials, themes, vocabularies, the search index), so a page
/// rendered at revision N is current exactly while the stored revision is N.
enum ContentRevision {
    /// Raises the revision; call it inside the transaction that changes content.
    static func bump(on db: any Database) async throws {
        try await (db as! any SQLDatabase)
            .raw("UPDATE \(ident: ContentStateTable.schema) SET revision = revision + 1 WHERE id = 1").run()
    }

    static func current(on db: any Database) async throws -> Int64 {
        let row = try await (db as! any SQLDatabase)
            .raw("SELECT revision FROM \(ident: ContentStateTable.schema) WHERE id = 1").first()
        return try row?.decode(column: "revision", as: Int64.self) ?? 0
    }
}
