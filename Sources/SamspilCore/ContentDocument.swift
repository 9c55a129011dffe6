import Foundation

/// The import/export format of all content, and the format of the committed seed
/// (`Sources/App/Resources/Seed/content.json`). Documented in the README.
public struct ContentDocument: Codable, Sendable, Equatable {
    public static let formatName = "samspil-content"
    public static let currentVersion = 1

    public var format: String
    public var version: Int
    public var vocabularies: Vocabularies
    public var materials: [Material]
    public var themes: [Theme]

    public init(vocabularies: Vocabularies, materials: [Material], themes: [Theme]) {
        self.format = Self.formatName
        self.version = Self.currentVersion
        self.vocabularies = vocabularies
        self.materials = materials
        self.themes = themes
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Decodes a document; a file with anything missing or of the wrong type is refused with every such
    /// problem, each naming its record and field (see `read(_:)`).
    public static func decode(_ data: Data) throws(SamspilError) -> ContentDocument {
        let reading = read(data)
        guard let document = reading.document, reading.problems.isEmpty else { throw .invalid(reading.problems) }
        return document
    }

    /// Every rule a document must keep before anything of it is stored.
    /// - Parameters:
    ///   - existingMaterialSlugs: materials already stored, which themes may also refer to.
    ///   - knownVocabularies: the terms materials may use (the document's own merged with the stored ones);
    ///     the document's own vocabularies when nil. The document's own terms are checked either way.
    public func problems(existingMaterialSlugs: Set<String> = [], knownVocabularies: Vocabularies? = nil) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if format != Self.formatName {
            problems.append(FieldProblem(field: "format", message: "skal være \"\(Self.formatName)\"."))
        }
        if version != Self.currentVersion {
            problems.append(FieldProblem(field: "version", message: "version \(version) kendes ikke (forventede \(Self.currentVersion))."))
        }
        for kind in VocabularyKind.allCases {
            var seen = Set<String>()
            let key = "vocabularies.\(kind.documentKey)"
            for (index, term) in vocabularies.terms(kind).enumerated() {
                let record = Self.recordName(key, index, slug: term.slug)
                if !Slug.isValid(term.slug) {
                    problems.append(FieldProblem(record: record, field: "slug", message: MaterialRules.slugMessage))
                } else if !seen.insert(term.slug).inserted {
                    problems.append(FieldProblem(record: record, field: "slug", message: "Giv hvert ord sin egen adresse – \(DanishText.quoted(term.slug)) findes to gange."))
                }
                if term.label.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    problems.append(FieldProblem(record: record, field: "label", message: "Skriv en betegnelse."))
                }
            }
        }
        var materialSlugs = Set<String>()
        for (index, material) in materials.enumerated() {
            let record = Self.recordName("materials", index, slug: material.slug)
            problems += MaterialRules.problems(material, vocabularies: knownVocabularies ?? vocabularies).map {
                FieldProblem(record: record, field: $0.field, message: $0.message)
            }
            if !materialSlugs.insert(material.slug).inserted {
                problems.append(FieldProblem(record: record, field: "slug", message: "Giv hvert materiale sin egen adresse – \(DanishText.quoted(material.slug)) findes to gange."))
            }
        }
        var themeSlugs = Set<String>()
        let knownMaterials = materialSlugs.union(existingMaterialSlugs)
        for (index, theme) in themes.enumerated() {
            let record = Self.recordName("themes", index, slug: theme.slug)
            problems += ThemeRules.problems(theme, knownMaterials: knownMaterials).map {
                FieldProblem(record: record, field: $0.field, message: $0.message)
            }
            if Slug.isValid(theme.slug), !themeSlugs.insert(theme.slug).inserted {
                problems.append(FieldProblem(record: record, field: "slug", message: "Giv hvert tema sin egen adresse – \(DanishText.quoted(theme.slug)) findes to gange."))
            }
        }
        return problems
    }
}

/// The rules a theme must follow, whether it comes from an import or the editor's form.
public enum ThemeRules {
    public static let titleMaxLength = 300
    public static let introMaxLength = 20_000

    /// Problems with one theme (fields as in the content format); `knownMaterials`: the slugs it may list.
    public static func problems(_ theme: Theme, knownMaterials: Set<String>) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        func add(_ field: String, _ message: String) { problems.append(FieldProblem(field: field, message: message)) }
        if !Slug.isValid(theme.slug) { add("slug", MaterialRules.slugMessage) } else if Slug.reserved.contains(theme.slug) { add("slug", Slug.reservedMessage) }
        if theme.title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { add("title", "Skriv en titel.") }
        if theme.title.count > titleMaxLength { add("title", "Gør titlen kortere: den må højst have \(DanishText.number(titleMaxLength)) tegn.") }
        if theme.intro.count > introMaxLength { add("intro", "Gør indledningen kortere: den må højst have \(DanishText.number(introMaxLength)) tegn.") }
        for (field, text) in [("title", theme.title), ("section", theme.section ?? ""), ("intro", theme.intro)] {
            if let problem = TextRules.nulProblem(text) { add(field, problem) }
        }
        var seen = Set<String>()
        for (position, slug) in theme.materials.enumerated() {
            if !knownMaterials.contains(slug) {
                add("materials[\(position)]", "Vælg et materiale, der findes – \(DanishText.quoted(slug)) findes ikke.")
            } else if !seen.insert(slug).inserted {
                add("materials[\(position)]", "Sæt kun materialet på temaet én gang – \(DanishText.quoted(slug)) står to gange.")
            }
        }
        return problems
    }
}

