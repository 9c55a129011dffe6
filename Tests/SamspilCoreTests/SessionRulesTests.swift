import Foundation
import Testing
@testable import SamspilCore

@Suite struct SessionRulesTests {
    let start = Date(timeIntervalSince1970: 1_790_000_000)

    @Test func sessionsEndWhenIdleOrTooOld() {
        let lifetime = SessionLifetime(idle: 30 * 60, absolute: 12 * 3600)
        #expect(lifetime.isValid(created: start, lastSeen: start, now: start.addingTimeInterval(29 * 60)))
        #expect(!lifetime.isValid(created: start, lastSeen: start, now: start.addingTimeInterval(30 * 60)))
        // Used every 20 minutes, it still ends 12 hours after login.
        let late = start.addingTimeInterval(12 * 3600)
        #expect(!lifetime.isValid(created: start, lastSeen: late.addingTimeInterval(-60), now: late))
        #expect(lifetime.isValid(created: start, lastSeen: late.addingTimeInterval(-60), now: late.addingTimeInterval(-1)))
        // A clock that went backwards does not make a session valid before it began.
        #expect(!lifetime.isValid(created: start, lastSeen: start, now: start.addingTimeInterval(-5)))
    }

    @Test func throttleLocksAfterTheLimitAndOpensAgain() {
        let throttle = LoginThrottle(limit: 3, window: 600)
        let failures = [start, start.addingTimeInterval(100), start.addingTimeInterval(200)]
        #expect(throttle.retryAfter(failures: Array(failures.prefix(2)), now: start.addingTimeInterval(250)) == nil)
        // Three failures: locked until the first leaves the window (at start + 600).
        #expect(throttle.retryAfter(failures: failures, now: start.addingTimeInterval(250)) == 350)
        #expect(throttle.retryAfter(failures: failures, now: start.addingTimeInterval(599.5)) == 1)
        #expect(throttle.retryAfter(failures: failures, now: start.addingTimeInterval(600)) == nil)
        // Old failures do not count.
        let old = failures.map { $0.addingTimeInterval(-3600) }
        #expect(throttle.retryAfter(failures: old, now: start) == nil)
    }
}
