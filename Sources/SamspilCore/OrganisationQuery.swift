/// What a listing of the directory asks for: filters and a page. Shared by `/organisationer` and the API.
/// Municipalities are not in the directory (they have `/kommuner`), so `kind` is one of the other three.
public struct OrganisationQuery: Sendable, Equatable {
    /// Search text (`q`); empty or nil lists the whole directory.
    public var text: String?
    public var kind: OrganisationKind?
    /// A municipality's four-digit code.
    public var municipality: String?
    /// A region's four-digit code.
    public var region: String?
    public var page: PageRequest

    public init(text: String? = nil, kind: OrganisationKind? = nil, municipality: String? = nil, region: String? = nil,
                page: PageRequest = PageRequest()) {
        self.text = text
        self.kind = kind
        self.municipality = municipality
        self.region = region
        self.page = page
    }

    public static let parameterNames: Set<String> = ["q", "kind", "municipality", "region", "limit", "offset"]
    public static let directoryKinds: [OrganisationKind] = [.school, .learningEnvironment, .other]

    /// Parses query parameters. Unknown or repeated parameters and values that are not known codes are problems.
    /// - Parameters:
    ///   - municipalities: known municipality codes; regions: known region codes.
    public static func parse(
        _ parameters: [(name: String, value: String)], municipalities: Set<String>, regions: Set<String>,
        names: Set<String> = parameterNames
    ) throws(SamspilError) -> OrganisationQuery {
        var query = OrganisationQuery()
        var problems: [FieldProblem] = []
        var seen = Set<String>()
        var limit: String?
        var offset: String?
        for (name, value) in parameters {
            guard names.contains(name) else {
                problems.append(FieldProblem(field: name, message: "er ikke et kendt filter. Brug: \(names.sorted().joined(separator: ", "))."))
                continue
            }
            guard seen.insert(name).inserted else {
                problems.append(FieldProblem(field: name, message: "må kun angives én gang."))
                continue
            }
            switch name {
            case "kind":
                if let kind = OrganisationKind(rawValue: value), directoryKinds.contains(kind) { query.kind = kind } else {
                    problems.append(FieldProblem(field: name, message: "skal være en af: \(directoryKinds.map(\.rawValue).joined(separator: ", "))."))
                }
            case "municipality":
                if municipalities.contains(value) { query.municipality = value } else {
                    problems.append(FieldProblem(field: name, message: "skal være en kommunekode med fire cifre, fx 0101."))
                }
            case "region":
                if regions.contains(value) { query.region = value } else {
                    problems.append(FieldProblem(field: name, message: "skal være en regionskode: \(regions.sorted().joined(separator: ", "))."))
                }
            case "q": query.text = value.allSatisfy(\.isWhitespace) ? nil : value
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
