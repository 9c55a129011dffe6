import Fluent
import Foundation
import SamspilCore
import Vapor

/// The tools for everyone (list and a tool's page, with starting a worksheet for those logged in) and a
/// municipality's overview for its coordinators. Registers the worksheets' and the editors' pages too.
enum ToolPages {
    static func register(on app: Application) {
        let slug = SitePath.slugPlaceholder
        let members = app.grouped(RequireRole(role: .member))
        app.get(SitePath.tool(.list).pattern, use: list)
        app.get(SitePath.tool(.show(slug)).pattern, use: show)
        members.post(SitePath.tool(.start(slug)).pattern, use: start)
        members.get(SitePath.tool(.municipality(slug)).pattern, use: municipality)
        WorksheetPages.register(on: members)
        ToolEdit.register(on: app.grouped(RequireRole(role: .editor)))
    }

    static func list(_ req: Request) async throws -> Response {
        let tools = try await ToolQueries.all(includingDrafts: false, on: req.db)
        let html = ToolListView.render(tools.map { ToolListView.Entry(slug: $0.slug, title: $0.definition.title, introduction: $0.definition.introduction,
                                                                       items: $0.definition.items.count) }, site: req.site)
        return req.currentSession == nil ? PageLayout.publicPage(html) : PageLayout.privateResponse(html.string)
    }

    static func show(_ req: Request) async throws -> Response {
        let slug = req.parameters.get(SitePath.slug) ?? ""
        guard let tool = try await ToolQueries.find(slug: slug, on: req.db), tool.status == .published || req.currentSession?.account.role.includes(.editor) == true else {
            throw ToolSaving.notFound(slug)
        }
        var material: (slug: String, title: String)?
        if let slug = tool.definition.material, let found = try await MaterialQueries.find(slug: slug, visibility: .publishedOnly, on: req.db) {
            material = (found.slug, found.title)
        }
        let audiences = try await VocabularyQueries.load(on: req.db).audiences
        var model = ToolView.Model(tool: tool, material: material,
                                   audiences: tool.definition.audiences.compactMap { slug in audiences.first { $0.slug == slug }?.label })
        guard let session = req.currentSession else { return PageLayout.publicPage(ToolView.render(model, site: req.site)) }
        model.start = try await startModel(tool, session: session, errors: [], on: req.db)
        return PageLayout.privateResponse(ToolView.render(model, site: req.site).string)
    }

    /// Who the person may start a worksheet for, and their worksheets of this tool.
    static func startModel(_ tool: StoredTool, session: SessionQueries.Current, errors: [FieldProblem], form: [String: String] = [:],
                           on db: any Database) async throws -> ToolView.Start {
        let actor = try await MembershipQueries.actor(for: session.account, on: db)
        let memberships = try await MembershipQueries.forUser(session.account.id, on: db)
        var organisations: [(String, String)] = []
        for entry in memberships where !organisations.contains(where: { $0.0 == entry.organisationID.uuidString }) {
            organisations.append((entry.organisationID.uuidString, entry.organisationName))
        }
        let partnerships = try await PartnershipQueries.forOrganisations(memberships.map(\.organisationID), on: db)
            .filter { !$0.state.isClosed }.map { ($0.id.uuidString, $0.title) }
        let worksheets = try await WorksheetQueries.forPerson(session.account.id, organisations: memberships.map(\.organisationID), tool: tool.id, on: db)
        return ToolView.Start(verified: actor.verified, organisations: organisations, partnerships: partnerships, worksheets: worksheets,
                              csrf: session.csrfToken, errors: errors, form: form)
    }

    static func start(_ req: Request) async throws -> Response {
        let session = try req.requireSession()
        let form = try CSRF.verifiedFields(req)
        let slug = req.parameters.get(SitePath.slug) ?? ""
        let owner: WorksheetSaving.NewOwner? = switch form["owner"] ?? "" {
        case "person": .person
        case let value where value.hasPrefix("organisation:"): UUID(uuidString: String(value.dropFirst(13))).map { .organisation($0) }
        case let value where value.hasPrefix("partnership:"): UUID(uuidString: String(value.dropFirst(12))).map { .partnership($0) }
        default: nil
        }
        do {
            guard let owner else { throw WorksheetSaving.ownerProblem }
            let id = try await WorksheetSaving.start(tool: slug, for: owner, title: form["title"] ?? "", by: session.account,
                                                     now: req.application.samspil.clock(), on: req.db)
            return req.redirect(to: SitePath.tool(.worksheet(id.uuidString)).href(notice: WorksheetPages.Notice.started), redirectType: .normal)
        } catch SamspilError.invalid(let problems), SamspilError.unprocessable(let problems) {
            guard let tool = try await ToolQueries.find(slug: slug, on: req.db) else { throw ToolSaving.notFound(slug) }
            var model = ToolView.Model(tool: tool, material: nil, audiences: [])
            model.start = try await startModel(tool, session: session, errors: problems, form: form, on: req.db)
            return PageLayout.privateResponse(ToolView.render(model, site: req.site, errors: true).string, status: .unprocessableEntity)
        }
    }

    // MARK: the coordinators' overview

    static func municipality(_ req: Request) async throws -> Response {
        // The same people who follow the municipality's partnerships: its coordinators and site administrators.
        let (code, name, actor) = try await CoordinatorList.coordinated(req, refusal: "Kun kommunens koordinatorer kan se oversigten over skolernes arbejdsark.")
        let worksheets = try await WorksheetQueries.forMunicipality(code, on: req.db)
        let tools = try await ToolQueries.all(includingDrafts: true, on: req.db)
        // Every worksheet listed is of the municipality's schools: a coordinator may read those shared; an administrator all.
        let model = ToolOverview.model(municipality: name, worksheets: worksheets, tools: tools,
                                       readsAll: actor.siteRole == .administrator)
        return PageLayout.privateResponse(ToolOverviewView.render(model, site: req.site))
    }
}
