import Fluent
import FluentKit
import SQLKit

extension Database {
    /// A transaction that changes data. On SQLite its first statement takes the write lock (an `UPDATE` that
    /// matches nothing still does): in WAL mode a transaction that read first cannot become a writer once
    /// another connection or process has committed since its read, and fails with "database is locked" instead
    /// of waiting its turn. PostgreSQL (read committed) has no such problem; there it is a plain transaction.
    /// Every write transaction of the app goes through here.
    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await transaction { tx in
            if let sql = tx as? any SQLDatabase, sql.dialect.name == "sqlite" {
                // Fluent's migration log always exists; the statement changes nothing.
                try await sql.raw("UPDATE \(ident: MigrationLog.schema) SET batch = batch WHERE 0").run()
            }
            return try await body(tx)
        }
    }
}