extension VocabularyKind {
    /// The key of this vocabulary in `ContentDocument.vocabularies` and the API.
    public var documentKey: String {
        switch self {
        case .materialType: "materialTypes"
        case .audience: "audiences"
        case .topic: "topics"
        }
    }
}

/// The rules a single material keeps, used by import and (later) by the editor's forms.
public enum MaterialRules {
    public static let slugMessage = "Skriv adressen med små bogstaver a–z, tal og enkelte bindestreger, fx fire-typer-af-partnerskaber."
    public static let titleMaxLength = 300
    public static let teaserMaxLength = 2_000
    public static let bodyMaxLength = 200_000
    public static let yearRange = 1900...2100
    public static let readingMinutesRange = 1...600

    public static func problems(_ material: Material, vocabularies: Vocabularies) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        func add(_ field: String, _ message: String) { problems.append(FieldProblem(field: field, message: message)) }
        if !Slug.isValid(material.slug) { add("slug", slugMessage) } else if Slug.reserved.contains(material.slug) { add("slug", Slug.reservedMessage) }
        let title = material.title.trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty { add("title", "Skriv en titel.") }
        if material.title.count > titleMaxLength { add("title", "Gør titlen kortere: den må højst have \(DanishText.number(titleMaxLength)) tegn.") }
        if vocabularies.term(material.type, in: .materialType) == nil {
            add("type", "Vælg en type, der findes – \(DanishText.quoted(material.type)) kendes ikke.")
        }
        if material.teaser.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { add("teaser", "Skriv en kort beskrivelse.") }
        if material.teaser.count > teaserMaxLength { add("teaser", "Gør den korte beskrivelse kortere: den må højst have \(DanishText.number(teaserMaxLength)) tegn.") }
        if material.body.count > bodyMaxLength { add("body", "Gør teksten kortere: den må højst have \(DanishText.number(bodyMaxLength)) tegn.") }
        if let year = material.year, !yearRange.contains(year) {
            add("year", "Skriv et årstal mellem \(yearRange.lowerBound) og \(yearRange.upperBound).")
        }
        if let minutes = material.readingMinutes, !readingMinutesRange.contains(minutes) {
            add("readingMinutes", "Skriv en læsetid mellem \(readingMinutesRange.lowerBound) og \(readingMinutesRange.upperBound) minutter.")
        }
        for (index, person) in material.credits.persons.enumerated()
        where person.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            add("credits.persons[\(index)]", "Skriv et navn – eller fjern den tomme person.")
        }
        for (field, kind, slugs) in [("audiences", VocabularyKind.audience, material.audiences), ("topics", .topic, material.topics)] {
            var seen = Set<String>()
            for (index, slug) in slugs.enumerated() {
                if vocabularies.term(slug, in: kind) == nil {
                    add("\(field)[\(index)]", "Vælg \(kind == .audience ? "målgrupper" : "emner") fra listen – \(DanishText.quoted(slug)) findes ikke.")
                } else if !seen.insert(slug).inserted {
                    add("\(field)[\(index)]", "Vælg hver af \(kind == .audience ? "målgrupperne" : "emnerne") én gang – \(DanishText.quoted(slug)) står to gange.")
                }
            }
        }
        var texts = [("title", material.title), ("teaser", material.teaser), ("body", material.body),
                     ("credits.organisation", material.credits.organisation ?? "")]
        texts += material.credits.persons.enumerated().map { ("credits.persons[\($0.offset)]", $0.element) }
        texts += material.versions.enumerated().flatMap { index, version in
            [("versions[\(index)].label", version.label ?? ""), ("versions[\(index)].url", version.url ?? ""),
             ("versions[\(index)].fileName", version.fileName ?? "")]
        }
        for (field, text) in texts {
            if let problem = TextRules.nulProblem(text) { add(field, problem) }
        }
        for (index, version) in material.versions.enumerated() {
            switch version.availability {
            case .link:
                if !(version.url.map(isWebAddress) ?? false) {
                    add("versions[\(index)].url", "Skriv en webadresse, der begynder med https:// eller http://.")
                }
            case .file:
                if (version.fileName ?? "").isEmpty { add("versions[\(index)].fileName", "Skriv filens navn.") }
            case .unavailable:
                break
            }
        }
        return problems
    }

    public static func isWebAddress(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "https" || scheme == "http", let host = components.host, !host.isEmpty else { return false }
        return true
    }
}

/// Rules every stored text keeps.
public enum TextRules {
    /// U+0000 (the "null character"): PostgreSQL cannot store it in text (a save with it failed with 500), and no
    /// text needs it; it usually comes from a pasted document.
    public static func nulProblem(_ text: String) -> String? {
        text.utf8.contains(0) ? "Fjern det usynlige nul-tegn (U+0000) fra teksten; det kan ikke gemmes." : nil
    }
}
