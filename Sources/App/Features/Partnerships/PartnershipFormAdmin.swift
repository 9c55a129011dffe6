import Fluent
import Foundation
import SamspilCore
import SQLKit
import Vapor

/// Samspil's administrators keep the typology of partnership forms (`partnership_forms`) as data: the list with how
/// many partnerships use each form, adding a form (its slug made from the name, once), changing a form's name and
/// description, moving it up or down in the order the guided creation offers them, and removing a form no
/// partnership uses. Partnerships store the form's slug, which therefore never changes.
enum PartnershipFormAdmin {
    static func register(on app: Application) {
        let administrators = app.grouped(RequireRole(role: .administrator))
        administrators.get(SitePath.partnership(.forms).pattern, use: index)
        administrators.post(SitePath.partnership(.forms).pattern, use: create)
        administrators.get(SitePath.partnership(.form(SitePath.slugPlaceholder)).pattern, use: show)
        administrators.post(SitePath.partnership(.form(SitePath.slugPlaceholder)).pattern, use: change)
    }

    /// What the forms on these pages post. `action` says what a post to a form's page does.
    struct Input: Content {
        var name: String?
        var description: String?
        var action: String?
        var confirm: String?
        var _csrf: String?

        var text: PartnershipFormSaving.Text { .init(name: name ?? "", description: description ?? "") }
    }

    /// What a post to a form's page does.
    enum Change: String {
        case save, up, down, remove
    }

    /// What a redirect to the list or to a form's page tells.
    enum Notice: String, CaseIterable {
        case created = "oprettet", saved = "gemt", moved = "flyttet", unmoved = "uaendret", removed = "slettet"

        var text: String {
            switch self {
            case .created: "Partnerskabsformen er oprettet. Den tilbydes nu sidst på listen, når et partnerskab startes; flyt den herunder, hvis den skal stå før."
            case .saved: "Ændringerne er gemt."
            case .moved: "Rækkefølgen er ændret."
            case .unmoved: "Formen står allerede yderst i rækkefølgen. Intet er ændret."
            case .removed: "Partnerskabsformen er slettet."
            }
        }
    }

    // MARK: handlers

    static func index(_ req: Request) async throws -> Response {
        let model = try await listModel(req, input: Input(), errors: [], notice: notice(req))
        return PageLayout.privateResponse(PartnershipFormViews.list(model, site: req.site))
    }

    static func create(_ req: Request) async throws -> Response {
        let (input, account) = try posted(req)
        do {
            let slug = try await PartnershipFormSaving.create(input.text, by: account, now: req.application.samspil.clock(), on: req.db)
            return req.redirect(to: SitePath.partnership(.form(slug)).href(notice: Notice.created), redirectType: .normal)
        } catch SamspilError.unprocessable(let problems) {
            let model = try await listModel(req, input: input, errors: problems, notice: nil)
            return PageLayout.privateResponse(PartnershipFormViews.list(model, site: req.site), status: .unprocessableEntity)
        }
    }

    static func show(_ req: Request) async throws -> Response {
        let model = try await pageModel(req, input: nil, errors: [], notice: notice(req))
        return PageLayout.privateResponse(PartnershipFormViews.page(model, site: req.site))
    }

    /// Saves the name and description, moves the form, or removes it (the CSRF check comes before the form is looked up).
    static func change(_ req: Request) async throws -> Response {
        let (input, account) = try posted(req)
        let (slug, now) = (req.parameters.get(SitePath.slug) ?? "", req.application.samspil.clock())
        let change = input.action.flatMap(Change.init(rawValue:))
        switch change {
        case .save:
            do {
                try await PartnershipFormSaving.update(slug: slug, to: input.text, by: account, now: now, on: req.db)
            } catch SamspilError.unprocessable(let problems) {
                return try await refused(req, input: input, problems)
            }
            return back(req, slug, .saved)
        case .up, .down:
            let moved = try await PartnershipFormSaving.move(slug: slug, up: change == .up, by: account, now: now, on: req.db)
            return back(req, slug, moved ? .moved : .unmoved)
        case .remove:
            guard input.confirm == "ja" else {
                return try await refused(req, input: nil, [FieldProblem(field: "confirm", message: "Sæt kryds for at bekræfte, at formen skal slettes.")])
            }
            try await PartnershipFormSaving.remove(slug: slug, by: account, now: now, on: req.db)
            return req.redirect(to: SitePath.partnership(.forms).href(notice: Notice.removed), redirectType: .normal)
        case nil:
            throw SamspilError.invalid([FieldProblem(field: "action", message: "Vælg at gemme, flytte eller slette formen.")])
        }
    }

