import Fluent
import Foundation
import SamspilCore
import SQLKit
import Vapor

/// Editors create, edit, publish, unpublish and delete materials in the browser. Handlers: parse the form →
/// check CSRF → validate with `MaterialRules` → save through `MaterialQueries` (which keeps the search index in
/// the same transaction) → redirect, or render the form again with the input kept and a Danish message by
/// each field. An edit names the version it started from; if someone saved in between, nothing is
/// overwritten and the editor is told.
enum MaterialEdit {
    /// The form as posted. Lists come one value per line (persons) or as checkboxes (audiences, topics).
    struct Form: Content {
        var title: String?
        var slug: String?
        var genre: String?
        var type: String?
        var teaser: String?
        var body: String?
        var creditKind: String?
        var persons: String?
        var organisation: String?
        /// The slug of the publishing organisation in the directory (empty: none).
        var publisher: String?
        var year: String?
        var language: String?
        var readingMinutes: String?
        var audiences: [String]?
        var topics: [String]?
        var status: String?
        /// The revision the edit started from.
        var version: String?
        var confirm: String?
        var _csrf: String?
        /// The stored versions, one line each (shown, not posted).
        var versionsSummary: [String] = []
    }

    struct ViewModel {
        var isNew: Bool
        var form: Form
        /// The stored material's title, which the heading and breadcrumb keep when a changed title is refused.
        var storedTitle: String?
        var errors: [FieldProblem] = []
        var notice: String?
        var conflict = false
        var vocabularies: Vocabularies
        var csrfToken: String
    }

    // MARK: handlers

    static func index(_ req: Request) async throws -> Response {
        let materials = try await MaterialQueries.all(on: req.db).sorted { DanishSortKey.make($0.title) < DanishSortKey.make($1.title) }
        let vocabularies = try await VocabularyQueries.load(on: req.db)
        return PageLayout.privateResponse(MaterialEditViews.index(materials, vocabularies: vocabularies, notice: req.query[String.self, at: "besked"].flatMap(notice), site: req.site))
    }

    static func new(_ req: Request) async throws -> Response {
        let model = ViewModel(isNew: true, form: Form(creditKind: Credits.Kind.developed.rawValue, language: SamspilCore.Language.danish.rawValue, status: PublicationStatus.draft.rawValue),
                              vocabularies: try await VocabularyQueries.load(on: req.db), csrfToken: try req.requireSession().csrfToken)
        return PageLayout.privateResponse(MaterialEditViews.form(model, site: req.site))
    }

    static func edit(_ req: Request) async throws -> Response {
        let material = try await requireMaterial(req)
        let model = ViewModel(isNew: false, form: try await currentForm(material, on: req.db), notice: req.query[String.self, at: "besked"].flatMap(notice),
                              vocabularies: try await VocabularyQueries.load(on: req.db), csrfToken: try req.requireSession().csrfToken)
        return PageLayout.privateResponse(MaterialEditViews.form(model, site: req.site))
    }

    /// The material as readers will see it, whatever its status.
    static func preview(_ req: Request) async throws -> Response {
        let material = try await requireMaterial(req)
        var model = MaterialShowModel(material: material, vocabularies: try await VocabularyQueries.load(on: req.db),
                                      themes: [], related: [], site: req.site)
        model.isPreview = true
        return PageLayout.privateResponse(MaterialShow.render(model, site: req.site).string)
    }

    static func create(_ req: Request) async throws -> Response {
        var form = req.postedForm(or: Form())
        try CSRF.verify(req, sent: form._csrf)
        let vocabularies = try await VocabularyQueries.load(on: req.db)
        let slugFromTitle = (form.slug ?? "").trimmingCharacters(in: .whitespaces).isEmpty
        if slugFromTitle { form.slug = Slug.make(from: form.title ?? "") }
        let (material, parsedProblems) = parse(form, vocabularies: vocabularies)
        var problems = parsedProblems
        // No title and no address: "Skriv en titel." says it all (the address is made from the title).
        if slugFromTitle, problems.contains(where: { $0.field == "title" }) { problems.removeAll { $0.field == "slug" } }
        func refuse(_ problems: [FieldProblem]) throws -> Response {
            PageLayout.privateResponse(MaterialEditViews.form(ViewModel(isNew: true, form: form, errors: problems, vocabularies: vocabularies, csrfToken: try req.requireSession().csrfToken), site: req.site),
                                       status: .unprocessableEntity)
        }
        guard problems.isEmpty else { return try refuse(problems) }
        do {
            let publisher = try await publisherID(form, on: req.db)
            try await MaterialSaving.create(material, by: try req.requireSession().account, now: req.application.samspil.clock(),
                                            vocabularies: vocabularies, on: req.db) { tx in
                try await OrganisationQueries.setPublisher(publisher, ofMaterial: material.slug, on: tx)
            }
        } catch SamspilError.unprocessable(let publisherProblems) {
            return try refuse(publisherProblems)
        } catch SamspilError.conflict {
            return try refuse([FieldProblem(field: "slug", message: "Vælg en anden adresse – \(DanishText.quoted(material.slug)) bruges allerede af et andet materiale.")])
        }
        return req.redirect(to: SitePath.editMaterial(material.slug).href + "?besked=oprettet", redirectType: .normal)
    }

