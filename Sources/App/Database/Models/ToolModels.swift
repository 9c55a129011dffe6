import Fluent
import Foundation

/// A tool (issue 14). Its definition lives in its versions; the row holds what lists and the material page need
/// (title, the material it belongs to, whether it is published) and the newest version's number.
final class ToolModel: Model, @unchecked Sendable {
    static let schema = "tools"

    @ID(key: .id) var id: UUID?
    @Field(key: "slug") var slug: String
    @Field(key: "title") var title: String
    /// The slug of the material the tool comes from (no foreign key: a material may be renamed or removed while
    /// the tool stays; the link is then simply not shown).
    @OptionalField(key: "material_slug") var materialSlug: String?
    /// `PublicationStatus`: drafts are seen by editors only.
    @Field(key: "status") var status: String
    /// The number of the newest version.
    @Field(key: "version") var version: Int
    /// Raised by every change; `If-Match` and the editors' form compare it.
    @Field(key: "revision") var revision: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

/// One version of a tool's definition, as JSON (`ToolDefinition`). Never changed once written: worksheets keep
/// the version they were started on.
final class ToolVersionModel: Model, @unchecked Sendable {
    static let schema = "tool_versions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "tool_id") var tool: ToolModel
    @Field(key: "number") var number: Int
    @Field(key: "definition") var definition: String
    @Field(key: "created_at") var createdAt: Date
    /// Who saved it, as text (like a material's revisions).
    @Field(key: "author_email") var authorEmail: String
    @Field(key: "author_name") var authorName: String

    init() {}
}

/// A worksheet: a tool filled in by a partnership, an organisation or one person.
final class WorksheetModel: Model, @unchecked Sendable {
    static let schema = "worksheets"

    @ID(key: .id) var id: UUID?
    @Parent(key: "tool_id") var tool: ToolModel
    /// The version of the tool it is filled in on, until its owners move it to a newer one.
    @Field(key: "tool_version") var toolVersion: Int
    @Field(key: "title") var title: String
    /// `WorksheetOwnerKind`; exactly one of the three owners below is set, the one of the kind.
    @Field(key: "owner_kind") var ownerKind: String
    @OptionalParent(key: "partnership_id") var partnership: PartnershipModel?
    @OptionalParent(key: "organisation_id") var organisation: OrganisationModel?
    @OptionalParent(key: "user_id") var user: UserModel?
    @OptionalParent(key: "created_by") var createdBy: UserModel?
    /// Whether the owners let the coordinators of their municipality read the free-text answers.
    @Field(key: "shared") var shared: Bool
    /// Raised by moving, sharing and renaming (not by answers, which have their own revisions).
    @Field(key: "revision") var revision: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

/// The current answer to one item of a worksheet; its revision guards against overwriting a change made in between.
final class WorksheetAnswerModel: Model, @unchecked Sendable {
    static let schema = "worksheet_answers"

    @ID(key: .id) var id: UUID?
    @Parent(key: "worksheet_id") var worksheet: WorksheetModel
    @Field(key: "item_id") var itemID: String
    /// `WorksheetAnswer` as JSON.
    @Field(key: "answer") var answer: String
    @Field(key: "revision") var revision: Int
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalParent(key: "user_id") var user: UserModel?
    @Field(key: "author_name") var authorName: String

    init() {}
}

/// Every saved answer of an item, in order: the item's history, and the record that no acknowledged save was lost.
final class WorksheetAnswerEventModel: Model, @unchecked Sendable {
    static let schema = "worksheet_answer_events"

    @ID(key: .id) var id: UUID?
    @Parent(key: "worksheet_id") var worksheet: WorksheetModel
    @Field(key: "item_id") var itemID: String
    /// The answer's revision this save made.
    @Field(key: "revision") var revision: Int
    @Field(key: "answer") var answer: String
    @Field(key: "at") var at: Date
    @OptionalParent(key: "user_id") var user: UserModel?
    @Field(key: "author_name") var authorName: String

    init() {}
}

/// A comment on one item of a worksheet.
final class WorksheetCommentModel: Model, @unchecked Sendable {
    static let schema = "worksheet_comments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "worksheet_id") var worksheet: WorksheetModel
    @Field(key: "item_id") var itemID: String
    @Parent(key: "user_id") var user: UserModel
    @Field(key: "author_name") var authorName: String
    @Field(key: "body") var body: String
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
