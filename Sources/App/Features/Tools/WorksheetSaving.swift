import Fluent
import Foundation
import SamspilCore
import SQLKit

/// Every change to a worksheet, from the pages, the script and the API alike. `Permissions` decide; an answer is
/// saved per item against the revision it was based on — the item's row is the claim, so two people answering
/// different items never wait for or overwrite each other, and of two saves of one item based on the same revision
/// exactly one lands and the other is told (`.stale`) with its text kept by the caller. Every saved answer is also
/// written to the item's history in the same transaction.
enum WorksheetSaving {
    // MARK: finding and asking

    /// The worksheet of the id if the person may see it; otherwise 404, as if it did not exist.
    static func visible(_ rawID: String, actor: Actor, on db: any Database) async throws -> StoredWorksheet {
        guard let id = UUID(uuidString: rawID), let stored = try await WorksheetQueries.find(id: id, on: db),
              Permissions.allows(actor, .view, on: stored.resource) else {
            throw SamspilError.notFound("Arbejdsarket findes ikke, eller du har ikke adgang til det.")
        }
        return stored
    }

    static func require(_ actor: Actor, _ action: WorksheetAction, on stored: StoredWorksheet) throws {
        guard Permissions.allows(actor, action, on: stored.resource) else {
            if actor.account != nil && !actor.verified {
                throw SamspilError.unverified
            }
            throw SamspilError.forbidden("Du kan læse arbejdsarket, men kun dem, det tilhører, kan udfylde det.")
        }
    }

    // MARK: starting

    /// Who a new worksheet is for: the person themself, one of their organisations, or a partnership they work in.
    enum NewOwner: Equatable, Sendable {
        case person
        case organisation(UUID)
        case partnership(UUID)
    }

    /// Starts a worksheet of the tool's newest version. `title` empty: the tool's title.
    static func start(tool slug: String, for owner: NewOwner, title rawTitle: String, by account: Account, now: Date,
                      on db: any Database) async throws -> UUID {
        guard let tool = try await ToolQueries.find(slug: slug, on: db), tool.status == .published else { throw ToolSaving.notFound(slug) }
        let actor = try await MembershipQueries.actor(for: account, on: db)
        let resource: WorksheetResource
        switch owner {
        case .person:
            resource = WorksheetResource(owner: .person(account.id))
        case .organisation(let id):
            guard let organisation = try await OrganisationStore.find(id: id, on: db) else { throw ownerProblem }
            resource = WorksheetResource(owner: .organisation(organisation.resource))
        case .partnership(let id):
            guard let partnership = try await PartnershipQueries.find(id: id, on: db) else { throw ownerProblem }
            // As on the partnership's page: a closed partnership is read, not worked in.
            if partnership.state.isClosed {
                throw SamspilError.conflict("Partnerskabet er \(partnership.state.label.lowercased()): start arbejdsarket i det nye partnerskab eller for jeres organisation.")
            }
            resource = WorksheetResource(owner: .partnership(partnership.resource))
        }
        guard Permissions.allows(actor, .fill, on: resource) else {
            if !actor.verified { throw SamspilError.unverified }
            throw ownerProblem
        }
        let title = rawTitle.trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [FieldProblem] = []
        if title.count > WorksheetRules.titleMaxLength {
            problems.append(FieldProblem(field: "title", message: "Gør titlen kortere: den må højst have \(WorksheetRules.titleMaxLength) tegn."))
        }
        if let nul = TextRules.nulProblem(title) { problems.append(FieldProblem(field: "title", message: nul)) }
        guard problems.isEmpty else { throw SamspilError.unprocessable(problems) }
        let id = UUID()
        try await db.writeTransaction { tx in
            let row = WorksheetModel()
            row.id = id
            row.$tool.id = tool.id
            row.toolVersion = tool.version
            row.title = title.isEmpty ? tool.definition.title : title
            switch owner {
            case .person: row.ownerKind = WorksheetOwnerKind.person.rawValue; row.$user.id = account.id
            case .organisation(let organisation): row.ownerKind = WorksheetOwnerKind.organisation.rawValue; row.$organisation.id = organisation
            case .partnership(let partnership): row.ownerKind = WorksheetOwnerKind.partnership.rawValue; row.$partnership.id = partnership
            }
            row.$createdBy.id = account.id
            row.shared = false
            row.revision = 1
            row.createdAt = now
            row.updatedAt = now
            try await row.create(on: tx)
            try await AuditLog.record(.worksheetCreate, subject: "\(slug) \(id.uuidString)", by: account, now: now, on: tx)
        }
        return id
    }

    static let ownerProblem = SamspilError.invalid([FieldProblem(field: "owner", message: "Vælg dig selv, en af dine organisationer eller et partnerskab, du arbejder i.")])

