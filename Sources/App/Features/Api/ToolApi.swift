import Fluent
import Foundation
import SamspilCore
import Vapor

/// `/api/v1/tools` and `/api/v1/worksheets`: the tools made from the library's materials, readable by everyone
/// (drafts with an editor's token), and the worksheets filled in from them, for a token's account as on the pages.
/// A worksheet the account may not see is 404, as if it did not exist. Every change goes through
/// `WorksheetSaving`, so `Permissions` and `WorksheetRules` decide; an answer based on an older revision of its
/// item (`If-Match`) is refused with 412.
enum ToolApi {
    static func register(on app: Application) {
        let slug = SitePath.slugPlaceholder
        // Tools are public; a token (if sent) must be valid, and an editor's shows drafts too.
        app.get(SitePath.api(.tools).pattern, use: listTools)
        app.get(SitePath.api(.tool(slug)).pattern, use: getTool)
        // Worksheets: any account's token (deny by default: no token, 401); `Permissions` decides the rest.
        let tokens = app.grouped(RequireApiToken(role: .member))
        let body = HTTPBodyStreamStrategy.collect(maxSize: "1mb")
        tokens.get(SitePath.api(.worksheets).pattern, use: listWorksheets)
        tokens.on(.POST, SitePath.api(.worksheets).pattern, body: body, use: startWorksheet)
        tokens.get(SitePath.api(.worksheet(":id")).pattern, use: getWorksheet)
        tokens.on(.PUT, SitePath.api(.worksheetAnswer(":id", ":item")).pattern, body: body, use: saveAnswer)
    }

    // MARK: tools

    /// The published tools by title; with an editor's token, drafts too.
    static func listTools(_ req: Request) async throws -> ToolListDTO {
        try PartnershipApi.rejectQuery(req)
        let drafts = try await seesDrafts(req)
        return ToolListDTO(items: try await ToolQueries.all(includingDrafts: drafts, on: req.db).map { ToolSummaryDTO($0, site: req.site) })
    }

    /// The newest version of a tool, whole, with the tool's revision as `ETag`. A draft is 404 but for editors.
    static func getTool(_ req: Request) async throws -> Response {
        try PartnershipApi.rejectQuery(req)
        let slug = req.parameters.get(SitePath.slug) ?? ""
        let drafts = try await seesDrafts(req)
        guard let tool = try await ToolQueries.find(slug: slug, on: req.db), tool.status == .published || drafts else { throw ToolSaving.notFound(slug) }
        let response = try await ToolDTO(tool, site: req.site).encodeResponse(for: req)
        response.headers.replaceOrAdd(name: .eTag, value: "\"\(tool.revision)\"")
        return response
    }

    /// Whether the request's token (if any) is an editor's; an unknown or revoked token is 401, as for materials.
    static func seesDrafts(_ req: Request) async throws -> Bool {
        guard let token = req.headers.bearerAuthorization?.token else { return false }
        guard let account = try await ApiTokenQueries.account(token: token, now: req.application.samspil.clock(), on: req.db) else {
            throw RequireApiToken.unauthorized
        }
        return account.role.includes(.editor)
    }

    // MARK: worksheets

    /// The worksheets the account fills in (its own, its organisations', their partnerships'), newest change first.
    static func listWorksheets(_ req: Request) async throws -> WorksheetListDTO {
        try PartnershipApi.rejectQuery(req)
        let account = try req.requireApiAccount()
        let memberships = try await MembershipQueries.forUser(account.id, on: req.db)
        let worksheets = try await WorksheetQueries.forPerson(account.id, organisations: memberships.map(\.organisationID), on: req.db)
        return WorksheetListDTO(items: worksheets.map { WorksheetSummaryDTO($0, site: req.site) })
    }

