import NIOConcurrencyHelpers
import NIOCore

/// This process's copies of sessions it looked up in the last half second, by token hash.
///
/// Every request of a logged-in person needs their session; on SQLite that one statement cost more than the rest
/// of a simple page (a hand-over to the driver's thread and back, and parsing the statement again). A copy is
/// trusted for `trustedFor` after it was read. The cost, taken knowingly: a session ended by another process
/// (a logout there, a password change, a disabled account, a changed role) can go on working here for at most
/// that long — the same bound as a saved page on other processes. On this process nothing lives on: every
/// request that is not a GET or HEAD empties the cache when it is done, and a lookup that began before such a
/// request ended stores nothing (`generation`), so a logout is seen by the next request here.
final class SessionCache: Sendable {
    static let trustedFor = TimeAmount.milliseconds(500)
    /// More sessions than this in half a second: start again rather than grow (a copy costs only a lookup).
    static let capacity = 10_000

    private struct Entry {
        var current: SessionQueries.Current
        var readAt: NIODeadline
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var generation = 0
    }

    private let state = NIOLockedValueBox(State())

    /// The copy of a session read less than `trustedFor` ago.
    func current(tokenHash: String, now: NIODeadline = .now()) -> SessionQueries.Current? {
        state.withLockedValue { state in
            guard let entry = state.entries[tokenHash] else { return nil }
            guard now - entry.readAt < Self.trustedFor else {
                state.entries[tokenHash] = nil
                return nil
            }
            return entry.current
        }
    }

    /// The generation to hand back to `store` with what a lookup begun now finds.
    var generation: Int { state.withLockedValue { $0.generation } }

    func store(_ current: SessionQueries.Current, tokenHash: String, readAt: NIODeadline, generation: Int) {
        state.withLockedValue { state in
            guard state.generation == generation else { return }
            if state.entries.count >= Self.capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[tokenHash] = Entry(current: current, readAt: readAt)
        }
    }

    /// A request of this process may have ended or changed sessions.
    func forgetAll() {
        state.withLockedValue { state in
            state.entries.removeAll(keepingCapacity: true)
            state.generation += 1
        }
    }
}
