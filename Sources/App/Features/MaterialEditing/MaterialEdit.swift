import Fluent
import Foundation
import Plot
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
        return PageLayout.privateResponse(MaterialShow.render(model, site: req.site))
    }

    static func create(_ req: Request) async throws -> Response {
        var form = req.postedForm(or: Form())
        try CSRF.verify(req, sent: form._csrf)
        let vocabularies = try await VocabularyQueries.load(on: req.db)
        if (form.slug ?? "").trimmingCharacters(in: .whitespaces).isEmpty { form.slug = Slug.make(from: form.title ?? "") }
        var (material, problems) = parse(form, vocabularies: vocabularies)
        if problems.isEmpty, try await MaterialQueries.find(slug: material.slug, visibility: .all, on: req.db) != nil {
            problems.append(FieldProblem(field: "slug", message: "bruges allerede af et andet materiale. Vælg en anden adresse."))
        }
        guard problems.isEmpty else {
            return PageLayout.privateResponse(MaterialEditViews.form(ViewModel(isNew: true, form: form, errors: problems, vocabularies: vocabularies, csrfToken: try req.requireSession().csrfToken), site: req.site),
                        status: .unprocessableEntity)
        }
        material.createdAt = nil
        material.updatedAt = nil
        let (toSave, now, actor) = (material, req.application.samspil.clock(), try req.requireSession().account)
        try await req.db.transaction { tx in
            _ = try await MaterialQueries.save(toSave, now: now, vocabularies: vocabularies, on: tx)
            try await AuditLog.record(.materialCreate, subject: toSave.slug, by: actor, now: now, on: tx)
        }
        return req.redirect(to: SitePath.editMaterial(material.slug).href + "?besked=oprettet", redirectType: .normal)
    }

    static func update(_ req: Request) async throws -> Response {
        let existing = try await requireMaterial(req)
        var form = req.postedForm(or: Form())
        try CSRF.verify(req, sent: form._csrf)
        form.slug = existing.slug
        let vocabularies = try await VocabularyQueries.load(on: req.db)
        var (material, problems) = parse(form, vocabularies: vocabularies)
        guard problems.isEmpty else {
            return PageLayout.privateResponse(MaterialEditViews.form(ViewModel(isNew: false, form: form, errors: problems, vocabularies: vocabularies, csrfToken: try req.requireSession().csrfToken), site: req.site),
                        status: .unprocessableEntity)
        }
        material.versions = existing.versions
        material.createdAt = existing.createdAt
        material.updatedAt = nil
        let now = req.application.samspil.clock()
        let (toSave, startedFrom, actor) = (material, form.version, try req.requireSession().account)
        let saved = try await req.db.transaction { tx -> Bool in
            guard try await claim(slug: existing.slug, revision: startedFrom, on: tx) else { return false }
            _ = try await MaterialQueries.save(toSave, now: now, vocabularies: vocabularies, on: tx)
            try await AuditLog.record(.materialUpdate, subject: toSave.slug, by: actor, now: now, on: tx)
            return true
        }
        guard saved else {
            // Someone saved first: take their revision, keep this editor's input, overwrite nothing.
            form.version = try await MaterialQueries.revision(slug: existing.slug, on: req.db).map(String.init)
            var model = ViewModel(isNew: false, form: form, vocabularies: vocabularies, csrfToken: try req.requireSession().csrfToken)
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
            model.errors = [FieldProblem(field: "confirm", message: "Sæt kryds, hvis materialet skal slettes.")]
            return PageLayout.privateResponse(MaterialEditViews.form(model, site: req.site), status: .unprocessableEntity)
        }
        let (slug, now, actor) = (existing.slug, req.application.samspil.clock(), try req.requireSession().account)
        try await req.db.transaction { tx in
            try await MaterialQueries.delete(slug: slug, on: tx)
            try await AuditLog.record(.materialDelete, subject: slug, by: actor, now: now, on: tx)
        }
        return req.redirect(to: SitePath.editMaterials.href + "?besked=slettet", redirectType: .normal)
    }

    // MARK: helpers

    /// Claims the edit: raises the revision only if it is still the one the editor started from. One
    /// conditional UPDATE, so of two concurrent saves exactly one wins, on SQLite and PostgreSQL alike.
    static func claim(slug: String, revision: String?, on db: any Database) async throws -> Bool {
        guard let revision, let expected = Int(revision) else { return false }
        struct Row: Decodable { let id: UUID }
        let claimed = try await (db as! any SQLDatabase).raw("""
            UPDATE \(ident: MaterialModel.schema) SET revision = revision + 1 WHERE slug = \(bind: slug) AND revision = \(bind: expected) RETURNING id
            """).all(decoding: Row.self)
        return !claimed.isEmpty
    }

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
        default: nil
        }
    }

    /// The form of a stored material, with the revision an edit starts from.
    static func currentForm(_ material: Material, on db: any Database) async throws -> Form {
        var form = form(from: material)
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
                problems.append(FieldProblem(field: field, message: "skal være et helt tal."))
                return nil
            }
            return value
        }
        let material = Material(
            slug: (form.slug ?? "").trimmingCharacters(in: .whitespaces),
            title: (form.title ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
            genre: form.genre.flatMap(Genre.init(rawValue:)),
            type: form.type ?? "",
            teaser: (form.teaser ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
            body: form.body ?? "",
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
            // "audiences[2]" → "audiences": the checkboxes are one field.
            FieldProblem(field: String(problem.field.prefix { $0 != "[" }), message: problem.message)
        }
        return (material, problems)
    }
}
