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

    /// Decodes a document, turning decoding failures into problems that name the record and field.
    public static func decode(_ data: Data) throws(SamspilError) -> ContentDocument {
        do {
            return try decoder().decode(ContentDocument.self, from: data)
        } catch let error as DecodingError {
            throw .invalid([Self.problem(from: error)])
        } catch {
            throw .invalid([FieldProblem(field: "(fil)", message: "Filen kunne ikke læses som JSON.")])
        }
    }

    private static func problem(from error: DecodingError) -> FieldProblem {
        func path(_ codingPath: [any CodingKey]) -> (record: String, field: String) {
            var record = ""
            var fields: [String] = []
            for (index, key) in codingPath.enumerated() {
                if let position = key.intValue {
                    if index == 1 && record.isEmpty == false { record += "[\(position)]" } else {
                        if fields.isEmpty { record += "[\(position)]" } else { fields[fields.count - 1] += "[\(position)]" }
                    }
                } else if index == 0 {
                    record = key.stringValue
                } else {
                    fields.append(key.stringValue)
                }
            }
            return (record, fields.joined(separator: "."))
        }
        switch error {
        case .typeMismatch(let type, let context):
            let (record, field) = path(context.codingPath)
            return FieldProblem(record: record, field: field, message: "har en forkert type (forventede \(typeName(type))).")
        case .valueNotFound(let type, let context):
            let (record, field) = path(context.codingPath)
            return FieldProblem(record: record, field: field, message: "mangler en værdi (forventede \(typeName(type))).")
        case .keyNotFound(let key, let context):
            let (record, field) = path(context.codingPath + [key])
            return FieldProblem(record: record, field: field, message: "mangler.")
        case .dataCorrupted(let context):
            let (record, field) = path(context.codingPath)
            if context.codingPath.isEmpty {
                return FieldProblem(field: "(fil)", message: "Filen er ikke gyldig JSON.")
            }
            return FieldProblem(record: record, field: field, message: "har en ugyldig værdi.")
        @unknown default:
            return FieldProblem(field: "(fil)", message: "Filen kunne ikke læses.")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: "et heltal"
        case is String.Type: "en tekst"
        case is Bool.Type: "sand/falsk"
        case is Date.Type: "et tidspunkt i ISO 8601"
        default: type is any Collection.Type ? "en liste" : "et objekt"
        }
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
                let record = "\(key)[\(index)]"
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
            let record = "materials[\(index)] (\(material.slug))"
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
            let record = "themes[\(index)] (\(theme.slug))"
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
