import Fluent
import SQLKit
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
        // Hex digit by digit: `String(format:)` per byte was a tenth of a logged-in request.
        let hex = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(token.utf8)) { text += [hex[Int(byte >> 4)], hex[Int(byte & 15)]] }
        return String(decoding: text, as: UTF8.self)
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
    /// Every request of a logged-in person asks this, so it is one plain SQL read decoded column by column
    /// (Fluent's models with an eager-loaded parent took two queries and most of the request's time), and
    /// future-based, so that the middleware asking it needs no task of its own.
    static func find(token: String, now: Date, lifetime: SessionLifetime, on db: any Database) -> EventLoopFuture<Current?> {
        guard isPlausible(token) else { return db.eventLoop.makeSucceededFuture(nil) }
        return find(tokenHash: hash(token), now: now, lifetime: lifetime, on: db)
    }

    /// Whether a cookie's value can be a token at all (longer ones are not looked up).
    static func isPlausible(_ token: String) -> Bool { !token.isEmpty && token.utf8.count <= 100 }

    static func find(tokenHash: String, now: Date, lifetime: SessionLifetime, on db: any Database) -> EventLoopFuture<Current?> {
        let sql = db as! any SQLDatabase
        return sql.raw("""
            SELECT s.id AS session_id, s.created_at, s.last_seen_at, s.csrf_token, u.id AS user_id, u.email, u.name, u.role, \
            u.disabled_at, u.created_at AS user_created_at, u.email_verified_at FROM \(ident: SessionModel.schema) s \
            JOIN \(ident: UserModel.schema) u ON u.id = s.user_id WHERE s.token_hash = \(bind: tokenHash)
            """).first().flatMap { row -> EventLoopFuture<Current?> in
            guard let row else { return db.eventLoop.makeSucceededFuture(nil) }
            do {
                let sessionID = try row.decode(column: "session_id", as: UUID.self)
                let lastSeen = try row.decode(column: "last_seen_at", as: Date.self)
                guard lifetime.isValid(created: try row.decode(column: "created_at", as: Date.self), lastSeen: lastSeen, now: now),
                      try row.decodeNil(column: "disabled_at") else {
                    return SessionModel.query(on: db).filter(\.$id == sessionID).delete().map { nil }
                }
                let current = Current(
                    account: Account(
                        id: try row.decode(column: "user_id", as: UUID.self), email: try row.decode(column: "email", as: String.self),
                        name: try row.decode(column: "name", as: String.self),
                        role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .member,
                        disabled: false, createdAt: try row.decode(column: "user_created_at", as: Date.self),
                        emailVerified: !(try row.decodeNil(column: "email_verified_at"))
                    ),
                    sessionID: sessionID, csrfToken: try row.decode(column: "csrf_token", as: String.self)
                )
                guard now.timeIntervalSince(lastSeen) >= 60 else { return db.eventLoop.makeSucceededFuture(current) }
                return sql.raw("UPDATE \(ident: SessionModel.schema) SET last_seen_at = \(bind: now) WHERE id = \(bind: sessionID)")
                    .run().map { current }
            } catch {
                return db.eventLoop.makeFailedFuture(error)
            }
        }
    }

    static func end(sessionID: UUID, on db: any Database) async throws {
        try await SessionModel.query(on: db).filter(\.$id == sessionID).delete()
    }

    static func endAll(userID: UUID, on db: any Database) async throws {
        try await SessionModel.query(on: db).filter(\.$user.$id == userID).delete()
    }
}

/// Login attempts per account and per address (`LoginThrottle` decides). An attempt is counted before its
/// password is checked, in a transaction that holds the keys' locks while it counts and records, so parallel
/// attempts cannot all pass a check that each of them alone would have failed: at most the limit of
/// attempts are ever checked in a window. A successful login takes its own attempt back.
enum LoginFailureQueries {
    static func keys(email: String, address: String?) -> [(key: String, throttle: LoginThrottle)] {
        var keys = [("account:" + EmailAddress.normalise(email), LoginThrottle.perAccount)]
        if let address { keys.append(("address:" + address, LoginThrottle.perAddress)) }
        return keys
    }

    enum Claim: Sendable, Equatable {
        /// The attempt is counted (its rows); check the password.
        case counted([UUID])
        /// Too many attempts: seconds to wait.
        case wait(Int)
    }

    /// Counts an attempt for the account and the address, unless either has used up its attempts.
    static func claim(email: String, address: String?, now: Date, on db: any Database) async throws -> Claim {
        try await claim(keys(email: email, address: address), now: now, on: db)
    }

    /// Counts an attempt under each key (a login's account and address, a sign-up's address), unless one of them
    /// has used up its attempts.
    static func claim(_ keys: [(key: String, throttle: LoginThrottle)], now: Date, on db: any Database) async throws -> Claim {
        try await db.writeTransaction(locking: keys.map(\.key)) { tx in
            var wait: Int?
            for (key, throttle) in keys {
                let since = now.addingTimeInterval(-throttle.window)
                let attempts = try await LoginFailureModel.query(on: tx).filter(\.$key == key).filter(\.$at > since).all(\.$at)
                if let seconds = throttle.retryAfter(failures: attempts, now: now) { wait = max(wait ?? 0, seconds) }
            }
            if let wait { return .wait(wait) }
            var ids: [UUID] = []
            for (key, _) in keys {
                let attempt = LoginFailureModel(key: key, at: now)
                try await attempt.create(on: tx)
                ids.append(try attempt.requireID())
            }
            // Old attempts count no more; drop them now and then.
            let oldest = now.addingTimeInterval(-max(LoginThrottle.perAccount.window, LoginThrottle.perAddress.window))
            try await LoginFailureModel.query(on: tx).filter(\.$at < oldest).delete()
            return .counted(ids)
        }
    }

    /// Takes back an attempt whose password was never checked.
    static func release(_ attempt: [UUID], on db: any Database) async throws {
        try await LoginFailureModel.query(on: db).filter(\.$id ~~ attempt).delete()
    }

    /// A successful login: its own attempt no longer counts, and the account's earlier failures are forgiven
    /// (not the address's).
    static func succeeded(email: String, attempt: [UUID], on db: any Database) async throws {
        try await db.writeTransaction { tx in
            try await LoginFailureModel.query(on: tx).filter(\.$id ~~ attempt).delete()
            try await LoginFailureModel.query(on: tx).filter(\.$key == "account:" + EmailAddress.normalise(email)).delete()
        }
    }
}
