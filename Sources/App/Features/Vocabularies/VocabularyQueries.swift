import Fluent
import SQLKit
import SamspilCore

enum VocabularyQueries {
    /// Every page and API call reads these, so this is one plain SQL read (no Fluent models).
    static func load(on db: any Database) async throws -> Vocabularies {
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT kind, slug, label, plural_label FROM \(ident: VocabularyTermModel.schema) ORDER BY position, slug
            """).all()
        // Column by column rather than into a Decodable struct, which took most of the time of this read.
        var vocabularies = Vocabularies()
        for row in rows {
            let term = VocabularyTerm(slug: try row.decode(column: "slug", as: String.self), label: try row.decode(column: "label", as: String.self),
                                      pluralLabel: try row.optional("plural_label", as: String.self))
            switch VocabularyKind(rawValue: try row.decode(column: "kind", as: String.self)) {
            case .materialType: vocabularies.materialTypes.append(term)
            case .audience: vocabularies.audiences.append(term)
            case .topic: vocabularies.topics.append(term)
            case nil: break
            }
        }
        return vocabularies
    }

    /// Adds new terms and updates labels of existing ones (by kind and slug). Never deletes. Raises the
    /// vocabulary revision, so every process's `VocabularyCache` reads them again.
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
        try await (db as! any SQLDatabase).raw("UPDATE search_stats SET vocabulary_revision = vocabulary_revision + 1 WHERE id = 1").run()
        try await ContentRevision.bump(on: db)
    }
}
