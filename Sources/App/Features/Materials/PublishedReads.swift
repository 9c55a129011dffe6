import Fluent
import Foundation
import SQLKit
import SamspilCore

/// What the public pages read from the tables: published materials as the search index keeps them
/// (`search_documents.record`, one compact byte string per material, see `MaterialRecord`), themes and their
/// places, in as few plain SQL statements as a page allows, decoded column by column (what concerns every
/// published material comes from the in-memory index instead: `CatalogueQueries`). Fluent's models decoded each row through reflection,
/// which was a quarter of a page request's time (issue 11). Each read also returns the vocabulary revision, so
/// the page's labels come from `VocabularyCache` without another query.
enum PublishedReads {
    /// The vocabulary revision as a column of any statement.
    private static let vocabularyRevision: SQLQueryString =
        "(SELECT s.vocabulary_revision FROM search_stats s WHERE s.id = 1) AS vocabulary_revision"

    struct ThemePage: Sendable {
        var theme: Theme
        /// The theme's published materials, in the theme's order.
        var materials: [Material]
        var vocabularyRevision: Int64?
    }

    /// A published theme with its published materials, in one statement.
    static func theme(slug: String, on db: any Database) async throws -> ThemePage? {
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT t.slug, t.title, t.section, t.intro, t.created_at, t.updated_at, m.id AS material_id, m.slug AS material_slug, \
            m.status AS material_status, d.record, \(vocabularyRevision) \
            FROM \(ident: ThemeModel.schema) t \
            LEFT JOIN \(ident: ThemeMaterialModel.schema) tm ON tm.theme_id = t.id \
            LEFT JOIN \(ident: MaterialModel.schema) m ON m.id = tm.material_id \
            LEFT JOIN search_documents d ON d.material_id = m.id \
            WHERE t.slug = \(bind: slug) AND t.status = \(bind: PublicationStatus.published.rawValue) \
            ORDER BY tm.position
            """).all()
        guard let first = rows.first else { return nil }
        var theme = Theme(
            slug: try first.decode(column: "slug", as: String.self), title: try first.decode(column: "title", as: String.self),
            section: try first.optional("section", as: String.self), intro: try first.decode(column: "intro", as: String.self),
            status: .published, createdAt: try first.optional("created_at", as: Date.self),
            updatedAt: try first.optional("updated_at", as: Date.self)
        )
        var entries: [(id: UUID, record: Data?)] = []
        for row in rows {
            guard let id = try row.optional("material_id", as: UUID.self) else { continue }
            theme.materials.append(try row.decode(column: "material_slug", as: String.self))
            if try row.decode(column: "material_status", as: String.self) == PublicationStatus.published.rawValue {
                entries.append((id, try row.optional("record", as: Data.self)))
            }
        }
        return ThemePage(theme: theme, materials: try await materials(entries, body: .readingTimeOnly, on: db),
                         vocabularyRevision: try first.optional("vocabulary_revision", as: Int64.self))
    }

    struct MaterialPage: Sendable {
        var id: UUID
        var material: Material
        /// Published themes that list it, by title.
        var themes: [Theme]
        /// The other materials of those themes (for related materials, `CatalogueQueries.related`).
        var siblings: Set<UUID>
        var vocabularyRevision: Int64?
        /// The approved organisation that publishes it (slug, name), if it names one.
        var publisher: (slug: String, name: String)?
        /// The published tool made from it, if any.
        var tool: (slug: String, title: String)?
    }

    /// A published material, the published themes that list it and their other materials, in one statement
    /// (a row per theme and material of it; the record is read from the first).
    static func material(slug: String, on db: any Database) async throws -> MaterialPage? {
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT m.id, d.record, \(vocabularyRevision), th.slug AS theme_slug, th.title AS theme_title, tm2.material_id AS sibling, \
            o.slug AS publisher_slug, o.name AS publisher_name, tl.slug AS tool_slug, tl.title AS tool_title \
            FROM \(ident: MaterialModel.schema) m LEFT JOIN search_documents d ON d.material_id = m.id \
            LEFT JOIN \(ident: OrganisationModel.schema) o ON o.id = m.organisation_id AND o.status = \(bind: OrganisationStatus.approved.rawValue) \
            LEFT JOIN \(ident: ToolModel.schema) tl ON tl.id = (SELECT t1.id FROM \(ident: ToolModel.schema) t1 WHERE t1.material_slug = m.slug \
            AND t1.status = \(bind: PublicationStatus.published.rawValue) ORDER BY t1.title, t1.slug LIMIT 1) \
            LEFT JOIN \(ident: ThemeMaterialModel.schema) tm ON tm.material_id = m.id \
            LEFT JOIN \(ident: ThemeModel.schema) th ON th.id = tm.theme_id AND th.status = \(bind: PublicationStatus.published.rawValue) \
            LEFT JOIN \(ident: ThemeMaterialModel.schema) tm2 ON tm2.theme_id = th.id \
            WHERE m.slug = \(bind: slug) AND m.status = \(bind: PublicationStatus.published.rawValue) ORDER BY th.title, th.slug
            """).all()
        guard let row = rows.first else { return nil }
        let id = try row.decode(column: "id", as: UUID.self)
        guard let material = try await materials([(id, try row.optional("record", as: Data.self))], body: .text, on: db).first else { return nil }
        var themes: [Theme] = []
        var siblings = Set<UUID>()
        for themeRow in rows {
            guard let slug = try themeRow.optional("theme_slug", as: String.self) else { continue }
            if themes.last?.slug != slug { themes.append(Theme(slug: slug, title: try themeRow.decode(column: "theme_title", as: String.self))) }
            if let sibling = try themeRow.optional("sibling", as: UUID.self) { siblings.insert(sibling) }
        }
        siblings.remove(id)
        var publisher: (slug: String, name: String)?
        if let slug = try row.optional("publisher_slug", as: String.self), let name = try row.optional("publisher_name", as: String.self) {
            publisher = (slug, name)
        }
        var tool: (slug: String, title: String)?
        if let slug = try row.optional("tool_slug", as: String.self), let title = try row.optional("tool_title", as: String.self) { tool = (slug, title) }
        return MaterialPage(id: id, material: material, themes: themes, siblings: siblings,
                            vocabularyRevision: try row.optional("vocabulary_revision", as: Int64.self), publisher: publisher, tool: tool)
    }

    struct ThemeSummary: Sendable {
        var slug: String
        var title: String
        var intro: String
        /// Materials listed on the theme (drafts included, as editors see the list).
        var materialCount: Int
        var updatedAt: Date?
    }

    /// Every published theme by title, with how many materials it lists.
    static func themes(on db: any Database) async throws -> [ThemeSummary] {
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT t.slug, t.title, t.intro, t.updated_at, COUNT(tm.material_id) AS materials FROM \(ident: ThemeModel.schema) t \
            LEFT JOIN \(ident: ThemeMaterialModel.schema) tm ON tm.theme_id = t.id \
            WHERE t.status = \(bind: PublicationStatus.published.rawValue) GROUP BY t.id, t.slug, t.title, t.intro, t.updated_at \
            ORDER BY t.title, t.slug
            """).all()
        return try rows.map { row in
            ThemeSummary(slug: try row.decode(column: "slug", as: String.self), title: try row.decode(column: "title", as: String.self),
                         intro: try row.decode(column: "intro", as: String.self), materialCount: try row.decode(column: "materials", as: Int.self),
                         updatedAt: try row.optional("updated_at", as: Date.self))
        }
    }

    /// Materials from their index records, in the given order; one whose record is missing or unreadable (an index
    /// not yet built) is read from the material tables.
    private static func materials(_ entries: [(id: UUID, record: Data?)], body: MaterialRecord.Body, on db: any Database) async throws -> [Material] {
        var decoded: [UUID: Material] = [:]
        var missing: [UUID] = []
        for entry in entries {
            if let record = entry.record, let material = MaterialRecord.decode(record, body: body) {
                decoded[entry.id] = material
            } else {
                missing.append(entry.id)
            }
        }
        if !missing.isEmpty {
            for (id, material) in try await MaterialQueries.byID(missing, on: db) { decoded[id] = material }
        }
        return entries.compactMap { decoded[$0.id] }
    }
}
