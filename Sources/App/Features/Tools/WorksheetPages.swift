import Fluent
import Foundation
import SamspilCore
import Vapor

/// A worksheet's pages: the sheet with one form per item, an item's page (history, comments, the conflict choice),
/// moving to the tool's newest version, sharing, print, CSV and JSON. Every change goes through `WorksheetSaving`.
/// The script (`worksheet.js`) posts the same item forms and asks for JSON (`Accept: application/json`).
enum WorksheetPages {
    static func register(on members: any RoutesBuilder) {
        let id = ":worksheet"
        let item = ":item"
        members.get(SitePath.tool(.worksheets).pattern, use: mine)
        members.get(SitePath.tool(.worksheet(id)).pattern, use: show)
        members.get(SitePath.tool(.item(id, item)).pattern, use: showItem)
        members.post(SitePath.tool(.item(id, item)).pattern, use: saveItem)
        members.post(SitePath.tool(.itemComment(id, item)).pattern, use: comment)
        members.get(SitePath.tool(.print(id)).pattern, use: printView)
        members.get(SitePath.tool(.csv(id)).pattern, use: csv)
        members.get(SitePath.tool(.json(id)).pattern, use: json)
        members.post(SitePath.tool(.move(id)).pattern, use: move)
        members.post(SitePath.tool(.share(id)).pattern, use: share)
        members.post(SitePath.tool(.delete(id)).pattern, use: delete)
    }

    /// What a redirect back to the worksheet tells.
    enum Notice: String, CaseIterable {
        case started = "startet", saved = "gemt", commented = "kommentar", moved = "flyttet", shared = "delt", unshared = "ikke-delt"

        var text: String {
            switch self {
            case .started: "Arbejdsarket er startet. Alle, der hører til det, kan nu udfylde det."
            case .saved: "Svaret er gemt."
            case .commented: "Kommentaren er gemt."
            case .moved: "Arbejdsarket bruger nu værktøjets nyeste version. Svar på uændrede punkter er bevaret."
            case .shared: "Kommunens koordinatorer kan nu læse arbejdsarkets svar."
            case .unshared: "Kommunens koordinatorer kan ikke længere læse arbejdsarkets fritekstsvar."
            }
        }
    }

    struct Context {
        var session: SessionQueries.Current
        var actor: Actor
        var stored: StoredWorksheet
        var definition: ToolDefinition
        var now: Date
        var mayFill: Bool
    }

    /// The logged-in person and the worksheet of the path, which they must be allowed to see (404 otherwise).
    static func context(_ req: Request) async throws -> Context {
        let session = try req.requireSession()
        let actor = try await MembershipQueries.actor(for: session.account, on: req.db)
        let stored = try await WorksheetSaving.visible(req.parameters.get("worksheet") ?? "", actor: actor, on: req.db)
        guard let definition = try await ToolQueries.definition(stored.toolID, version: stored.toolVersion, on: req.db) else {
            throw ToolSaving.notFound(stored.toolSlug)
        }
        return Context(session: session, actor: actor, stored: stored, definition: definition, now: req.application.samspil.clock(),
                       mayFill: Permissions.allows(actor, .fill, on: stored.resource))
    }

    static func back(_ req: Request, _ stored: StoredWorksheet, _ notice: Notice, item: String? = nil) -> Response {
        req.redirect(to: SitePath.tool(.worksheet(stored.id.uuidString)).href(notice: notice) + (item.map { "#punkt-\($0)" } ?? ""), redirectType: .normal)
    }

    /// Whether the script asked (it wants JSON, not a page).
    static func wantsJSON(_ req: Request) -> Bool {
        // Only an explicit application/json: `HTTPMediaType ==` lets "*/*" (sent by every browser) match JSON.
        req.headers.accept.mediaTypes.contains { $0.type.lowercased() == "application" && $0.subType.lowercased() == "json" }
    }

    // MARK: lists

    static func mine(_ req: Request) async throws -> Response {
        let session = try req.requireSession()
        let memberships = try await MembershipQueries.forUser(session.account.id, on: req.db)
        let worksheets = try await WorksheetQueries.forPerson(session.account.id, organisations: memberships.map(\.organisationID), on: req.db)
        let tools = try await ToolQueries.all(includingDrafts: false, on: req.db)
        let municipalities = memberships.filter { $0.kind == .municipality && $0.role == .coordinator }.map { (name: $0.organisationName, slug: $0.organisationSlug) }
        return PageLayout.privateResponse(MyWorksheetsView.render(.init(worksheets: worksheets, tools: tools.map { ($0.slug, $0.definition.title) },
                                                                        municipalities: municipalities), site: req.site))
    }

    // MARK: the worksheet