    // MARK: answering

    /// Saves the answer to one item. `basedOn`: the item's revision the person started from (0: no answer yet); nil
    /// saves over whatever is there. Returns the new revision; `.stale` when someone else saved the item in between.
    @discardableResult
    static func saveAnswer(_ stored: StoredWorksheet, item itemID: String, _ answer: WorksheetAnswer, basedOn: Int?, by account: Account,
                           now: Date, on db: any Database) async throws -> Int {
        let actor = try await MembershipQueries.actor(for: account, on: db)
        try require(actor, .fill, on: stored)
        guard let definition = try await ToolQueries.definition(stored.toolID, version: stored.toolVersion, on: db),
              let item = definition.item(itemID), item.itemKind != .instruction else {
            throw SamspilError.notFound("Punktet \"\(itemID)\" findes ikke i arbejdsarket.")
        }
        let problems = WorksheetRules.problems(answer, for: item)
        guard problems.isEmpty else { throw SamspilError.unprocessable(problems) }
        let json = try WorksheetQueries.encode(answer)
        let author = account.shownName
        return try await db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            struct Saved: Decodable { let revision: Int }
            func update(_ condition: SQLQueryString) async throws -> Int? {
                try await sql.raw("""
                    UPDATE \(ident: WorksheetAnswerModel.schema) SET answer = \(bind: json), revision = revision + 1, updated_at = \(bind: now), \
                    user_id = \(bind: account.id), author_name = \(bind: author) \
                    WHERE worksheet_id = \(bind: stored.id) AND item_id = \(bind: itemID)
                    """ + condition + " RETURNING revision").first(decoding: Saved.self)?.revision
            }
            // The first answer of an item: of two at once, the unique (worksheet, item) lets one insert; the other
            // inserts nothing and is told.
            func insert() async throws -> Int? {
                try await sql.raw("""
                    INSERT INTO \(ident: WorksheetAnswerModel.schema) (id, worksheet_id, item_id, answer, revision, updated_at, user_id, author_name) \
                    VALUES (\(bind: UUID()), \(bind: stored.id), \(bind: itemID), \(bind: json), 1, \(bind: now), \(bind: account.id), \(bind: author)) \
                    ON CONFLICT (worksheet_id, item_id) DO NOTHING RETURNING revision
                    """).first(decoding: Saved.self)?.revision
            }
            let revision: Int?
            switch basedOn {
            case 0?: revision = try await insert()
            case let based?: revision = try await update(" AND revision = \(bind: based)")
            case nil:
                if let updated = try await update("") { revision = updated } else if let inserted = try await insert() { revision = inserted } else { revision = try await update("") }
            }
            guard let revision else {
                throw SamspilError.stale("Punktet er ændret af en anden, siden du hentede det. Se begge svar, og vælg, hvad der skal stå.")
            }
            try await recordSave(stored.id, item: itemID, revision: revision, answer: json, user: account.id, author: author, now: now, on: tx)
            return revision
        }
    }

    /// A save in the item's history (`worksheet_answer_events`), in the transaction that made it.
    private static func recordSave(_ worksheet: UUID, item: String, revision: Int, answer: String, user: UUID?, author: String, now: Date,
                                   on tx: any Database) async throws {
        let event = WorksheetAnswerEventModel()
        event.id = UUID()
        event.$worksheet.id = worksheet
        event.itemID = item
        event.revision = revision
        event.answer = answer
        event.at = now
        event.$user.id = user
        event.authorName = author
        try await event.create(on: tx)
    }

    static func comment(_ stored: StoredWorksheet, item itemID: String, body rawBody: String, by account: Account, now: Date,
                        on db: any Database) async throws {
        let actor = try await MembershipQueries.actor(for: account, on: db)
        try require(actor, .fill, on: stored)
        guard let definition = try await ToolQueries.definition(stored.toolID, version: stored.toolVersion, on: db), definition.item(itemID) != nil else {
            throw SamspilError.notFound("Punktet \"\(itemID)\" findes ikke i arbejdsarket.")
        }
        let body = rawBody.trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [FieldProblem] = []
        if body.isEmpty { problems.append(FieldProblem(field: "body", message: "Skriv en kommentar.")) }
        if body.count > WorksheetRules.commentMaxLength {
            problems.append(FieldProblem(field: "body", message: "Gør kommentaren kortere: den må højst have \(DanishText.number(WorksheetRules.commentMaxLength)) tegn."))
        }
        if let nul = TextRules.nulProblem(body) { problems.append(FieldProblem(field: "body", message: nul)) }
        guard problems.isEmpty else { throw SamspilError.unprocessable(problems) }
        let row = WorksheetCommentModel()
        row.id = UUID()
        row.$worksheet.id = stored.id
        row.itemID = itemID
        row.$user.id = account.id
        row.authorName = account.shownName
        row.body = body
        row.createdAt = now
        try await db.writeTransaction { tx in try await row.create(on: tx) }
    }

    // MARK: the worksheet as a whole

    /// Claims the worksheet's row for this transaction (raising its revision); `.stale` when it changed since `expected`.
    private static func claim(_ stored: StoredWorksheet, expected: Int?, now: Date, set: SQLQueryString = "", on tx: any Database) async throws {
        let condition: SQLQueryString = expected.map { " AND revision = \(bind: $0)" } ?? ""
        struct Claimed: Decodable { let revision: Int }
        guard try await (tx as! any SQLDatabase).raw("""
            UPDATE \(ident: WorksheetModel.schema) SET revision = revision + 1, updated_at = \(bind: now)
            """ + set + " WHERE id = \(bind: stored.id)" + condition + " RETURNING revision").first(decoding: Claimed.self) != nil else {
            throw SamspilError.stale("Arbejdsarket er ændret af en anden, siden du hentede det. Hent det igen.")
        }
    }

    /// Moves the worksheet to the tool's newest version. Answers to items that are still there, of the same kind and
    /// still valid, carry over; the others are cleared (a save in the item's history, by "Flytning til version N"), and
    /// every earlier answer stays readable in the history. Returns the items whose answers were cleared.
    @discardableResult
    static func moveToNewest(_ stored: StoredWorksheet, expectedRevision: Int?, by account: Account, now: Date, on db: any Database) async throws -> Set<String> {
        let actor = try await MembershipQueries.actor(for: account, on: db)
        try require(actor, .fill, on: stored)
        guard let tool = try await ToolQueries.find(id: stored.toolID, on: db),
              let older = try await ToolQueries.definition(stored.toolID, version: stored.toolVersion, on: db) else { throw ToolSaving.notFound(stored.toolSlug) }
        guard tool.version != stored.toolVersion else { return [] }
        return try await db.writeTransaction { tx in
            try await claim(stored, expected: expectedRevision, now: now, set: ", tool_version = \(bind: tool.version)", on: tx)
            let answers = try await WorksheetQueries.answers(stored.id, on: tx)
            let (_, dropped) = WorksheetRules.carriedOver(answers.filter { !$0.value.answer.isEmpty }.mapValues(\.answer), from: older, to: tool.definition)
            let mover = "Flytning til version \(tool.version)"
            let empty = try WorksheetQueries.encode(WorksheetAnswer())
            // Answers of items that are gone stay as they are (shown under "Punkter fra tidligere versioner"); answers
            // of items still there but no longer valid are cleared.
            for itemID in dropped.sorted() where tool.definition.item(itemID) != nil {
                struct Saved: Decodable { let revision: Int }
                guard let revision = try await (tx as! any SQLDatabase).raw("""
                    UPDATE \(ident: WorksheetAnswerModel.schema) SET answer = \(bind: empty), revision = revision + 1, updated_at = \(bind: now), \
                    author_name = \(bind: mover), user_id = NULL WHERE worksheet_id = \(bind: stored.id) AND item_id = \(bind: itemID) RETURNING revision
                    """).first(decoding: Saved.self)?.revision else { continue }
                try await recordSave(stored.id, item: itemID, revision: revision, answer: empty, user: nil, author: mover, now: now, on: tx)
            }
            try await AuditLog.record(.worksheetMove, subject: "\(stored.toolSlug) \(stored.id.uuidString) v\(tool.version)", by: account, now: now, on: tx)
            return dropped
        }
    }

    /// Lets the coordinators of the owners' municipality read the free-text answers, or stops it.
    static func share(_ stored: StoredWorksheet, _ shared: Bool, by account: Account, now: Date, on db: any Database) async throws {
        let actor = try await MembershipQueries.actor(for: account, on: db)
        try require(actor, .fill, on: stored)
        try await db.writeTransaction { tx in
            try await claim(stored, expected: nil, now: now, set: ", shared = \(bind: shared)", on: tx)
            try await AuditLog.record(.worksheetShare, subject: "\(stored.id.uuidString) \(shared ? "delt" : "ikke delt")", by: account, now: now, on: tx)
        }
    }

    static func delete(_ stored: StoredWorksheet, by account: Account, now: Date, on db: any Database) async throws {
        let actor = try await MembershipQueries.actor(for: account, on: db)
        try require(actor, .fill, on: stored)
        try await db.writeTransaction { tx in
            try await WorksheetModel.query(on: tx).filter(\.$id == stored.id).delete()
            try await AuditLog.record(.worksheetDelete, subject: "\(stored.toolSlug) \(stored.id.uuidString)", by: account, now: now, on: tx)
        }
    }
}
