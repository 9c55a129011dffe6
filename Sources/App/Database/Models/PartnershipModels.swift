import Fluent
import Foundation

/// A form from the partnership typology (`PartnershipForm`), kept as data so administrators can change the list.
final class PartnershipFormModel: Model, @unchecked Sendable {
    static let schema = "partnership_forms"

    @ID(key: .id) var id: UUID?
    @Field(key: "slug") var slug: String
    @Field(key: "name") var name: String
    @Field(key: "description") var description: String
    @Field(key: "position") var position: Int

    init() {}
}

/// A partnership (`Partnership` in the domain), its state and the agreement versions it has reached.
final class PartnershipModel: Model, @unchecked Sendable {
    static let schema = "partnerships"

    // MARK: managed
    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    /// Raised by every change to the partnership or its agreement (the API's ETag and `If-Match`).
    @Field(key: "revision") var revision: Int
    /// The account that started it; nil once that account is deleted.
    @OptionalField(key: "created_by") var createdBy: UUID?

    // MARK: data
    @Field(key: "slug") var slug: String
    @Field(key: "title") var title: String
    @Field(key: "summary") var summary: String
    @Field(key: "form") var form: String
    /// "2026/27,2027/28"
    @Field(key: "school_years") var schoolYears: String
    @Field(key: "purpose") var purpose: String
    @Field(key: "goals") var goals: String
    /// Newline-separated.
    @Field(key: "subjects") var subjects: String
    @Field(key: "grade_levels") var gradeLevels: String
    @OptionalField(key: "classes_expected") var classesExpected: Int?
    @OptionalField(key: "pupils_expected") var pupilsExpected: Int?
    @Field(key: "state") var state: String
    /// The newest agreement version's number; 0 before the first.
    @Field(key: "agreement_version") var agreementVersion: Int
    /// The newest version every party has accepted; nil before that.
    @OptionalField(key: "accepted_version") var acceptedVersion: Int?
    /// The partnership this one renews (the previous period).
    @OptionalField(key: "renewed_from") var renewedFrom: UUID?
    /// Set when every party has consented: the partnership is public as a case.
    @OptionalField(key: "published_at") var publishedAt: Date?
    /// The `CaseField`s proposed for the public case, comma-separated; "" while none is proposed.
    @Field(key: "case_fields") var caseFields: String

    init() {}
}

/// An organisation taking part in a partnership, with its role there.
final class PartnershipPartyModel: Model, @unchecked Sendable {
    static let schema = "partnership_parties"

    @ID(key: .id) var id: UUID?
    @Field(key: "added_at") var addedAt: Date
    @Parent(key: "partnership_id") var partnership: PartnershipModel
    @Parent(key: "organisation_id") var organisation: OrganisationModel
    /// What the organisation does in the partnership, in the parties' words ("Skole", "Værtsmuseum").
    @Field(key: "role") var role: String
    @Field(key: "position") var position: Int
    /// When the party consented to publishing the partnership as a case; nil: not (or no longer).
    @OptionalField(key: "publish_consent_at") var publishConsentAt: Date?

    init() {}
}

/// An invitation by e-mail to an organisation that is not (yet) a party, perhaps not yet registered: whoever takes
/// it adds one of their organisations as a party.
final class PartnershipInvitationModel: Model, @unchecked Sendable {
    static let schema = "partnership_invitations"

    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Parent(key: "partnership_id") var partnership: PartnershipModel
    /// Normalised.
    @Field(key: "email") var email: String
    /// The organisation's name as the inviter wrote it.
    @Field(key: "organisation_name") var organisationName: String
    @Field(key: "role") var role: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?
    @Field(key: "invited_by") var invitedBy: String

    init() {}
}

/// One entry of a partnership's history: a step in its life cycle, an agreement version, an acceptance, a party.
/// Who did it is kept as their name, as text (as the audit log keeps addresses).
final class PartnershipEventModel: Model, @unchecked Sendable {
    static let schema = "partnership_events"

    @ID(key: .id) var id: UUID?
    @Field(key: "at") var at: Date
    @Parent(key: "partnership_id") var partnership: PartnershipModel
    /// 0, 1, 2 … per partnership; written while the partnership's row is claimed, so it never repeats.
    @Field(key: "sequence") var sequence: Int
    @Field(key: "kind") var kind: String
    @OptionalField(key: "from_state") var fromState: String?
    @OptionalField(key: "to_state") var toState: String?
    @Field(key: "actor_name") var actorName: String
    @Field(key: "actor_email") var actorEmail: String
    @Field(key: "comment") var comment: String

