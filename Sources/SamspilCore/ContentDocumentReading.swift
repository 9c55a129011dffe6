import Foundation

extension ContentDocument {
    /// A file read field by field: the document as far as its JSON allows, and a problem for every field
    /// that is missing or of the wrong type, in every record. (Decoding the whole document with `Codable`
    /// stops at the first such field, so a file with ten mistakes would take ten attempts to mend.)
    public struct Reading: Sendable {
        /// nil when the file is not JSON, or not a JSON object.
        public var document: ContentDocument?
        public var problems: [FieldProblem]
        /// Records that were no JSON object at all (`materials[3]`), read as empty placeholders: the rules say
        /// nothing more about them.
        var unreadableRecords: Set<String>

        /// The decoding problems followed by the broken rules of the document as read (`problems(…)`), less
        /// those about a field (or a record) that could not be read: its placeholder value breaks rules too,
        /// and one problem per field is enough.
        public func withRuleProblems(_ ruleProblems: [FieldProblem]) -> [FieldProblem] {
            let unreadFields = Set(problems.map { "\($0.record)\u{0}\($0.field)" })
            return problems + ruleProblems.filter {
                !unreadableRecords.contains($0.record) && !unreadFields.contains("\($0.record)\u{0}\($0.field)")
            }
        }
    }

    /// Reads a file. The types of fields are those `Codable` decoding of `ContentDocument` has (a missing
    /// optional field is nil, a missing required one a problem); unknown fields are ignored, as there.
    public static func read(_ data: Data) -> Reading {
        do {
            let read = try decoder().decode(DocumentPart.self, from: data)
            return Reading(document: read.document, problems: read.problems, unreadableRecords: read.unreadableRecords)
        } catch {
            return Reading(document: nil, problems: [FieldProblem(field: "(fil)", message: "Filen er ikke gyldig JSON.")], unreadableRecords: [])
        }
    }

    /// The name of the `index`th record of a list in problems: "materials[3] (fire-typer)", or without a
    /// slug "materials[3]".
    static func recordName(_ list: String, _ index: Int, slug: String) -> String {
        slug.isEmpty ? "\(list)[\(index)]" : "\(list)[\(index)] (\(slug))"
    }
}

/// Any key of a JSON object.
private struct FieldKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}

/// A problem found while reading, named relative to the object being read ("year", "credits.persons[1]").
private struct ReadProblem {
    var field: String
    var message: String
}

/// The fields of one JSON object, read one at a time: a field that is missing or of the wrong type becomes a
/// problem and a placeholder value, and reading goes on.
private struct FieldReader {
    private let container: KeyedDecodingContainer<FieldKey>
    private(set) var problems: [ReadProblem] = []

    init(_ container: KeyedDecodingContainer<FieldKey>) {
        self.container = container
    }

    private mutating func add(_ field: String, _ message: String) {
        problems.append(ReadProblem(field: field, message: message))
    }

    /// The field's value when it is present and not null; a problem when it is there but not a `T`.
    private mutating func value<T: Decodable>(_ key: FieldKey, required: Bool) -> T? {
        guard container.contains(key) else {
            if required { add(key.stringValue, "Mangler.") }
            return nil
        }
        if (try? container.decodeNil(forKey: key)) == true {
            if required { add(key.stringValue, "Mangler en værdi (forventede \(Self.typeName(T.self))).") }
            return nil
        }
        do {
            return try container.decode(T.self, forKey: key)
        } catch {
            add(key.stringValue, Self.message(for: error, expected: T.self))
            return nil
        }
    }

    mutating func required<T: Decodable>(_ name: String, else placeholder: T) -> T {
        value(FieldKey(name), required: true) ?? placeholder
    }

    mutating func optional<T: Decodable>(_ name: String) -> T? {
        value(FieldKey(name), required: false)
    }

    /// One of an enumeration's values, the problem naming them when the text is none of them.
    mutating func choice<T>(_ name: String, else placeholder: T) -> T where T: RawRepresentable & CaseIterable, T.RawValue == String {
        optionalChoice(name, required: true) ?? placeholder
    }

    /// An enumeration's value, nil when absent or null (unless `required`) or none of them.
    mutating func optionalChoice<T>(_ name: String, required: Bool = false) -> T? where T: RawRepresentable & CaseIterable, T.RawValue == String {
        guard let raw: String = value(FieldKey(name), required: required) else { return nil }
        guard let chosen = T(rawValue: raw) else {
            add(name, "\"\(raw)\" er ikke en af \(T.allCases.map(\.rawValue).joined(separator: ", ")).")
            return nil
        }
        return chosen
    }

