import Fluent
import SQLKit

/// One row: the content revision, raised in the same transaction as every change to what anonymous pages show
/// (materials, themes, vocabularies, the search index). Each process's page cache keeps a page only while this
/// number is the one it was rendered at.
struct CreateContentState: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ContentStateTable.schema)
            .field("id", .int64, .identifier(auto: false))
            .field("revision", .int64, .required)
            .create()
        try await (database as! any SQLDatabase)
            .raw("INSERT INTO \(ident: ContentStateTable.schema) (id, revision) VALUES (1, 0)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ContentStateTable.schema).delete()
    }
}
