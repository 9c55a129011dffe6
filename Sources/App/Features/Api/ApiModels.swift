import Foundation
import SamspilCore
import Vapor

/// The JSON shapes of `/api/v1`. Documented in `Resources/openapi.json`; a test checks every response against it.
struct TermDTO: Content, Equatable {
    var slug: String
    var label: String
}

struct MaterialDTO: Content, Equatable {
    struct CreditsDTO: Content, Equatable {
        var kind: String
        var persons: [String]
        var organisation: String?
        /// "Udviklet af …, 2019."
        var line: String?
    }

    struct VersionDTO: Content, Equatable {
        var kind: String
        var label: String
        var availability: String
        var url: String?
    }

    var slug: String
    var title: String
    var displayTitle: String
    var genre: TermDTO?
    var type: TermDTO
    var teaser: String
    /// Markdown.
    var body: String
    var credits: CreditsDTO
    var year: Int?
    var language: String
    /// The reading time shown: entered by an editor, or computed from the body; absent when there is neither.
    var readingMinutes: Int?
    var readingMinutesComputed: Bool
    var audiences: [TermDTO]
    var topics: [TermDTO]
    var versions: [VersionDTO]
    var status: String
    var createdAt: Date?
    var updatedAt: Date?
    /// The publishing organisation in the directory, when the material names an approved one.
    var publisher: PublisherDTO?
    /// Absolute address of the material's page.
    var url: String

    struct PublisherDTO: Content, Equatable {
        var slug: String
        var name: String
        var url: String
    }

    init(_ material: Material, vocabularies: Vocabularies, site: SiteInfo, publisher: (slug: String, name: String)? = nil) {
        slug = material.slug
        title = material.title
        displayTitle = material.displayTitle
        genre = material.genre.map { TermDTO(slug: $0.rawValue, label: $0.label) }
        type = TermDTO(slug: material.type, label: vocabularies.label(material.type, in: .materialType))
        teaser = material.teaser
        body = material.body
        credits = CreditsDTO(kind: material.credits.kind.rawValue, persons: material.credits.persons,
                             organisation: material.credits.organisation, line: material.credits.line(year: material.year))
        year = material.year
        language = material.language.rawValue
        readingMinutes = material.effectiveReadingMinutes
        readingMinutesComputed = material.readingMinutes == nil
        audiences = material.audiences.map { TermDTO(slug: $0, label: vocabularies.label($0, in: .audience)) }
        topics = material.topics.map { TermDTO(slug: $0, label: vocabularies.label($0, in: .topic)) }
        versions = material.versions.map {
            VersionDTO(kind: $0.kind.rawValue, label: $0.displayLabel, availability: $0.availability.rawValue,
                       url: $0.availability == .link ? $0.url : nil)
        }
        status = material.status.rawValue
        createdAt = material.createdAt
        updatedAt = material.updatedAt
        self.publisher = publisher.map { PublisherDTO(slug: $0.slug, name: $0.name, url: site.absolute(SitePath.directory(.organisation($0.slug)).href)) }
        url = site.absolute(SitePath.material(material.slug).href)
    }
}

struct MaterialListDTO: Content {
    var items: [MaterialDTO]
    var total: Int
    var limit: Int
    var offset: Int
}

struct ThemeDTO: Content {
    var slug: String
    var title: String
    var section: String?
    /// Markdown.
    var intro: String
    /// Slugs of the theme's published materials, in the theme's order.
    var materialSlugs: [String]
    /// The materials themselves, in order; only in `GET /api/v1/themes/{slug}`.
    var materials: [MaterialDTO]?
    var url: String
}

struct ThemeListDTO: Content {
    var items: [ThemeDTO]
}

struct VocabulariesDTO: Content {
    struct TypeDTO: Content {
        var slug: String
        var label: String
        var pluralLabel: String
    }

    var materialTypes: [TypeDTO]
    var audiences: [TermDTO]
    var topics: [TermDTO]
    var genres: [TermDTO]
    var languages: [TermDTO]
}

/// RFC 9457 problem details.
struct ProblemDTO: Content {
    struct FieldError: Content {
        var field: String
        var message: String
    }

    var type: String
    var title: String
    var status: Int
    var detail: String
    var errors: [FieldError]?
}

struct HealthDTO: Content {
    var status: String
}

struct SearchResultDTO: Content {
    struct HitDTO: Content {
        var material: MaterialDTO
        /// BM25 score; 0 when the query has no words.
        var score: Double
        /// A passage of teaser and body with the matched words marked.
        var snippet: [SnippetPartDTO]
    }

    struct SnippetPartDTO: Content {
        var text: String
        var highlighted: Bool
    }

    struct FacetValueDTO: Content {
        var value: String
        var label: String
        var count: Int
    }

    struct FacetsDTO: Content {
        var type: [FacetValueDTO]
        var audience: [FacetValueDTO]
        var topic: [FacetValueDTO]
        var year: [FacetValueDTO]
        var language: [FacetValueDTO]
    }

    var query: String
    var total: Int
    var limit: Int
    var offset: Int
    var sort: String
    var items: [HitDTO]
    var facets: FacetsDTO
    /// "Did you mean", when nothing was found.
    var suggestion: String?
    /// No material matched every word: these match `matchedWords` of `queryWords`.
    var partial: PartialDTO?

    struct PartialDTO: Content {
        var matchedWords: Int
        var queryWords: Int
    }
}
