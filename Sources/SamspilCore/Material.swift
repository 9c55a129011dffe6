import Foundation

/// A material in the knowledge library: a publication, article, model, tool, checklist, mapping …
public struct Material: Codable, Sendable, Equatable {
    public var slug: String
    public var title: String
    public var genre: Genre?
    /// Slug of a term in the material-type vocabulary (publikation, artikel, …).
    public var type: String
    public var teaser: String
    /// Markdown. Rendered by `Markdown.html(_:)`, which escapes all raw HTML.
    public var body: String
    public var credits: Credits
    public var year: Int?
    public var language: Language
    /// Reading time entered by an editor; `nil` means computed from the text.
    public var readingMinutes: Int?
    public var audiences: [String]
    public var topics: [String]
    public var versions: [MaterialVersion]
    public var status: PublicationStatus
    public var createdAt: Date?
    public var updatedAt: Date?

    public init(
        slug: String, title: String, genre: Genre? = nil, type: String, teaser: String, body: String = "",
        credits: Credits = Credits(), year: Int? = nil, language: Language = .danish, readingMinutes: Int? = nil,
        audiences: [String] = [], topics: [String] = [], versions: [MaterialVersion] = [],
        status: PublicationStatus = .published, createdAt: Date? = nil, updatedAt: Date? = nil
    ) {
        self.slug = slug
        self.title = title
        self.genre = genre
        self.type = type
        self.teaser = teaser
        self.body = body
        self.credits = credits
        self.year = year
        self.language = language
        self.readingMinutes = readingMinutes
        self.audiences = audiences
        self.topics = topics
        self.versions = versions
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The reading time shown to users: the entered one, or one computed from the body.
    /// `nil` when neither exists: a teaser alone says nothing about how long the material takes to read.
    public var effectiveReadingMinutes: Int? {
        if let readingMinutes { return readingMinutes }
        let words = ReadingTime.words(in: body)
        return words == 0 ? nil : ReadingTime.minutes(forWords: words)
    }

    /// Title with its genre prefix, as the seed page shows it: "Fokus: Fire typer af partnerskaber".
    public var displayTitle: String {
        genre.map { "\($0.label): \(title)" } ?? title
    }
}

/// The genre prefix a title may carry on the theme pages.
public enum Genre: String, Codable, Sendable, CaseIterable {
    case fokus, model, vaerktoej, inspiration, kortlaegning

    public var label: String {
        switch self {
        case .fokus: "Fokus"
        case .model: "Model"
        case .vaerktoej: "Værktøj"
        case .inspiration: "Inspiration"
        case .kortlaegning: "Kortlægning"
        }
    }
}

public enum Language: String, Codable, Sendable, CaseIterable {
    case danish = "da", swedish = "sv", english = "en"

    /// Danish name of the language, for labels.
    public var label: String {
        switch self {
        case .danish: "Dansk"
        case .swedish: "Svensk"
        case .english: "Engelsk"
        }
    }
}

public enum PublicationStatus: String, Codable, Sendable, CaseIterable {
    case draft, published

    public var label: String {
        switch self {
        case .draft: "Kladde"
        case .published: "Udgivet"
        }
    }
}

/// Who made a material: persons and/or a publishing organisation.
public struct Credits: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// "Skrevet af …"
        case written
        /// "Udviklet af …"
        case developed

        public var label: String {
            switch self {
            case .written: "Skrevet af"
            case .developed: "Udviklet af"
            }
        }
    }

    public var kind: Kind
    public var persons: [String]
    public var organisation: String?

    public init(kind: Kind = .developed, persons: [String] = [], organisation: String? = nil) {
        self.kind = kind
        self.persons = persons
        self.organisation = organisation
    }

    public var isEmpty: Bool { persons.isEmpty && (organisation ?? "").isEmpty }

    /// "A, B & C" — the page's way of listing persons.
    public var personList: String {
        switch persons.count {
        case 0: ""
        case 1: persons[0]
        default: persons.dropLast().joined(separator: ", ") + " & " + persons[persons.count - 1]
        }
    }

    /// The credit line as the seed page writes it: "Udviklet af A, B & C, Organisation, 2017."
    public func line(year: Int?) -> String? {
        let names = [personList, organisation ?? ""].filter { !$0.isEmpty }
        // Without anyone to name there is no credit ("Udviklet af 2020." says nothing); the year is shown on its own.
        guard !names.isEmpty else { return nil }
        let parts = names + (year.map { [String($0)] } ?? [])
        return "\(kind.label) \(parts.joined(separator: ", "))."
    }
}

/// One downloadable form of a material: the full version, the short "pixi" version, or another.
public struct MaterialVersion: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case full, pixi, other

        public var label: String {
            switch self {
            case .full: "Fuld version"
            case .pixi: "Pixi-udgave"
            case .other: "Anden udgave"
            }
        }
    }

    public enum Availability: String, Codable, Sendable, CaseIterable {
        /// An uploaded file held by Samspil.
        case file
        /// A link to the material elsewhere.
        case link
        /// Announced, but not yet available.
        case unavailable
    }

    public var kind: Kind
    public var label: String?
    public var availability: Availability
    /// The external address when `availability == .link`.
    public var url: String?
    /// File name and type when `availability == .file`.
    public var fileName: String?
    public var contentType: String?

    public init(
        kind: Kind, label: String? = nil, availability: Availability, url: String? = nil,
        fileName: String? = nil, contentType: String? = nil
    ) {
        self.kind = kind
        self.label = label
        self.availability = availability
        self.url = url
        self.fileName = fileName
        self.contentType = contentType
    }

    public var displayLabel: String { label.flatMap { $0.isEmpty ? nil : $0 } ?? kind.label }
}
