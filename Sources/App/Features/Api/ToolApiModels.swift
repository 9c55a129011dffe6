import Foundation
import SamspilCore
import Vapor

// MARK: responses

/// A tool in the list of `/api/v1/tools`: what it is and which version is the newest.
struct ToolSummaryDTO: Content, Equatable {
    var slug: String
    var title: String
    var introduction: String
    /// The slug of the material it comes from, if any.
    var material: String?
    var audiences: [String]
    /// The newest version.
    var version: Int
    /// `published`, or `draft` (only an editor's token sees drafts).
    var status: String
    /// Absolute address of the tool's page.
    var url: String

    init(_ tool: StoredTool, site: SiteInfo) {
        slug = tool.slug
        title = tool.definition.title
        introduction = tool.definition.introduction
        material = tool.definition.material
        audiences = tool.definition.audiences
        version = tool.version
        status = tool.status.rawValue
        url = site.absolute(SitePath.tool(.show(tool.slug)).href)
    }
}

struct ToolListDTO: Content {
    var items: [ToolSummaryDTO]
}

/// A tool's newest version, whole: its sections and items as `ToolDefinition` has them.
struct ToolDTO: Content, Equatable {
    var slug: String
    var title: String
    var introduction: String
    var material: String?
    var audiences: [String]
    var sections: [ToolSection]
    var version: Int
    var status: String
    /// The same number as the `ETag`.
    var revision: Int
    var createdAt: Date
    var updatedAt: Date
    var url: String

    init(_ tool: StoredTool, site: SiteInfo) {
        slug = tool.slug
        title = tool.definition.title
        introduction = tool.definition.introduction
        material = tool.definition.material
        audiences = tool.definition.audiences
        sections = tool.definition.sections
        version = tool.version
        status = tool.status.rawValue
        revision = tool.revision
        createdAt = tool.createdAt
        updatedAt = tool.updatedAt
        url = site.absolute(SitePath.tool(.show(tool.slug)).href)
    }
}

/// One of the worksheets a person fills in, as "Mine arbejdsark" lists it.
struct WorksheetSummaryDTO: Content, Equatable {
    var id: UUID
    var title: String
    var tool: String
    var toolTitle: String
    /// Who it belongs to, by name.
    var owner: String
    /// `partnerskab`, `organisation` or `person`.
    var ownerKind: String
    var toolVersion: Int
    var newestToolVersion: Int
    var progress: WorksheetExport.Document.Progress
    /// The last change to it or to one of its answers.
    var updatedAt: Date
    var url: String

    init(_ summary: WorksheetQueries.Summary, site: SiteInfo) {
        id = summary.id
        title = summary.title
        tool = summary.toolSlug
        toolTitle = summary.toolTitle
        owner = summary.ownerName
        ownerKind = summary.ownerKind.rawValue
        toolVersion = summary.toolVersion
        newestToolVersion = summary.newestVersion
        progress = .init(done: summary.progress.done, total: summary.progress.total)
        updatedAt = summary.updatedAt
        url = site.absolute(SitePath.tool(.worksheet(summary.id.uuidString)).href)
    }
}

struct WorksheetListDTO: Content {
    var items: [WorksheetSummaryDTO]
}

// MARK: requests

/// The bodies of the worksheet API, read member by member with `PartnershipInput` (JSON types, lengths in code
/// points as the document counts them, unknown members refused, every problem named). What depends on the item
/// answered — a step on its scale, one of its options, a deadline only for a checklist item — is
/// `WorksheetRules`', applied by `WorksheetSaving`.
enum WorksheetInput {
    static let answerFields: Set<String> = ["text", "status", "responsible", "deadline", "note", "value", "choices"]

    /// A text that may be absent or `null` (both: none), of at most `max` code points and without U+0000 (the
    /// document's pattern, for every text member whatever the item's kind).
    static func text(_ input: inout PartnershipInput, _ value: JSONValue?, _ field: String, max: Int) -> String? {
        guard let value, value != .null, let text = input.text(value, field, max: max, nullable: false) else { return nil }
        if let nul = TextRules.nulProblem(text) { input.problem(field, nul) }
        return text
    }

