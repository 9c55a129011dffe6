import Fluent
import Foundation
import SQLKit
import SamspilCore
import SamspilSearch

/// Keeps the search index (`search_terms`, `search_documents`, `search_postings`, `search_stats`) in step
/// with the materials. Called inside the transaction of every save and delete, so the index never
/// disagrees with what is stored. Only published materials are indexed.
///
/// The index is plain tables that SQLite and PostgreSQL share, holding the terms our own analyzer made,
/// so both backends find and rank the same materials the same way.
enum SearchIndexer {
    static let analyzer = Analyzer()

    /// How much a word counts in each field (BM25F-style field weights): a hit in the title counts most.
    enum Weight {
        static let title = 5.0
        static let genre = 2.0
        static let type = 2.0
        static let teaser = 2.0
        static let credits = 2.0
        static let topics = 2.0
        static let audiences = 1.0
        static let body = 1.0
    }

    /// The field texts of a material with their weights.
    static func fields(_ material: Material, vocabularies: Vocabularies) -> [(text: String, weight: Double)] {
        [
            (material.title, Weight.title),
            (material.genre?.label ?? "", Weight.genre),
            (vocabularies.label(material.type, in: .materialType), Weight.type),
            (material.teaser, Weight.teaser),
            ((material.credits.persons + [material.credits.organisation ?? ""]).joined(separator: " "), Weight.credits),
            (material.topics.map { vocabularies.label($0, in: .topic) }.joined(separator: " "), Weight.topics),
            (material.audiences.map { vocabularies.label($0, in: .audience) }.joined(separator: " "), Weight.audiences),
            (Markdown.plainText(material.body), Weight.body),
        ]
    }

    struct Analysed {
        /// term → (weighted frequency, a word it came from)
        var terms: [String: (tf: Double, example: String)]
        var length: Double
        var typeSlug: String
        var year: Int?
        var language: String
        var sortTitle: String
    }

    static func analyse(_ material: Material, vocabularies: Vocabularies) -> Analysed {
        let language = StemmerLanguage(rawValue: material.language.rawValue) ?? .danish
        var terms: [String: (tf: Double, example: String)] = [:]
        var length = 0.0
        for (text, weight) in fields(material, vocabularies: vocabularies) where !text.isEmpty {
            for word in analyzer.words(text) {
                guard let term = analyzer.term(for: word.word, language: language) else { continue }
                terms[term, default: (0, word.word)].tf += weight
                length += weight
            }
        }
        return Analysed(terms: terms, length: length, typeSlug: material.type, year: material.year,
                        language: material.language.rawValue, sortTitle: DanishSortKey.make(material.title))
    }

    /// Replaces the material's entry in the index (removes it when the material is not published).
    static func index(_ material: Material, id: UUID, vocabularies: Vocabularies, on db: any Database) async throws {
        try await remove(id: id, on: db)
        guard material.status == .published else { return }
        try await add(analyse(material, vocabularies: vocabularies), id: id, on: db)
    }

    static func add(_ analysed: Analysed, id: UUID, on db: any Database) async throws {
        try await addBatch([(id, analysed)], on: db)
    }

