import Fluent
import Foundation
import SQLKit
import SamspilCore

/// What the public pages read: published materials as the search index keeps them (`search_documents.record`,
/// one compact byte string per material, see `MaterialRecord`), themes and their places, in as few plain SQL
/// statements as a page allows, decoded column by column. Fluent's models decoded each row through reflection,
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
        return ThemePage(theme: theme, materials: try await materials(entries, on: db),
                         vocabularyRevision: try first.optional("vocabulary_revision", as: Int64.self))
    }

    struct MaterialPage: Sendable {
        var material: Material
        /// Published themes that list it, by title.
        var themes: [Theme]
        var related: [Material]
        var vocabularyRevision: Int64?
    }

    /// A published material, the themes that list it and up to `relatedLimit` related materials (sharing a
    /// theme or a topic, newest first).
    static func material(slug: String, relatedLimit: Int = 4, on db: any Database) async throws -> MaterialPage? {
        let sql = db as! any SQLDatabase
        guard let row = try await sql.raw("""
            SELECT m.id, d.record, \(vocabularyRevision) FROM \(ident: MaterialModel.schema) m \
            LEFT JOIN search_documents d ON d.material_id = m.id \
            WHERE m.slug = \(bind: slug) AND m.status = \(bind: PublicationStatus.published.rawValue)
            """).first() else { return nil }
        let id = try row.decode(column: "id", as: UUID.self)
        guard let material = try await materials([(id, try row.optional("record", as: Data.self))], on: db).first else { return nil }
        let themeRows = try await sql.raw("""
            SELECT th.slug, th.title FROM \(ident: ThemeMaterialModel.schema) tm JOIN \(ident: ThemeModel.schema) th ON th.id = tm.theme_id \
            WHERE tm.material_id = \(bind: id) AND th.status = \(bind: PublicationStatus.published.rawValue) ORDER BY th.title, th.slug
            """).all()
        let themes = try themeRows.map { Theme(slug: try $0.decode(column: "slug", as: String.self), title: try $0.decode(column: "title", as: String.self)) }
        let relatedRows = try await sql.raw("""
            SELECT m.id, d.record FROM \(ident: MaterialModel.schema) m LEFT JOIN search_documents d ON d.material_id = m.id \
            WHERE m.status = \(bind: PublicationStatus.published.rawValue) AND m.id <> \(bind: id) AND (m.id IN ( \
            SELECT tm2.material_id FROM \(ident: ThemeMaterialModel.schema) tm1 \
            JOIN \(ident: ThemeMaterialModel.schema) tm2 ON tm1.theme_id = tm2.theme_id WHERE tm1.material_id = \(bind: id)) \
            OR m.id IN (SELECT t2.material_id FROM \(ident: MaterialTermModel.schema) t1 JOIN \(ident: MaterialTermModel.schema) t2 \
            ON t2.kind = t1.kind AND t2.term_slug = t1.term_slug WHERE t1.material_id = \(bind: id) \
            AND t1.kind = \(bind: VocabularyKind.topic.rawValue))) \
            ORDER BY CASE WHEN m.year IS NULL THEN 1 ELSE 0 END, m.year DESC, m.sort_title, m.slug LIMIT \(literal: relatedLimit)
            """).all()
        let related = try await materials(try relatedRows.map { (try $0.decode(column: "id", as: UUID.self), try $0.optional("record", as: Data.self)) }, on: db)
        return MaterialPage(material: material, themes: themes, related: related,
                            vocabularyRevision: try row.optional("vocabulary_revision", as: Int64.self))
    }

    /// The newest changes first (`updated_at`; then newest year, then title), for the feed.
    static func recentlyUpdated(limit: Int, on db: any Database) async throws -> (materials: [Material], vocabularyRevision: Int64?) {
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT m.id, d.record, \(vocabularyRevision) FROM \(ident: MaterialModel.schema) m \
            LEFT JOIN search_documents d ON d.material_id = m.id WHERE m.status = \(bind: PublicationStatus.published.rawValue) \
            ORDER BY m.updated_at DESC, CASE WHEN m.year IS NULL THEN 1 ELSE 0 END, m.year DESC, m.sort_title, m.slug \
            LIMIT \(literal: limit)
            """).all()
        let materials = try await materials(try rows.map { (try $0.decode(column: "id", as: UUID.self), try $0.optional("record", as: Data.self)) }, on: db)
        return (materials, try rows.first?.optional("vocabulary_revision", as: Int64.self))
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

    /// Every published material's address and last change, by title (for the sitemap).
    static func materialAddresses(limit: Int, on db: any Database) async throws -> [(slug: String, updatedAt: Date)] {
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT slug, updated_at FROM \(ident: MaterialModel.schema) WHERE status = \(bind: PublicationStatus.published.rawValue) \
            ORDER BY sort_title, slug LIMIT \(literal: limit)
            """).all()
        return try rows.map { (try $0.decode(column: "slug", as: String.self), try $0.decode(column: "updated_at", as: Date.self)) }
    }

    /// Materials from their index records, in the given order; one whose record is missing or unreadable (an index
    /// not yet built) is read from the material tables.
    private static func materials(_ entries: [(id: UUID, record: Data?)], on db: any Database) async throws -> [Material] {
        var decoded: [UUID: Material] = [:]
        var missing: [UUID] = []
        for entry in entries {
            if let record = entry.record, let material = MaterialRecord.decode(record) {
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
