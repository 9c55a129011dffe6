import Fluent
import Foundation
import SamspilCore

/// Export of all content to a `ContentDocument`, and import of one — validated as a whole,
/// written in one transaction, so a bad file changes nothing.
enum ContentTransfer {
    struct Report: Sendable, Equatable {
        var materials: Int
        var themes: Int
        var terms: Int
    }

    static func export(on db: any Database) async throws -> ContentDocument {
        let vocabularies = try await VocabularyQueries.load(on: db)
        let materials = try await MaterialQueries.all(on: db)
        let themes = try await ThemeQueries.all(visibility: .all, on: db)
        return ContentDocument(vocabularies: vocabularies, materials: materials, themes: themes)
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
