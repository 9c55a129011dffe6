import Fluent
import Foundation
import SQLKit
import SamspilCore
import SamspilSearch

/// Keeps the stored search index (`search_documents`, `search_changes`, `search_stats`) in step with the
/// materials. Called inside the transaction of every save and delete, so the index never disagrees with
/// what is stored. Only published materials are indexed.
///
/// Each document row holds the material's analysed terms with their field-weighted frequencies; every app
/// process builds its in-memory inverted index from those rows (`SearchEngine`) and follows the change log,
/// so SQLite and PostgreSQL find and rank the same materials the same way.
enum SearchIndexer {
    static let analyzer = Analyzer()

    /// How much a word counts in each field (BM25F-style field weights): a hit in the title counts most.
    /// Whole numbers, so weighted frequencies are whole numbers too.
    enum Weight {
        static let title = 5
        static let genre = 2
        static let type = 2
        static let teaser = 2
        static let credits = 2
        static let topics = 2
        static let audiences = 1
        static let body = 1
    }

    /// The field texts of a material with their weights.
    static func fields(_ material: Material, vocabularies: Vocabularies) -> [(text: String, weight: Int)] {
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

    /// A material as the index stores it.
    struct Analysed: Sendable {
        var length: Int
        var typeSlug: String
        var year: Int?
        var language: String
        var sortTitle: String
        var audiences: [String]
        var topics: [String]

        /// The material itself (`MaterialRecord`), what a page of results shows.
        var record: [UInt8]

        /// The terms as stored: one "term<TAB>weighted frequency" line per term, in the order the terms first
        /// occur in the material's fields (any fixed order would do; it makes every process number the terms
        /// alike, and needs no sorting).
        var encodedTerms: String
    }

    static func analyse(_ material: Material, vocabularies: Vocabularies) -> Analysed {
        var memo = TermMemo(language(of: material))
        return analyse(material, vocabularies: vocabularies, memo: &memo)
    }

    static func language(of material: Material) -> StemmerLanguage {
        StemmerLanguage(rawValue: material.language.rawValue) ?? .danish
    }

    /// - Parameter memo: of the material's language.
    static func analyse(_ material: Material, vocabularies: Vocabularies, memo: inout TermMemo) -> Analysed {
        precondition(memo.language == language(of: material), "a memo of another language")
        let (terms, length) = weightedTerms(fields(material, vocabularies: vocabularies), memo: &memo)
        var encoded = ""
        for (term, frequency) in terms {
            encoded += term
            encoded += "\t"
            encoded += String(frequency)
            encoded += "\n"
        }
        return Analysed(length: length, typeSlug: material.type, year: material.year,
                        language: material.language.rawValue, sortTitle: DanishSortKey.make(material.title),
                        audiences: material.audiences, topics: material.topics, record: MaterialRecord.encode(material),
                        encodedTerms: encoded)
    }

    /// The index terms of weighted field texts with their weighted frequencies, in the order they first occur,
    /// and the weighted length — what every kind of document in an `InvertedIndex` is made of (materials here,
    /// organisations in `OrganisationSearch`).
    static func weightedTerms(_ fields: [(text: String, weight: Int)], memo: inout TermMemo) -> (terms: [(term: String, frequency: Int)], length: Int) {
        // Each term's place in `order` and `frequencies`.
        var places: [String: Int] = [:]
        var order: [String] = []
        var frequencies: [Int] = []
        var length = 0
        func add(_ term: String, weight: Int) {
            if let place = places[term] {
                frequencies[place] += weight
            } else {
                places[term] = order.count
                order.append(term)
                frequencies.append(weight)
            }
        }
        for (text, weight) in fields where !text.isEmpty {
            // A compound written with hyphens ("skole-virksomhedssamarbejde") is also indexed as one word, so
            // that it is found typed either way (the query joins hyphenated words too: `ParsedSearch`).
            var previousEnd: String.Index?
            var compound = ""
            analyzer.forEachWordRange(in: text) { range in
                let written = text[range]
                if let end = previousEnd, Analyzer.isCompoundJoint(text[end..<range.lowerBound]) {
                    compound += written
                    let joined = memo.term(ofWrittenWord: Substring(compound), analyzer: analyzer)
                    if !joined.isEmpty { add(joined, weight: weight) }
                } else {
                    compound = String(written)
                }
                previousEnd = range.upperBound
                // Terms are letters and digits; a (pathological) one holding a line break or tab is left out
                // rather than spoil the stored format.
                let term = memo.term(ofWrittenWord: written, analyzer: analyzer)
                guard !term.isEmpty else { return true }
                add(term, weight: weight)
                length += weight
                return true
            }
        }
        return (zip(order, frequencies).map { (term: $0, frequency: $1) }, length)
    }

    /// Replaces the material's entry in the index (removes it when the material is not published) and logs
    /// the change for the other processes.
    static func index(_ material: Material, id: UUID, vocabularies: Vocabularies, on db: any Database) async throws {
        try await remove(id: id, logging: false, on: db)
        if material.status == .published {
            try await addBatch([(id, analyse(material, vocabularies: vocabularies))], on: db)
        }
        try await logChange(of: id, on: db)
    }

    /// Writes document rows, a few hundred per statement.
    static func addBatch(_ documents: [(id: UUID, analysed: Analysed)], on db: any Database) async throws {
        guard !documents.isEmpty else { return }
        let sql = db as! any SQLDatabase
        for chunk in documents.chunked(into: 100) {
            let rows = chunk.map {
                let a = $0.analysed
                return """
                    (\(bind: $0.id), \(bind: Double(a.length)), \(bind: a.typeSlug), \(bind: a.year), \(bind: a.language), \
                    \(bind: a.sortTitle), \(bind: a.encodedTerms), \(bind: a.audiences.joined(separator: " ")), \(bind: a.topics.joined(separator: " ")), \
                    \(bind: Data(a.record)))
                    """ as SQLQueryString
            }.joined(separator: ", ")
            try await sql.raw("""
                INSERT INTO search_documents (material_id, length, type_slug, year, language, sort_title, terms, audiences, topics, record) \
                VALUES \(rows)
                """).run()
        }
        let totalLength = documents.reduce(0) { $0 + $1.analysed.length }
        // An empty index filled a material at a time is of this analyzer's version (SET reads the old row).
        try await sql.raw("""
            UPDATE search_stats SET documents = documents + \(literal: documents.count), \
            total_length = total_length + \(bind: Double(totalLength)), \
            analyzer_version = CASE WHEN documents = 0 THEN \(literal: Analyzer.version) ELSE analyzer_version END WHERE id = 1
            """).run()
    }

    /// Removes a material's entry from the index, if it has one.
    static func remove(id: UUID, on db: any Database) async throws {
        try await remove(id: id, logging: true, on: db)
    }

    private static func remove(id: UUID, logging: Bool, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        struct Existing: Decodable { let id: Int64; let length: Double }
        if let existing = try await sql.raw("SELECT id, length FROM search_documents WHERE material_id = \(bind: id)")
            .first(decoding: Existing.self) {
            try await sql.raw("DELETE FROM search_documents WHERE id = \(bind: existing.id)").run()
            try await sql.raw("UPDATE search_stats SET documents = documents - 1, total_length = total_length - \(bind: existing.length) WHERE id = 1").run()
        }
        if logging { try await logChange(of: id, on: db) }
    }

    /// Appends to the change log. On PostgreSQL the table lock (held to the end of the transaction) makes
    /// the changes commit in the order of their sequence numbers, so a reader never skips one.
    private static func logChange(of id: UUID, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        if sql.dialect.name != "sqlite" {
            try await sql.raw("LOCK TABLE search_changes IN SHARE ROW EXCLUSIVE MODE").run()
        }
        try await sql.raw("INSERT INTO search_changes (material_id) VALUES (\(bind: id))").run()
    }

    /// Whether published materials exist but the index holds none of them.
    /// Whether the stored index must be built: it is empty while materials are published, or it was analysed by
    /// another version of the analyzer (`Analyzer.version`: what a text's terms are changed).
    static func needsBuilding(on db: any Database) async throws -> Bool {
        struct Version: Decodable { let analyzer_version: Int64 }
        let stored = try await (db as! any SQLDatabase).raw("SELECT analyzer_version FROM search_stats WHERE id = 1")
            .first(decoding: Version.self)?.analyzer_version
        struct Row: Decodable { let documents: Int64 }
        let indexed = try await (db as! any SQLDatabase).raw("SELECT COUNT(*) AS documents FROM search_documents")
            .first(decoding: Row.self)?.documents ?? 0
        if indexed > 0 { return stored != Int64(Analyzer.version) }
        return try await MaterialModel.query(on: db).filter(\.$status == PublicationStatus.published.rawValue).count() > 0
    }

    /// Rebuilds the whole index from the stored materials, in one transaction, a batch of materials at a
    /// time; the analysis of a batch is spread over the processor's cores. Raises the generation, so every
    /// process reloads its in-memory index.
    static func reindexAll(
        on db: any Database, batchSize: Int = 1_000, progress: (@Sendable (Int, Int) async throws -> Void)? = nil
    ) async throws -> Int {
        try await db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            if sql.dialect.name != "sqlite" {
                try await sql.raw("LOCK TABLE search_changes IN SHARE ROW EXCLUSIVE MODE").run()
            }
            try await sql.raw("DELETE FROM search_documents").run()
            try await sql.raw("DELETE FROM search_changes").run()
            try await sql.raw("""
                UPDATE search_stats SET documents = 0, total_length = 0, generation = generation + 1, \
                analyzer_version = \(literal: Analyzer.version) WHERE id = 1
                """).run()
            try await ContentRevision.bump(on: tx)
            let vocabularies = try await VocabularyQueries.load(on: tx)
            struct ID: Decodable { let id: UUID }
            // All published ids at once, in the order the rows lie in the table (SQLite's rowid, PostgreSQL's
            // ctid), so that loading them a batch at a time reads the table front to back instead of jumping.
            let physicalOrder = sql.dialect.name == "sqlite" ? "rowid" : "ctid"
            let ids = try await sql.raw("""
                SELECT id FROM \(ident: MaterialModel.schema) WHERE status = \(bind: PublicationStatus.published.rawValue) \
                ORDER BY \(unsafeRaw: physicalOrder)
                """).all(decoding: ID.self).map(\.id)
            var done = 0
            // The words met so far and their terms, for the batches after.
            var words: TermMemo.Table = [:]
            // A pipeline: while one batch is analysed (on every core), the database reads the next batch and
            // writes the one before.
            typealias Analysis = Task<(analysed: [(id: UUID, analysed: Analysed)], learned: [TermMemo]), Never>
            func start(_ materials: [(id: UUID, material: Material)]) -> Analysis {
                let known = words
                return Task { await analyseConcurrently(materials, vocabularies: vocabularies, known: known) }
            }
            /// Waits for a batch's analysis and keeps the words it learned.
            func finish(_ running: Analysis) async -> [(id: UUID, analysed: Analysed)] {
                let (analysed, learned) = await running.value
                TermMemo.merge(learned, into: &words, capacity: 1_000_000)
                return analysed
            }
            func write(_ analysed: [(id: UUID, analysed: Analysed)]) async throws {
                try await addBatch(analysed, on: tx)
                done += analysed.count
                try await progress?(done, ids.count)
            }
            var analysing: Analysis?
            for batch in ids.chunked(into: batchSize) {
                let loaded = try await MaterialQueries.byID(Array(batch), on: tx)
                let materials = batch.compactMap { id in loaded[id].map { (id: id, material: $0) } }
                if let previous = analysing {
                    let analysed = await finish(previous)
                    analysing = start(materials)
                    try await write(analysed)
                } else {
                    analysing = start(materials)
                }
            }
            if let last = analysing { try await write(await finish(last)) }
            return done
        }
    }