    /// Starts a worksheet of a published tool's newest version, for the account itself, one of its organisations or
    /// a partnership it works in. An owner it may not fill in for is 403, whether it exists or not (a partnership
    /// one may not see is never told apart from one that does not exist).
    static func startWorksheet(_ req: Request) async throws -> Response {
        let account = try req.requireApiAccount()
        let start = try WorksheetInput.start(try PartnershipInput.object(req))
        let owner: WorksheetSaving.NewOwner
        switch start.owner {
        case .person: owner = .person
        // An unknown slug becomes an id nothing has, which `start` refuses as any owner the account may not use.
        case .organisation(let slug): owner = .organisation(try await OrganisationStore.find(slug: slug, on: req.db)?.id ?? UUID())
        case .partnership(let slug): owner = .partnership(try await PartnershipQueries.find(slug: slug, on: req.db)?.id ?? UUID())
        }
        let id = try await PartnershipApi.saving {
            do {
                return try await WorksheetSaving.start(tool: start.tool, for: owner, title: start.title, by: account,
                                                       now: req.application.samspil.clock(), on: req.db)
            } catch let error as SamspilError where error == WorksheetSaving.ownerProblem {
                throw SamspilError.forbidden("Du kan kun starte et arbejdsark for dig selv, en af dine organisationer eller et partnerskab, du arbejder i.")
            }
        }
        let stored = try await WorksheetSaving.visible(id.uuidString, actor: try await MembershipQueries.actor(for: account, on: req.db), on: req.db)
        let response = try await document(stored, req).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: SitePath.api(.worksheet(id.uuidString)).href)
        return response
    }

    /// The worksheet with every item and its answer: the same document as the page's JSON export.
    static func getWorksheet(_ req: Request) async throws -> WorksheetExport.Document {
        try PartnershipApi.rejectQuery(req)
        return try await document(try await context(req).stored, req)
    }

    /// Saves the answer to one item, whole. `If-Match` names the item's revision the answer is based on (`"0"`: no
    /// answer yet); without it, the answer is saved over whatever is there.
    static func saveAnswer(_ req: Request) async throws -> Response {
        let context = try await context(req)
        try WorksheetSaving.require(context.actor, .fill, on: context.stored)
        let basedOn = try ifMatch(req)
        let answer = try WorksheetInput.answer(try PartnershipInput.object(req))
        let itemID = req.parameters.get("item") ?? ""
        try await PartnershipApi.saving {
            try await WorksheetSaving.saveAnswer(context.stored, item: itemID, answer, basedOn: basedOn, by: context.account, now: context.now, on: req.db)
        }
        guard let item = try await document(context.stored, req).items.first(where: { $0.id == itemID }) else {
            throw SamspilError.notFound("Punktet \"\(itemID)\" findes ikke i arbejdsarket.")
        }
        // The item as it is now (its revision is the one just saved, unless someone saved it again since): the ETag
        // is the body's revision.
        let response = try await item.encodeResponse(for: req)
        response.headers.replaceOrAdd(name: .eTag, value: "\"\(item.revision)\"")
        return response
    }

    // MARK: helpers

    struct Context {
        var account: Account
        var actor: Actor
        var stored: StoredWorksheet
        var now: Date
    }

    /// The token's account and the worksheet of the path, if the account may see it (404 otherwise).
    static func context(_ req: Request) async throws -> Context {
        let account = try req.requireApiAccount()
        let actor = try await MembershipQueries.actor(for: account, on: req.db)
        let stored = try await WorksheetSaving.visible(req.parameters.get("id") ?? "", actor: actor, on: req.db)
        return Context(account: account, actor: actor, stored: stored, now: req.application.samspil.clock())
    }

    static func document(_ stored: StoredWorksheet, _ req: Request) async throws -> WorksheetExport.Document {
        guard let definition = try await ToolQueries.definition(stored.toolID, version: stored.toolVersion, on: req.db) else {
            throw ToolSaving.notFound(stored.toolSlug)
        }
        let answers = try await WorksheetQueries.answers(stored.id, on: req.db)
        return WorksheetExport.document(stored, definition: definition, answers: answers, site: req.site)
    }

    /// The item's revision in `If-Match` (nil: absent or `*`: save over whatever is there). An empty value is an
    /// empty list of ETags, which no revision matches: -1, so the save is refused with 412 (0 is "no answer yet").
    static func ifMatch(_ req: Request) throws -> Int? {
        if let header = req.headers.first(name: .ifMatch), header.trimmingCharacters(in: .whitespaces).isEmpty { return -1 }
        return try PartnershipApi.ifMatch(req, of: "svarets")
    }
}
