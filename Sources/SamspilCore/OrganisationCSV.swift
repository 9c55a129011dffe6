/// The CSV format of schools and learning environments, for import and export. One row per organisation; the
/// header names the columns (any order, any case; `kommune` may hold a code or a name). See the README.
public enum OrganisationCSV {
    public static let columns = [
        "type", "navn", "institutionsnummer", "skoletype", "laeringsmiljoe", "kommune", "adresse", "postnummer", "by",
        "hjemmeside", "telefon", "email", "beskrivelse", "fag", "klassetrin", "tilgaengelighed", "breddegrad", "laengdegrad",
    ]
    /// Columns only the export writes (the import ignores them): the page's address and the municipality's name.
    public static let exportOnlyColumns = ["slug", "kommunenavn", "region"]
    public static let requiredColumns = ["type", "navn", "kommune"]

    /// Names and codes the import accepts, each mapped to the stored value.
    public struct Lookup: Sendable {
        /// Municipality code → code, lowercased name → code; codes also without leading zeros ("101").
        public var municipalities: [String: String] = [:]
        public var environmentKinds: [String: String] = [:]
        public var subjects: [String: String] = [:]
        public var gradeLevels: [String: String] = [:]

        public init() {}

        public mutating func addMunicipality(code: String, name: String) {
            municipalities[code] = code
            municipalities[String(code.drop { $0 == "0" })] = code
            municipalities[name.lowercased()] = code
        }

        public static func key(_ text: String) -> String { text.trimmingCharacters(in: .whitespaces).lowercased() }
    }

    /// A row read: the organisation it describes (slug empty: the import gives one), or why it cannot be read.
    public struct Row: Sendable {
        public var line: Int
        public var organisation: Organisation?
        public var problems: [FieldProblem]
    }

    /// Reads the header and rows of a decoded file. Throws when the file as a whole cannot be read (no header,
    /// a missing required column, an unknown column, an unclosed quotation mark).
    public static func read(_ text: String, lookup: Lookup) throws(SamspilError) -> [Row] {
        let delimiter = SpreadsheetText.delimiter(of: text)
        let records = try CSVTable.records(text, delimiter: delimiter)
        guard let header = records.first else { throw .invalid([FieldProblem(field: "(fil)", message: "Filen er tom.")]) }
        let names = header.fields.map { Lookup.key($0) }
        var problems: [FieldProblem] = []
        for required in requiredColumns where !names.contains(required) {
            problems.append(FieldProblem(field: "(kolonner)", message: "Kolonnen \(DanishText.quoted(required)) mangler i første linje."))
        }
        for name in names where !name.isEmpty && !columns.contains(name) && !exportOnlyColumns.contains(name) {
            problems.append(FieldProblem(field: "(kolonner)", message: "Kolonnen \(DanishText.quoted(name)) kendes ikke. Kendte kolonner: \(columns.joined(separator: ", "))."))
        }
        if !problems.isEmpty { throw .invalid(problems) }
        return records.dropFirst().filter { !$0.fields.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }.map { record in
            guard record.fields.count <= names.count else {
                return Row(line: record.line, organisation: nil, problems: [FieldProblem(field: "(række)",
                    message: "Rækken har \(record.fields.count) felter, men første linje har \(names.count). Sæt felter med \(delimiter) i anførselstegn.")])
            }
            var cells: [String: String] = [:]
            for (index, value) in record.fields.enumerated() {
                let trimmed = SpreadsheetText.value(value.trimmingCharacters(in: .whitespacesAndNewlines))
                if !trimmed.isEmpty { cells[names[index]] = trimmed }
            }
            return row(cells, line: record.line, lookup: lookup)
        }
    }

