@testable import App
import Foundation
import SamspilCore
import Testing

/// What the stylesheets promise that a test can read: the printout of a material, scrolling tables, the warning
/// button, the size of checkboxes and radios, and a diff without -/+ signs.
@Suite struct StylesheetTests {
    static func stylesheet(_ name: String) throws -> String {
        String(decoding: try AppResources.data("Public/\(name)"), as: UTF8.self)
    }

    /// The declarations of every rule whose selector list names `selector` (exactly, as one of its selectors),
    /// joined; nil when there is none.
    static func rule(_ selector: String, in css: String) -> String? {
        var found: [String] = []
        var rest = Substring(css)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { return nil }
            // The selector list: after the previous rule or comment.
            var head = String(rest[..<open])
            if let commentEnd = head.range(of: "*/", options: .backwards) { head = String(head[commentEnd.upperBound...]) }
            if let brace = head.lastIndex(of: "}") { head = String(head[head.index(after: brace)...]) }
            let selectors = head.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            if selectors.contains(selector) { found.append(String(rest[rest.index(after: open)..<close])) }
            rest = rest[rest.index(after: close)...]
        }
        return found.isEmpty ? nil : found.joined(separator: "\n")
    }

    @Test func aPrintedMaterialHasItsAddressAndNoRelatedMaterials() throws {
        let print = try Self.stylesheet("print.css"), screen = try Self.stylesheet("samspil.css")
        #expect(Self.rule(".related", in: print)?.contains("display: none") == true)
        #expect(Self.rule(".print-only", in: print)?.contains("display: block") == true)
        #expect(Self.rule(".print-only", in: screen)?.contains("display: none") == true)
        let model = MaterialShowModel(material: SnapshotTests.mapping, vocabularies: SnapshotTests.vocabularies, themes: [],
                                      related: [SnapshotTests.article], site: SnapshotTests.site)
        let html = MaterialShow.render(model, site: SnapshotTests.site).string
        #expect(html.contains("<p class=\"print-only print-address\">Materialets adresse: https://samspil.example/materialer/samarbejder-og-partnerskaber</p>"))
        #expect(html.contains("class=\"related\""))
    }

    @Test func screenRules() throws {
        let css = try Self.stylesheet("samspil.css")
        // Wide tables scroll inside their region, not the page.
        #expect(Self.rule(".table-scroll", in: css)?.contains("overflow-x: auto") == true)
        #expect(DataTable(caption: "Revisioner", headings: ["A"], rows: [[Text("1")]]).render()
                    .hasPrefix("<div class=\"table-scroll\" role=\"region\" aria-label=\"Revisioner\" tabindex=\"0\"><table"))
        // Destructive actions are red; checkboxes and radios are 24px.
        #expect(Self.rule(".button-warning", in: css)?.contains("background: var(--color-error-border)") == true)
        #expect(Self.rule(".choice input[type=\"checkbox\"]", in: css)?.contains("width: 1.5rem; height: 1.5rem;") == true)
        #expect(Self.rule(".choice input[type=\"radio\"]", in: css)?.contains("width: 1.5rem; height: 1.5rem;") == true)
        // The diff marks words by line-through and underline, and puts no sign before a line.
        #expect(Self.rule(".diff del", in: css)?.contains("line-through") == true)
        #expect(Self.rule(".diff ins", in: css)?.contains("underline") == true)
        #expect(!css.contains("content: \"+ \"") && !css.contains("content: \"− \""))
    }
}