    /// A required list of texts, element by element: an element that is no text is a problem of its own
    /// ("audiences[1]") and an empty text in its place, so that the others keep their positions (the rules
    /// name elements by position too).
    mutating func texts(_ name: String) -> [String] {
        elements(name) { (part: ElementPart<String>) in (part.value ?? "", part.problem.map { [ReadProblem(field: "", message: $0)] } ?? []) }
    }

    /// A required list of objects, each read by `T.read`; an element that is no object becomes a placeholder
    /// (so that the others keep their positions) and one problem ("versions[2]").
    mutating func objects<T: FieldReadable>(_ name: String) -> [T] {
        elements(name) { (part: ObjectPart<T>) in (part.value, part.problems) }
    }

    private mutating func elements<Part: Decodable, T>(_ name: String, _ take: (Part) -> (T, [ReadProblem])) -> [T] {
        let key = FieldKey(name)
        guard container.contains(key) else { add(name, "Mangler."); return [] }
        if (try? container.decodeNil(forKey: key)) == true { add(name, "Mangler en værdi (forventede en liste)."); return [] }
        guard var list = try? container.nestedUnkeyedContainer(forKey: key) else {
            add(name, "Har en forkert type (forventede en liste).")
            return []
        }
        var result: [T] = []
        while !list.isAtEnd {
            let index = list.currentIndex
            // `Part.init(from:)` never throws, so the list always moves on to the next element.
            guard let part = try? list.decode(Part.self) else { break }
            let (value, problems) = take(part)
            result.append(value)
            for problem in problems {
                add(problem.field.isEmpty ? "\(name)[\(index)]" : "\(name)[\(index)].\(problem.field)", problem.message)
            }
        }
        return result
    }

    /// A required object, read by `read` (problems named "credits.kind").
    mutating func object<T>(_ name: String, else placeholder: T, _ read: (inout FieldReader) -> T) -> T {
        let key = FieldKey(name)
        guard container.contains(key) else { add(name, "Mangler."); return placeholder }
        if (try? container.decodeNil(forKey: key)) == true { add(name, "Mangler en værdi (forventede et objekt)."); return placeholder }
        guard let nested = try? container.nestedContainer(keyedBy: FieldKey.self, forKey: key) else {
            add(name, "Har en forkert type (forventede et objekt).")
            return placeholder
        }
        var reader = FieldReader(nested)
        let value = read(&reader)
        for problem in reader.problems { add("\(name).\(problem.field)", problem.message) }
        return value
    }

    static func message(for error: any Error, expected: Any.Type) -> String {
        switch error as? DecodingError {
        case .valueNotFound?: "Mangler en værdi (forventede \(typeName(expected)))."
        case .typeMismatch?: "Har en forkert type (forventede \(typeName(expected)))."
        default: expected == Date.self ? "skal være et tidspunkt i ISO 8601, fx 2026-11-29T15:00:00Z." : "har en ugyldig værdi."
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: "et heltal"
        case is String.Type: "en tekst"
        case is Bool.Type: "sand/falsk"
        case is Date.Type: "et tidspunkt i ISO 8601"
        default: type is any Collection.Type ? "en liste" : "et objekt"
        }
    }
}

/// A value made from the fields of one JSON object.
private protocol FieldReadable {
    static var placeholder: Self { get }
    static func read(_ fields: inout FieldReader) -> Self
}

/// One element of a list of plain values. Never throws (see `FieldReader.elements`).
private struct ElementPart<T: Decodable>: Decodable {
    var value: T?
    var problem: String?

    init(from decoder: any Decoder) {
        do {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                problem = "Mangler en værdi (forventede \(FieldReader.typeName(T.self)))."
            } else {
                value = try container.decode(T.self)
            }
        } catch {
            problem = FieldReader.message(for: error, expected: T.self)
        }
    }
}

/// One element of a list of objects. Never throws (see `FieldReader.elements`).
private struct ObjectPart<T: FieldReadable>: Decodable {
    var value: T
    var problems: [ReadProblem] = []

    init(from decoder: any Decoder) {
        guard let container = try? decoder.container(keyedBy: FieldKey.self) else {
            value = T.placeholder
            problems = [ReadProblem(field: "", message: "Skal være et objekt.")]
            return
        }
        var reader = FieldReader(container)
        value = T.read(&reader)
        problems = reader.problems
    }
}

/// The whole file. Never throws once the JSON parses.
private struct DocumentPart: Decodable {
    /// The lists of records, by their paths in the file: problems inside them are named after the record.
    private static let recordLists = ["vocabularies.materialTypes", "vocabularies.audiences", "vocabularies.topics", "materials", "themes"]

    var document: ContentDocument?
    var problems: [FieldProblem] = []
    var unreadableRecords: Set<String> = []

