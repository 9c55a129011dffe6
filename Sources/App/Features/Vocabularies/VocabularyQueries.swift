import Fluent
import SamspilCore

enum VocabularyQueries {
    static func load(on db: any Database) async throws -> Vocabularies {
        let rows = try await VocabularyTermModel.query(on: db).sort(\.$position).sort(\.$slug).all()
        func terms(_ kind: VocabularyKind) -> [VocabularyTerm] {
            rows.filter { $0.kind == kind.rawValue }.map(\.domain)
        }
        return Vocabularies(materialTypes: terms(.materialType), audiences: terms(.audience), topics: terms(.topic))
    }

    /// Adds new terms and updates labels of existing ones (by kind and slug). Never deletes.
    static func merge(_ vocabularies: Vocabularies, on db: any Database) async throws {
        for kind in VocabularyKind.allCases {
            let existing = try await VocabularyTermModel.query(on: db).filter(\.$kind == kind.rawValue).all()
            let bySlug = Dictionary(uniqueKeysWithValues: existing.map { ($0.slug, $0) })
            for (position, term) in vocabularies.terms(kind).enumerated() {
                if let row = bySlug[term.slug] {
                    row.label = term.label
                    row.pluralLabel = term.pluralLabel
                    row.position = position
                    try await row.save(on: db)
                } else {
                    try await VocabularyTermModel(kind: kind, term: term, position: position).create(on: db)
                }
            }
        }
    }
}
