import Fluent
import SQLKit

/// Which version of the analyzer made the stored index (`Analyzer.version`); an index of another version is
/// rebuilt when the app starts (`SearchIndexer.needsBuilding`). Indexes from before this column are version 1.
struct UpdateSearchStatsAnalyzerVersion: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE search_stats ADD COLUMN analyzer_version BIGINT NOT NULL DEFAULT 1").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE search_stats DROP COLUMN analyzer_version").run()
    }
}
