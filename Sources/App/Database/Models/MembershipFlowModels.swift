import Fluent
import Foundation

/// A person's request to join an organisation with a role, until its administrators (or, for a school, the
/// coordinators of its municipality) accept or decline it.
final class JoinRequestModel: Model, @unchecked Sendable {
    static let schema = "join_requests"

    // MARK: managed
    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date

    // MARK: data
    @Field(key: "role") var role: String
    @Field(key: "message") var message: String
    /// nil while open; then "accepted" or "declined".
    @OptionalField(key: "outcome") var outcome: String?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    /// Who decided (their e-mail address as text, as the audit log keeps it).
    @OptionalField(key: "decided_by") var decidedBy: String?

    // MARK: relationships
    @Parent(key: "user_id") var user: UserModel
    @Parent(key: "organisation_id") var organisation: OrganisationModel

    init() {}
}

/// An invitation by e-mail to join an organisation with a role: single use, valid for a week.
final class InvitationModel: Model, @unchecked Sendable {
    static let schema = "invitations"

    // MARK: managed
    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date

    // MARK: data
    /// Normalised (`EmailAddress.normalise`).
    @Field(key: "email") var email: String
    @Field(key: "role") var role: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?
    /// Who invited (their e-mail address as text).
    @Field(key: "invited_by") var invitedBy: String

    // MARK: relationships
    @Parent(key: "organisation_id") var organisation: OrganisationModel

    init() {}
}