    /// Adds several documents with few statements: one multi-row insert per table and chunk, and one
    /// upsert per chunk of distinct terms that counts every document of the batch at once.
    static func addBatch(_ documents: [(id: UUID, analysed: Analysed)], on db: any Database) async throws {
        guard !documents.isEmpty else { return }
        let sql = db as! any SQLDatabase
        var docIDs: [UUID: Int64] = [:]
        struct Inserted: Decodable { let id: Int64; let material_id: UUID }
        for chunk in documents.chunked(into: 200) {
            let rows = chunk.map {
                let a = $0.analysed
                return "(\(bind: $0.id), \(bind: a.length), \(bind: a.typeSlug), \(bind: a.year), \(bind: a.language), \(bind: a.sortTitle))" as SQLQueryString
            }.joined(separator: ", ")
            for row in try await sql.raw("""
                INSERT INTO search_documents (material_id, length, type_slug, year, language, sort_title) VALUES \(rows) RETURNING id, material_id
                """).all(decoding: Inserted.self) {
                docIDs[row.material_id] = row.id
            }
        }
        let totalLength = documents.reduce(0) { $0 + $1.analysed.length }
        try await sql.raw("""
            UPDATE search_stats SET documents = documents + \(literal: documents.count), \
            total_length = total_length + \(bind: totalLength) WHERE id = 1
            """).run()
        var counts: [String: (documents: Int, example: String)] = [:]
        for document in documents {
            for (term, value) in document.analysed.terms {
                counts[term, default: (0, value.example)].documents += 1
            }
        }
        var ids: [String: Int64] = [:]
        struct Row: Decodable { let id: Int64; let term: String }
        for chunk in counts.sorted(by: { $0.key < $1.key }).chunked(into: 1_000) {
            let values = chunk.map { "(\(bind: $0.key), \(literal: $0.value.documents), \(bind: $0.value.example))" as SQLQueryString }
                .joined(separator: ", ")
            for row in try await sql.raw("""
                INSERT INTO search_terms (term, doc_count, example) VALUES \(values) \
                ON CONFLICT (term) DO UPDATE SET doc_count = search_terms.doc_count + excluded.doc_count RETURNING id, term
                """).all(decoding: Row.self) {
                ids[row.term] = row.id
            }
        }
        let postings = documents.flatMap { document in
            document.analysed.terms.map { (termID: ids[$0.key]!, docID: docIDs[document.id]!, tf: $0.value.tf) }
        }
        for chunk in postings.chunked(into: 1_000) {
            let values = chunk.map { "(\(bind: $0.termID), \(bind: $0.docID), \(bind: $0.tf))" as SQLQueryString }
                .joined(separator: ", ")
            try await sql.raw("INSERT INTO search_postings (term_id, doc_id, tf) VALUES \(values)").run()
        }
    }

    static func remove(id: UUID, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        struct Existing: Decodable { let id: Int64; let length: Double }
        guard let existing = try await sql.raw("SELECT id, length FROM search_documents WHERE material_id = \(bind: id)")
            .first(decoding: Existing.self) else { return }
        try await sql.raw("""
            UPDATE search_terms SET doc_count = doc_count - 1 \
            WHERE id IN (SELECT term_id FROM search_postings WHERE doc_id = \(bind: existing.id))
            """).run()
        try await sql.raw("DELETE FROM search_postings WHERE doc_id = \(bind: existing.id)").run()
        try await sql.raw("DELETE FROM search_documents WHERE id = \(bind: existing.id)").run()
        try await sql.raw("UPDATE search_stats SET documents = documents - 1, total_length = total_length - \(bind: existing.length) WHERE id = 1").run()
    }

    /// Whether published materials exist but the index holds none of them.
    static func needsBuilding(on db: any Database) async throws -> Bool {
        struct Row: Decodable { let documents: Int64 }
        let indexed = try await (db as! any SQLDatabase).raw("SELECT documents FROM search_stats WHERE id = 1")
            .first(decoding: Row.self)?.documents ?? 0
        guard indexed == 0 else { return false }
        return try await MaterialModel.query(on: db).filter(\.$status == PublicationStatus.published.rawValue).count() > 0
    }

    /// Rebuilds the whole index from the stored materials, in one transaction, a batch of materials at a time.
    static func reindexAll(
        on db: any Database, batchSize: Int = 500, progress: (@Sendable (Int, Int) async throws -> Void)? = nil
    ) async throws -> Int {
        try await db.transaction { tx in
            let sql = tx as! any SQLDatabase
            try await sql.raw("DELETE FROM search_postings").run()
            try await sql.raw("DELETE FROM search_documents").run()
            try await sql.raw("DELETE FROM search_terms").run()
            try await sql.raw("UPDATE search_stats SET documents = 0, total_length = 0, generation = generation + 1 WHERE id = 1").run()
            let vocabularies = try await VocabularyQueries.load(on: tx)
            let published = MaterialModel.query(on: tx).filter(\.$status == PublicationStatus.published.rawValue)
            let total = try await published.copy().count()
            var done = 0
            var lastID: UUID?
            while true {
                var page = published.copy().sort(\.$id).limit(batchSize)
                if let lastID { page = page.filter(\.$id > lastID) }
                let rows = try await page.with(\.$persons).with(\.$terms).with(\.$versions).all()
                guard let last = rows.last else { break }
                lastID = try last.requireID()
                try await addBatch(try rows.map { (try $0.requireID(), analyse($0.domain(), vocabularies: vocabularies)) }, on: tx)
                done += rows.count
                try await progress?(done, total)
            }
            return done
        }
    }
}

extension Array {
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
