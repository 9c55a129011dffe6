import Fluent
import Foundation

/// Who changed what, and when: written in the transaction of the change. The actor is kept as text (the
/// e-mail address at the time), so the log stays readable after an account is deleted.
final class AuditEventModel: Model, @unchecked Sendable {
    static let schema = "audit_events"

    // MARK: managed
    @ID(key: .id) var id: UUID?
    @Field(key: "at") var at: Date

    // MARK: data
    @Field(key: "actor") var actor: String
    /// What happened, e.g. "material.create".
    @Field(key: "action") var action: String
    /// What it happened to: a material's slug, an account's e-mail address.
    @Field(key: "subject") var subject: String

    init() {}
}