    static func update(_ req: Request) async throws -> Response {
        let existing = try await requireMaterial(req)
        var form = req.postedForm(or: Form())
        try CSRF.verify(req, sent: form._csrf)
        form.slug = existing.slug
        let vocabularies = try await VocabularyQueries.load(on: req.db)
        let (parsed, problems) = parse(form, vocabularies: vocabularies)
        var material = parsed
        guard problems.isEmpty else {
            return PageLayout.privateResponse(MaterialEditViews.form(ViewModel(isNew: false, form: form, storedTitle: existing.title, errors: problems, vocabularies: vocabularies, csrfToken: try req.requireSession().csrfToken), site: req.site),
                        status: .unprocessableEntity)
        }
        material.versions = existing.versions
        material.createdAt = existing.createdAt
        // A form without the revision it started from cannot prove it is not overwriting a newer one.
        var saved = false
        let publisher: UUID?
        do {
            publisher = try await publisherID(form, on: req.db)
        } catch SamspilError.unprocessable(let publisherProblems) {
            return PageLayout.privateResponse(MaterialEditViews.form(ViewModel(isNew: false, form: form, storedTitle: existing.title, errors: publisherProblems, vocabularies: vocabularies, csrfToken: try req.requireSession().csrfToken), site: req.site),
                        status: .unprocessableEntity)
        }
        if let startedFrom = form.version.flatMap(Int.init) {
            saved = try await MaterialSaving.update(material, startedFrom: startedFrom, by: try req.requireSession().account,
                                                    now: req.application.samspil.clock(), vocabularies: vocabularies, on: req.db) { tx in
                try await OrganisationQueries.setPublisher(publisher, ofMaterial: existing.slug, on: tx)
            } != nil
        }
        guard saved else {
            // Someone saved first: take their revision, keep this editor's input, overwrite nothing.
            form.version = try await MaterialQueries.revision(slug: existing.slug, on: req.db).map(String.init)
            var model = ViewModel(isNew: false, form: form, storedTitle: existing.title, vocabularies: vocabularies, csrfToken: try req.requireSession().csrfToken)
            model.conflict = true
            return PageLayout.privateResponse(MaterialEditViews.form(model, site: req.site), status: .conflict)
        }
        return req.redirect(to: SitePath.editMaterial(material.slug).href + "?besked=gemt", redirectType: .normal)
    }

    static func delete(_ req: Request) async throws -> Response {
        let existing = try await requireMaterial(req)
        let form = req.postedForm(or: Form())
        try CSRF.verify(req, sent: form._csrf)
        guard form.confirm == "ja" else {
            var model = ViewModel(isNew: false, form: try await currentForm(existing, on: req.db), vocabularies: try await VocabularyQueries.load(on: req.db), csrfToken: try req.requireSession().csrfToken)
            model.errors = [FieldProblem(field: "confirm", message: "Sæt kryds for at bekræfte, at materialet skal slettes.")]
            return PageLayout.privateResponse(MaterialEditViews.form(model, site: req.site), status: .unprocessableEntity)
        }
        try await MaterialSaving.delete(slug: existing.slug, by: try req.requireSession().account, now: req.application.samspil.clock(), on: req.db)
        return req.redirect(to: SitePath.editMaterials.href + "?besked=slettet", redirectType: .normal)
    }

    // MARK: helpers