    /// A whole answer (`PUT`: absent and `null` members are none).
    static func answer(_ object: [String: JSONValue]) throws -> WorksheetAnswer {
        var input = PartnershipInput()
        input.members(object, allowed: answerFields)
        var answer = WorksheetAnswer()
        answer.text = text(&input, object["text"], "text", max: WorksheetRules.textMaxLength)
        if let raw = text(&input, object["status"], "status", max: 500) {
            if let status = ChecklistStatus(rawValue: raw) { answer.status = status } else {
                input.problem("status", "Skal være en af \(ChecklistStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
        }
        answer.responsible = text(&input, object["responsible"], "responsible", max: WorksheetRules.shortTextMaxLength)
        if let deadline = text(&input, object["deadline"], "deadline", max: 500) {
            // The document's pattern: empty, or a day that exists in the proleptic Gregorian calendar.
            if !deadline.isEmpty, !PartnershipRules.isDate(deadline) { input.problem("deadline", "Skriv fristen som en dato, fx 2027-03-01.") }
            answer.deadline = deadline
        }
        answer.note = text(&input, object["note"], "note", max: WorksheetRules.textMaxLength)
        answer.value = input.integer(object["value"], "value", in: 1...ToolRules.maxSteps)
        if let items = input.array(object["choices"], "choices", max: ToolRules.maxOptions) {
            var choices: [String] = []
            for (index, item) in items.enumerated() {
                let field = "choices[\(index)]"
                guard let choice = input.text(item, field, max: Int.max, nullable: false) else { continue }
                // `uniqueItems`, whatever the item's kind (the rules say it again for choices).
                if choices.contains(choice) { input.problem(field, "Står der allerede; vælg hver mulighed kun én gang.") }
                choices.append(choice)
            }
            answer.choices = object["choices"] == .null ? nil : choices
        }
        try input.check()
        return answer
    }

    /// Whom a new worksheet is for, as the body names it: `person`, or an organisation's or a partnership's slug.
    enum Owner: Equatable {
        case person
        case organisation(String)
        case partnership(String)
    }

    struct Start: Equatable {
        var tool: String
        var owner: Owner
        var title: String
    }

    /// `POST /api/v1/worksheets`: `{"tool", "owner": {"kind", "slug"}, "title"}`.
    static func start(_ object: [String: JSONValue]) throws -> Start {
        var input = PartnershipInput()
        input.members(object, allowed: ["tool", "owner", "title"], required: ["tool", "owner"])
        let tool = input.text(object["tool"], "tool", max: Slug.maxLength, nullable: false)
        if let tool, !Slug.isValid(tool) { input.problem("tool", "Skriv værktøjets adresse (slug), fx det-gode-samarbejde.") }
        let title = text(&input, object["title"], "title", max: WorksheetRules.titleMaxLength) ?? ""
        var owner: Owner?
        switch object["owner"] {
        case nil: break
        case .object(let members)?:
            let kinds = WorksheetOwnerKind.allCases.map(\.rawValue)
            let kind = input.text(members["kind"], "owner.kind", max: 500, nullable: false)
            switch kind.flatMap(WorksheetOwnerKind.init(rawValue:)) {
            case .person?:
                input.members(members, allowed: ["kind"], required: ["kind"], at: "owner.")
                owner = .person
            case let found?:
                input.members(members, allowed: ["kind", "slug"], required: ["kind", "slug"], at: "owner.")
                if let slug = input.text(members["slug"], "owner.slug", max: Slug.maxLength, nullable: false) {
                    if !Slug.isValid(slug) { input.problem("owner.slug", "Skriv organisationens eller partnerskabets adresse (slug).") }
                    owner = found == .organisation ? .organisation(slug) : .partnership(slug)
                }
            case nil:
                input.members(members, allowed: ["kind", "slug"], required: ["kind"], at: "owner.")
                if kind != nil { input.problem("owner.kind", "Skal være en af \(kinds.joined(separator: ", ")).") }
            }
        default:
            input.problem("owner", "Har en forkert type (forventede et objekt).")
        }
        try input.check()
        guard let tool, let owner else { throw SamspilError.unprocessable([FieldProblem(field: "owner", message: "Mangler.")]) }
        return Start(tool: tool, owner: owner, title: title)
    }
}