    /// Analyses materials on every core, keeping their order; returns also the words each part met that
    /// `known` did not hold.
    static func analyseConcurrently(
        _ materials: [(id: UUID, material: Material)], vocabularies: Vocabularies, known: TermMemo.Table
    ) async -> (analysed: [(id: UUID, analysed: Analysed)], learned: [TermMemo]) {
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, materials.count / 50))
        let slices = materials.chunked(into: (materials.count + parts - 1) / max(parts, 1))
        return await withTaskGroup(of: (Int, [(id: UUID, analysed: Analysed)], [TermMemo]).self) { group in
            for (index, slice) in slices.enumerated() {
                let slice = Array(slice)
                group.addTask {
                    var memos = TermMemo.all(known: known)
                    let analysed = slice.map { item in
                        (item.id, analyse(item.material, vocabularies: vocabularies, memo: &memos[TermMemo.slot(language(of: item.material))]))
                    }
                    return (index, analysed, memos.map { $0.learnedOnly() })
                }
            }
            var results: [[(id: UUID, analysed: Analysed)]] = Array(repeating: [], count: slices.count)
            var learned: [TermMemo] = []
            for await (index, analysed, memos) in group {
                results[index] = analysed
                learned += memos
            }
            return (results.flatMap { $0 }, learned)
        }
    }
}

extension Array {
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
