import Fluent
import Foundation
import SamspilCore
import SQLKit
import Vapor

/// Editors write the tools (issue 14) in the browser: the list, a form for a new tool and for a change (sections
/// and items in one form that works without JavaScript: "Tilføj afsnit" and "Tilføj punkt" post the form and show
/// it again with one more row), an import of a JSON definition, and the versions. Every save goes through
/// `ToolSaving` — the same rules as the API and the seed — and makes a new version; worksheets keep theirs.
enum ToolEdit {
    static func register(on editors: any RoutesBuilder) {
        let slug = SitePath.slugPlaceholder
        // A tool's form and its JSON can be larger than the site's default body of 64 kB.
        let body = HTTPBodyStreamStrategy.collect(maxSize: "1mb")
        editors.get(SitePath.tool(.edit).pattern, use: index)
        editors.get(SitePath.tool(.new).pattern, use: new)
        editors.on(.POST, SitePath.tool(.new).pattern, body: body, use: create)
        editors.get(SitePath.tool(.importFile).pattern, use: importPage)
        editors.on(.POST, SitePath.tool(.importFile).pattern, body: body, use: importFile)
        editors.get(SitePath.tool(.change(slug)).pattern, use: edit)
        editors.on(.POST, SitePath.tool(.change(slug)).pattern, body: body, use: change)
        editors.get(SitePath.tool(.versions(slug)).pattern, use: versions)
    }

    /// What a redirect after a save tells.
    enum Notice: String, CaseIterable {
        case created = "oprettet", saved = "gemt", imported = "importeret", importedVersion = "ny-version"

        var text: String {
            switch self {
            case .created: "Værktøjet er oprettet som version 1."
            case .saved: "Ændringerne er gemt som en ny version. Arbejdsark, der allerede er startet, beholder den version, de blev startet på."
            case .imported: "Værktøjet er importeret som version 1."
            case .importedVersion: "Importen er gemt som en ny version af værktøjet. Arbejdsark, der allerede er startet, beholder deres version."
            }
        }
    }

    /// The import form: the definition pasted or as a file, and the status it gets.
    struct ImportForm: Content {
        var json: String?
        var file: File?
        /// `keep` (a new tool becomes a draft, an existing one keeps its status), or a `PublicationStatus`.
        var status: String?
        var _csrf: String?
    }

    static let keepStatus = "behold"

    // MARK: handlers

    static func index(_ req: Request) async throws -> Response {
        let tools = try await ToolQueries.all(includingDrafts: true, on: req.db)
        let model = ToolEditViews.ListModel(entries: tools.map {
            ToolEditViews.Entry(slug: $0.slug, title: $0.definition.title, status: $0.status, version: $0.version, updatedAt: $0.updatedAt)
        }, notice: notice(req))
        return PageLayout.privateResponse(ToolEditViews.list(model, site: req.site))
    }

    static func new(_ req: Request) async throws -> Response {
        PageLayout.privateResponse(ToolEditViews.form(try await formModel(req, .blank(), stored: nil), site: req.site))
    }

    static func edit(_ req: Request) async throws -> Response {
        let stored = try await requireTool(req)
        let form = ToolEditForm(stored.definition, status: stored.status, revision: stored.revision)
        return PageLayout.privateResponse(ToolEditViews.form(try await formModel(req, form, stored: stored, notice: notice(req)), site: req.site))
    }

    static func create(_ req: Request) async throws -> Response {
        let (form, account) = try posted(req)
        if let response = try await added(req, form, stored: nil) { return response }
        let parsed = form.parsed()
        let problems = try await save(parsed, on: req.db) {
            _ = try await ToolSaving.create(parsed.definition, status: parsed.status, by: account, now: req.application.samspil.clock(), on: req.db)
        }
        guard problems.isEmpty else {
            // No title and no address: "Giv værktøjet en titel." says it all (the address is made from the title).
            let madeFromTitle = (form.slug ?? "").trimmingCharacters(in: .whitespaces).isEmpty && problems.contains { $0.field == "title" }
            return try await refused(req, form, stored: nil, problems.filter { !(madeFromTitle && $0.field == "slug") })
        }
        return req.redirect(to: SitePath.tool(.change(parsed.definition.slug)).href(notice: Notice.created), redirectType: .normal)
    }

