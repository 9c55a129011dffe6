import Fluent
import Foundation
import SamspilCore
import Vapor

/// Logins stored in the database: started at login (always with a new token, so a token from before the
/// login is worthless), looked up on each request, ended at logout, and all ended when the password changes
/// or the account is disabled.
enum SessionQueries {
    /// A random token of 256 bits, URL-safe Base64.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    struct Started: Sendable {
        var token: String
        var csrfToken: String
    }

    static func start(userID: UUID, now: Date, on db: any Database) async throws -> Started {
        let session = SessionModel()
        session.id = UUID()
        session.createdAt = now
        session.lastSeenAt = now
        let token = randomToken()
        session.tokenHash = hash(token)
        session.csrfToken = randomToken()
        session.$user.id = userID
        try await session.create(on: db)
        return Started(token: token, csrfToken: session.csrfToken)
    }

    struct Current: Sendable {
        var account: Account
        var sessionID: UUID
        var csrfToken: String
    }

    /// The live session of a token, with its account; nil when unknown, expired or the account disabled.
    /// An expired session is deleted; a live one is marked as used (at most once a minute, to spare writes).
    static func find(token: String, now: Date, lifetime: SessionLifetime, on db: any Database) async throws -> Current? {
        guard !token.isEmpty, token.count <= 100,
              let session = try await SessionModel.query(on: db).filter(\.$tokenHash == hash(token)).with(\.$user).first()
        else { return nil }
        guard lifetime.isValid(created: session.createdAt, lastSeen: session.lastSeenAt, now: now), session.user.disabledAt == nil else {
            try await session.delete(on: db)
            return nil
        }
        if now.timeIntervalSince(session.lastSeenAt) >= 60 {
            session.lastSeenAt = now
            try await session.save(on: db)
        }
        return Current(account: try session.user.domain(), sessionID: try session.requireID(), csrfToken: session.csrfToken)
    }

    static func end(sessionID: UUID, on db: any Database) async throws {
        try await SessionModel.query(on: db).filter(\.$id == sessionID).delete()
    }

    static func endAll(userID: UUID, on db: any Database) async throws {
        try await SessionModel.query(on: db).filter(\.$user.$id == userID).delete()
    }
}

/// Failed logins per account and per address (`LoginThrottle` decides).
enum LoginFailureQueries {
    static func keys(email: String, address: String?) -> [(key: String, throttle: LoginThrottle)] {
        var keys = [("account:" + EmailAddress.normalise(email), LoginThrottle.perAccount)]
        if let address { keys.append(("address:" + address, LoginThrottle.perAddress)) }
        return keys
    }

    /// Seconds to wait before another attempt, or nil when one may be made now.
    static func retryAfter(email: String, address: String?, now: Date, on db: any Database) async throws -> Int? {
        var wait: Int?
        for (key, throttle) in keys(email: email, address: address) {
            let since = now.addingTimeInterval(-throttle.window)
            let failures = try await LoginFailureModel.query(on: db).filter(\.$key == key).filter(\.$at > since).all(\.$at)
            if let seconds = throttle.retryAfter(failures: failures, now: now) { wait = max(wait ?? 0, seconds) }
        }
        return wait
    }

    static func record(email: String, address: String?, now: Date, on db: any Database) async throws {
        for (key, _) in keys(email: email, address: address) {
            try await LoginFailureModel(key: key, at: now).create(on: db)
        }
        // Old failures count no more; drop them now and then.
        let oldest = now.addingTimeInterval(-max(LoginThrottle.perAccount.window, LoginThrottle.perAddress.window))
        try await LoginFailureModel.query(on: db).filter(\.$at < oldest).delete()
    }

    /// A successful login forgives the account's failures (not the address's).
    static func clear(email: String, on db: any Database) async throws {
        try await LoginFailureModel.query(on: db).filter(\.$key == "account:" + EmailAddress.normalise(email)).delete()
    }
}
