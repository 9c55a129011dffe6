import Fluent
import Foundation

/// One saved revision of a material: the whole material as it was saved (content format JSON), who saved
/// it and how. Written in the transaction of the save; goes when the material is deleted.
final class MaterialRevisionModel: Model, @unchecked Sendable {
    static let schema = "material_revisions"

    // MARK: managed
    @ID(key: .id) var id: UUID?
    @Field(key: "saved_at") var savedAt: Date

    // MARK: data
    @Field(key: "revision") var revision: Int
    /// The account's e-mail address as text, so the history outlives a deleted account.
    @Field(key: "actor") var actor: String
    /// `AuditLog.Action` raw value: created, updated, restored, file added …
    @Field(key: "action") var action: String
    @Field(key: "snapshot") var snapshot: String

    // MARK: relationships
    @Parent(key: "material_id") var material: MaterialModel

    init() {}
}
