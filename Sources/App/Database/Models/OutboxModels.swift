import Fluent
import Foundation

/// An e-mail waiting to be sent, or sent. Written in the transaction of whatever caused it, delivered by a
/// background loop (`Outbox.deliverPending`); a message whose transport failed stays and is tried again.
final class OutboxMessageModel: Model, @unchecked Sendable {
    static let schema = "outbox_messages"

    // MARK: managed
    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date

    // MARK: data
    @Field(key: "recipient") var recipient: String
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    @OptionalField(key: "sent_at") var sentAt: Date?
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "last_error") var lastError: String?
    /// Set by the process delivering it, so two processes do not send it twice.
    @OptionalField(key: "claimed_until") var claimedUntil: Date?

    init() {}
}

/// A "forgot password" link: single use, expires. The link holds a random token; only its SHA-256 is stored.
final class PasswordResetModel: Model, @unchecked Sendable {
    static let schema = "password_resets"

    // MARK: managed
    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date

    // MARK: data
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?

    // MARK: relationships
    @Parent(key: "user_id") var user: UserModel

    init() {}
}

/// A request for a password reset link as the form received it, before anyone looked at whether the address
/// has an account (`PasswordResetQueries.processRequests` does that later, and deletes the row).
final class PasswordResetRequestModel: Model, @unchecked Sendable {
    static let schema = "password_reset_requests"

    // MARK: managed
    @ID(key: .id) var id: UUID?
    @Field(key: "requested_at") var requestedAt: Date

    // MARK: data
    @Field(key: "email") var email: String

    init() {}

    init(email: String, at: Date) {
        id = UUID()
        self.email = email
        requestedAt = at
    }
}