    // MARK: helpers

    private static func posted(_ req: Request) throws -> (Input, Account) {
        let input = req.postedForm(or: Input())
        try CSRF.verify(req, sent: input._csrf)
        return (input, try req.requireSession().account)
    }

    private static func notice(_ req: Request) -> Notice? {
        req.query[String.self, at: "besked"].flatMap(Notice.init(rawValue:))
    }

    private static func back(_ req: Request, _ slug: String, _ notice: Notice) -> Response {
        req.redirect(to: SitePath.partnership(.form(slug)).href(notice: notice), redirectType: .normal)
    }

    /// The form's page again with the problems; `input` nil shows the stored name and description.
    private static func refused(_ req: Request, input: Input?, _ problems: [FieldProblem]) async throws -> Response {
        let model = try await pageModel(req, input: input, errors: problems, notice: nil)
        return PageLayout.privateResponse(PartnershipFormViews.page(model, site: req.site), status: .unprocessableEntity)
    }

    private static func listModel(_ req: Request, input: Input, errors: [FieldProblem], notice: Notice?) async throws -> PartnershipFormViews.ListModel {
        PartnershipFormViews.ListModel(entries: try await PartnershipFormSaving.entries(on: req.db), name: input.name ?? "",
                                       description: input.description ?? "", errors: errors, notice: notice, csrf: try req.requireSession().csrfToken)
    }

    private static func pageModel(_ req: Request, input: Input?, errors: [FieldProblem], notice: Notice?) async throws -> PartnershipFormViews.PageModel {
        let slug = req.parameters.get(SitePath.slug) ?? ""
        let entries = try await PartnershipFormSaving.entries(on: req.db)
        guard let index = entries.firstIndex(where: { $0.form.slug == slug }) else { throw PartnershipFormSaving.notFound(slug) }
        let entry = entries[index]
        return PartnershipFormViews.PageModel(entry: entry, name: input?.name ?? entry.form.name, description: input?.description ?? entry.form.description,
                                              position: index + 1, count: entries.count, errors: errors, notice: notice, csrf: try req.requireSession().csrfToken)
    }
}

/// Reading and changing the typology. Every change is one write transaction that takes the typology's lock (so two
/// administrators' changes take turns on both databases, in one process or several) and records an audit entry.
enum PartnershipFormSaving {
    static let nameMaxLength = 100
    static let descriptionMaxLength = 1_000
    /// The key of the lock every change to the typology holds.
    static let lock = "partnership-forms"

    /// A form's name and description as an administrator typed them.
    struct Text: Sendable {
        var name: String
        var description: String

