import Crypto
import Fluent
import Foundation
import SQLKit

extension Database {
    /// Makes transactions that name the same key take turns, so that counting and then writing is atomic (the
    /// login throttle: no two attempts may both see "four failures so far"). Call it first in a
    /// `writeTransaction`. PostgreSQL takes a transaction-scoped advisory lock per key, in sorted order so that
    /// two transactions never wait for each other in a circle. SQLite needs nothing more: `writeTransaction`
    /// already holds the database's only write lock.
    func lock(keys: [String]) async throws {
        guard let sql = self as? any SQLDatabase, sql.dialect.name != "sqlite" else { return }
        for key in Set(keys).sorted() {
            // The lock's number: the first 8 bytes of the key's SHA-256 (a collision only makes two keys share turns).
            let number = SHA256.hash(data: Data(key.utf8)).prefix(8).reduce(Int64(0)) { $0 << 8 | Int64($1) }
            try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: number))").run()
        }
    }
}