    static func change(_ req: Request) async throws -> Response {
        var (form, account) = try posted(req)
        let stored = try await requireTool(req)
        if let response = try await added(req, form, stored: stored) { return response }
        let parsed = form.parsed(slug: stored.slug)
        let problems: [FieldProblem]
        do {
            problems = try await save(parsed, on: req.db) {
                // A form without the revision it started from cannot show that it overwrites nothing newer.
                guard let revision = form.revision.flatMap({ Int($0) }) else { throw ToolSaving.stale(stored.slug) }
                _ = try await ToolSaving.update(slug: stored.slug, to: parsed.definition, status: parsed.status, expectedRevision: revision, by: account,
                                                now: req.application.samspil.clock(), on: req.db)
            }
        } catch SamspilError.stale(let message) {
            // Someone saved first: keep this editor's input, take the newest revision, overwrite nothing.
            let current = try await requireTool(req)
            form.revision = String(current.revision)
            var model = try await formModel(req, form, stored: current)
            model.conflict = message
            return PageLayout.privateResponse(ToolEditViews.form(model, site: req.site), status: .conflict)
        }
        guard problems.isEmpty else { return try await refused(req, form, stored: stored, problems) }
        return req.redirect(to: SitePath.tool(.change(stored.slug)).href(notice: Notice.saved), redirectType: .normal)
    }

    static func importPage(_ req: Request) async throws -> Response {
        let model = ToolEditViews.ImportModel(json: "", status: keepStatus, errors: [], csrf: try req.requireSession().csrfToken)
        return PageLayout.privateResponse(ToolEditViews.importPage(model, site: req.site))
    }

