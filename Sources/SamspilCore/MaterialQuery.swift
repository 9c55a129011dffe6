import Foundation

/// What a listing of materials asks for: filters, sort and a page. Parsed from query parameters
/// by `MaterialQuery.parse`, shared by the pages and the API.
public struct MaterialQuery: Sendable, Equatable {
    /// Search text (`q`); only searches have one.
    public var text: String?
    public var type: String?
    public var audience: String?
    public var topic: String?
    public var theme: String?
    public var year: Int?
    public var language: Language?
    public var sort: MaterialSort
    public var page: PageRequest

    public init(
        text: String? = nil, type: String? = nil, audience: String? = nil, topic: String? = nil, theme: String? = nil, year: Int? = nil,
        language: Language? = nil, sort: MaterialSort = .newest, page: PageRequest = PageRequest()
    ) {
        self.text = text
        self.type = type
        self.audience = audience
        self.topic = topic
        self.theme = theme
        self.year = year
        self.language = language
        self.sort = sort
        self.page = page
    }

    public static let parameterNames: Set<String> = ["type", "audience", "topic", "theme", "year", "language", "sort", "limit", "offset"]
    /// The parameters `parse` checks against the vocabularies.
    public static let vocabularyParameterNames: Set<String> = ["type", "audience", "topic"]
    public static let searchParameterNames = parameterNames.union(["q"])
    public static let listingSorts = MaterialSort.allCases.filter { $0 != .relevance }

    /// Parses API query parameters. Unknown parameters, repeated parameters and bad values are problems.
    /// Vocabulary slugs are checked against `vocabularies`; theme slugs against `themes`.
    /// - Parameters:
    ///   - names: the parameters allowed (`searchParameterNames` for a search).
    ///   - sorts: the sort orders allowed; the first is the default.
    public static func parse(
        _ parameters: [(name: String, value: String)], vocabularies: Vocabularies, themes: Set<String>,
        names: Set<String> = parameterNames, sorts: [MaterialSort] = listingSorts
    ) throws(SamspilError) -> MaterialQuery {
        var query = MaterialQuery(sort: sorts.first ?? .newest)
        let parameterNames = names
        var problems: [FieldProblem] = []
        var seen = Set<String>()
        var limit: String?
        var offset: String?
        for (name, value) in parameters {
            guard parameterNames.contains(name) else {
                let known = parameterNames.sorted().joined(separator: ", ")
                problems.append(FieldProblem(field: name, message: "er ikke et kendt filter. Brug: \(known)."))
                continue
            }
            guard seen.insert(name).inserted else {
                problems.append(FieldProblem(field: name, message: "må kun angives én gang."))
                continue
            }
            func term(_ kind: VocabularyKind) -> String? {
                if vocabularies.term(value, in: kind) != nil { return value }
                let known = vocabularies.terms(kind).map(\.slug).joined(separator: ", ")
                problems.append(FieldProblem(field: name, message: "\"\(value)\" kendes ikke. Mulige værdier: \(known)."))
                return nil
            }
            switch name {
            case "type": query.type = term(.materialType)
            case "audience": query.audience = term(.audience)
            case "topic": query.topic = term(.topic)
            case "theme":
                if themes.contains(value) { query.theme = value } else {
                    problems.append(FieldProblem(field: name, message: "temaet \"\(value)\" findes ikke."))
                }
            case "year":
                if let year = Int(value), MaterialRules.yearRange.contains(year) { query.year = year } else {
                    problems.append(FieldProblem(field: name, message: "skal være et årstal mellem \(MaterialRules.yearRange.lowerBound) og \(MaterialRules.yearRange.upperBound)."))
                }
            case "language":
                if let language = Language(rawValue: value) { query.language = language } else {
                    problems.append(FieldProblem(field: name, message: "skal være da, sv eller en."))
                }
            case "q":
                query.text = value
            case "sort":
                if let sort = MaterialSort(rawValue: value), sorts.contains(sort) { query.sort = sort } else {
                    let known = sorts.map(\.rawValue).joined(separator: ", ")
                    problems.append(FieldProblem(field: name, message: "skal være en af: \(known)."))
                }
            case "limit": limit = value
            default: offset = value
            }
        }
        do {
            query.page = try PageRequest.parse(limit: limit, offset: offset)
        } catch {
            if case .invalid(let pageProblems) = error { problems += pageProblems }
        }
        if !problems.isEmpty { throw .invalid(problems) }
        return query
    }
}

