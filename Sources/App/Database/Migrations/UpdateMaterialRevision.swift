import Fluent
import SQLKit

/// A revision number per material, raised by every save, so that an edit can say which revision it
/// started from and a save over someone else's newer one is refused (optimistic concurrency).
struct UpdateMaterialRevision: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE \(ident: MaterialModel.schema) ADD COLUMN revision BIGINT NOT NULL DEFAULT 1").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE \(ident: MaterialModel.schema) DROP COLUMN revision").run()
    }
}
