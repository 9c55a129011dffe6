/// A small RFC 4180 CSV reader: the committed reference data (`,`, UTF-8) and spreadsheets as Danish users save
/// them (`;` or `,`, UTF-8 with or without BOM, or Windows-1252, CRLF, quoted fields with line breaks inside).
/// Written here rather than taken from a package: neither CSV package of the mirror reads Windows-1252, and
/// the parser is forty lines.
public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [[String: String]]

    /// Reference data: a header row, then records with as many fields; anything else refuses the file.
    public init(parsing text: String) throws(SamspilError) {
        let records = try Self.records(text, delimiter: ",")
        guard let header = records.first?.fields else { throw .invalid([FieldProblem(field: "(csv)", message: "filen er tom.")]) }
        self.header = header
        var rows: [[String: String]] = []
        for (index, record) in records.dropFirst().enumerated() where record.fields != [""] {
            guard record.fields.count == header.count else {
                throw .invalid([FieldProblem(record: "linje \(index + 2)", field: "(csv)", message: "har \(record.fields.count) felter, forventede \(header.count).")])
            }
            rows.append(Dictionary(uniqueKeysWithValues: zip(header, record.fields)))
        }
        self.rows = rows
    }

    /// One record and the line of the file it begins on (a quoted field may span lines).
    public struct Record: Sendable, Equatable {
        public var line: Int
        public var fields: [String]
    }

    /// The records of `text`. Line breaks are LF, CRLF or CR; `""` in a quoted field is one quotation mark.
    public static func records(_ text: String, delimiter: Character) throws(SamspilError) -> [Record] {
        var records: [Record] = []
        var record: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var iterator = text.makeIterator()
        var pending: Character? = nil
        while let ch = pending ?? iterator.next() {
            pending = nil
            // "\r\n" is one Character in Swift; a lone "\r" counts as a line break too.
            let isBreak = ch == "\n" || ch == "\r\n" || ch == "\r"
            if inQuotes {
                if ch == "\"" {
                    let next = iterator.next()
                    if next == "\"" { field.append("\"") } else { inQuotes = false; pending = next }
                } else {
                    if isBreak { line += 1 }
                    field.append(isBreak ? "\n" : ch)
                }
            } else if ch == "\"" && field.isEmpty {
                inQuotes = true
            } else if ch == delimiter {
                record.append(field); field = ""
            } else if isBreak {
                record.append(field); field = ""
                records.append(Record(line: recordLine, fields: record)); record = []
                line += 1
                recordLine = line
            } else {
                field.append(ch)
            }
        }
        if inQuotes { throw .invalid([FieldProblem(record: "linje \(recordLine)", field: "(csv)", message: "et citationstegn er ikke lukket.")]) }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(Record(line: recordLine, fields: record)) }
        return records
    }
}

/// Text from a spreadsheet program: the bytes decoded and the field separator found.
public enum SpreadsheetText {
    /// UTF-8 (a byte order mark is dropped), or Windows-1252 when the bytes are not valid UTF-8 (what Excel on
    /// Windows writes as "CSV (semikolonsepareret)").
    public static func decode(_ bytes: [UInt8]) -> (text: String, encoding: String) {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if let text = String(validating: body, as: UTF8.self) { return (text, "UTF-8") }
        var scalars = String.UnicodeScalarView()
        for byte in body {
            if (0x80...0x9F).contains(byte), let mapped = windows1252[Int(byte - 0x80)] {
                scalars.append(mapped)
            } else {
                // Latin-1 agrees with Windows-1252 outside 0x80–0x9F (five bytes there are unassigned: kept as C1).
                scalars.append(Unicode.Scalar(byte))
            }
        }
        return (String(scalars), "Windows-1252")
    }

    /// 0x80–0x9F of Windows-1252.
    private static let windows1252: [Unicode.Scalar?] = [
        "\u{20AC}", nil, "\u{201A}", "\u{0192}", "\u{201E}", "\u{2026}", "\u{2020}", "\u{2021}",
        "\u{02C6}", "\u{2030}", "\u{0160}", "\u{2039}", "\u{0152}", nil, "\u{017D}", nil,
        nil, "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2022}", "\u{2013}", "\u{2014}",
        "\u{02DC}", "\u{2122}", "\u{0161}", "\u{203A}", "\u{0153}", nil, "\u{017E}", "\u{0178}",
    ]

    /// `;` or `,`: whichever the first line (outside quotes) has more of; `;` when neither (Danish Excel's own).
    public static func delimiter(of text: String) -> Character {
        var semicolons = 0
        var commas = 0
        var inQuotes = false
        for ch in text {
            if ch == "\"" { inQuotes.toggle() } else if !inQuotes {
                if ch == "\n" || ch == "\r\n" || ch == "\r" { break }
                if ch == ";" { semicolons += 1 } else if ch == "," { commas += 1 }
            }
        }
        return commas > semicolons ? "," : ";"
    }

    /// A cell for a spreadsheet: quoted when needed, and a text beginning with `=`, `+`, `-`, `@` (or a tab or
    /// carriage return) prefixed with `'`, so Excel shows it as text instead of running it as a formula.
    public static func cell(_ value: String, delimiter: Character = ";") -> String {
        var text = value
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        if text.unicodeScalars.contains(where: { $0 == "\"" || $0 == "\n" || $0 == "\r" }) || text.contains(delimiter) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }

    /// A cell's value as the import reads it: a `'` that `cell` put before a formula character is dropped again.
    public static func value(_ cell: String) -> String {
        if cell.hasPrefix("'"), let second = cell.unicodeScalars.dropFirst().first, "=+-@\t\r".unicodeScalars.contains(second) {
            return String(cell.dropFirst())
        }
        return cell
    }
}