public enum MaterialSort: String, Sendable, CaseIterable {
    /// Newest year first, then title.
    case newest = "-year"
    case oldest = "year"
    /// Danish alphabetical order (æ, ø, å last).
    case title
    case titleDescending = "-title"
    /// Most recently changed first.
    case updated = "-updated"
    /// Best match first (searches only).
    case relevance
}

/// An offset page of at most `limit` items.
public struct PageRequest: Sendable, Equatable {
    public static let defaultLimit = 20
    public static let maxLimit = 100
    public static let maxOffset = 1_000_000

    public var limit: Int
    public var offset: Int

    public init(limit: Int = PageRequest.defaultLimit, offset: Int = 0) {
        self.limit = limit
        self.offset = offset
    }

    /// A page for the HTML listings, which count pages from 1 (`?side=2`).
    public static func page(number: Int, size: Int = defaultLimit) -> PageRequest {
        PageRequest(limit: size, offset: (max(1, number) - 1) * size)
    }

    public static func parse(limit: String?, offset: String?) throws(SamspilError) -> PageRequest {
        var problems: [FieldProblem] = []
        var page = PageRequest()
        if let limit {
            if let value = Int(limit), (1...maxLimit).contains(value) { page.limit = value } else {
                problems.append(FieldProblem(field: "limit", message: "skal være et heltal mellem 1 og \(maxLimit)."))
            }
        }
        if let offset {
            if let value = Int(offset), (0...maxOffset).contains(value) { page.offset = value } else {
                problems.append(FieldProblem(field: "offset", message: "skal være et heltal mellem 0 og \(maxOffset)."))
            }
        }
        if !problems.isEmpty { throw .invalid(problems) }
        return page
    }

    public var number: Int { offset / max(limit, 1) + 1 }
}

/// One page of results and the total they were taken from.
public struct ResultPage<Item: Sendable>: Sendable {
    public var items: [Item]
    public var total: Int
    public var request: PageRequest

    public init(items: [Item], total: Int, request: PageRequest) {
        self.items = items
        self.total = total
        self.request = request
    }

    public var pageCount: Int { max(1, (total + request.limit - 1) / request.limit) }
    public var hasNext: Bool { request.offset + items.count < total }
    public var hasPrevious: Bool { request.offset > 0 }
}

/// A sort key that orders Danish text the same way on every database, whatever its collation:
/// each letter becomes two digits, with æ, ø, å after z (and ä, ö as æ, ø).
public enum DanishSortKey {
    public static func make(_ text: String, maxLetters: Int = 60) -> String {
        var key = ""
        var letters = 0
        var lastWasSpace = true
        for scalar in text.lowercased().unicodeScalars {
            guard letters < maxLetters else { break }
            let code: Int?
            switch scalar {
            case "æ", "ä": code = 37
            case "ø", "ö": code = 38
            case "å": code = 39
            case "0"..."9": code = 1 + Int(scalar.value - 48)
            case "a"..."z": code = 11 + Int(scalar.value - 97)
            default:
                let folded = String(scalar).folding(options: .diacriticInsensitive, locale: nil).unicodeScalars
                if let first = folded.first, folded.count == 1, ("a"..."z").contains(first) {
                    code = 11 + Int(first.value - 97)
                } else {
                    code = nil
                }
            }
            if let code {
                key += code < 10 ? "0\(code)" : "\(code)"
                letters += 1
                lastWasSpace = false
            } else if !lastWasSpace, scalar.properties.isWhitespace || scalar == "-" {
                key += "00"
                letters += 1
                lastWasSpace = true
            }
        }
        return key
    }
}
