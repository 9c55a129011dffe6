import Fluent
import FluentSQL
import Foundation
import SamspilCore

/// Reading and writing materials. Static functions over a `Database`, testable without HTTP.
enum MaterialQueries {
    /// Which statuses a reader may see.
    enum Visibility: Sendable {
        case publishedOnly, all
    }

    static func page(_ query: MaterialQuery, visibility: Visibility = .publishedOnly, on db: any Database) async throws -> ResultPage<Material> {
        let base = filtered(query, visibility: visibility, on: db)
        let total = try await base.copy().count()
        let sorted = sort(base, by: query.sort)
        let rows = try await sorted
            .range(query.page.offset..<(query.page.offset + query.page.limit))
            .with(\.$persons).with(\.$terms).with(\.$versions)
            .all()
        return ResultPage(items: rows.map { $0.domain() }, total: total, request: query.page)
    }

    static func find(slug: String, visibility: Visibility = .publishedOnly, on db: any Database) async throws -> Material? {
        var builder = MaterialModel.query(on: db).filter(\.$slug == slug)
        if visibility == .publishedOnly { builder = builder.filter(\.$status == PublicationStatus.published.rawValue) }
        return try await builder.with(\.$persons).with(\.$terms).with(\.$versions).first()?.domain()
    }

    static func require(slug: String, on db: any Database) async throws -> Material {
        guard let material = try await find(slug: slug, on: db) else {
            throw SamspilError.notFound("Materialet \"\(slug)\" findes ikke.")
        }
        return material
    }