        /// Trimmed, with line breaks as LF.
        var normalised: Text {
            Text(name: name.trimmingCharacters(in: .whitespacesAndNewlines),
                 description: Markdown.normalisingLineBreaks(description).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// A form with the number of partnerships that use it.
    struct Entry: Sendable {
        var form: PartnershipForm
        var uses: Int
    }

    static func notFound(_ slug: String) -> SamspilError {
        .notFound("Partnerskabsformen \(DanishText.quoted(slug)) findes ikke.")
    }

    /// "1 partnerskab", "3 partnerskaber".
    static func partnerships(_ count: Int) -> String {
        count == 1 ? "1 partnerskab" : "\(DanishText.number(count)) partnerskaber"
    }

    // MARK: reading

    /// Every form in the order the guided creation offers them, with how many partnerships use it.
    static func entries(on db: any Database) async throws -> [Entry] {
        struct Row: Decodable { let form: String; let uses: Int }
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT \(ident: "form") AS form, COUNT(*) AS uses FROM \(ident: PartnershipModel.schema) GROUP BY \(ident: "form")
            """).all(decoding: Row.self)
        let uses = Dictionary(rows.map { ($0.form, $0.uses) }, uniquingKeysWith: +)
        return try await ordered(on: db).map { Entry(form: PartnershipForm(slug: $0.slug, name: $0.name, description: $0.description), uses: uses[$0.slug] ?? 0) }
    }

    private static func ordered(on db: any Database) async throws -> [PartnershipFormModel] {
        try await PartnershipFormModel.query(on: db).sort(\.$position).sort(\.$slug).all()
    }

    // MARK: rules

    /// The problems of a name and description, each under its field.
    static func problems(_ text: Text) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if text.name.isEmpty {
            problems.append(FieldProblem(field: "name", message: "Skriv formens navn."))
        } else if text.name.count > nameMaxLength {
            problems.append(FieldProblem(field: "name", message: "Gør navnet kortere: det må højst have \(nameMaxLength) tegn."))
        }
        if text.description.isEmpty {
            problems.append(FieldProblem(field: "description", message: "Skriv en beskrivelse af formen."))
        } else if text.description.count > descriptionMaxLength {
            problems.append(FieldProblem(field: "description",
                                         message: "Gør beskrivelsen kortere: den må højst have \(DanishText.number(descriptionMaxLength)) tegn."))
        }
        if let nul = TextRules.nulProblem(text.name) { problems.append(FieldProblem(field: "name", message: nul)) }
        if let nul = TextRules.nulProblem(text.description) { problems.append(FieldProblem(field: "description", message: nul)) }
        return problems
    }

    /// The name's problem when another form (not `except`) already has it.
    private static func nameTaken(_ name: String, among forms: [PartnershipFormModel], except slug: String?) -> FieldProblem? {
        guard let other = forms.first(where: { $0.slug != slug && $0.name.lowercased() == name.lowercased() }) else { return nil }
        return FieldProblem(field: "name", message: "Der er allerede en form, der hedder \(DanishText.quoted(other.name)). Vælg et andet navn.")
    }

    /// The slug of a new form: its name as a slug, short enough for an address.
    static func slug(for name: String) -> String {
        String(Slug.make(from: name).prefix(Slug.maxLength)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }

    // MARK: changing

    /// Adds a form last in the order and returns its slug; `.unprocessable` with the problems when it is refused.
    static func create(_ text: Text, by account: Account, now: Date, on db: any Database) async throws -> String {
        let text = text.normalised
        var problems = problems(text)
        let slug = slug(for: text.name)
        if problems.isEmpty, slug.isEmpty {
            problems.append(FieldProblem(field: "name", message: "Skriv et navn med mindst ét bogstav eller tal."))
        }
        guard problems.isEmpty else { throw SamspilError.unprocessable(problems) }
        return try await db.writeTransaction(locking: [lock]) { tx in
            let forms = try await ordered(on: tx)
            if let problem = nameTaken(text.name, among: forms, except: nil) { throw SamspilError.unprocessable([problem]) }
            if let other = forms.first(where: { $0.slug == slug }) {
                throw SamspilError.unprocessable([FieldProblem(
                    field: "name", message: "Navnet giver samme adresse (\(slug)) som formen \(DanishText.quoted(other.name)). Vælg et andet navn.")])
            }
            let row = PartnershipFormModel()
            row.id = UUID()
            row.slug = slug
            row.name = text.name
            row.description = text.description
            row.position = (forms.map(\.position).max() ?? -1) + 1
            try await row.create(on: tx)
            try await AuditLog.record(.partnershipFormCreate, subject: slug, by: account, now: now, on: tx)
            return slug
        }
    }

    /// Changes a form's name and description (never its slug). A changed name shows on public case pages, so it
    /// raises the content revision.
    static func update(slug: String, to text: Text, by account: Account, now: Date, on db: any Database) async throws {
        let text = text.normalised
        let problems = problems(text)
        guard problems.isEmpty else { throw SamspilError.unprocessable(problems) }
        try await db.writeTransaction(locking: [lock]) { tx in
            let forms = try await ordered(on: tx)
            guard let row = forms.first(where: { $0.slug == slug }) else { throw notFound(slug) }
            if let problem = nameTaken(text.name, among: forms, except: slug) { throw SamspilError.unprocessable([problem]) }
            let renamed = row.name != text.name
            row.name = text.name
            row.description = text.description
            try await row.update(on: tx)
            try await AuditLog.record(.partnershipFormUpdate, subject: slug, by: account, now: now, on: tx)
            if renamed { try await ContentRevision.bump(on: tx) }
        }
    }

    /// Moves a form one place up or down; false when it already stands first or last (nothing changes then).
    static func move(slug: String, up: Bool, by account: Account, now: Date, on db: any Database) async throws -> Bool {
        try await db.writeTransaction(locking: [lock]) { tx in
            var forms = try await ordered(on: tx)
            guard let index = forms.firstIndex(where: { $0.slug == slug }) else { throw notFound(slug) }
            let target = up ? index - 1 : index + 1
            guard forms.indices.contains(target) else { return false }
            forms.swapAt(index, target)
            // Positions 0, 1, 2 … in the new order (also closing gaps left by removed forms).
            for (position, row) in forms.enumerated() where row.position != position {
                row.position = position
                try await row.update(on: tx)
            }
            try await AuditLog.record(.partnershipFormMove, subject: slug, by: account, now: now, on: tx)
            return true
        }
    }

    /// Removes a form that no partnership uses; `.conflict` (409) saying how many use it otherwise.
    static func remove(slug: String, by account: Account, now: Date, on db: any Database) async throws {
        try await db.writeTransaction(locking: [lock]) { tx in
            guard let row = try await PartnershipFormModel.query(on: tx).filter(\.$slug == slug).first() else { throw notFound(slug) }
            let uses = try await PartnershipModel.query(on: tx).filter(\.$form == slug).count()
            guard uses == 0 else {
                throw SamspilError.conflict("Partnerskabsformen \(DanishText.quoted(row.name)) bruges af \(partnerships(uses)) og kan ikke slettes. "
                                            + "Den kan slettes, når intet partnerskab bruger den.")
            }
            try await row.delete(on: tx)
            try await AuditLog.record(.partnershipFormDelete, subject: slug, by: account, now: now, on: tx)
        }
    }
}

enum PartnershipFormViews {
    struct ListModel {
        var entries: [PartnershipFormSaving.Entry]
        /// The new form's fields as typed (empty at first).
        var name: String
        var description: String
        var errors: [FieldProblem]
        var notice: PartnershipFormAdmin.Notice?
        var csrf: String
    }

    struct PageModel {
        var entry: PartnershipFormSaving.Entry
        /// The fields as typed when a save was refused, otherwise as stored.
        var name: String
        var description: String
        /// Its place in the order, from 1, of `count`.
        var position: Int
        var count: Int
        var errors: [FieldProblem]
        var notice: PartnershipFormAdmin.Notice?
        var csrf: String
    }

    /// The names of the fields, top to bottom.
    static let fieldOrder = ["name", "description", "confirm"]

    static func crumbs() -> [PageMeta.Crumb] {
        MaterialEditViews.crumbs() + [.init(label: "Partnerskabsformer", href: SitePath.partnership(.forms).href)]
    }

    static func list(_ model: ListModel, site: SiteInfo) -> String {
        var meta = PageMeta(title: "Partnerskabsformer", canonical: nil, breadcrumbs: MaterialEditViews.crumbs(), currentCrumb: "Partnerskabsformer")
        meta.hasErrors = !model.errors.isEmpty
        return PageLayout.render(meta, site: site) {
            H1("Partnerskabsformer")
            if let notice = model.notice { Tag("div", [("class", "alert"), ("role", "status")]) { Paragraph(notice.text) } }
            if !model.errors.isEmpty { ErrorSummary(model.errors, fieldOrder: fieldOrder) }
            Paragraph("Den, der starter et partnerskab, vælger en af formerne, i denne rækkefølge og med beskrivelsen. Offentlige eksempler viser formens navn.")
            DataTable(caption: "Partnerskabsformerne i den rækkefølge, de tilbydes", headings: ["Nr.", "Navn", "Beskrivelse", "Bruges af"],
                      rows: model.entries.enumerated().map { index, entry in
                [Text(String(index + 1)), SafeLink(text: entry.form.name, href: SitePath.partnership(.form(entry.form.slug)).href),
                 Text(entry.form.description), Text(PartnershipFormSaving.partnerships(entry.uses))]
            })
            Tag("h2", [("id", "ny")], text: "Ny partnerskabsform")
            Tag("form", [("class", "form form-wide"), ("method", "post"), ("action", SitePath.partnership(.forms).href), ("novalidate", "novalidate")]) {
                CSRFField(token: model.csrf)
                fields(name: model.name, description: model.description, errors: model.errors)
                Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Opret formen")
            }
        }
    }

    static func page(_ model: PageModel, site: SiteInfo) -> String {
        let form = model.entry.form
        let action = SitePath.partnership(.form(form.slug)).href
        var meta = PageMeta(title: "Rediger \(form.name)", canonical: nil, breadcrumbs: crumbs(), currentCrumb: form.name)
        meta.hasErrors = !model.errors.isEmpty
        func hidden(_ value: String) -> Component { VoidTag("input", [("type", "hidden"), ("name", "action"), ("value", value)]) }
        return PageLayout.render(meta, site: site) {
            H1("Rediger \(form.name)")
            if let notice = model.notice { Tag("div", [("class", "alert"), ("role", "status")]) { Paragraph(notice.text) } }
            if !model.errors.isEmpty { ErrorSummary(model.errors, fieldOrder: fieldOrder) }
            Paragraph((model.entry.uses == 0 ? "Ingen partnerskaber bruger formen." : "Bruges af \(PartnershipFormSaving.partnerships(model.entry.uses)).")
                      + " Adresse: \(form.slug) (ændres ikke, når navnet ændres).").class("hint")
            Tag("form", [("class", "form form-wide"), ("method", "post"), ("action", action), ("novalidate", "novalidate")]) {
                CSRFField(token: model.csrf)
                hidden(PartnershipFormAdmin.Change.save.rawValue)
                fields(name: model.name, description: model.description, errors: model.errors)
                Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Gem ændringer")
            }
            H2("Rækkefølge")
            Paragraph("Formen står som nummer \(model.position) af \(model.count), når et partnerskab startes.")
            if model.count > 1 {
                Tag("form", [("class", "inline-form"), ("method", "post"), ("action", action)]) {
                    CSRFField(token: model.csrf)
                    if model.position > 1 { moveButton(.up, "Flyt op", form.name) }
                    if model.position < model.count { moveButton(.down, "Flyt ned", form.name) }
                }
            }
            H2("Slet formen")
            if model.entry.uses > 0 {
                Paragraph("Formen kan ikke slettes, fordi \(PartnershipFormSaving.partnerships(model.entry.uses)) bruger den.")
            } else {
                Tag("form", [("class", "form"), ("method", "post"), ("action", action)]) {
                    CSRFField(token: model.csrf)
                    hidden(PartnershipFormAdmin.Change.remove.rawValue)
                    CheckboxesField(name: "confirm", legend: "Bekræft", checked: [], error: model.errors.message(for: "confirm"),
                                    options: [("ja", "Ja, slet \(form.name).")], isArray: false)
                    Tag("button", [("type", "submit"), ("class", "button button-warning")], text: "Slet formen")
                }
            }
            Paragraph { SafeLink(text: "Alle partnerskabsformer", href: SitePath.partnership(.forms).href) }
        }
    }

    private static func fields(name: String, description: String, errors: [FieldProblem]) -> Component {
        ComponentGroup(members: [
            FormField(name: "name", label: "Navn", value: name, hint: "Højst \(PartnershipFormSaving.nameMaxLength) tegn.", error: errors.message(for: "name")),
            TextAreaField(name: "description", label: "Beskrivelse", value: description, rows: 4,
                          hint: "Vises ved formen, når et partnerskab startes. Højst \(DanishText.number(PartnershipFormSaving.descriptionMaxLength)) tegn.",
                          error: errors.message(for: "description")),
        ])
    }

    private static func moveButton(_ change: PartnershipFormAdmin.Change, _ text: String, _ name: String) -> Component {
        Tag("button", [("type", "submit"), ("class", "button button-secondary button-small"), ("name", "action"), ("value", change.rawValue),
                       ("aria-label", "\(text): \(name)")], text: text)
    }
}
