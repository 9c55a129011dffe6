import Fluent
import Foundation
import SamspilCore
import SQLKit

/// Export of all content to a `ContentDocument` (or straight to its JSON, streamed), and import of one —
/// validated as a whole, written in one transaction, so a bad file changes nothing.
enum ContentTransfer {
    struct Report: Sendable, Equatable {
        var materials: Int
        var themes: Int
        var terms: Int
    }

    /// How many materials an export reads, encodes and writes at a time.
    static let exportBatchSize = 500

    static func export(on db: any Database) async throws -> ContentDocument {
        try await snapshot(of: db) { db in
            let vocabularies = try await VocabularyQueries.load(on: db)
            let materials = try await MaterialQueries.all(on: db)
            let themes = try await ThemeQueries.all(visibility: .all, on: db)
            return ContentDocument(vocabularies: vocabularies, materials: materials, themes: themes)
        }
    }

    /// Writes what `export` returns as JSON (as `ContentDocument.encoder()` writes it) to `write`, in pieces:
    /// the materials a batch at a time, as they are read, so memory stays that of one batch however large the
    /// catalogue is.
    static func export(
        on db: any Database, batchSize: Int = exportBatchSize, to write: @escaping @Sendable (Data) async throws -> Void
    ) async throws {
        try await snapshot(of: db) { db in
            var writer = try ContentDocument.StreamWriter(
                vocabularies: try await VocabularyQueries.load(on: db), themes: try await ThemeQueries.all(visibility: .all, on: db)
            )
            try await write(writer.start())
            try await MaterialQueries.forEachBatch(of: batchSize, on: db) { batch in
                try await write(try writer.append(batch))
            }
            try await write(writer.finish())
        }
    }

    /// Runs the reads of an export in one transaction that sees one state of the database, so that a save
    /// during a long export cannot leave a theme naming a material the file lacks. SQLite (WAL) gives each
    /// transaction a snapshot from its first read; PostgreSQL needs REPEATABLE READ for it.
    private static func snapshot<T: Sendable>(of db: any Database, _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await db.transaction { tx in
            if let sql = tx as? any SQLDatabase, sql.dialect.name == "postgresql" {
                try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run()
            }
            return try await body(tx)
        }
    }

    /// Imports a document: vocabulary terms are merged, materials and themes replace those with the same slug.
    /// - Parameters:
    ///   - reading: how the document was read from a file, when it was: its problems are reported together
    ///     with the broken rules.
    ///   - progress: called after each material and theme with (done, total); if it throws,
    ///     the import stops and nothing of it is kept.
    @discardableResult
    static func importDocument(
        _ document: ContentDocument, reading: ContentDocument.Reading? = nil, now: Date, on db: any Database,
        progress: (@Sendable (Int, Int) async throws -> Void)? = nil
    ) async throws -> Report {
        let stored = try await VocabularyQueries.load(on: db)
        let merged = Vocabularies(
            materialTypes: union(stored.materialTypes, document.vocabularies.materialTypes),
            audiences: union(stored.audiences, document.vocabularies.audiences),
            topics: union(stored.topics, document.vocabularies.topics)
        )
        let ruleProblems = document.problems(existingMaterialSlugs: try await MaterialQueries.allSlugs(on: db), knownVocabularies: merged)
        let problems = reading?.withRuleProblems(ruleProblems) ?? ruleProblems
        if !problems.isEmpty { throw SamspilError.invalid(problems) }

        let total = document.materials.count + document.themes.count
        return try await db.writeTransaction { tx in
            try await VocabularyQueries.merge(document.vocabularies, on: tx)
            let vocabularies = try await VocabularyQueries.load(on: tx)
            var done = 0
            for material in document.materials {
                try await MaterialQueries.save(material, now: now, vocabularies: vocabularies, on: tx)
                done += 1
                try await progress?(done, total)
            }
            for theme in document.themes {
                try await ThemeQueries.save(theme, now: now, on: tx)
                done += 1
                try await progress?(done, total)
            }
            let terms = VocabularyKind.allCases.reduce(0) { $0 + document.vocabularies.terms($1).count }
            return Report(materials: document.materials.count, themes: document.themes.count, terms: terms)
        }
    }

    private static func union(_ stored: [VocabularyTerm], _ incoming: [VocabularyTerm]) -> [VocabularyTerm] {
        let incomingSlugs = Set(incoming.map(\.slug))
        return stored.filter { !incomingSlugs.contains($0.slug) } + incoming
    }
}
