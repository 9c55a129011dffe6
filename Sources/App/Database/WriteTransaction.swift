import Fluent
import FluentKit
import Foundation
import SQLKit
import Synchronization

extension Database {
    /// A transaction that changes data. Every write transaction of the app goes through here.
    ///
    /// On SQLite its first statement takes the write lock (an `UPDATE` that matches nothing still does): in WAL
    /// mode a transaction that read first cannot become a writer once another connection or process has
    /// committed since its read, and fails with "database is locked" instead of waiting its turn. And the
    /// process's write transactions take turns before they take a connection (`SQLiteWriters`): SQLite allows
    /// one writer at a time anyway, and a writer waiting for the lock while holding a connection kept every read
    /// of its event loop waiting too (a burst of 60 logins once made page reads wait over a second).
    /// PostgreSQL (read committed) has no such problem; there it is a plain transaction.
    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard let sql = self as? any SQLDatabase, sql.dialect.name == "sqlite" else { return try await transaction(body) }
        if inTransaction { return try await body(self) }
        return try await SQLiteWriters.turn {
            try await transaction { tx in
                // Fluent's migration log always exists; the statement changes nothing.
                try await (tx as! any SQLDatabase).raw("UPDATE \(ident: MigrationLog.schema) SET batch = batch WHERE 0").run()
                return try await body(tx)
            }
        }
    }
}

/// The turns of this process's SQLite write transactions: one at a time, first come first served.
enum SQLiteWriters {
    private struct State {
        var busy = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private static let state = Mutex(State())

    static func turn<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.busy {
                    state.waiting.append(continuation)
                    return false
                }
                state.busy = true
                return true
            }
            if now { continuation.resume() }
        }
        defer {
            let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
                if state.waiting.isEmpty {
                    state.busy = false
                    return nil
                }
                return state.waiting.removeFirst()
            }
            next?.resume()
        }
        return try await body()
    }
}
