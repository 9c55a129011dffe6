import Foundation
import SamspilCore

/// A municipality's coordinators' overview of its schools' worksheets: per tool, which have been started and how far
/// they are, and the answers to scales and choices counted. Free text is never in it; a worksheet its owners shared
/// is linked.
enum ToolOverview {
    struct Count: Sendable, Equatable {
        var label: String
        var count: Int
    }

    struct ItemCounts: Sendable, Equatable {
        var id: String
        var text: String
        var counts: [Count]
        var answers: Int
    }

    struct Row: Sendable {
        var id: UUID
        var title: String
        var owner: String
        var ownerKind: WorksheetOwnerKind
        var progress: WorksheetProgress
        var updatedAt: Date
        var readable: Bool
    }

    struct Tool: Sendable {
        var slug: String
        var title: String
        var worksheets: [Row]
        var averagePercent: Int
        var items: [ItemCounts]
    }

    struct Model: Sendable {
        var municipality: String
        var tools: [Tool]
    }

    static func model(municipality: String, worksheets: [WorksheetQueries.Summary], tools: [StoredTool], readsAll: Bool) -> Model {
        let byTool = Dictionary(grouping: worksheets, by: \.toolSlug)
        let result = tools.compactMap { tool -> Tool? in
            guard let sheets = byTool[tool.slug], !sheets.isEmpty else { return nil }
            let rows = sheets.map {
                Row(id: $0.id, title: $0.title, owner: $0.ownerName, ownerKind: $0.ownerKind, progress: $0.progress, updatedAt: $0.updatedAt,
                    readable: readsAll || $0.shared)
            }
            return Tool(slug: tool.slug, title: tool.definition.title, worksheets: rows,
                        averagePercent: rows.map(\.progress.percent).reduce(0, +) / rows.count,
                        items: counts(tool.definition, answers: sheets.map(\.answers)))
        }
        return Model(municipality: municipality, tools: result)
    }

    /// The scale and choice items of the tool's newest version, each step or option counted over the worksheets
    /// (answers are matched by item id, so worksheets on an older version count where the item is the same).
    static func counts(_ definition: ToolDefinition, answers: [[String: WorksheetAnswer]]) -> [ItemCounts] {
        definition.items.compactMap { _, item in
            switch item.itemKind {
            case .scale?:
                let steps = item.steps ?? 0
                guard steps > 0 else { return nil }
                let values = answers.compactMap { $0[item.id]?.value }.filter { (1...steps).contains($0) }
                let counts = (1...steps).map { step in
                    Count(label: step == 1 ? "1 (\(item.lowLabel ?? ""))" : step == steps ? "\(step) (\(item.highLabel ?? ""))" : String(step),
                          count: values.filter { $0 == step }.count)
                }
                return ItemCounts(id: item.id, text: item.text, counts: counts, answers: values.count)
            case .singleChoice?, .multipleChoice?:
                let options = item.options ?? []
                let chosen = answers.compactMap { $0[item.id]?.choices }
                return ItemCounts(id: item.id, text: item.text,
                                  counts: options.map { option in Count(label: option, count: chosen.filter { $0.contains(option) }.count) },
                                  answers: chosen.filter { !$0.isEmpty }.count)
            default:
                return nil
            }
        }
    }
}

enum ToolOverviewView {
    static func render(_ model: ToolOverview.Model, site: SiteInfo) -> String {
        var meta = ToolShell.meta("Skolernes arbejdsark i \(model.municipality)")
        meta.breadcrumbs = [.init(label: "Forside", href: SitePath.home.href), .init(label: "Mine arbejdsark", href: SitePath.tool(.worksheets).href)]
        return PageLayout.render(meta, site: site) {
            H1("Skolernes arbejdsark i \(model.municipality)")
            Paragraph("Arbejdsark, som kommunens skoler og deres partnerskaber har startet: hvor langt de er, og hvad de har svaret på skalaer og valg, talt sammen. Fritekst ser du kun i de arbejdsark, som ejerne har delt med dig.")
            if model.tools.isEmpty {
                Paragraph("Ingen af kommunens skoler har startet et arbejdsark endnu.")
            }
            for tool in model.tools {
                Tag("section", [("class", "overview-tool"), ("aria-labelledby", "vaerktoej-\(tool.slug)")]) {
                    Tag("h2", [("id", "vaerktoej-\(tool.slug)")], text: tool.title)
                    Paragraph("\(tool.worksheets.count) arbejdsark startet, i gennemsnit \(tool.averagePercent) % udfyldt.")
                    DataTable(caption: "Arbejdsark med \(tool.title)", headings: ["Arbejdsark", "Hvem", "Udfyldt", "Senest ændret"], rows: tool.worksheets.map { row in
                        [row.readable ? Link(row.title, url: SitePath.tool(.worksheet(row.id.uuidString)).href) : Text(row.title),
                         Text("\(ToolShell.ownerLabel(row.ownerKind)): \(row.owner)"),
                         Text("\(row.progress.done) af \(row.progress.total) (\(row.progress.percent) %)"), DanishDate.element(row.updatedAt)]
                    })
                    for item in tool.items where item.answers > 0 {
                        Tag("figure", [("class", "count-chart")]) {
                            chart(item)
                            Tag("figcaption", text: "\(item.text) (\(item.answers) svar)")
                        }
                        DataTable(caption: "Svar: \(item.text)", headings: ["Svar", "Antal"], rows: item.counts.map { [Text($0.label), Text(String($0.count))] })
                    }
                }
            }
        }
    }

    /// Horizontal bars drawn with SVG attributes (the site's content security policy allows no inline styles); the
    /// same numbers are in the table after it, so the picture is hidden from screen readers.
    static func chart(_ item: ToolOverview.ItemCounts) -> Component {
        let most = max(item.counts.map(\.count).max() ?? 0, 1)
        let rowHeight = 28
        let labelWidth = 260
        let barWidth = 300
        let height = rowHeight * item.counts.count
        return Tag("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("class", "bars"), ("viewBox", "0 0 \(labelWidth + barWidth + 40) \(height)"),
                           ("width", String(labelWidth + barWidth + 40)), ("height", String(height)), ("aria-hidden", "true"), ("focusable", "false")]) {
            for (index, count) in item.counts.enumerated() {
                let y = index * rowHeight
                Tag("text", [("x", "0"), ("y", String(y + 18)), ("class", "bar-label")], text: count.label.count > 38 ? String(count.label.prefix(36)) + "…" : count.label)
                Tag("rect", [("x", String(labelWidth)), ("y", String(y + 4)), ("height", "18"), ("width", String(count.count * barWidth / most)), ("class", "bar")], text: "")
                Tag("text", [("x", String(labelWidth + count.count * barWidth / most + 6)), ("y", String(y + 18)), ("class", "bar-value")], text: String(count.count))
            }
        }
    }
}
