import Fluent
import Foundation
import SamspilCore
import Vapor

/// Editors create, edit, publish, unpublish and delete themes, and choose and order the materials on a
/// theme page. The text form never touches the material list and the list is changed one material at a
/// time by slug, so two editors working on the same theme do not undo each other's changes.
enum ThemeEdit {
    struct Form: Content {
        var title: String?
        var slug: String?
        var section: String?
        var intro: String?
        var status: String?
        var confirm: String?
        var _csrf: String?
    }

    struct ViewModel {
        var isNew: Bool
        var form: Form
        /// The stored theme's title, which the heading and breadcrumb keep when a changed title is refused.
        var storedTitle: String?
        var errors: [FieldProblem] = []
        var notice: String?
        /// The theme's materials in order (title, slug, published?); empty for a new theme.
        var entries: [(title: String, slug: String, published: Bool)] = []
        /// Materials that can be added (title, slug), in title order.
        var addable: [(title: String, slug: String)] = []
        var csrf: String
    }

    static func index(_ req: Request) async throws -> Response {
        let themes = try await ThemeQueries.all(visibility: .all, on: req.db)
        return PageLayout.privateResponse(ThemeEditViews.index(themes, notice: req.query[String.self, at: "besked"].flatMap(notice), site: req.site))
    }

    static func new(_ req: Request) async throws -> Response {
        let model = ViewModel(isNew: true, form: Form(status: PublicationStatus.draft.rawValue), csrf: try req.requireSession().csrfToken)
        return PageLayout.privateResponse(ThemeEditViews.form(model, site: req.site))
    }

    static func edit(_ req: Request) async throws -> Response {
        let theme = try await requireTheme(req)
        var model = try await viewModel(theme, form: form(from: theme), req)
        model.notice = req.query[String.self, at: "besked"].flatMap(notice)
        return PageLayout.privateResponse(ThemeEditViews.form(model, site: req.site))
    }

    /// The theme as readers will see it, whatever its status.
    static func preview(_ req: Request) async throws -> Response {
        let theme = try await requireTheme(req)
        var model = ThemeShowModel(theme: theme, materials: try await ThemeQueries.materials(of: theme, on: req.db),
                                   vocabularies: try await VocabularyQueries.load(on: req.db))
        model.isPreview = true
        return PageLayout.privateResponse(ThemeShow.render(model, site: req.site).string)
    }

    static func create(_ req: Request) async throws -> Response {
        var form = req.postedForm(or: Form())
        try CSRF.verify(req, sent: form._csrf)
        let slugFromTitle = (form.slug ?? "").trimmingCharacters(in: .whitespaces).isEmpty
        if slugFromTitle { form.slug = Slug.make(from: form.title ?? "") }
        let theme = parse(form, materials: [])
        func refuse(_ problems: [FieldProblem]) throws -> Response {
            let model = ViewModel(isNew: true, form: form, errors: problems, csrf: try req.requireSession().csrfToken)
            return PageLayout.privateResponse(ThemeEditViews.form(model, site: req.site), status: .unprocessableEntity)
        }
        var problems = ThemeRules.problems(theme, knownMaterials: [])
        // No title and no address: "Skriv en titel." says it all (the address is made from the title).
        if slugFromTitle, problems.contains(where: { $0.field == "title" }) { problems.removeAll { $0.field == "slug" } }
        guard problems.isEmpty else { return try refuse(problems) }
        let (now, actor) = (req.application.samspil.clock(), try req.requireSession().account)
        let taken = try await req.db.writeTransaction { tx -> Bool in
            guard try await !ThemeQueries.lock(slug: theme.slug, on: tx) else { return true }
            try await ThemeQueries.save(theme, now: now, on: tx)
            try await AuditLog.record(.themeCreate, subject: theme.slug, by: actor, now: now, on: tx)
            return false
        }
        if taken { return try refuse([FieldProblem(field: "slug", message: "Vælg en anden adresse – \(DanishText.quoted(theme.slug)) bruges allerede af et andet tema.")]) }
        return req.redirect(to: SitePath.editTheme(theme.slug).href + "?besked=oprettet", redirectType: .normal)
    }

