/// A term of a managed vocabulary (material types, audiences, topics).
public struct VocabularyTerm: Codable, Sendable, Equatable, Hashable {
    public var slug: String
    public var label: String
    /// Plural label, for listing headings ("Publikationer"). Optional.
    public var pluralLabel: String?

    public init(slug: String, label: String, pluralLabel: String? = nil) {
        self.slug = slug
        self.label = label
        self.pluralLabel = pluralLabel
    }

    public var displayPlural: String { pluralLabel ?? label }
}

/// The managed vocabularies a material refers to by slug.
public struct Vocabularies: Codable, Sendable, Equatable {
    public var materialTypes: [VocabularyTerm]
    public var audiences: [VocabularyTerm]
    public var topics: [VocabularyTerm]

    public init(materialTypes: [VocabularyTerm] = [], audiences: [VocabularyTerm] = [], topics: [VocabularyTerm] = []) {
        self.materialTypes = materialTypes
        self.audiences = audiences
        self.topics = topics
    }

    public func term(_ slug: String, in kind: VocabularyKind) -> VocabularyTerm? {
        terms(kind).first { $0.slug == slug }
    }

    public func terms(_ kind: VocabularyKind) -> [VocabularyTerm] {
        switch kind {
        case .materialType: materialTypes
        case .audience: audiences
        case .topic: topics
        }
    }

    /// The label of a slug, or the slug itself when the term is unknown.
    public func label(_ slug: String, in kind: VocabularyKind) -> String {
        term(slug, in: kind)?.label ?? slug
    }
}

public enum VocabularyKind: String, Codable, Sendable, CaseIterable {
    case materialType = "material_type"
    case audience
    case topic
}
