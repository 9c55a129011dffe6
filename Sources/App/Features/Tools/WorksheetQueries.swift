import Fluent
import Foundation
import SamspilCore
import SQLKit

/// A worksheet as stored, with its owner (enough of it for `Permissions` and for showing it) and its tool.
struct StoredWorksheet: Sendable {
    enum Owner: Sendable {
        case person(UUID)
        case organisation(StoredOrganisation)
        case partnership(StoredPartnership)
    }

    var id: UUID
    var title: String
    var toolID: UUID
    var toolSlug: String
    var toolTitle: String
    /// The version it is filled in on, and the tool's newest.
    var toolVersion: Int
    var newestVersion: Int
    var owner: Owner
    var shared: Bool
    var revision: Int
    var createdAt: Date
    var updatedAt: Date

    var ownerKind: WorksheetOwnerKind {
        switch owner {
        case .person: .person
        case .organisation: .organisation
        case .partnership: .partnership
        }
    }

    /// Who it belongs to, as a person reads it.
    var ownerName: String {
        switch owner {
        case .person: "Eget arbejdsark"
        case .organisation(let organisation): organisation.organisation.name
        case .partnership(let partnership): partnership.partnership.title
        }
    }

    var ownerHref: String? {
        switch owner {
        case .person: nil
        case .organisation(let organisation): SitePath.directory(.organisation(organisation.organisation.slug)).href
        case .partnership(let partnership): SitePath.partnership(.show(partnership.slug)).href
        }
    }

    var resource: WorksheetResource {
        switch owner {
        case .person(let id): WorksheetResource(owner: .person(id), shared: shared)
        case .organisation(let organisation): WorksheetResource(owner: .organisation(organisation.resource), shared: shared)
        case .partnership(let partnership): WorksheetResource(owner: .partnership(partnership.resource), shared: shared)
        }
    }
}

/// Reading worksheets, their answers, history and comments.
enum WorksheetQueries {
    struct StoredAnswer: Sendable, Equatable {
        var answer: WorksheetAnswer
        var revision: Int
        var updatedAt: Date
        var authorName: String
    }

    struct Event: Sendable, Equatable {
        var itemID: String
        var revision: Int
        var answer: WorksheetAnswer
        var at: Date
        var authorName: String
    }

    struct Comment: Sendable, Equatable {
        var itemID: String
        var authorName: String
        var body: String
        var at: Date
    }

    static func decode(_ json: String) -> WorksheetAnswer {
        (try? JSONDecoder().decode(WorksheetAnswer.self, from: Data(json.utf8))) ?? WorksheetAnswer()
    }

    static func encode(_ answer: WorksheetAnswer) throws -> String { try StoredJSON.text(answer) }

    static func find(id: UUID, on db: any Database) async throws -> StoredWorksheet? {
        guard let row = try await WorksheetModel.query(on: db).filter(\.$id == id).with(\.$tool).first() else { return nil }
        return try await stored(row, on: db)
    }

    private static func stored(_ row: WorksheetModel, on db: any Database) async throws -> StoredWorksheet? {
        let owner: StoredWorksheet.Owner
        if let partnership = row.$partnership.id {
            guard let found = try await PartnershipQueries.find(id: partnership, on: db) else { return nil }
            owner = .partnership(found)
        } else if let organisation = row.$organisation.id {
            guard let found = try await OrganisationStore.find(id: organisation, on: db) else { return nil }
            owner = .organisation(found)
        } else if let person = row.$user.id {
            owner = .person(person)
        } else {
            return nil
        }
        return StoredWorksheet(id: try row.requireID(), title: row.title, toolID: row.$tool.id, toolSlug: row.tool.slug, toolTitle: row.tool.title,
                               toolVersion: row.toolVersion, newestVersion: row.tool.version, owner: owner, shared: row.shared,
                               revision: row.revision, createdAt: row.createdAt, updatedAt: row.updatedAt)
    }

