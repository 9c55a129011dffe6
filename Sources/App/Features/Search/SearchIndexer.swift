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
        return Analysed(terms: terms, length: length)
    }

    /// Replaces the material's entry in the index (removes it when the material is not published).
    static func index(_ material: Material, id: UUID, vocabularies: Vocabularies, on db: any Database) async throws {
        try await remove(id: id, on: db)
        guard material.status == .published else { return }
        try await add(analyse(material, vocabularies: vocabularies), id: id, on: db)
    }

    static func add(_ analysed: Analysed, id: UUID, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("INSERT INTO search_documents (material_id, length) VALUES (\(bind: id), \(bind: analysed.length))").run()
        try await sql.raw("UPDATE search_stats SET documents = documents + 1, total_length = total_length + \(bind: analysed.length) WHERE id = 1").run()
        let entries = analysed.terms.sorted { $0.key < $1.key }
        for chunk in stride(from: 0, to: entries.count, by: 500).map({ Array(entries[$0..<min($0 + 500, entries.count)]) }) {
            // Add new terms and count this document for existing ones, in one statement per chunk.
            let values = chunk.map { "(\(bind: $0.key), 1, \(bind: $0.value.example))" as SQLQueryString }.joined(separator: ", ")
            struct Row: Decodable { let id: Int64; let term: String }
            let rows = try await sql.raw("""
                INSERT INTO search_terms (term, doc_count, example) VALUES \(values) \
                ON CONFLICT (term) DO UPDATE SET doc_count = search_terms.doc_count + 1 RETURNING id, term
                """).all(decoding: Row.self)
            let ids = Dictionary(uniqueKeysWithValues: rows.map { ($0.term, $0.id) })
            let postings = chunk.map { "(\(bind: ids[$0.key]!), \(bind: id), \(bind: $0.value.tf))" as SQLQueryString }
                .joined(separator: ", ")
            try await sql.raw("INSERT INTO search_postings (term_id, material_id, tf) VALUES \(postings)").run()
        }
    }

    static func remove(id: UUID, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        struct Length: Decodable { let length: Double }
        guard let existing = try await sql.raw("SELECT length FROM search_documents WHERE material_id = \(bind: id)")
            .first(decoding: Length.self) else { return }
        try await sql.raw("""
            UPDATE search_terms SET doc_count = doc_count - 1 \
            WHERE id IN (SELECT term_id FROM search_postings WHERE material_id = \(bind: id))
            """).run()
        try await sql.raw("DELETE FROM search_postings WHERE material_id = \(bind: id)").run()
        try await sql.raw("DELETE FROM search_documents WHERE material_id = \(bind: id)").run()
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

    /// Rebuilds the whole index from the stored materials, in one transaction.
    static func reindexAll(on db: any Database, progress: (@Sendable (Int, Int) async throws -> Void)? = nil) async throws -> Int {
        try await db.transaction { tx in
            let sql = tx as! any SQLDatabase
            try await sql.raw("DELETE FROM search_postings").run()
            try await sql.raw("DELETE FROM search_documents").run()
            try await sql.raw("DELETE FROM search_terms").run()
            try await sql.raw("UPDATE search_stats SET documents = 0, total_length = 0, generation = generation + 1 WHERE id = 1").run()
            let vocabularies = try await VocabularyQueries.load(on: tx)
            let rows = try await MaterialModel.query(on: tx).filter(\.$status == PublicationStatus.published.rawValue)
                .with(\.$persons).with(\.$terms).with(\.$versions).all()
            for (done, row) in rows.enumerated() {
                try await add(analyse(row.domain(), vocabularies: vocabularies), id: row.requireID(), on: tx)
                try await progress?(done + 1, rows.count)
            }
            return rows.count
        }
    }
}
