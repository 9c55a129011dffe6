import Fluent
import Foundation
import SamspilCore
import Vapor

/// The revisions of a material (each save by an editor or through the API, kept by `MaterialSaving`): a list,
/// each revision's changes against the one before as a readable diff, and restoring an old revision (which
/// becomes a new revision; nothing is deleted).
enum MaterialHistoryQueries {
    struct Entry: Sendable, Equatable {
        var revision: Int
        var savedAt: Date
        var actor: String
        var action: String
    }

    static func list(materialSlug slug: String, on db: any Database) async throws -> [Entry] {
        try await query(slug, on: db).sort(\.$revision, .descending).all().map(entry)
    }

    /// A revision with the material as it was then, and the material of the revision before it (nil for the first kept).
    static func find(materialSlug slug: String, revision: Int, on db: any Database) async throws -> (Entry, Material, previous: Material?)? {
        guard let row = try await query(slug, on: db).filter(\.$revision == revision).first() else { return nil }
        let before = try await query(slug, on: db).filter(\.$revision < revision).sort(\.$revision, .descending).first()
        return (entry(row), try material(row), try before.map(material))
    }

    private static func query(_ slug: String, on db: any Database) -> QueryBuilder<MaterialRevisionModel> {
        MaterialRevisionModel.query(on: db).join(MaterialModel.self, on: \MaterialRevisionModel.$material.$id == \MaterialModel.$id)
            .filter(MaterialModel.self, \.$slug == slug)
    }

    private static func entry(_ row: MaterialRevisionModel) -> Entry {
        Entry(revision: row.revision, savedAt: row.savedAt, actor: row.actor, action: row.action)
    }

    private static func material(_ row: MaterialRevisionModel) throws -> Material {
        try ContentDocument.decoder().decode(Material.self, from: Data(row.snapshot.utf8))
    }
}

enum MaterialHistory {
    struct RevisionModel {
        var material: Material
        var entry: MaterialHistoryQueries.Entry
        var diff: MaterialDiff
        var currentRevision: Int?
        var csrf: String
        var conflict = false
    }

    static func index(_ req: Request) async throws -> Response {
        let material = try await MaterialEdit.requireMaterial(req)
        let entries = try await MaterialHistoryQueries.list(materialSlug: material.slug, on: req.db)
        let current = try await MaterialQueries.revision(slug: material.slug, on: req.db)
        return PageLayout.privateResponse(MaterialHistoryViews.index(material, entries: entries, current: current, site: req.site))
    }

    static func show(_ req: Request) async throws -> Response {
        PageLayout.privateResponse(MaterialHistoryViews.revision(try await revisionModel(req).model, site: req.site))
    }

    struct RestoreForm: Content {
        /// The current revision the editor saw when choosing to restore.
        var version: String?
        var _csrf: String?
    }

    static func restore(_ req: Request) async throws -> Response {
        let form = req.postedForm(or: RestoreForm())
        try CSRF.verify(req, sent: form._csrf)
        let (page, existing, vocabularies) = try await revisionModel(req)
        var model = page
        // The old revision's text and metadata; today's slug, versions (files stay where they are) and creation date.
        var restored = model.material
        restored.slug = existing.slug
        restored.versions = existing.versions
        restored.createdAt = existing.createdAt
        var saved: Int?
        if let startedFrom = form.version.flatMap(Int.init) {
            do {
                saved = try await MaterialSaving.update(restored, startedFrom: startedFrom, action: .materialRestore, by: try req.requireSession().account,
                                                        now: req.application.samspil.clock(), vocabularies: vocabularies, on: req.db)
            } catch SamspilError.unprocessable(let problems) {
                // The old text breaks today's rules (e.g. a topic since removed from the vocabulary).
                throw SamspilError.unprocessable(problems.map { FieldProblem(field: $0.field, message: $0.message + " Ret det i formularen i stedet.") })
            }
        }
        guard saved != nil else {
            model.conflict = true
            model.currentRevision = try await MaterialQueries.revision(slug: existing.slug, on: req.db)
            return PageLayout.privateResponse(MaterialHistoryViews.revision(model, site: req.site), status: .conflict)
        }
        return req.redirect(to: SitePath.editMaterial(existing.slug).href + "?besked=gendannet", redirectType: .normal)
    }

    /// The revision's page, with the material as it is now and the vocabularies (which restoring needs too).
    private static func revisionModel(_ req: Request) async throws -> (model: RevisionModel, current: Material, vocabularies: Vocabularies) {
        let material = try await MaterialEdit.requireMaterial(req)
        guard let number = req.parameters.get(SitePath.revision).flatMap(Int.init),
              let (entry, old, previous) = try await MaterialHistoryQueries.find(materialSlug: material.slug, revision: number, on: req.db)
        else { throw SamspilError.notFound("Materialet har ingen revision \(req.parameters.get(SitePath.revision) ?? "").") }
        let vocabularies = try await VocabularyQueries.load(on: req.db)
        let model = RevisionModel(
            material: old, entry: entry, diff: MaterialDiff(from: previous, to: old) { vocabularies.label($1, in: $0) },
            currentRevision: try await MaterialQueries.revision(slug: material.slug, on: req.db), csrf: try req.requireSession().csrfToken
        )
        return (model, material, vocabularies)
    }
}

