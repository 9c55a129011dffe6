import Foundation
import SamspilCore
import Vapor

/// A worksheet as a file: CSV for Excel (a row per item, semicolons, a byte order mark, as the coordinators' list)
/// and JSON (the same document the API gives for a worksheet).
enum WorksheetExport {
    static let csvHeader = ["Afsnit", "Punkt-id", "Slags", "Punkt", "Svar", "Status", "Ansvarlig", "Frist", "Note", "Trin", "Valg",
                            "Besvaret af", "Besvaret"]

    static func fileName(_ stored: StoredWorksheet) -> String {
        "arbejdsark-" + (Slug.make(from: stored.title).isEmpty ? "uden-titel" : Slug.make(from: stored.title))
    }

    static func csv(_ definition: ToolDefinition, answers: [String: WorksheetQueries.StoredAnswer]) -> String {
        var text = "\u{FEFF}" + csvHeader.map { SpreadsheetText.cell($0) }.joined(separator: ";") + "\r\n"
        let formatter = ISO8601DateFormatter()
        for (section, item) in definition.items {
            let stored = answers[item.id]
            let answer = stored?.answer ?? WorksheetAnswer()
            let cells = [section.title, item.id, item.itemKind?.label ?? item.kind, item.text, answer.text ?? "", answer.status?.label ?? "",
                         answer.responsible ?? "", answer.deadline ?? "", answer.note ?? "", answer.value.map(String.init) ?? "",
                         (answer.choices ?? []).joined(separator: "; "), stored.map(\.authorName) ?? "", stored.map { formatter.string(from: $0.updatedAt) } ?? ""]
            text += cells.map { SpreadsheetText.cell($0) }.joined(separator: ";") + "\r\n"
        }
        return text
    }

    /// The worksheet as JSON: its tool and version, owner, progress, and each item with its answer.
    struct Document: Content, Equatable {
        struct Item: Content, Equatable {
            var id: String
            var section: String
            var kind: String
            var text: String
            var answer: WorksheetAnswer?
            /// The answer's revision: send it back as `If-Match` to change the answer (0: none yet).
            var revision: Int
            var answeredBy: String?
            var answeredAt: Date?
        }

        var id: UUID
        var title: String
        var tool: String
        var toolTitle: String
        var toolVersion: Int
        var newestToolVersion: Int
        var owner: String
        var ownerKind: String
        var shared: Bool
        var progress: Progress
        var items: [Item]
        var url: String

        struct Progress: Content, Equatable {
            var done: Int
            var total: Int
        }
    }

    static func document(_ stored: StoredWorksheet, definition: ToolDefinition, answers: [String: WorksheetQueries.StoredAnswer], site: SiteInfo) -> Document {
        let progress = definition.progress(answers.mapValues(\.answer)).overall
        return Document(
            id: stored.id, title: stored.title, tool: stored.toolSlug, toolTitle: stored.toolTitle, toolVersion: stored.toolVersion,
            newestToolVersion: stored.newestVersion, owner: stored.ownerName, ownerKind: stored.ownerKind.rawValue, shared: stored.shared,
            progress: .init(done: progress.done, total: progress.total),
            items: definition.items.map { section, item in
                let answer = answers[item.id]
                return Document.Item(id: item.id, section: section.title, kind: item.kind, text: item.text,
                                     answer: answer.flatMap { $0.answer.isEmpty ? nil : $0.answer }, revision: answer?.revision ?? 0,
                                     answeredBy: answer?.authorName, answeredAt: answer?.updatedAt)
            },
            url: site.absolute(SitePath.tool(.worksheet(stored.id.uuidString)).href))
    }
}