    /// How many published materials carry each term of a vocabulary.
    static func termCounts(_ kind: VocabularyKind, on db: any Database) async throws -> [String: Int] {
        let sql = db as! any SQLDatabase
        struct Row: Decodable { let slug: String; let count: Int }
        let rows = try await sql.raw("""
            SELECT t.\(ident: "term_slug") AS slug, COUNT(*) AS count FROM \(ident: MaterialTermModel.schema) t \
            JOIN \(ident: MaterialModel.schema) m ON m.\(ident: "id") = t.\(ident: "material_id") \
            WHERE t.\(ident: "kind") = \(bind: kind.rawValue) AND m.\(ident: "status") = \(bind: PublicationStatus.published.rawValue) \
            GROUP BY t.\(ident: "term_slug")
            """).all(decoding: Row.self)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.slug, $0.count) })
    }

    /// How many published materials there are of each type.
    static func typeCounts(on db: any Database) async throws -> [String: Int] {
        try await grouped(column: "type_slug", on: db)
    }

    /// Published years with their number of materials, newest first.
    static func yearCounts(on db: any Database) async throws -> [(year: Int, count: Int)] {
        let counts = try await grouped(column: "year", on: db)
        return counts.compactMap { key, value in Int(key).map { ($0, value) } }.sorted { $0.year > $1.year }
    }

    private static func grouped(column: String, on db: any Database) async throws -> [String: Int] {
        let sql = db as! any SQLDatabase
        struct Row: Decodable { let key: String?; let count: Int }
        let rows = try await sql.raw("""
            SELECT CAST(\(ident: column) AS TEXT) AS key, COUNT(*) AS count FROM \(ident: MaterialModel.schema) \
            WHERE \(ident: "status") = \(bind: PublicationStatus.published.rawValue) AND \(ident: column) IS NOT NULL \
            GROUP BY \(ident: column)
            """).all(decoding: Row.self)
        return Dictionary(uniqueKeysWithValues: rows.compactMap { row in row.key.map { ($0, row.count) } })
    }

    static func allSlugs(on db: any Database) async throws -> Set<String> {
        Set(try await MaterialModel.query(on: db).all(\.$slug))
    }

    /// Inserts or replaces (by slug) a material with all its children.
    /// Keeps `createdAt` of an existing row unless the material carries its own.
    /// - Parameters:
    ///   - indexing: false only for bulk loads that rebuild the search index afterwards.
    ///   - vocabularies: the stored vocabularies, when the caller already has them (imports); loaded otherwise.
    @discardableResult
    static func save(
        _ material: Material, now: Date, indexing: Bool = true, vocabularies: Vocabularies? = nil, on db: any Database
    ) async throws -> UUID {
        try await db.writeTransaction { tx in
            let (id, stored) = try await saveRows(material, now: now, on: tx)
            try await ContentRevision.bump(on: tx)
            if indexing {
                let labels: Vocabularies
                if let vocabularies { labels = vocabularies } else { labels = try await VocabularyQueries.load(on: tx) }
                try await SearchIndexer.index(stored, id: id, vocabularies: labels, on: tx)
            }
            return id
        }
    }

    /// Deletes a material; its search entry, children and theme places go with it (same transaction).
    static func delete(slug: String, on db: any Database) async throws {
        try await db.writeTransaction { tx in
            guard let row = try await MaterialModel.query(on: tx).filter(\.$slug == slug).first() else {
                throw SamspilError.notFound("Materialet \"\(slug)\" findes ikke.")
            }
            try await SearchIndexer.remove(id: row.requireID(), on: tx)
            try await row.delete(on: tx)
            try await ContentRevision.bump(on: tx)
        }
    }

    /// Returns the row's id and the material as stored (with its dates).
    private static func saveRows(_ material: Material, now: Date, on db: any Database) async throws -> (UUID, Material) {
        let row = try await MaterialModel.query(on: db).filter(\.$slug == material.slug).first() ?? MaterialModel()
        let isNew = row.id == nil
        row.apply(material)
        row.createdAt = material.createdAt ?? (isNew ? now : row.createdAt)
        row.updatedAt = material.updatedAt ?? now
        try await row.save(on: db)
        let id = try row.requireID()
        if !isNew {
            // A new row starts at revision 1 (the column's default); each later save raises it.
            try await (db as! any SQLDatabase).raw("UPDATE \(ident: MaterialModel.schema) SET revision = revision + 1 WHERE id = \(bind: id)").run()
            try await MaterialPersonModel.query(on: db).filter(\.$material.$id == id).delete()
            try await MaterialTermModel.query(on: db).filter(\.$material.$id == id).delete()
            try await MaterialVersionModel.query(on: db).filter(\.$material.$id == id).delete()
        }
        for (position, name) in material.credits.persons.enumerated() {
            try await MaterialPersonModel(materialID: id, position: position, name: name).create(on: db)
        }
        for (kind, slugs) in [(VocabularyKind.audience, material.audiences), (.topic, material.topics)] {
            for (position, slug) in slugs.enumerated() {
                try await MaterialTermModel(materialID: id, kind: kind, termSlug: slug, position: position).create(on: db)
            }
        }
        for (position, version) in material.versions.enumerated() {
            let versionRow = MaterialVersionModel()
            versionRow.$material.id = id
            versionRow.position = position
            versionRow.kind = version.kind.rawValue
            versionRow.label = version.label
            versionRow.availability = version.availability.rawValue
            versionRow.url = version.url
            versionRow.fileName = version.fileName
            versionRow.contentType = version.contentType
            try await versionRow.create(on: db)
        }
        var stored = material
        stored.createdAt = row.createdAt
        stored.updatedAt = row.updatedAt
        return (id, stored)
    }

    /// Materials by id, with their persons, terms and versions, in four plain SQL reads (no Fluent models:
    /// search loads a page of results this way on every query, and model decoding costs more than the reads).
    static func byID(_ ids: [UUID], on db: any Database) async throws -> [UUID: Material] {
        guard !ids.isEmpty else { return [:] }
        let sql = db as! any SQLDatabase
        struct Row: Decodable {
            let id: UUID, created_at: Date, updated_at: Date, slug: String, title: String, genre: String?
            let type_slug: String, teaser: String, body: String, credit_kind: String, credit_organisation: String?
            let year: Int?, language: String, reading_minutes: Int?, status: String
        }
        /// A person (`p`: a = name), term (`t`: a = kind, b = slug) or version (`v`: a–f) of a material.
        struct Child: Decodable {
            let material_id: UUID, source: String, position: Int
            let a: String?, b: String?, c: String?, d: String?, e: String?, f: String?
        }
        var result: [UUID: Material] = [:]
        for chunk in ids.chunked(into: 500) {
            let batch = Array(chunk)
            let rows = try await sql.raw("""
                SELECT id, created_at, updated_at, slug, title, genre, type_slug, teaser, body, credit_kind, credit_organisation, \
                year, language, reading_minutes, status FROM \(ident: MaterialModel.schema) WHERE id IN (\(binds: batch))
                """).all(decoding: Row.self)
            let none: SQLQueryString = "CAST(NULL AS TEXT)"
            let children = Dictionary(grouping: try await sql.raw("""
                SELECT material_id, 'p' AS source, position, name AS a, \(none) AS b, \(none) AS c, \(none) AS d, \(none) AS e, \(none) AS f \
                FROM \(ident: MaterialPersonModel.schema) WHERE material_id IN (\(binds: batch)) \
                UNION ALL SELECT material_id, 't', position, kind, term_slug, \(none), \(none), \(none), \(none) \
                FROM \(ident: MaterialTermModel.schema) WHERE material_id IN (\(binds: batch)) \
                UNION ALL SELECT material_id, 'v', position, kind, label, availability, url, file_name, content_type \
                FROM \(ident: MaterialVersionModel.schema) WHERE material_id IN (\(binds: batch))
                """).all(decoding: Child.self), by: \.material_id)
            for row in rows {
                let own = (children[row.id] ?? []).sorted { $0.position < $1.position }
                let terms = own.filter { $0.source == "t" }
                result[row.id] = Material(
                    slug: row.slug, title: row.title, genre: row.genre.flatMap(Genre.init(rawValue:)), type: row.type_slug,
                    teaser: row.teaser, body: row.body,
                    credits: Credits(
                        kind: Credits.Kind(rawValue: row.credit_kind) ?? .developed,
                        persons: own.filter { $0.source == "p" }.map { $0.a ?? "" },
                        organisation: row.credit_organisation
                    ),
                    year: row.year, language: Language(rawValue: row.language) ?? .danish, readingMinutes: row.reading_minutes,
                    audiences: terms.filter { $0.a == VocabularyKind.audience.rawValue }.compactMap(\.b),
                    topics: terms.filter { $0.a == VocabularyKind.topic.rawValue }.compactMap(\.b),
                    versions: own.filter { $0.source == "v" }.map {
                        MaterialVersion(
                            kind: MaterialVersion.Kind(rawValue: $0.a ?? "") ?? .other, label: $0.b,
                            availability: MaterialVersion.Availability(rawValue: $0.c ?? "") ?? .unavailable,
                            url: $0.d, fileName: $0.e, contentType: $0.f
                        )
                    },
                    status: PublicationStatus(rawValue: row.status) ?? .draft,
                    createdAt: row.created_at, updatedAt: row.updated_at
                )
            }
        }
        return result
    }

    /// A material of any status with its revision, the revision read first: if a save comes in between, the
    /// revision is older than the material, so a change based on it is refused rather than overwriting unseen.
    static func requireWithRevision(slug: String, on db: any Database) async throws -> (material: Material, revision: Int) {
        guard let revision = try await revision(slug: slug, on: db),
              let material = try await find(slug: slug, visibility: .all, on: db) else {
            throw SamspilError.notFound("Materialet \"\(slug)\" findes ikke.")
        }
        return (material, revision)
    }

    /// The material's revision (raised by every save), for optimistic concurrency in the editor.
    static func revision(slug: String, on db: any Database) async throws -> Int? {
        struct Row: Decodable { let revision: Int }
        return try await (db as! any SQLDatabase).raw("SELECT revision FROM \(ident: MaterialModel.schema) WHERE slug = \(bind: slug)")
            .first(decoding: Row.self)?.revision
    }

    /// Every material, with children, in title order.
    static func all(on db: any Database) async throws -> [Material] {
        var materials: [Material] = []
        try await forEachBatch(of: 500, on: db) { materials += $0 }
        return materials
    }

    /// Every material in title order, `size` at a time (for export), each batch read by `byID`. Not Fluent's
    /// eager loading (`.with(\.$persons)` …), which hands each material its children by filtering the
    /// children of all of them: time that grows with the square of the catalogue. The batches are pages of
    /// the index on (sort_title, slug), each starting after the last material of the one before, so that
    /// neither time per batch nor memory grows with the catalogue (reading all ids first held every row of
    /// that read at once: 23 MB more at 100,000 materials).
    static func forEachBatch(of size: Int, on db: any Database, _ body: ([Material]) async throws -> Void) async throws {
        let sql = db as! any SQLDatabase
        var after: (sortTitle: String, slug: String)?
        while true {
            let condition: SQLQueryString = after.map { "WHERE (sort_title, slug) > (\(bind: $0.sortTitle), \(bind: $0.slug))" } ?? ""
            let rows = try await sql.raw("""
                SELECT id, sort_title, slug FROM \(ident: MaterialModel.schema) \(condition) ORDER BY sort_title, slug LIMIT \(literal: size)
                """).all()
            guard let last = rows.last else { return }
            let ids = try rows.map { try $0.decode(column: "id", as: UUID.self) }
            let materials = try await byID(ids, on: db)
            // A material deleted since its id was read is left out.
            try await body(ids.compactMap { materials[$0] })
            guard rows.count == size else { return }
            after = (try last.decode(column: "sort_title", as: String.self), try last.decode(column: "slug", as: String.self))
        }
    }

    // MARK: - Building the query

    private static func filtered(_ query: MaterialQuery, visibility: Visibility, on db: any Database) -> QueryBuilder<MaterialModel> {
        var builder = MaterialModel.query(on: db)
        if visibility == .publishedOnly { builder = builder.filter(\.$status == PublicationStatus.published.rawValue) }
        if let type = query.type { builder = builder.filter(\.$typeSlug == type) }
        if let year = query.year { builder = builder.filter(\.$year == year) }
        if let language = query.language { builder = builder.filter(\.$language == language.rawValue) }
        if let audience = query.audience { builder = builder.filter(.sql(embed: hasTerm(.audience, audience))) }
        if let topic = query.topic { builder = builder.filter(.sql(embed: hasTerm(.topic, topic))) }
        if let theme = query.theme {
            builder = builder.filter(.sql(embed: """
                \(ident: MaterialModel.schema).\(ident: "id") IN (SELECT tm.\(ident: "material_id") FROM \(ident: ThemeMaterialModel.schema) tm \
                JOIN \(ident: ThemeModel.schema) th ON th.\(ident: "id") = tm.\(ident: "theme_id") WHERE th.\(ident: "slug") = \(bind: theme))
                """))
        }
        return builder
    }

    private static func hasTerm(_ kind: VocabularyKind, _ slug: String) -> SQLQueryString {
        """
        \(ident: MaterialModel.schema).\(ident: "id") IN (SELECT \(ident: "material_id") FROM \(ident: MaterialTermModel.schema) \
        WHERE \(ident: "kind") = \(bind: kind.rawValue) AND \(ident: "term_slug") = \(bind: slug))
        """
    }

    /// Materials without a year last, on both backends (SQLite and PostgreSQL order NULLs differently).
    private static let yearsFirst = DatabaseQuery.Sort.sql(embed: "CASE WHEN \(ident: MaterialModel.schema).\(ident: "year") IS NULL THEN 1 ELSE 0 END")

    private static func sort(_ builder: QueryBuilder<MaterialModel>, by sort: MaterialSort) -> QueryBuilder<MaterialModel> {
        switch sort {
        case .newest: builder.sort(yearsFirst).sort(\.$year, .descending).sort(\.$sortTitle).sort(\.$slug)
        case .oldest: builder.sort(yearsFirst).sort(\.$year, .ascending).sort(\.$sortTitle).sort(\.$slug)
        case .title, .relevance: builder.sort(\.$sortTitle).sort(\.$slug)
        case .titleDescending: builder.sort(\.$sortTitle, .descending).sort(\.$slug, .descending)
        case .updated: builder.sort(\.$updatedAt, .descending).sort(yearsFirst).sort(\.$year, .descending).sort(\.$sortTitle).sort(\.$slug)
        }
    }
}
