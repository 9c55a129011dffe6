import Foundation

/// A tool from the seed's materials made into a worksheet (issue 14): ordered sections of items that a
/// partnership's or an organisation's people fill in together. Definitions are data — written by editors, loaded
/// from the seed — and versioned: a worksheet keeps the version it was started on.
///
/// So far this is the definition and its rules (`ToolRules`) and the four seed tools
/// (`Resources/Seed/tools.json`); storage, pages and worksheets are not built yet.
public struct ToolDefinition: Codable, Sendable, Equatable {
    public var slug: String
    public var title: String
    public var introduction: String
    /// The slug of the material the tool comes from.
    public var material: String?
    /// Audience slugs (the materials' vocabulary): who the tool is for.
    public var audiences: [String]
    public var sections: [ToolSection]

    public init(slug: String, title: String, introduction: String, material: String? = nil, audiences: [String] = [], sections: [ToolSection]) {
        self.slug = slug
        self.title = title
        self.introduction = introduction
        self.material = material
        self.audiences = audiences
        self.sections = sections
    }

    /// Every item, in order, with its section.
    public var items: [(section: ToolSection, item: ToolItem)] {
        sections.flatMap { section in section.items.map { (section, $0) } }
    }
}

public struct ToolSection: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var items: [ToolItem]

    public init(id: String, title: String, items: [ToolItem]) {
        self.id = id
        self.title = title
        self.items = items
    }
}

/// The kinds of items a tool can hold.
public enum ToolItemKind: String, Codable, Sendable, CaseIterable {
    /// A question to reflect on, answered in free text.
    case reflection = "refleksion"
    /// Something to do: status, responsible person, deadline, note.
    case checklist = "tjekpunkt"
    /// A scale of `steps` steps with labelled ends.
    case scale = "skala"
    case singleChoice = "enkeltvalg"
    case multipleChoice = "flervalg"
    /// A short text to read; nothing to answer.
    case instruction = "instruktion"

    public var label: String {
        switch self {
        case .reflection: "Refleksionsspørgsmål"
        case .checklist: "Tjekpunkt"
        case .scale: "Skala"
        case .singleChoice: "Vælg én"
        case .multipleChoice: "Vælg flere"
        case .instruction: "Vejledning"
        }
    }
}

/// The status of a checklist item.
public enum ChecklistStatus: String, Codable, Sendable, CaseIterable {
    case notStarted = "ikke-startet"
    case inProgress = "i-gang"
    case done = "faerdig"
    case notRelevant = "ikke-relevant"

    public var label: String {
        switch self {
        case .notStarted: "Ikke startet"
        case .inProgress: "I gang"
        case .done: "Færdig"
        case .notRelevant: "Ikke relevant"
        }
    }
}

/// One item. `kind` is kept as sent, so a definition with a kind that does not exist can be read and refused
/// with a message that names the item (`ToolRules`), instead of failing to decode as a whole.
public struct ToolItem: Codable, Sendable, Equatable {
    public var id: String
    public var kind: String
    public var text: String
    /// A scale's number of steps (1…steps) and the labels of its ends.
    public var steps: Int?
    public var lowLabel: String?
    public var highLabel: String?
    /// A choice's options.
    public var options: [String]?

    public init(id: String, kind: ToolItemKind, text: String, steps: Int? = nil, lowLabel: String? = nil, highLabel: String? = nil,
                options: [String]? = nil) {
        self.init(id: id, rawKind: kind.rawValue, text: text, steps: steps, lowLabel: lowLabel, highLabel: highLabel, options: options)
    }

    public init(id: String, rawKind: String, text: String, steps: Int? = nil, lowLabel: String? = nil, highLabel: String? = nil,
                options: [String]? = nil) {
        self.id = id
        self.kind = rawKind
        self.text = text
        self.steps = steps
        self.lowLabel = lowLabel
        self.highLabel = highLabel
        self.options = options
    }

    public var itemKind: ToolItemKind? { ToolItemKind(rawValue: kind) }
}