    static func show(_ req: Request) async throws -> Response {
        let context = try await context(req)
        let model = try await pageModel(context, notice: req.query[String.self, at: "besked"].flatMap(Notice.init(rawValue:)), on: req.db)
        return PageLayout.privateResponse(WorksheetView.render(model, site: req.site))
    }

    static func pageModel(_ context: Context, notice: Notice?, on db: any Database) async throws -> WorksheetView.Model {
        let answers = try await WorksheetQueries.answers(context.stored.id, on: db)
        let comments = try await WorksheetQueries.comments(context.stored.id, on: db)
        var newer: WorksheetView.Newer?
        if context.stored.newestVersion != context.stored.toolVersion, let tool = try await ToolQueries.find(id: context.stored.toolID, on: db) {
            let given = answers.filter { !$0.value.answer.isEmpty }.mapValues(\.answer)
            let (kept, dropped) = WorksheetRules.carriedOver(given, from: context.definition, to: tool.definition)
            newer = .init(version: tool.version, kept: kept.count, dropped: dropped.count,
                          added: tool.definition.items.filter { context.definition.item($0.item.id) == nil }.count)
        }
        // Answers to items of earlier versions stay readable.
        let earlier = answers.filter { context.definition.item($0.key) == nil && !$0.value.answer.isEmpty }
        // Their questions, from the newest earlier version that had them (versions are cached: no query once read).
        var earlierTexts: [String: String] = [:]
        for version in stride(from: context.stored.toolVersion - 1, through: 1, by: -1) where earlierTexts.count < earlier.count {
            guard let older = try await ToolQueries.definition(context.stored.toolID, version: version, on: db) else { continue }
            for id in earlier.keys where earlierTexts[id] == nil { if let item = older.item(id) { earlierTexts[id] = item.text } }
        }
        return WorksheetView.Model(stored: context.stored, definition: context.definition, answers: answers,
                                   commentCounts: Dictionary(grouping: comments, by: \.itemID).mapValues(\.count), earlier: earlier, earlierTexts: earlierTexts,
                                   newer: newer, mayFill: context.mayFill, csrf: context.session.csrfToken, notice: notice)
    }

    // MARK: an item

    static func showItem(_ req: Request) async throws -> Response {
        let context = try await context(req)
        let itemID = req.parameters.get("item") ?? ""
        let model = try await itemModel(context, itemID: itemID, on: req.db)
        return PageLayout.privateResponse(WorksheetItemView.render(model, site: req.site))
    }

    static func itemModel(_ context: Context, itemID: String, on db: any Database) async throws -> WorksheetItemView.Model {
        let history = try await WorksheetQueries.history(context.stored.id, item: itemID, on: db)
        // An item of an earlier version is shown from the version its last save was made in.
        var item = context.definition.item(itemID)
        if item == nil, !history.isEmpty {
            for version in (1..<max(context.stored.toolVersion, 1)).reversed() {
                if let found = try await ToolQueries.definition(context.stored.toolID, version: version, on: db)?.item(itemID) { item = found; break }
            }
        }
        guard let item else { throw SamspilError.notFound("Punktet \"\(itemID)\" findes ikke i arbejdsarket.") }
        let current = try await WorksheetQueries.answers(context.stored.id, on: db)[itemID]
        return WorksheetItemView.Model(
            stored: context.stored, item: item, inCurrentVersion: context.definition.item(itemID) != nil,
            section: context.definition.sections.first { $0.items.contains { $0.id == itemID } }?.title,
            current: current, form: AnswerForm(current?.answer ?? WorksheetAnswer(), basedOn: current?.revision ?? 0),
            history: history, comments: try await WorksheetQueries.comments(context.stored.id, item: itemID, on: db),
            mayFill: context.mayFill, csrf: context.session.csrfToken)
    }

    /// What the script gets back for a save.
    struct Saved: Content {
        var revision: Int
        var status: String
        var done: Int
        var total: Int
    }

    struct Refused: Content {
        var errors: [String]
    }

    struct Conflict: Content {
        var conflict: Bool
        var url: String
    }