    static func update(_ req: Request) async throws -> Response {
        let existing = try await requireTheme(req)
        var form = req.postedForm(or: Form())
        try CSRF.verify(req, sent: form._csrf)
        form.slug = existing.slug
        let (now, actor) = (req.application.samspil.clock(), try req.requireSession().account)
        let problems = ThemeRules.problems(parse(form, materials: []), knownMaterials: [])
        guard problems.isEmpty else {
            var model = try await viewModel(existing, form: form, req)
            model.errors = problems
            return PageLayout.privateResponse(ThemeEditViews.form(model, site: req.site), status: .unprocessableEntity)
        }
        let posted = form
        try await req.db.writeTransaction { tx in
            // The material list as it is now, not as it was when the form was opened.
            guard try await ThemeQueries.lock(slug: existing.slug, on: tx),
                  let current = try await ThemeQueries.find(slug: existing.slug, visibility: .all, on: tx) else {
                throw SamspilError.notFound("Temaet \"\(existing.slug)\" findes ikke.")
            }
            var theme = parse(posted, materials: current.materials)
            theme.createdAt = current.createdAt
            try await ThemeQueries.save(theme, now: now, on: tx)
            try await AuditLog.record(.themeUpdate, subject: theme.slug, by: actor, now: now, on: tx)
        }
        return req.redirect(to: SitePath.editTheme(existing.slug).href + "?besked=gemt", redirectType: .normal)
    }

    struct MaterialForm: Content {
        /// The material to move, remove or add.
        var material: String?
        var action: String?
        var _csrf: String?
    }

    /// Adds a material to the theme (last), moves one up or down, or removes one.
    static func changeMaterials(_ req: Request) async throws -> Response {
        let existing = try await requireTheme(req)
        let form = req.postedForm(or: MaterialForm())
        try CSRF.verify(req, sent: form._csrf)
        let slug = form.material ?? ""
        if form.action == "add", try await MaterialQueries.revision(slug: slug, on: req.db) == nil {
            var model = try await viewModel(existing, form: self.form(from: existing), req)
            model.errors = [FieldProblem(field: "material", message: "Vælg et materiale på listen.")]
            return PageLayout.privateResponse(ThemeEditViews.form(model, site: req.site), status: .unprocessableEntity)
        }
        let (now, actor) = (req.application.samspil.clock(), try req.requireSession().account)
        let notice = try await req.db.writeTransaction { tx -> String in
            guard try await ThemeQueries.lock(slug: existing.slug, on: tx),
                  var theme = try await ThemeQueries.find(slug: existing.slug, visibility: .all, on: tx) else {
                throw SamspilError.notFound("Temaet \"\(existing.slug)\" findes ikke.")
            }
            let index = theme.materials.firstIndex(of: slug)
            switch (form.action, index) {
            case ("add", nil):
                theme.materials.append(slug)
            case ("add", _?): return "findes"
            case ("up", let index?) where index > 0: theme.materials.swapAt(index, index - 1)
            case ("down", let index?) where index < theme.materials.count - 1: theme.materials.swapAt(index, index + 1)
            case ("remove", let index?): theme.materials.remove(at: index)
            case ("up", _?), ("down", _?): return "raekkefoelge"
            case (_, nil) where ["up", "down", "remove"].contains(form.action ?? ""):
                throw SamspilError.notFound("Materialet står ikke (længere) på temaet. Genindlæs siden.")
            default:
                throw SamspilError.invalid([FieldProblem(field: "action", message: "skal være tilføj, op, ned eller fjern.")])
            }
            try await ThemeQueries.save(theme, now: now, on: tx)
            try await AuditLog.record(.themeUpdate, subject: theme.slug, by: actor, now: now, on: tx)
            return "raekkefoelge"
        }
        return req.redirect(to: SitePath.editTheme(existing.slug).href + "?besked=\(notice)#materialer", redirectType: .normal)
    }

    static func delete(_ req: Request) async throws -> Response {
        let existing = try await requireTheme(req)
        let form = req.postedForm(or: Form())
        try CSRF.verify(req, sent: form._csrf)
        guard form.confirm == "ja" else {
            var model = try await viewModel(existing, form: self.form(from: existing), req)
            model.errors = [FieldProblem(field: "confirm", message: "Sæt kryds for at bekræfte, at temaet skal slettes.")]
            return PageLayout.privateResponse(ThemeEditViews.form(model, site: req.site), status: .unprocessableEntity)
        }
        let (now, actor) = (req.application.samspil.clock(), try req.requireSession().account)
        try await req.db.writeTransaction { tx in
            guard try await ThemeQueries.lock(slug: existing.slug, on: tx) else { throw SamspilError.notFound("Temaet \"\(existing.slug)\" findes ikke.") }
            try await ThemeQueries.delete(slug: existing.slug, on: tx)
            try await AuditLog.record(.themeDelete, subject: existing.slug, by: actor, now: now, on: tx)
        }
        return req.redirect(to: SitePath.editThemes.href + "?besked=slettet", redirectType: .normal)
    }