enum MaterialHistoryViews {
    static func crumbs(_ material: Material) -> [PageMeta.Crumb] {
        MaterialEditViews.crumbs() + [.init(label: "Materialer", href: SitePath.editMaterials.href),
                                      .init(label: material.title, href: SitePath.editMaterial(material.slug).href)]
    }

    static func index(_ material: Material, entries: [MaterialHistoryQueries.Entry], current: Int?, site: SiteInfo) -> String {
        let meta = PageMeta(title: "Historik: \(material.title)", canonical: nil, breadcrumbs: crumbs(material), currentCrumb: "Historik")
        return PageLayout.render(meta, site: site) {
            H1("Historik: \(material.title)")
            Paragraph("Hver gang materialet gemmes, bliver det en ny revision. Vælg en revision for at se, hvad der blev ændret, og for at gendanne den. Ændringer fra import og fra før historikken blev indført er ikke med.")
            if entries.isEmpty {
                Paragraph("Der er ingen gemte revisioner endnu.")
            } else {
                DataTable(caption: "Revisioner, nyeste først", headings: ["Revision", "Tidspunkt", "Hvem", "Hvad"], rows: entries.map { entry in
                    [SafeLink(text: entry.revision == current ? "Revision \(entry.revision) (nuværende)" : "Revision \(entry.revision)",
                              href: SitePath.materialRevision(material.slug, String(entry.revision)).href),
                     Text(DanishDate.dateTime(entry.savedAt)), Text(entry.actor),
                     Text(AuditLog.Action(rawValue: entry.action)?.label ?? entry.action)]
                })
            }
        }
    }

    static func revision(_ model: MaterialHistory.RevisionModel, site: SiteInfo) -> String {
        let slug = model.material.slug
        let title = "Revision \(model.entry.revision)"
        let meta = PageMeta(title: "\(title): \(model.material.title)", canonical: nil,
                            breadcrumbs: crumbs(model.material) + [.init(label: "Historik", href: SitePath.materialHistory(slug).href)], currentCrumb: title)
        return PageLayout.render(meta, site: site) {
            H1("\(title): \(model.material.title)")
            Paragraph("Gemt \(DanishDate.dateTime(model.entry.savedAt)) af \(model.entry.actor) – \((AuditLog.Action(rawValue: model.entry.action)?.label ?? model.entry.action).lowercased()).")
            if model.conflict {
                Div {
                    Paragraph("Materialet blev ændret, mens du så på denne side. Intet er gendannet. Se efter, og gendan igen, hvis du stadig vil.")
                }.class("error-summary").attribute(named: "role", value: "alert")
            }
            H2("Ændringer i forhold til revisionen før")
            if model.diff.isEmpty {
                Paragraph("Ingen ændringer i tekst eller oplysninger.")
            } else {
                for change in model.diff.changes {
                    DiffBlock(change: change)
                }
            }
            if model.entry.revision != model.currentRevision {
                H2("Gendan")
                Paragraph("Gendannelse gemmer denne revisions tekst og oplysninger som en ny revision. Adresse og udgaver (filer og links) bliver, som de er nu.")
                Tag("form", [("class", "form"), ("method", "post"), ("action", SitePath.restoreRevision(slug, String(model.entry.revision)).href)]) {
                    CSRFField(token: model.csrf)
                    VoidTag("input", [("type", "hidden"), ("name", "version"), ("value", model.currentRevision.map(String.init) ?? "")])
                    Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Gendan revision \(model.entry.revision)")
                }
            } else {
                Paragraph("Dette er den nuværende revision.")
            }
        }
    }
}

/// One changed field: its label and the lines removed and added, marked with words as well as colour.
struct DiffBlock: Component {
    var change: MaterialDiff.Change

    var body: Component {
        Div {
            H3(change.label)
            Tag("ul", [("class", "diff")]) {
                for line in change.lines {
                    switch line.kind {
                    case .same: Tag("li", [("class", "diff-same")]) { Text(line.text.isEmpty ? " " : line.text) }
                    case .removed: Tag("li", [("class", "diff-removed")]) { Tag("del") { Tag("span", [("class", "sr-only")], text: "Fjernet: "); Text(line.text) } }
                    case .added: Tag("li", [("class", "diff-added")]) { Tag("ins") { Tag("span", [("class", "sr-only")], text: "Tilføjet: "); Text(line.text) } }
                    }
                }
            }
        }.class("diff-field")
    }
}
