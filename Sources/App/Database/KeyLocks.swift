import Crypto
import Fluent
import Foundation
import SQLKit
import Synchronization

extension Database {
    /// A write transaction that transactions naming the same key wait for, so that counting and then writing is
    /// atomic (the login throttle: no two attempts may both see "four failures so far").
    ///
    /// Within the process, transactions with a common key take turns before they take a connection
    /// (`KeyedTurns`): sixty parallel logins for one account once held every pooled PostgreSQL connection while
    /// waiting for the lock, and the requests behind them timed out with 500. Across processes, PostgreSQL takes
    /// a transaction-scoped advisory lock per key, in sorted order so that two transactions never wait for each
    /// other in a circle; SQLite needs nothing more, since `writeTransaction` holds its only write lock.
    func writeTransaction<T: Sendable>(
        locking keys: [String], _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        let keys = Set(keys).sorted()
        return try await KeyedTurns.shared.turn(keys) {
            try await writeTransaction { tx in
                if let sql = tx as? any SQLDatabase, sql.dialect.name != "sqlite" {
                    for key in keys {
                        // The lock's number: the first 8 bytes of the key's SHA-256 (a collision only makes two keys share turns).
                        let number = SHA256.hash(data: Data(key.utf8)).prefix(8).reduce(Int64(0)) { $0 << 8 | Int64($1) }
                        try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: number))").run()
                    }
                }
                return try await body(tx)
            }
        }
    }
}

/// Turns per key within this process: first come, first served, for each key.
final class KeyedTurns: Sendable {
    static let shared = KeyedTurns()

    private struct Line {
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    /// The keys that have a holder, with whoever waits for them.
    private let lines = Mutex<[String: Line]>([:])

    /// Runs `body` holding every key of `keys` (taken in the given order, which callers sort).
    func turn<T: Sendable>(_ keys: [String], _ body: () async throws -> T) async throws -> T {
        for key in keys { await take(key) }
        defer { for key in keys.reversed() { give(key) } }
        return try await body()
    }

    private func take(_ key: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = lines.withLock { lines -> Bool in
                if lines[key] == nil {
                    lines[key] = Line()
                    return true
                }
                lines[key]!.waiting.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    private func give(_ key: String) {
        let next = lines.withLock { lines -> CheckedContinuation<Void, Never>? in
            guard var line = lines[key] else { return nil }
            if line.waiting.isEmpty {
                lines[key] = nil
                return nil
            }
            let next = line.waiting.removeFirst()
            lines[key] = line
            return next
        }
        next?.resume()
    }
}