    init(from decoder: any Decoder) {
        guard let container = try? decoder.container(keyedBy: FieldKey.self) else {
            problems = [FieldProblem(field: "(fil)", message: "Filen er ikke et JSON-objekt.")]
            return
        }
        var fields = FieldReader(container)
        let format = fields.required("format", else: "")
        let version = fields.required("version", else: ContentDocument.currentVersion)
        var document = ContentDocument(
            vocabularies: fields.object("vocabularies", else: Vocabularies()) { lists in
                Vocabularies(materialTypes: lists.objects("materialTypes"), audiences: lists.objects("audiences"), topics: lists.objects("topics"))
            },
            materials: fields.objects("materials"),
            themes: fields.objects("themes")
        )
        document.format = format
        document.version = version
        self.document = document

        // Records are named after their slugs, known only once they are read, so problems are named afterwards.
        let slugs: [String: [String]] = [
            "vocabularies.materialTypes": document.vocabularies.materialTypes.map(\.slug),
            "vocabularies.audiences": document.vocabularies.audiences.map(\.slug),
            "vocabularies.topics": document.vocabularies.topics.map(\.slug),
            "materials": document.materials.map(\.slug), "themes": document.themes.map(\.slug),
        ]
        for problem in fields.problems {
            guard let list = Self.recordLists.first(where: { problem.field.hasPrefix($0 + "[") }),
                  let close = problem.field.dropFirst(list.count).firstIndex(of: "]"),
                  let index = Int(problem.field[problem.field.index(problem.field.startIndex, offsetBy: list.count + 1)..<close]) else {
                problems.append(FieldProblem(field: problem.field, message: problem.message))
                continue
            }
            let rest = problem.field[problem.field.index(after: close)...]
            if rest.isEmpty {
                // The element is no object: it is a placeholder, and the problem is named as a field of the file.
                unreadableRecords.insert(ContentDocument.recordName(list, index, slug: ""))
                problems.append(FieldProblem(field: problem.field, message: problem.message))
            } else {
                let slug = slugs[list].flatMap { index < $0.count ? $0[index] : nil } ?? ""
                problems.append(FieldProblem(record: ContentDocument.recordName(list, index, slug: slug), field: String(rest.dropFirst()),
                                             message: problem.message))
            }
        }
    }
}

extension VocabularyTerm: FieldReadable {
    fileprivate static var placeholder: VocabularyTerm { VocabularyTerm(slug: "", label: "") }

    fileprivate static func read(_ fields: inout FieldReader) -> VocabularyTerm {
        VocabularyTerm(slug: fields.required("slug", else: ""), label: fields.required("label", else: ""),
                       pluralLabel: fields.optional("pluralLabel"))
    }
}

extension MaterialVersion: FieldReadable {
    fileprivate static var placeholder: MaterialVersion { MaterialVersion(kind: .other, availability: .unavailable) }

    fileprivate static func read(_ fields: inout FieldReader) -> MaterialVersion {
        MaterialVersion(
            kind: fields.choice("kind", else: .other), label: fields.optional("label"),
            availability: fields.choice("availability", else: .unavailable), url: fields.optional("url"),
            fileName: fields.optional("fileName"), contentType: fields.optional("contentType")
        )
    }
}

extension Material: FieldReadable {
    fileprivate static var placeholder: Material { Material(slug: "", title: "", type: "", teaser: "") }

    fileprivate static func read(_ fields: inout FieldReader) -> Material {
        Material(
            slug: fields.required("slug", else: ""),
            title: fields.required("title", else: ""),
            genre: fields.optionalChoice("genre"),
            type: fields.required("type", else: ""),
            teaser: fields.required("teaser", else: ""),
            body: fields.required("body", else: ""),
            credits: fields.object("credits", else: Credits()) { credits in
                Credits(kind: credits.choice("kind", else: .developed), persons: credits.texts("persons"),
                        organisation: credits.optional("organisation"))
            },
            year: fields.optional("year"),
            language: fields.choice("language", else: .danish),
            readingMinutes: fields.optional("readingMinutes"),
            audiences: fields.texts("audiences"),
            topics: fields.texts("topics"),
            versions: fields.objects("versions"),
            status: fields.choice("status", else: .draft),
            createdAt: fields.optional("createdAt"),
            updatedAt: fields.optional("updatedAt")
        )
    }
}

extension Theme: FieldReadable {
    fileprivate static var placeholder: Theme { Theme(slug: "", title: "") }

    fileprivate static func read(_ fields: inout FieldReader) -> Theme {
        Theme(
            slug: fields.required("slug", else: ""), title: fields.required("title", else: ""), section: fields.optional("section"),
            intro: fields.required("intro", else: ""), materials: fields.texts("materials"),
            status: fields.choice("status", else: .draft), createdAt: fields.optional("createdAt"), updatedAt: fields.optional("updatedAt")
        )
    }
}