    /// The current answers by item id.
    /// (Plain SQL rather than Fluent's models: every save's reply reads them for the progress, bench/worksheets.)
    static func answers(_ worksheet: UUID, on db: any Database) async throws -> [String: StoredAnswer] {
        struct Row: Decodable { let item_id: String; let answer: String; let revision: Int; let updated_at: Date; let author_name: String }
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT item_id, answer, revision, updated_at, author_name FROM \(ident: WorksheetAnswerModel.schema) WHERE worksheet_id = \(bind: worksheet)
            """).all(decoding: Row.self)
        return Dictionary(rows.map { ($0.item_id, StoredAnswer(answer: decode($0.answer), revision: $0.revision, updatedAt: $0.updated_at,
                                                               authorName: $0.author_name)) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every save of one item (or of all items), oldest first.
    static func history(_ worksheet: UUID, item: String? = nil, on db: any Database) async throws -> [Event] {
        var query = WorksheetAnswerEventModel.query(on: db).filter(\.$worksheet.$id == worksheet)
        if let item { query = query.filter(\.$itemID == item) }
        return try await query.sort(\.$itemID).sort(\.$revision).all()
            .map { Event(itemID: $0.itemID, revision: $0.revision, answer: decode($0.answer), at: $0.at, authorName: $0.authorName) }
    }

    /// The comments on one item (or on all), oldest first.
    static func comments(_ worksheet: UUID, item: String? = nil, on db: any Database) async throws -> [Comment] {
        var query = WorksheetCommentModel.query(on: db).filter(\.$worksheet.$id == worksheet)
        if let item { query = query.filter(\.$itemID == item) }
        return try await query.sort(\.$createdAt).all()
            .map { Comment(itemID: $0.itemID, authorName: $0.authorName, body: $0.body, at: $0.createdAt) }
    }

    struct Summary: Sendable {
        var id: UUID
        var title: String
        var toolSlug: String
        var toolTitle: String
        var ownerKind: WorksheetOwnerKind
        var ownerName: String
        var toolVersion: Int
        var newestVersion: Int
        var progress: WorksheetProgress
        var updatedAt: Date
        var shared: Bool
        /// The current answers (the coordinators' overview sums the scales and choices; it never shows free text).
        var answers: [String: WorksheetAnswer]
    }

    /// The worksheets a person fills in: their own, their organisations', their organisations' partnerships'; newest
    /// change first. `tool`: only those of one tool.
    static func forPerson(_ account: UUID, organisations: [UUID], tool: UUID? = nil, on db: any Database) async throws -> [Summary] {
        var condition: SQLQueryString = "(w.user_id = \(bind: account)"
        if !organisations.isEmpty {
            condition = condition + """
                 OR w.organisation_id IN (\(binds: organisations)) OR w.partnership_id IN (SELECT pp.partnership_id FROM \
                \(ident: PartnershipPartyModel.schema) pp WHERE pp.organisation_id IN (\(binds: organisations)))
                """
        }
        condition = condition + ")"
        if let tool { condition = condition + " AND w.tool_id = \(bind: tool)" }
        return try await summaries(condition, on: db)
    }

    struct SummaryRow: Decodable {
        let id: UUID
        let title: String
        let tool_slug: String
        let tool_title: String
        let owner_kind: String
        let owner_name: String?
        let tool_version: Int
        let newest_version: Int
        let definition: String
        let shared: Bool
        let updated_at: Date
        let last_answer: Date?
    }

    /// Worksheets matching `condition` (over `w`), with their progress, newest change first.
    static func summaries(_ condition: SQLQueryString, on db: any Database) async throws -> [Summary] {
        let sql = db as! any SQLDatabase
        let rows = try await sql.raw("""
            SELECT w.id, w.title, t.slug AS tool_slug, t.title AS tool_title, w.owner_kind, COALESCE(o.name, p.title) AS owner_name, \
            w.tool_version, t.version AS newest_version, v.definition, w.shared, w.updated_at, \
            (SELECT MAX(a.updated_at) FROM \(ident: WorksheetAnswerModel.schema) a WHERE a.worksheet_id = w.id) AS last_answer \
            FROM \(ident: WorksheetModel.schema) w JOIN \(ident: ToolModel.schema) t ON t.id = w.tool_id \
            JOIN \(ident: ToolVersionModel.schema) v ON v.tool_id = w.tool_id AND v.number = w.tool_version \
            LEFT JOIN \(ident: OrganisationModel.schema) o ON o.id = w.organisation_id \
            LEFT JOIN \(ident: PartnershipModel.schema) p ON p.id = w.partnership_id \
            WHERE 
            """ + condition).all(decoding: SummaryRow.self)
        guard !rows.isEmpty else { return [] }
        struct AnswerRow: Decodable { let worksheet_id: UUID; let item_id: String; let answer: String }
        let answerRows = try await sql.raw("""
            SELECT worksheet_id, item_id, answer FROM \(ident: WorksheetAnswerModel.schema) WHERE worksheet_id IN (\(binds: rows.map(\.id)))
            """).all(decoding: AnswerRow.self)
        let answers = Dictionary(grouping: answerRows, by: \.worksheet_id)
        var definitions: [String: ToolDefinition] = [:]
        return try rows.map { row in
            let definition = try definitions[row.definition] ?? ToolQueries.decode(row.definition)
            definitions[row.definition] = definition
            let given = Dictionary((answers[row.id] ?? []).map { ($0.item_id, decode($0.answer)) }, uniquingKeysWith: { first, _ in first })
            return Summary(id: row.id, title: row.title, toolSlug: row.tool_slug, toolTitle: row.tool_title,
                           ownerKind: WorksheetOwnerKind(rawValue: row.owner_kind) ?? .person,
                           ownerName: row.owner_name ?? "Eget arbejdsark", toolVersion: row.tool_version, newestVersion: row.newest_version,
                           progress: definition.progress(given).overall, updatedAt: max(row.updated_at, row.last_answer ?? row.updated_at),
                           shared: row.shared, answers: given)
        }.sorted { ($0.updatedAt, $0.id.uuidString) > ($1.updatedAt, $1.id.uuidString) }
    }

    /// The worksheets the coordinators of a municipality follow: those of its schools and of partnerships with one of
    /// its schools as a party.
    static func forMunicipality(_ code: String, on db: any Database) async throws -> [Summary] {
        try await summaries("""
            (w.organisation_id IN (SELECT o2.id FROM \(ident: OrganisationModel.schema) o2 WHERE o2.kind = \(bind: OrganisationKind.school.rawValue) \
            AND o2.municipality_code = \(bind: code)) OR w.partnership_id IN (SELECT pp.partnership_id FROM \(ident: PartnershipPartyModel.schema) pp \
            JOIN \(ident: OrganisationModel.schema) o3 ON o3.id = pp.organisation_id WHERE o3.kind = \(bind: OrganisationKind.school.rawValue) \
            AND o3.municipality_code = \(bind: code)))
            """, on: db)
    }
}
