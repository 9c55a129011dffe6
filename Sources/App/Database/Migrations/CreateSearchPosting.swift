import Fluent
import SQLKit

/// The inverted index: which terms a document holds, with their field-weighted frequency.
///
/// On SQLite the table is `WITHOUT ROWID`, so the postings of a term lie together in primary-key order and
/// a search reads them in one range scan; PostgreSQL gets the same columns and primary key, with `tf`
/// included in the key's index for the same effect (an index-only scan). Both are exercised by every
/// storage test.
struct CreateSearchPosting: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "sqlite" {
            try await sql.raw("""
                CREATE TABLE search_postings (term_id INTEGER NOT NULL REFERENCES search_terms (id), \
                doc_id INTEGER NOT NULL REFERENCES search_documents (id) ON DELETE CASCADE, tf REAL NOT NULL, \
                PRIMARY KEY (term_id, doc_id)) WITHOUT ROWID
                """).run()
        } else {
            try await sql.raw("""
                CREATE TABLE search_postings (term_id BIGINT NOT NULL REFERENCES search_terms (id), \
                doc_id BIGINT NOT NULL REFERENCES search_documents (id) ON DELETE CASCADE, tf DOUBLE PRECISION NOT NULL, \
                PRIMARY KEY (term_id, doc_id) INCLUDE (tf))
                """).run()
        }
        try await sql.create(index: "search_postings_doc_idx").on("search_postings").column("doc_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("search_postings").delete()
    }
}