    private static func row(_ cells: [String: String], line: Int, lookup: Lookup) -> Row {
        var problems: [FieldProblem] = []
        let kind: OrganisationKind
        switch Lookup.key(cells["type"] ?? "") {
        case "skole": kind = .school
        case "laeringsmiljoe", "læringsmiljø", "eksternt læringsmiljø": kind = .learningEnvironment
        default:
            return Row(line: line, organisation: nil, problems: [FieldProblem(field: "type", message: "Skriv skole eller laeringsmiljoe.")])
        }
        var municipality: String?
        if let raw = cells["kommune"] {
            municipality = lookup.municipalities[Lookup.key(raw)]
            if municipality == nil {
                problems.append(FieldProblem(field: "kommune", message: "Kommunen \(DanishText.quoted(raw)) findes ikke. Skriv kommunens navn eller firecifrede kode, fx 0101."))
            }
        }
        var organisation = Organisation(slug: "", kind: kind, name: cells["navn"] ?? "", status: .approved, municipalityCode: municipality)
        organisation.address = PostalAddress(street: cells["adresse"], postcode: cells["postnummer"], town: cells["by"])
        organisation.website = cells["hjemmeside"]
        organisation.phone = cells["telefon"]
        organisation.email = cells["email"].map(EmailAddress.normalise)
        func list(_ column: String, _ known: [String: String], _ what: String) -> [String] {
            guard let raw = cells[column] else { return [] }
            return raw.split(whereSeparator: { $0 == "," || $0 == "|" || $0 == "\n" }).map { String($0).trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }.compactMap { item in
                    if let value = known[Lookup.key(item)] { return value }
                    problems.append(FieldProblem(field: column, message: "\(what) \(DanishText.quoted(item)) kendes ikke."))
                    return nil
                }
        }
        func coordinate(_ column: String) -> Double? {
            guard let raw = cells[column] else { return nil }
            guard let value = Double(raw.replacingOccurrences(of: ",", with: ".")), value.isFinite else {
                problems.append(FieldProblem(field: column, message: "Skriv et tal, fx 55,6761."))
                return nil
            }
            return value
        }
        organisation.gradeLevels = list("klassetrin", lookup.gradeLevels, "Klassetrinnet")
        switch kind {
        case .school:
            organisation.institutionNumber = cells["institutionsnummer"]
            if let raw = cells["skoletype"] {
                organisation.schoolKind = SchoolKind.allCases.first { $0.rawValue == Lookup.key(raw) || $0.label.lowercased() == Lookup.key(raw) }
                if organisation.schoolKind == nil {
                    problems.append(FieldProblem(field: "skoletype", message: "Skriv en af: \(SchoolKind.allCases.map(\.rawValue).joined(separator: ", "))."))
                }
            }
        default:
            if let raw = cells["laeringsmiljoe"] {
                organisation.environmentKind = lookup.environmentKinds[Lookup.key(raw)]
                if organisation.environmentKind == nil {
                    problems.append(FieldProblem(field: "laeringsmiljoe", message: "Slags læringsmiljø \(DanishText.quoted(raw)) kendes ikke."))
                }
            }
            organisation.description = cells["beskrivelse"] ?? ""
            organisation.subjects = list("fag", lookup.subjects, "Faget")
            organisation.accessibility = cells["tilgaengelighed"]
            organisation.latitude = coordinate("breddegrad")
            organisation.longitude = coordinate("laengdegrad")
        }
        return Row(line: line, organisation: organisation, problems: problems)
    }

    /// The rules' field names as the file's column names, so a refusal names the column to fix.
    public static func column(for field: String) -> String {
        switch String(field.prefix { $0 != "[" }) {
        case "name": "navn"
        case "institutionNumber": "institutionsnummer"
        case "schoolKind": "skoletype"
        case "environmentKind": "laeringsmiljoe"
        case "municipality": "kommune"
        case "street": "adresse"
        case "postcode": "postnummer"
        case "town": "by"
        case "website": "hjemmeside"
        case "phone": "telefon"
        case "description": "beskrivelse"
        case "subjects": "fag"
        case "gradeLevels": "klassetrin"
        case "accessibility": "tilgaengelighed"
        case "latitude": "breddegrad"
        case "longitude": "laengdegrad"
        case let other: other
        }
    }

    /// One exported organisation: the cells of `columns` + `exportOnlyColumns`, neutralised and joined with `;`.
    public static func exportLine(_ organisation: Organisation, municipalityName: String?, region: String?) -> String {
        func decimal(_ value: Double?) -> String { value.map { String($0).replacingOccurrences(of: ".", with: ",") } ?? "" }
        let kind: String = switch organisation.kind {
        case .school: "skole"
        case .learningEnvironment: "laeringsmiljoe"
        case .other, .municipality: organisation.kind.rawValue
        }
        let values: [String] = [
            kind, organisation.name, organisation.institutionNumber ?? "", organisation.schoolKind?.rawValue ?? "",
            organisation.environmentKind ?? organisation.otherKind ?? "", organisation.municipalityCode ?? "", organisation.address.street ?? "",
            organisation.address.postcode ?? "", organisation.address.town ?? "", organisation.website ?? "", organisation.phone ?? "",
            organisation.email ?? "", organisation.description, organisation.subjects.joined(separator: ", "),
            organisation.gradeLevels.joined(separator: ", "), organisation.accessibility ?? "", decimal(organisation.latitude),
            decimal(organisation.longitude), organisation.slug, municipalityName ?? "", region ?? "",
        ]
        return values.map { SpreadsheetText.cell($0) }.joined(separator: ";")
    }

    /// The export's first line.
    public static var exportHeader: String { (columns + exportOnlyColumns).joined(separator: ";") }
}
