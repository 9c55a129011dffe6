import Foundation
import SamspilCore
import Testing

/// CSV as spreadsheets write it: separators, encodings, quoting, line breaks, and formulas in the export.
@Suite struct SpreadsheetCSVTests {
    @Test func recordsKeepQuotedSeparatorsQuotesAndLineBreaksAndKnowTheirLine() throws {
        let text = "a;b;c\r\n1;\"x;y\";\"sagde \"\"hej\"\"\"\r\n2;\"to\r\nlinjer\";\r3;;\n"
        let records = try CSVTable.records(text, delimiter: ";")
        #expect(records.map(\.fields) == [["a", "b", "c"], ["1", "x;y", "sagde \"hej\""], ["2", "to\nlinjer", ""], ["3", "", ""]])
        #expect(records.map(\.line) == [1, 2, 3, 5])
        #expect(throws: SamspilError.self) { try CSVTable.records("a;\"b\n", delimiter: ";") }
        // A quotation mark inside an unquoted field is text.
        #expect(try CSVTable.records("5\" skærm;b", delimiter: ";").first?.fields == ["5\" skærm", "b"])
    }

    @Test func theSeparatorIsWhatTheHeaderHasMoreOf() {
        #expect(SpreadsheetText.delimiter(of: "type;navn;kommune\nskole;A, B;0101") == ";")
        #expect(SpreadsheetText.delimiter(of: "type,navn,\"kommune;x\"\n") == ",")
        #expect(SpreadsheetText.delimiter(of: "navn\n") == ";")
    }

    @Test func bytesAreUTF8WithOrWithoutBOMOrElseWindows1252() {
        #expect(SpreadsheetText.decode([0xEF, 0xBB, 0xBF] + Array("Ærø".utf8)) == ("Ærø", "UTF-8"))
        #expect(SpreadsheetText.decode(Array("Ærø".utf8)) == ("Ærø", "UTF-8"))
        // Æ, ø, å, the euro sign and an en dash as Windows-1252 writes them.
        #expect(SpreadsheetText.decode([0xC6, 0xF8, 0xE5, 0x20, 0x80, 0x20, 0x96]) == ("Æøå € –", "Windows-1252"))
    }

    @Test func exportedCellsAreQuotedWhenNeededAndNeverRunAsFormulas() {
        #expect(SpreadsheetText.cell("Skolevej 1") == "Skolevej 1")
        #expect(SpreadsheetText.cell("a;b") == "\"a;b\"")
        #expect(SpreadsheetText.cell("to\r\nlinjer") == "\"to\r\nlinjer\"")
        #expect(SpreadsheetText.cell("sagde \"hej\"") == "\"sagde \"\"hej\"\"\"")
        for formula in ["=1+1", "+45 33 12 34 56", "-2", "@SUM(A1)", "\tx"] {
            let cell = SpreadsheetText.cell(formula)
            #expect(cell.hasPrefix("'") || cell.hasPrefix("\"'"), "\(formula)")
            let read = try? CSVTable.records(cell, delimiter: ";").first?.fields.first
            #expect(read.map(SpreadsheetText.value) == formula, "\(formula) comes back")
        }
        #expect(SpreadsheetText.value("'ok") == "'ok", "an apostrophe the export did not add stays")
    }
}
