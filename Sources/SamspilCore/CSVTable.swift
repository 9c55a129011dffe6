/// A small RFC 4180 CSV reader for the committed reference data: a header row, then records.
public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [[String: String]]

    public init(parsing text: String) throws(SamspilError) {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var inQuotes = false
        var iterator = text.replacingOccurrences(of: "\r\n", with: "\n").makeIterator()
        var pending: Character? = nil
        while let ch = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if ch == "\"" {
                    let next = iterator.next()
                    if next == "\"" { field.append("\"") } else { inQuotes = false; pending = next }
                } else {
                    field.append(ch)
                }
            } else {
                switch ch {
                case "\"": inQuotes = true
                case ",": record.append(field); field = ""
                case "\n":
                    record.append(field); field = ""
                    records.append(record); record = []
                default: field.append(ch)
                }
            }
        }
        if inQuotes { throw .invalid([FieldProblem(field: "(csv)", message: "et citationstegn er ikke lukket.")]) }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        guard let header = records.first else { throw .invalid([FieldProblem(field: "(csv)", message: "filen er tom.")]) }
        self.header = header
        var rows: [[String: String]] = []
        for (index, values) in records.dropFirst().enumerated() where values != [""] {
            guard values.count == header.count else {
                throw .invalid([FieldProblem(record: "linje \(index + 2)", field: "(csv)", message: "har \(values.count) felter, forventede \(header.count).")])
            }
            rows.append(Dictionary(uniqueKeysWithValues: zip(header, values)))
        }
        self.rows = rows
    }
}
