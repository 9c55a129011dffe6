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

    /// A revision with the material as it was then, and the revision kept before it with its material (nil
    /// for the first kept).
    static func find(materialSlug slug: String, revision: Int, on db: any Database) async throws -> (Entry, Material, previous: (revision: Int, material: Material)?)? {
        guard let row = try await query(slug, on: db).filter(\.$revision == revision).first() else { return nil }
        let before = try await query(slug, on: db).filter(\.$revision < revision).sort(\.$revision, .descending).first()
        return (entry(row), try material(row), try before.map { ($0.revision, try material($0)) })
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
        /// The revision the diff compares with; nil for the first revision kept (then `fields` shows its content).
        var previousRevision: Int?
        var diff: MaterialDiff
        /// The revision's fields as text, with labels (what the first revision shows instead of a diff).
        var fields: [(field: MaterialField, text: String)]
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
        let labels = { (kind: VocabularyKind, slug: String) in vocabularies.label(slug, in: kind) }
        let model = RevisionModel(
            material: old, entry: entry, previousRevision: previous?.revision,
            diff: MaterialDiff(from: previous?.material, to: old, labels: labels),
            fields: MaterialDiff.fields(old, labels: labels).map { (field: $0.0, text: $0.1) },
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

    static func actionLabel(_ entry: MaterialHistoryQueries.Entry) -> String {
        AuditLog.Action(rawValue: entry.action)?.label ?? entry.action
    }

    static func index(_ material: Material, entries: [MaterialHistoryQueries.Entry], current: Int?, site: SiteInfo) -> String {
        let meta = PageMeta(title: "Historik: \(material.title)", canonical: nil, breadcrumbs: crumbs(material), currentCrumb: "Historik")
        return PageLayout.render(meta, site: site) {
            H1("Historik: \(material.title)")
            Paragraph("Hver gang materialet gemmes, bliver det en ny revision. Vælg en revision for at se, hvad der blev ændret, og for at gendanne den. Et materiale fra startindholdet eller en import kommer med i historikken som „indlæst“, første gang nogen gemmer det.")
            if entries.isEmpty {
                Paragraph("Materialet er ikke gemt af nogen endnu, så der er ingen revisioner.")
            } else {
                DataTable(caption: "Revisioner, nyeste først", headings: ["Revision", "Tidspunkt", "Hvem", "Hvad"], rows: entries.map { entry in
                    [SafeLink(text: entry.revision == current ? "Revision \(entry.revision) (nuværende)" : "Revision \(entry.revision)",
                              href: SitePath.materialRevision(material.slug, String(entry.revision)).href),
                     Text(DanishDate.dateTime(entry.savedAt)), Text(entry.actor), Text(actionLabel(entry))]
                })
            }
        }
    }

    static func revision(_ model: MaterialHistory.RevisionModel, site: SiteInfo) -> String {
        let slug = model.material.slug
        let title = "Revision \(model.entry.revision)"
        var meta = PageMeta(title: "\(title): \(model.material.title)", canonical: nil,
                            breadcrumbs: crumbs(model.material) + [.init(label: "Historik", href: SitePath.materialHistory(slug).href)], currentCrumb: title)
        meta.hasErrors = model.conflict
        let loaded = model.entry.action == AuditLog.Action.materialLoad.rawValue
        return PageLayout.render(meta, site: site) {
            H1("\(title): \(model.material.title)")
            if loaded {
                Paragraph("Indlæst \(DanishDate.dateTime(model.entry.savedAt)) fra startindholdet eller en import.")
            } else {
                Paragraph("Gemt \(DanishDate.dateTime(model.entry.savedAt)) af \(model.entry.actor) – \(DanishText.midSentence(actionLabel(model.entry))).")
            }
            if model.conflict {
                ErrorAlert {
                    Paragraph("Materialet blev ændret, mens du så på denne side. Intet er gendannet. Se efter, og gendan igen, hvis du stadig vil.")
                }
            }
            if let previous = model.previousRevision {
                H2("Ændringer i forhold til revision \(previous)")
                if model.diff.isEmpty {
                    Paragraph("Ingen ændringer i tekst eller oplysninger.")
                } else {
                    Paragraph("Fjernet tekst er gennemstreget på rød baggrund, tilføjet tekst understreget på grøn.").class("hint")
                    for change in model.diff.changes {
                        FieldDiff(change: change)
                    }
                }
            } else {
                H2("Indhold")
                if loaded {
                    Paragraph("Sådan så materialet ud, før nogen ændrede det her.")
                } else if model.entry.action == AuditLog.Action.materialCreate.rawValue {
                    Paragraph("Materialet blev oprettet med dette indhold.")
                } else {
                    Paragraph("Revisionerne før denne er ikke gemt, så ændringerne kan ikke vises. Sådan så materialet ud:")
                }
                Tag("dl", [("class", "revision-fields")]) {
                    for (field, text) in model.fields where !text.isEmpty {
                        Tag("dt", text: field.label)
                        Tag("dd", text: text)
                    }
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

/// One changed field: its label and its text with removed and added words marked – struck through and
/// underlined as well as coloured, and named in words for screen readers ("fjernet: …", "tilføjet: …").
/// Unchanged lines far from a change are left out, with a note saying how many.
struct FieldDiff: Component {
    var change: MaterialDiff.Change

    var body: Component {
        Div {
            H3(change.label)
            Div {
                for block in change.blocks {
                    switch block {
                    case .unchanged(let line):
                        Paragraph(line.isEmpty ? " " : line).class("diff-line")
                    case .omitted(let lines):
                        Paragraph(lines == 1 ? "(1 uændret linje)" : "(\(lines) uændrede linjer)").class("diff-omitted")
                    case .changed(let segments):
                        Tag("p", [("class", "diff-line diff-changed")]) {
                            for segment in segments {
                                switch segment.kind {
                                case .same: Text(segment.text)
                                case .removed: Tag("del") { Tag("span", [("class", "sr-only")], text: "(fjernet: "); Text(segment.text); Tag("span", [("class", "sr-only")], text: ")") }
                                case .added: Tag("ins") { Tag("span", [("class", "sr-only")], text: "(tilføjet: "); Text(segment.text); Tag("span", [("class", "sr-only")], text: ")") }
                                }
                            }
                        }
                    }
                }
            }.class("diff")
        }.class("diff-field")
    }
}