    /// A definition as JSON: a new tool, or — when its slug is taken — a new version of that tool.
    static func importFile(_ req: Request) async throws -> Response {
        let form = req.postedForm(or: ImportForm())
        try CSRF.verify(req, sent: form._csrf)
        let account = try req.requireSession().account
        let uploaded = form.file.flatMap { $0.data.readableBytes > 0 ? String(buffer: $0.data) : nil }
        let json = uploaded ?? form.json ?? ""
        let status = form.status.flatMap(PublicationStatus.init(rawValue:))
        func refuse(_ problems: [FieldProblem]) throws -> Response {
            let model = ToolEditViews.ImportModel(json: json, status: form.status ?? keepStatus, errors: problems, csrf: try req.requireSession().csrfToken)
            return PageLayout.privateResponse(ToolEditViews.importPage(model, site: req.site), status: .unprocessableEntity)
        }
        guard !json.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return try refuse([FieldProblem(field: "", message: "Indsæt et værktøj som JSON, eller vælg en fil med et.")])
        }
        let references = try await ToolQueries.references(on: req.db)
        let definition: ToolDefinition
        switch ToolRules.read(Data(json.utf8), materials: references.materials, audiences: references.audiences) {
        case .success(let read): definition = read
        case .failure(.unprocessable(let problems)): return try refuse(problems)
        case .failure(let error): throw error
        }
        let now = req.application.samspil.clock()
        do {
            if let existing = try await ToolQueries.find(slug: definition.slug, on: req.db) {
                _ = try await ToolSaving.update(slug: existing.slug, to: definition, status: status ?? existing.status, expectedRevision: nil, by: account,
                                                now: now, on: req.db)
                return req.redirect(to: SitePath.tool(.change(existing.slug)).href(notice: Notice.importedVersion), redirectType: .normal)
            }
            _ = try await ToolSaving.create(definition, status: status ?? .draft, by: account, now: now, on: req.db)
        } catch SamspilError.unprocessable(let problems) {
            return try refuse(problems)
        }
        return req.redirect(to: SitePath.tool(.change(definition.slug)).href(notice: Notice.imported), redirectType: .normal)
    }

    static func versions(_ req: Request) async throws -> Response {
        let stored = try await requireTool(req)
        let model = ToolEditViews.VersionsModel(tool: summary(stored), versions: try await ToolQueries.versions(stored.id, on: req.db).map {
            ToolEditViews.Version(number: $0.number, createdAt: $0.createdAt, author: $0.authorName)
        })
        return PageLayout.privateResponse(ToolEditViews.versions(model, site: req.site))
    }

    // MARK: helpers

    private static func posted(_ req: Request) throws -> (ToolEditForm, Account) {
        let form = req.postedForm(or: ToolEditForm())
        try CSRF.verify(req, sent: form._csrf)
        return (form, try req.requireSession().account)
    }

    private static func notice(_ req: Request) -> String? {
        req.query[String.self, at: "besked"].flatMap(Notice.init(rawValue:))?.text
    }

    static func requireTool(_ req: Request) async throws -> StoredTool {
        let slug = req.parameters.get(SitePath.slug) ?? ""
        guard let stored = try await ToolQueries.find(slug: slug, on: req.db) else { throw ToolSaving.notFound(slug) }
        return stored
    }

    /// "Tilføj afsnit" and "Tilføj punkt": the form again, as posted, with one more empty row (its first field
    /// focused); nothing is saved. Nil when the form is to be saved.
    private static func added(_ req: Request, _ posted: ToolEditForm, stored: StoredTool?) async throws -> Response? {
        var form = posted
        let focus: String
        switch form.requested {
        case .save:
            return nil
        case .addSection:
            focus = ToolEditForm.key(section: form.addSection(), "title")
        case .addItem(let section):
            focus = ToolEditForm.key(section: section, item: form.addItem(toSection: section), "text")
        case nil:
            throw SamspilError.invalid([FieldProblem(field: "action", message: "Vælg at gemme værktøjet eller at tilføje et afsnit eller et punkt.")])
        }
        var model = try await formModel(req, form, stored: stored)
        model.focus = focus
        return PageLayout.privateResponse(ToolEditViews.form(model, site: req.site))
    }

    /// Saves through `save` unless the form itself has problems; the problems of the form or of the rules, each
    /// under its field in the form (empty when saved).
    private static func save(_ parsed: ToolEditForm.Parsed, on db: any Database, _ save: () async throws -> Void) async throws -> [FieldProblem] {
        do {
            guard parsed.problems.isEmpty else {
                // The rules' problems too, so that every message shows at once.
                return parsed.problems + parsed.located(try await ToolSaving.problems(parsed.definition, on: db))
            }
            try await save()
            return []
        } catch SamspilError.unprocessable(let problems) {
            return parsed.located(problems)
        }
    }

    /// The form again with the problems by their fields (422).
    private static func refused(_ req: Request, _ form: ToolEditForm, stored: StoredTool?, _ problems: [FieldProblem]) async throws -> Response {
        var model = try await formModel(req, form, stored: stored)
        model.errors = problems
        return PageLayout.privateResponse(ToolEditViews.form(model, site: req.site), status: .unprocessableEntity)
    }

    static func summary(_ stored: StoredTool) -> ToolEditViews.StoredSummary {
        ToolEditViews.StoredSummary(slug: stored.slug, title: stored.definition.title, status: stored.status, version: stored.version)
    }

    /// At most this many materials are offered in a list; a larger catalogue gets a field for the material's address.
    static let materialChoices = 300

    private static func formModel(_ req: Request, _ form: ToolEditForm, stored: StoredTool?, notice: String? = nil) async throws -> ToolEditViews.FormModel {
        struct Row: Decodable { let slug: String; let title: String }
        let rows = try await (req.db as! any SQLDatabase).raw("""
            SELECT slug, title FROM \(ident: MaterialModel.schema) ORDER BY sort_title, slug LIMIT \(unsafeRaw: String(materialChoices + 1))
            """).all(decoding: Row.self)
        let materials = rows.count > materialChoices ? nil : rows.map { (value: $0.slug, label: $0.title) }
        let audiences = try await VocabularyQueries.load(on: req.db).audiences.map { (value: $0.slug, label: $0.label) }
        return ToolEditViews.FormModel(stored: stored.map(summary), form: form, notice: notice, materials: materials, audiences: audiences,
                                       csrf: try req.requireSession().csrfToken)
    }
}
