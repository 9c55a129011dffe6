import Foundation

/// Who a worksheet belongs to: a partnership, an organisation, or the person who started it for themselves.
public enum WorksheetOwnerKind: String, Codable, Sendable, CaseIterable {
    case partnership = "partnerskab"
    case organisation = "organisation"
    case person = "person"
}

/// An answer to one item of a tool. Which members are used depends on the item's kind: `text` for a reflection,
/// `status`, `responsible`, `deadline` (ISO date) and `note` for a checklist item, `value` for a scale, `choices`
/// (the options' texts) for single and multiple choice. Kept as one value so an item is saved as a whole.
public struct WorksheetAnswer: Codable, Sendable, Equatable {
    public var text: String?
    public var status: ChecklistStatus?
    public var responsible: String?
    public var deadline: String?
    public var note: String?
    public var value: Int?
    public var choices: [String]?

    public init(text: String? = nil, status: ChecklistStatus? = nil, responsible: String? = nil, deadline: String? = nil, note: String? = nil,
                value: Int? = nil, choices: [String]? = nil) {
        self.text = text
        self.status = status
        self.responsible = responsible
        self.deadline = deadline
        self.note = note
        self.value = value
        self.choices = choices
    }

    /// Nothing given: saving it clears the item.
    public var isEmpty: Bool {
        func blank(_ text: String?) -> Bool { Self.blank(text) }
        return blank(text) && (status == nil || status == .notStarted) && blank(responsible) && blank(deadline) && blank(note)
            && value == nil && (choices ?? []).isEmpty
    }

    /// Whether the item counts as done for progress: a reflection written, a checklist item finished or not
    /// relevant, a step of a scale or an option chosen.
    public func completes(_ kind: ToolItemKind) -> Bool {
        switch kind {
        case .reflection: !Self.blank(text)
        case .checklist: status == .done || status == .notRelevant
        case .scale: value != nil
        case .singleChoice, .multipleChoice: !(choices ?? []).isEmpty
        case .instruction: false
        }
    }

    /// No text, or only white space. (Not `trimmingCharacters`: progress asks this of every answer on every save, and
    /// Foundation's trimming was a tenth of a save's time in bench/worksheets.)
    static func blank(_ text: String?) -> Bool {
        guard let text else { return true }
        return text.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
    }

    /// The answer as one line of text (CSV, history, the conflict view).
    public func summary(for item: ToolItem) -> String {
        switch item.itemKind {
        case .reflection?: return text ?? ""
        case .checklist?:
            return [status?.label, responsible.map { "Ansvarlig: \($0)" }, deadline.map { "Frist: \($0)" }, note.map { "Note: \($0)" }]
                .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · ")
        case .scale?: return value.map { "\($0) af \(item.steps ?? 0)" } ?? ""
        case .singleChoice?, .multipleChoice?: return (choices ?? []).joined(separator: "; ")
        case .instruction?, nil: return ""
        }
    }
}

/// How far a worksheet is: items done of items to answer (instructions are not counted).
public struct WorksheetProgress: Sendable, Equatable {
    public var done: Int
    public var total: Int

    public init(done: Int, total: Int) {
        self.done = done
        self.total = total
    }

    public var percent: Int { total == 0 ? 0 : done * 100 / total }

    public static func of(_ items: [ToolItem], answers: [String: WorksheetAnswer]) -> WorksheetProgress {
        var progress = WorksheetProgress(done: 0, total: 0)
        for item in items {
            guard let kind = item.itemKind, kind != .instruction else { continue }
            progress.total += 1
            if answers[item.id]?.completes(kind) == true { progress.done += 1 }
        }
        return progress
    }
}

extension ToolDefinition {
    public func item(_ id: String) -> ToolItem? {
        for section in sections { if let item = section.items.first(where: { $0.id == id }) { return item } }
        return nil
    }

    /// The overall progress and each section's.
    public func progress(_ answers: [String: WorksheetAnswer]) -> (overall: WorksheetProgress, sections: [String: WorksheetProgress]) {
        var sections: [String: WorksheetProgress] = [:]
        for section in self.sections { sections[section.id] = .of(section.items, answers: answers) }
        return (.of(self.sections.flatMap(\.items), answers: answers), sections)
    }
}
