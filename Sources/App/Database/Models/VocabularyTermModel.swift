import Fluent
import Foundation
import SamspilCore

/// A term of one of the managed vocabularies (`kind` is a `VocabularyKind`).
final class VocabularyTermModel: Model, @unchecked Sendable {
    static let schema = "vocabulary_terms"

    // MARK: managed
    @ID(key: .id) var id: UUID?

    // MARK: data
    @Field(key: "kind") var kind: String
    @Field(key: "slug") var slug: String
    @Field(key: "label") var label: String
    @OptionalField(key: "plural_label") var pluralLabel: String?
    @Field(key: "position") var position: Int

    init() {}

    init(kind: VocabularyKind, term: VocabularyTerm, position: Int) {
        self.kind = kind.rawValue
        self.slug = term.slug
        self.label = term.label
        self.pluralLabel = term.pluralLabel
        self.position = position
    }

    var domain: VocabularyTerm { VocabularyTerm(slug: slug, label: label, pluralLabel: pluralLabel) }
}