    static func saveItem(_ req: Request) async throws -> Response {
        let posted = req.postedForm(or: AnswerForm())
        try CSRF.verify(req, sent: posted._csrf)
        let context = try await context(req)
        let itemID = req.parameters.get("item") ?? ""
        guard let item = context.definition.item(itemID), item.itemKind != .instruction else {
            throw SamspilError.notFound("Punktet \"\(itemID)\" findes ikke i arbejdsarket.")
        }
        var (answer, problems) = posted.answer(for: item)
        if posted.revision == nil { problems.append(FieldProblem(field: "basedOn", message: "Formularen mangler svarets version. Hent siden igen.")) }
        do {
            guard problems.isEmpty else { throw SamspilError.unprocessable(problems) }
            let revision = try await WorksheetSaving.saveAnswer(context.stored, item: itemID, answer, basedOn: posted.revision,
                                                                by: context.session.account, now: context.now, on: req.db)
            guard wantsJSON(req) else { return back(req, context.stored, .saved, item: itemID) }
            let answers = try await WorksheetQueries.answers(context.stored.id, on: req.db).mapValues(\.answer)
            let progress = context.definition.progress(answers).overall
            return try await Saved(revision: revision, status: "Gemt kl. \(DanishDate.time(context.now))", done: progress.done, total: progress.total)
                .encodeResponse(for: req)
        } catch SamspilError.unprocessable(let found) {
            if wantsJSON(req) { return try await Refused(errors: found.map(\.message)).encodeResponse(status: .unprocessableEntity, for: req) }
            var model = try await itemModel(context, itemID: itemID, on: req.db)
            model.form = posted
            model.errors = found
            return PageLayout.privateResponse(WorksheetItemView.render(model, site: req.site), status: .unprocessableEntity)
        } catch SamspilError.stale {
            // The script sends the person to the item's page, where the form is posted again without it.
            if wantsJSON(req) {
                return try await Conflict(conflict: true, url: SitePath.tool(.item(context.stored.id.uuidString, itemID)).href)
                    .encodeResponse(status: .conflict, for: req)
            }
            // Both answers side by side: theirs as saved, the person's own in the form, based on theirs now.
            var model = try await itemModel(context, itemID: itemID, on: req.db)
            var mine = posted
            mine.basedOn = String(model.current?.revision ?? 0)
            model.form = mine
            model.conflict = answer
            return PageLayout.privateResponse(WorksheetItemView.render(model, site: req.site), status: .conflict)
        }
    }

    static func comment(_ req: Request) async throws -> Response {
        let form = try CSRF.verifiedFields(req)
        let context = try await context(req)
        let itemID = req.parameters.get("item") ?? ""
        do {
            try await WorksheetSaving.comment(context.stored, item: itemID, body: form["body"] ?? "", by: context.session.account, now: context.now, on: req.db)
        } catch SamspilError.unprocessable(let problems) {
            var model = try await itemModel(context, itemID: itemID, on: req.db)
            model.commentDraft = form["body"] ?? ""
            model.commentErrors = problems
            return PageLayout.privateResponse(WorksheetItemView.render(model, site: req.site), status: .unprocessableEntity)
        }
        return req.redirect(to: SitePath.tool(.item(context.stored.id.uuidString, itemID)).href + "#kommentarer", redirectType: .normal)
    }

    // MARK: the worksheet as a whole

    static func move(_ req: Request) async throws -> Response {
        let form = try CSRF.verifiedFields(req)
        let context = try await context(req)
        try await WorksheetSaving.moveToNewest(context.stored, expectedRevision: form["revision"].flatMap { Int($0) }, by: context.session.account,
                                               now: context.now, on: req.db)
        return back(req, context.stored, .moved)
    }

    static func share(_ req: Request) async throws -> Response {
        let form = try CSRF.verifiedFields(req)
        let context = try await context(req)
        let shared = form["shared"] == "ja"
        try await WorksheetSaving.share(context.stored, shared, by: context.session.account, now: context.now, on: req.db)
        return back(req, context.stored, shared ? .shared : .unshared)
    }

    static func delete(_ req: Request) async throws -> Response {
        _ = try CSRF.verifiedFields(req)
        let context = try await context(req)
        try await WorksheetSaving.delete(context.stored, by: context.session.account, now: context.now, on: req.db)
        return req.redirect(to: SitePath.tool(.worksheets).href, redirectType: .normal)
    }

    // MARK: outputs

    static func printView(_ req: Request) async throws -> Response {
        let context = try await context(req)
        let answers = try await WorksheetQueries.answers(context.stored.id, on: req.db)
        let comments = try await WorksheetQueries.comments(context.stored.id, on: req.db)
        return PageLayout.privateResponse(WorksheetPrintView.render(.init(stored: context.stored, definition: context.definition, answers: answers,
                                                                         comments: comments, printedAt: context.now), site: req.site))
    }

    static func csv(_ req: Request) async throws -> Response {
        let context = try await context(req)
        let answers = try await WorksheetQueries.answers(context.stored.id, on: req.db)
        let response = Response(status: .ok, body: .init(string: WorksheetExport.csv(context.definition, answers: answers)))
        response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(WorksheetExport.fileName(context.stored)).csv\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    static func json(_ req: Request) async throws -> Response {
        let context = try await context(req)
        let answers = try await WorksheetQueries.answers(context.stored.id, on: req.db)
        let document = WorksheetExport.document(context.stored, definition: context.definition, answers: answers, site: req.site)
        let response = try await document.encodeResponse(for: req)
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(WorksheetExport.fileName(context.stored)).json\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }
}