    static func requireMaterial(_ req: Request) async throws -> Material {
        let slug = req.parameters.get(SitePath.slug) ?? ""
        guard let material = try await MaterialQueries.find(slug: slug, visibility: .all, on: req.db) else {
            throw SamspilError.notFound("Materialet \"\(slug)\" findes ikke.")
        }
        return material
    }

    static func notice(_ key: String) -> String? {
        switch key {
        case "oprettet": "Materialet er oprettet."
        case "gemt": "Ændringerne er gemt."
        case "slettet": "Materialet er slettet."
        case "fil": "Filen er gemt og tilføjet som udgave."
        case "udgaver": "Udgaverne er ændret."
        case "gendannet": "Revisionen er gendannet og gemt som en ny revision."
        default: nil
        }
    }

    /// The form of a stored material, with the revision an edit starts from.
    /// The organisation the form names as publisher: nil for none; `.unprocessable` for one that is not in the directory.
    private static func publisherID(_ form: Form, on db: any Database) async throws -> UUID? {
        let slug = (form.publisher ?? "").trimmingCharacters(in: .whitespaces)
        return slug.isEmpty ? nil : try await OrganisationQueries.publisherID(slug: slug, on: db)
    }

    static func currentForm(_ material: Material, on db: any Database) async throws -> Form {
        var form = form(from: material)
        form.publisher = try await OrganisationQueries.publisherSlug(ofMaterial: material.slug, on: db)
        form.version = try await MaterialQueries.revision(slug: material.slug, on: db).map(String.init)
        return form
    }

    static func form(from material: Material) -> Form {
        Form(title: material.title, slug: material.slug, genre: material.genre?.rawValue, type: material.type, teaser: material.teaser,
             body: material.body, creditKind: material.credits.kind.rawValue, persons: material.credits.persons.joined(separator: "\n"),
             organisation: material.credits.organisation, year: material.year.map(String.init), language: material.language.rawValue,
             readingMinutes: material.readingMinutes.map(String.init), audiences: material.audiences, topics: material.topics,
             status: material.status.rawValue,
             versionsSummary: material.versions.map { "\($0.displayLabel) – \($0.availability == .file ? ($0.fileName ?? "fil") : ($0.url ?? "ikke tilgængelig"))" })
    }

    /// The material a form describes, and what is wrong with it (field names as in the form).
    static func parse(_ form: Form, vocabularies: Vocabularies) -> (Material, [FieldProblem]) {
        var problems: [FieldProblem] = []
        func number(_ text: String?, field: String) -> Int? {
            let trimmed = (text ?? "").trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return nil }
            guard let value = Int(trimmed) else {
                problems.append(FieldProblem(field: field, message: field == "year" ? "Skriv årstallet med tal, fx 2019." : "Skriv læsetiden som et helt antal minutter, fx 10."))
                return nil
            }
            return value
        }
        let material = Material(
            slug: (form.slug ?? "").trimmingCharacters(in: .whitespaces),
            title: (form.title ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
            genre: form.genre.flatMap(Genre.init(rawValue:)),
            type: form.type ?? "",
            teaser: Markdown.normalisingLineBreaks(form.teaser ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
            body: Markdown.normalisingLineBreaks(form.body ?? ""),
            credits: Credits(
                kind: Credits.Kind(rawValue: form.creditKind ?? "") ?? .developed,
                persons: (form.persons ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
                organisation: (form.organisation ?? "").trimmingCharacters(in: .whitespaces).isEmpty ? nil : form.organisation?.trimmingCharacters(in: .whitespaces)
            ),
            year: number(form.year, field: "year"),
            language: Language(rawValue: form.language ?? "") ?? .danish,
            readingMinutes: number(form.readingMinutes, field: "readingMinutes"),
            audiences: form.audiences ?? [],
            topics: form.topics ?? [],
            status: PublicationStatus(rawValue: form.status ?? "") ?? .draft
        )
        if material.type.isEmpty { problems.append(FieldProblem(field: "type", message: "Vælg en type.")) }
        problems += MaterialRules.problems(material, vocabularies: vocabularies).filter { !(material.type.isEmpty && $0.field == "type") }.map { problem in
            // "audiences[2]" → "audiences": the checkboxes are one field; "credits.persons[0]" → "persons", the text area.
            let field = String(problem.field.prefix { $0 != "[" })
            return FieldProblem(field: field == "credits.persons" ? MaterialField.persons.rawValue : field, message: problem.message)
        }
        return (material, problems)
    }
}
