import Foundation

/// How long a login lasts: it ends after `idle` without a request, and in any case `absolute` after it began.
public struct SessionLifetime: Sendable, Equatable {
    public var idle: TimeInterval
    public var absolute: TimeInterval

    public init(idle: TimeInterval = 30 * 60, absolute: TimeInterval = 12 * 60 * 60) {
        self.idle = idle
        self.absolute = absolute
    }

    /// Whether a session begun at `created` and last used at `lastSeen` is still valid at `now`.
    public func isValid(created: Date, lastSeen: Date, now: Date) -> Bool {
        now.timeIntervalSince(lastSeen) < idle && now.timeIntervalSince(created) < absolute && now >= created
    }
}

/// Login throttling: at most `limit` failed logins per key (an account, or an address) within `window`.
/// Failures older than the window are forgotten, so a locked key opens again by itself.
public struct LoginThrottle: Sendable, Equatable {
    public var limit: Int
    public var window: TimeInterval

    public init(limit: Int, window: TimeInterval = 15 * 60) {
        self.limit = limit
        self.window = window
    }

    /// Per account: a handful of guesses. Per address: more, since a school may share one.
    public static let perAccount = LoginThrottle(limit: 5)
    public static let perAddress = LoginThrottle(limit: 30)

    /// nil when another attempt may be made now; otherwise the seconds to wait (at least 1).
    public func retryAfter(failures: [Date], now: Date) -> Int? {
        let recent = failures.filter { now.timeIntervalSince($0) < window }.sorted()
        guard recent.count >= limit else { return nil }
        // The wait ends when enough of the recent failures have left the window.
        let freeing = recent[recent.count - limit]
        return max(1, Int((window - now.timeIntervalSince(freeing)).rounded(.up)))
    }
}