    init() {}
}

/// One version of a partnership's agreement; versions are never changed, a change makes the next one.
final class AgreementVersionModel: Model, @unchecked Sendable {
    static let schema = "agreement_versions"

    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Parent(key: "partnership_id") var partnership: PartnershipModel
    @Field(key: "number") var number: Int
    /// The `Agreement` as JSON.
    @Field(key: "body") var body: String
    @Field(key: "author_name") var authorName: String
    @Field(key: "author_email") var authorEmail: String

    init() {}
}

/// A party's acceptance of one agreement version, by a person with a deciding role in that party.
final class AgreementAcceptanceModel: Model, @unchecked Sendable {
    static let schema = "agreement_acceptances"

    @ID(key: .id) var id: UUID?
    @Field(key: "accepted_at") var acceptedAt: Date
    @Parent(key: "partnership_id") var partnership: PartnershipModel
    @Field(key: "version") var version: Int
    @Parent(key: "organisation_id") var organisation: OrganisationModel
    @Field(key: "person_name") var personName: String
    @Field(key: "person_email") var personEmail: String

    init() {}
}

/// A dated activity of a partnership (`Activity`).
final class PartnershipActivityModel: Model, @unchecked Sendable {
    static let schema = "partnership_activities"

    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @Field(key: "revision") var revision: Int
    @Parent(key: "partnership_id") var partnership: PartnershipModel
    @Field(key: "title") var title: String
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "ends_at") var endsAt: Date
    @Field(key: "place") var place: String
    @Field(key: "classes") var classes: String
    @OptionalField(key: "grade_level") var gradeLevel: String?
    @OptionalField(key: "pupils") var pupils: Int?
    @OptionalField(key: "subject") var subject: String?
    @Field(key: "teacher") var teacher: String
    @Field(key: "status") var status: String

    init() {}
}

/// A comment in a partnership's thread.
final class PartnershipCommentModel: Model, @unchecked Sendable {
    static let schema = "partnership_comments"

    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Parent(key: "partnership_id") var partnership: PartnershipModel
    @OptionalParent(key: "user_id") var user: UserModel?
    @Field(key: "author_name") var authorName: String
    @Field(key: "body") var body: String

    init() {}
}

/// One party's answers to an evaluation: after an activity (`occasion` is the activity's id) or at the end of
/// the period (`occasion` "periode").
final class EvaluationAnswerModel: Model, @unchecked Sendable {
    static let schema = "evaluation_answers"

    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @Parent(key: "partnership_id") var partnership: PartnershipModel
    @Field(key: "occasion") var occasion: String
    @Parent(key: "organisation_id") var organisation: OrganisationModel
    @OptionalParent(key: "user_id") var user: UserModel?
    @Field(key: "person_name") var personName: String
    /// Answers by question id, as JSON.
    @Field(key: "answers") var answers: String

    init() {}
}

/// A secret calendar address of one person: their own activities, one partnership's or one organisation's.
final class CalendarFeedModel: Model, @unchecked Sendable {
    static let schema = "calendar_feeds"

    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Parent(key: "user_id") var user: UserModel
    /// "person", "partnership:<id>" or "organisation:<id>".
    @Field(key: "scope") var scope: String
    @Field(key: "token_hash") var tokenHash: String

    init() {}
}

/// A document shared in a partnership: a file of the shared file store (`stored_files`, the upload machinery of
/// materials) that only those who may see the partnership can download.
final class PartnershipDocumentModel: Model, @unchecked Sendable {
    static let schema = "partnership_documents"

    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Parent(key: "partnership_id") var partnership: PartnershipModel
    @Parent(key: "file_id") var file: StoredFileModel
    @Field(key: "title") var title: String
    @OptionalParent(key: "user_id") var user: UserModel?

    init() {}
}

/// How a person wants the mails about their partnerships: one by one (no row, or `digest` false) or gathered in
/// one mail a day.
final class NotificationSettingModel: Model, @unchecked Sendable {
    static let schema = "notification_settings"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: UserModel
    @Field(key: "digest") var digest: Bool
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

/// A notification waiting for a person's daily digest.
final class PendingNotificationModel: Model, @unchecked Sendable {
    static let schema = "pending_notifications"

    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Parent(key: "user_id") var user: UserModel
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String

    init() {}
}