    // MARK: helpers

    static func requireTheme(_ req: Request) async throws -> Theme {
        let slug = req.parameters.get(SitePath.slug) ?? ""
        guard let theme = try await ThemeQueries.find(slug: slug, visibility: .all, on: req.db) else {
            throw SamspilError.notFound("Temaet \"\(slug)\" findes ikke.")
        }
        return theme
    }

    static func notice(_ key: String) -> String? {
        switch key {
        case "oprettet": "Temaet er oprettet. Tilføj materialer nederst på siden."
        case "gemt": "Ændringerne er gemt."
        case "slettet": "Temaet er slettet. Materialerne er ikke slettet."
        case "raekkefoelge": "Temaets materialer er ændret."
        case "findes": "Materialet står allerede på temaet."
        default: nil
        }
    }

    static func form(from theme: Theme) -> Form {
        Form(title: theme.title, slug: theme.slug, section: theme.section, intro: theme.intro, status: theme.status.rawValue)
    }

    static func parse(_ form: Form, materials: [String]) -> Theme {
        let section = (form.section ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return Theme(slug: (form.slug ?? "").trimmingCharacters(in: .whitespaces), title: (form.title ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
                     section: section.isEmpty ? nil : section, intro: Markdown.normalisingLineBreaks(form.intro ?? ""), materials: materials,
                     status: PublicationStatus(rawValue: form.status ?? "") ?? .draft)
    }

    private static func viewModel(_ theme: Theme, form: Form, _ req: Request) async throws -> ViewModel {
        let all = try await MaterialQueries.all(on: req.db)
        let bySlug = Dictionary(all.map { ($0.slug, $0) }, uniquingKeysWith: { first, _ in first })
        let listed = Set(theme.materials)
        return ViewModel(
            isNew: false, form: form, storedTitle: theme.title,
            entries: theme.materials.compactMap { slug in bySlug[slug].map { ($0.title, $0.slug, $0.status == .published) } },
            addable: all.filter { !listed.contains($0.slug) }.sorted { DanishSortKey.make($0.title) < DanishSortKey.make($1.title) }.map { ($0.title, $0.slug) },
            csrf: try req.requireSession().csrfToken
        )
    }
}

enum ThemeEditViews {
    static func crumbs() -> [PageMeta.Crumb] {
        MaterialEditViews.crumbs() + [.init(label: "Temaer", href: SitePath.editThemes.href)]
    }

    static func index(_ themes: [Theme], notice: String?, site: SiteInfo) -> String {
        let meta = PageMeta(title: "Temaer i redaktionen", canonical: nil, breadcrumbs: MaterialEditViews.crumbs(), currentCrumb: "Temaer")
        return PageLayout.render(meta, site: site) {
            H1("Temaer")
            if let notice { Tag("div", [("class", "alert"), ("role", "status")]) { Paragraph(notice) } }
            Paragraph { SafeLink(text: "Nyt tema", href: SitePath.newTheme.href, attributes: [("class", "button button-primary")]) }
            DataTable(caption: "Alle temaer, også kladder", headings: ["Titel", "Materialer", "Status"], rows: themes.map { theme in
                [SafeLink(text: theme.title, href: SitePath.editTheme(theme.slug).href), Text(String(theme.materials.count)),
                 Text(theme.status == .published ? "Udgivet" : "Kladde")]
            })
        }
    }

    /// The names of the page's fields, top to bottom (the theme form, adding a material, deleting).
    static let fieldOrder = ["title", "slug", "section", "intro", "status", "material", "confirm"]

    static func form(_ model: ThemeEdit.ViewModel, site: SiteInfo) -> String {
        let form = model.form
        let slug = form.slug ?? ""
        // The heading and breadcrumb name the theme as stored, not a title typed into a refused form.
        let storedTitle = model.storedTitle ?? form.title ?? ""
        let title = model.isNew ? "Nyt tema" : "Rediger \(storedTitle)"
        var meta = PageMeta(title: title, canonical: nil, breadcrumbs: crumbs(), currentCrumb: model.isNew ? "Nyt tema" : storedTitle)
        meta.hasErrors = !model.errors.isEmpty
        func error(_ field: String) -> String? { model.errors.message(for: field) }
        return PageLayout.render(meta, site: site) {
            H1(title)
            if let notice = model.notice { Tag("div", [("class", "alert"), ("role", "status")]) { Paragraph(notice) } }
            if !model.errors.isEmpty { ErrorSummary(model.errors, fieldOrder: fieldOrder) }
            Tag("form", [("class", "form form-wide"), ("method", "post"), ("action", model.isNew ? SitePath.newTheme.href : SitePath.editTheme(slug).href), ("novalidate", "novalidate")]) {
                CSRFField(token: model.csrf)
                FormField(name: "title", label: "Titel", value: form.title ?? "", error: error("title"))
                if model.isNew {
                    FormField(name: "slug", label: "Adresse (valgfri)", value: form.slug ?? "",
                              hint: "Sidste del af adressen, fx samarbejder-og-partnerskaber. Laves af titlen, hvis feltet er tomt. Kan ikke ændres senere.",
                              error: error("slug"), required: false)
                } else {
                    Paragraph("Adresse: \(SitePath.theme(slug).href)").class("hint")
                }
                FormField(name: "section", label: "Sektion (valgfri)", value: form.section ?? "", hint: "Vises over titlen, fx „Om Skoletjenesten“.", required: false)
                TextAreaField(name: "intro", label: "Indledning (valgfri)", value: form.intro ?? "", rows: 8,
                              hint: "Adskil afsnit med en tom linje. Skriv ## foran en overskrift og - foran hvert punkt i en liste.", error: error("intro"))
                RadiosField(name: "status", legend: "Status", selected: form.status ?? PublicationStatus.draft.rawValue,
                            options: [(PublicationStatus.draft.rawValue, "Kladde – kun redaktionen kan se den"),
                                      (PublicationStatus.published.rawValue, "Udgivet – synlig for alle")])
                Tag("button", [("type", "submit"), ("class", "button button-primary")], text: model.isNew ? "Opret tema" : "Gem ændringer")
            }
            if !model.isNew {
                Paragraph {
                    SafeLink(text: "Forhåndsvis det gemte tema", href: SitePath.previewTheme(slug).href)
                    if form.status == PublicationStatus.published.rawValue {
                        Text(" · ")
                        SafeLink(text: "Se temaet", href: SitePath.theme(slug).href)
                    }
                }
                Tag("h2", [("id", "materialer")], text: "Materialer på temaet")
                Paragraph("Materialerne vises i denne rækkefølge. Kladder står her, men vises først på temasiden, når de er udgivet.")
                if model.entries.isEmpty {
                    Paragraph("Temaet har ingen materialer endnu.")
                } else {
                    Tag("ol", [("class", "theme-material-list")]) {
                        for (index, entry) in model.entries.enumerated() {
                            Tag("li") {
                                SafeLink(text: entry.title, href: SitePath.editMaterial(entry.slug).href)
                                Text(entry.published ? " " : " (kladde) ")
                                ReorderForm(action: SitePath.themeMaterials(slug).href, hidden: [("material", entry.slug)], itemLabel: entry.title,
                                            isFirst: index == 0, isLast: index == model.entries.count - 1, removeLabel: "Fjern fra temaet", csrf: model.csrf)
                            }
                        }
                    }
                }
                if !model.addable.isEmpty {
                    Tag("form", [("class", "form"), ("method", "post"), ("action", SitePath.themeMaterials(slug).href)]) {
                        CSRFField(token: model.csrf)
                        VoidTag("input", [("type", "hidden"), ("name", "action"), ("value", "add")])
                        SelectField(name: "material", label: "Tilføj materiale", selected: "", error: error("material"),
                                    options: [("", "Vælg materiale")] + model.addable.map { ($0.slug, $0.title) })
                        Tag("button", [("type", "submit"), ("class", "button")], text: "Tilføj sidst på temaet")
                    }
                }
                H2("Slet temaet")
                Tag("form", [("class", "form"), ("method", "post"), ("action", SitePath.deleteTheme(slug).href)]) {
                    CSRFField(token: model.csrf)
                    CheckboxesField(name: "confirm", legend: "Bekræft", checked: [], error: error("confirm"),
                                    options: [("ja", "Ja, slet temaet. Materialerne bliver.")], isArray: false)
                    Tag("button", [("type", "submit"), ("class", "button button-warning")], text: "Slet temaet")
                }
            }
        }
    }
}

