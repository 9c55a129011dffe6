import Fluent
import SQLKit
import SamspilCore

enum VocabularyQueries {
    /// Every page and API call reads these, so this is one plain SQL read (no Fluent models).
    static func load(on db: any Database) async throws -> Vocabularies {
        struct Row: Decodable { let kind: String; let slug: String; let label: String; let plural_label: String? }
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT kind, slug, label, plural_label FROM \(ident: VocabularyTermModel.schema) ORDER BY position, slug
            """).all(decoding: Row.self)
        func terms(_ kind: VocabularyKind) -> [VocabularyTerm] {
            rows.filter { $0.kind == kind.rawValue }.map { VocabularyTerm(slug: $0.slug, label: $0.label, pluralLabel: $0.plural_label) }
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
