import Fluent
import SQLKit
import Foundation
import SamspilCore

/// Reading and writing theme pages.
enum ThemeQueries {
    static func find(slug: String, visibility: MaterialQueries.Visibility = .publishedOnly, on db: any Database) async throws -> Theme? {
        var builder = ThemeModel.query(on: db).filter(\.$slug == slug)
        if visibility == .publishedOnly { builder = builder.filter(\.$status == PublicationStatus.published.rawValue) }
        guard let row = try await builder.first() else { return nil }
        return try await domain(row, on: db)
    }

    static func require(slug: String, on db: any Database) async throws -> Theme {
        guard let theme = try await find(slug: slug, on: db) else {
            throw SamspilError.notFound("Temaet \"\(slug)\" findes ikke.")
        }
        return theme
    }

    static func all(visibility: MaterialQueries.Visibility = .publishedOnly, on db: any Database) async throws -> [Theme] {
        var builder = ThemeModel.query(on: db).sort(\.$title)
        if visibility == .publishedOnly { builder = builder.filter(\.$status == PublicationStatus.published.rawValue) }
        var themes: [Theme] = []
        for row in try await builder.all() { themes.append(try await domain(row, on: db)) }
        return themes
    }

    /// The slugs a theme filter among `parameters` is checked against: none are read when there is none.
    static func slugsToCheck(_ parameters: [(name: String, value: String)], on db: any Database) async throws -> Set<String> {
        parameters.contains { $0.name == "theme" } ? try await allSlugs(on: db) : []
    }

    /// Read to check the theme filter, so plain SQL.
    static func allSlugs(on db: any Database) async throws -> Set<String> {
        struct Row: Decodable { let slug: String }
        return Set(try await (db as! any SQLDatabase).raw("""
            SELECT slug FROM \(ident: ThemeModel.schema) WHERE status = \(bind: PublicationStatus.published.rawValue)
            """).all(decoding: Row.self).map(\.slug))
    }

    /// The theme's published materials in the theme's order.
    static func materials(of theme: Theme, on db: any Database) async throws -> [Material] {
        guard !theme.materials.isEmpty else { return [] }
        let rows = try await MaterialModel.query(on: db)
            .filter(\.$slug ~~ theme.materials)
            .filter(\.$status == PublicationStatus.published.rawValue)
            .with(\.$persons).with(\.$terms).with(\.$versions)
            .all()
        let bySlug = Dictionary(uniqueKeysWithValues: rows.map { ($0.slug, $0.domain()) })
        return theme.materials.compactMap { bySlug[$0] }
    }

    /// Inserts or replaces (by slug) a theme and its ordered material list.
    static func save(_ theme: Theme, now: Date, on db: any Database) async throws {
        let row = try await ThemeModel.query(on: db).filter(\.$slug == theme.slug).first() ?? ThemeModel()
        let isNew = row.id == nil
        row.slug = theme.slug
        row.title = theme.title
        row.section = theme.section
        row.intro = theme.intro
        row.status = theme.status.rawValue
        row.createdAt = theme.createdAt ?? (isNew ? now : row.createdAt)
        row.updatedAt = theme.updatedAt ?? now
        try await row.save(on: db)
        try await ContentRevision.bump(on: db)
        let themeID = try row.requireID()
        try await ThemeMaterialModel.query(on: db).filter(\.$theme.$id == themeID).delete()
        let ids = try await MaterialModel.query(on: db).filter(\.$slug ~~ theme.materials).all()
        let idBySlug = Dictionary(uniqueKeysWithValues: try ids.map { ($0.slug, try $0.requireID()) })
        for (position, slug) in theme.materials.enumerated() {
            guard let materialID = idBySlug[slug] else {
                throw SamspilError.invalid([FieldProblem(record: "themes (\(theme.slug))", field: "materials[\(position)]", message: "materialet \"\(slug)\" findes ikke.")])
            }
            try await ThemeMaterialModel(themeID: themeID, materialID: materialID, position: position).create(on: db)
        }
    }

    /// Locks a theme's row for the rest of the transaction and says whether it exists. Made the first statement
    /// of every transaction that changes a theme: a write, so SQLite makes the transaction a writer at once
    /// (one that read first would fail with "database is locked" when another save came in between), and
    /// PostgreSQL queues concurrent changes of the same theme instead of letting them undo each other.
    static func lock(slug: String, on db: any Database) async throws -> Bool {
        struct Row: Decodable { let slug: String }
        return try await (db as! any SQLDatabase).raw("""
            UPDATE \(ident: ThemeModel.schema) SET slug = slug WHERE slug = \(bind: slug) RETURNING slug
            """).first(decoding: Row.self) != nil
    }

    /// Deletes a theme and its material places (not the materials).
    static func delete(slug: String, on db: any Database) async throws {
        guard let row = try await ThemeModel.query(on: db).filter(\.$slug == slug).first() else {
            throw SamspilError.notFound("Temaet \"\(slug)\" findes ikke.")
        }
        try await ThemeMaterialModel.query(on: db).filter(\.$theme.$id == row.requireID()).delete()
        try await row.delete(on: db)
        try await ContentRevision.bump(on: db)
    }

    private static func domain(_ row: ThemeModel, on db: any Database) async throws -> Theme {
        let entries = try await ThemeMaterialModel.query(on: db)
            .filter(\.$theme.$id == row.requireID())
            .sort(\.$position)
            .with(\.$material)
            .all()
        return Theme(
            slug: row.slug, title: row.title, section: row.section, intro: row.intro,
            materials: entries.map { $0.material.slug },
            status: PublicationStatus(rawValue: row.status) ?? .draft,
            createdAt: row.createdAt, updatedAt: row.updatedAt
        )
    }
}
