import Foundation
import SamspilCore
import Vapor

/// The editors' form of a tool as posted, and what it means: a `ToolDefinition`, and where each of `ToolRules`'
/// paths (`sections[1].items[3].steps`) sits in the form. Sections and items post as nested arrays —
/// `sections[0][title]`, `sections[0][items][1][text]` — which Vapor's form decoder reads into `sections`.
/// Every value is a string, as typed, so a refused form shows exactly what was sent.
struct ToolEditForm: Content {
    var slug: String?
    var title: String?
    var introduction: String?
    var material: String?
    var audiences: [String]?
    var status: String?
    /// The tool's revision the edit started from (a change saved in between is refused, not overwritten).
    var revision: String?
    var sections: [Section]?
    /// The pressed button: save (also when none is named), `add-section`, or `add-item-<row>`.
    var action: String?
    var _csrf: String?

    struct Section: Codable, Sendable {
        var id: String?
        var title: String?
        /// Where the section goes: sections are saved in the order of these numbers.
        var position: String?
        var items: [Item]?
        /// "ja" when "Fjern" is ticked.
        var remove: String?
    }

    struct Item: Codable, Sendable {
        var id: String?
        var kind: String?
        var text: String?
        var steps: String?
        var lowLabel: String?
        var highLabel: String?
        /// A choice's options, one per line.
        var options: String?
        var remove: String?
    }

    /// The value of a ticked "Fjern".
    static let removeValue = "ja"
    /// Slugs the editors' own pages use (`/redaktion/vaerktoejer/ny`, `…/import`): a tool there could not be edited.
    static let reservedSlugs: Set<String> = ["ny", "import"]

    // MARK: making forms

    /// A new tool's form: a draft with one empty section holding one empty item.
    static func blank() -> ToolEditForm {
        var form = ToolEditForm(status: PublicationStatus.draft.rawValue, sections: [])
        form.addSection()
        return form
    }

    /// The form of a stored tool, with the revision an edit starts from.
    init(_ definition: ToolDefinition, status: PublicationStatus, revision: Int) {
        slug = definition.slug
        title = definition.title
        introduction = definition.introduction
        material = definition.material
        audiences = definition.audiences
        self.status = status.rawValue
        self.revision = String(revision)
        sections = definition.sections.enumerated().map { index, section in
            Section(id: section.id, title: section.title, position: String(index + 1), items: section.items.map { item in
                Item(id: item.id, kind: item.kind, text: item.text, steps: item.steps.map(String.init), lowLabel: item.lowLabel, highLabel: item.highLabel,
                     options: item.options?.joined(separator: "\n"))
            })
        }
    }

    init(slug: String? = nil, title: String? = nil, introduction: String? = nil, material: String? = nil, audiences: [String]? = nil,
         status: String? = nil, revision: String? = nil, sections: [Section]? = nil, action: String? = nil, _csrf: String? = nil) {
        self.slug = slug
        self.title = title
        self.introduction = introduction
        self.material = material
        self.audiences = audiences
        self.status = status
        self.revision = revision
        self.sections = sections
        self.action = action
        self._csrf = _csrf
    }

    // MARK: the buttons

    enum Action: Equatable {
        case save
        case addSection
        /// Another item in the section of this row of the form.
        case addItem(Int)
    }

    static let addSectionAction = "add-section"
    static func addItemAction(_ row: Int) -> String { "add-item-\(row)" }

    /// What the pressed button asks for; an unknown value saves nothing and changes nothing (nil).
    var requested: Action? {
        switch action {
        case nil, "", "save": return .save
        case Self.addSectionAction: return .addSection
        case let value? where value.hasPrefix("add-item-"):
            guard let row = Int(value.dropFirst("add-item-".count)), (sections ?? []).indices.contains(row) else { return nil }
            return .addItem(row)
        default: return nil
        }
    }

    /// One more empty section (with one empty item) last; returns the new row.
    @discardableResult mutating func addSection() -> Int {
        var rows = sections ?? []
        rows.append(Section(id: "", title: "", position: String(rows.count + 1), items: [Self.emptyItem]))
        sections = rows
        return rows.count - 1
    }

    /// One more empty item last in the section of `row`; returns its row in the section.
    @discardableResult mutating func addItem(toSection row: Int) -> Int {
        var items = sections?[row].items ?? []
        items.append(Self.emptyItem)
        sections?[row].items = items
        return items.count - 1
    }

    static var emptyItem: Item { Item(id: "", kind: ToolItemKind.reflection.rawValue, text: "") }

    // MARK: field keys

    /// The key of a field of the form, as problems name it and as its element's id (`field-<key>`) is made:
    /// "sections-1-items-3-steps". Without brackets, which a link's `#fragment` may not hold.
    static func key(section: Int, item: Int? = nil, _ field: String) -> String {
        item.map { "sections-\(section)-items-\($0)-\(field)" } ?? "sections-\(section)-\(field)"
    }

    /// The input name of a field: `sections[1][items][3][steps]`.
    static func name(section: Int, item: Int? = nil, _ field: String) -> String {
        item.map { "sections[\(section)][items][\($0)][\(field)]" } ?? "sections[\(section)][\(field)]"
    }

    // MARK: reading

    /// What the form describes.
    struct Parsed {
        var definition: ToolDefinition
        var status: PublicationStatus
        /// What is wrong with the form itself (a position that is not a number), by field key.
        var problems: [FieldProblem]
        /// The form rows the definition's sections and items came from.
        var sectionRows: [Int]
        var itemRows: [[Int]]

        /// The problems `ToolRules` found in the definition, each under the key of its field in the form.
        func located(_ problems: [FieldProblem]) -> [FieldProblem] {
            problems.map { FieldProblem(field: field(for: $0.field), message: $0.message) }
        }

        /// A path of `ToolRules` as the key of its field in the form: "sections[1].items[3].steps" →
        /// "sections-2-items-5-steps" when removed or moved rows put them there; "audiences[2]" → "audiences".
        func field(for path: String) -> String {
            let place = ToolPath(path)
            guard let section = place.section else { return place.field }
            guard sectionRows.indices.contains(section) else { return "sections" }
            let sectionRow = sectionRows[section]
            guard let item = place.item else { return ToolEditForm.key(section: sectionRow, place.field.isEmpty ? "title" : place.field) }
            guard itemRows[section].indices.contains(item) else { return ToolEditForm.key(section: sectionRow, "items") }
            return ToolEditForm.key(section: sectionRow, item: itemRows[section][item], place.field.isEmpty ? "text" : place.field)
        }
    }

    /// The definition the form describes. Rows with "Fjern" ticked are left out, and so are rows left empty (an
    /// added row nobody filled in); sections go in the order of their positions; an id left empty is made from the
    /// text (or title), unique in the tool, and so is a new tool's slug. Only the fields of an item's kind are kept.
    /// `storedSlug` is the stored tool's (a change never changes it).
    func parsed(slug storedSlug: String? = nil) -> Parsed {
        var problems: [FieldProblem] = []
        func trimmed(_ text: String?) -> String { (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        func isRemoved(_ value: String?) -> Bool { value == Self.removeValue }
        func isEmpty(_ item: Item) -> Bool {
            [item.id, item.text, item.steps, item.lowLabel, item.highLabel, item.options].allSatisfy { trimmed($0).isEmpty }
        }

        // The rows that count, in the order of their positions (ties keep the form's order).
        var kept: [(row: Int, position: Int, items: [Int])] = []
        for (row, section) in (sections ?? []).enumerated() where !isRemoved(section.remove) {
            let items = (section.items ?? []).indices.filter { !isRemoved(section.items?[$0].remove) && !isEmpty(section.items![$0]) }
            if items.isEmpty, trimmed(section.id).isEmpty, trimmed(section.title).isEmpty { continue }
            var position = row + 1
            let typed = trimmed(section.position)
            if !typed.isEmpty {
                if let number = Int(typed) { position = number } else {
                    problems.append(FieldProblem(field: Self.key(section: row, "position"), message: "Skriv afsnittets placering som et helt tal, fx 2."))
                }
            }
            kept.append((row, position, items))
        }
        kept.sort { ($0.position, $0.row) < ($1.position, $1.row) }

        // Ids typed are kept as typed; an empty one is made from the text, not clashing with any other.
        var taken = Set<String>()
        var sectionTaken = Set<String>()
        for entry in kept {
            let section = sections![entry.row]
            sectionTaken.insert(trimmed(section.id))
            for item in entry.items { taken.insert(trimmed(section.items![item].id)) }
        }
        func made(from text: String, avoiding used: inout Set<String>) -> String {
            var base = Slug.make(from: text)
            if base.count > 40 {
                base = String(base.prefix(40))
                if let hyphen = base.lastIndex(of: "-"), base.distance(from: base.startIndex, to: hyphen) > 10 { base = String(base[..<hyphen]) }
            }
            base = base.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
            guard !base.isEmpty else { return "" }
            var candidate = base
            var number = 2
            while used.contains(candidate) {
                candidate = "\(base)-\(number)"
                number += 1
            }
            used.insert(candidate)
            return candidate
        }

        var toolSections: [ToolSection] = []
        var itemRows: [[Int]] = []
        for entry in kept {
            let section = sections![entry.row]
            var id = trimmed(section.id)
            if id.isEmpty { id = made(from: trimmed(section.title), avoiding: &sectionTaken) }
            let items: [ToolItem] = entry.items.map { row in
                let posted = section.items![row]
                let text = trimmed(posted.text)
                var itemID = trimmed(posted.id)
                if itemID.isEmpty { itemID = made(from: text, avoiding: &taken) }
                let kind = trimmed(posted.kind)
                var item = ToolItem(id: itemID, rawKind: kind, text: text)
                switch ToolItemKind(rawValue: kind) {
                case .scale:
                    item.steps = Int(trimmed(posted.steps))
                    item.lowLabel = trimmed(posted.lowLabel)
                    item.highLabel = trimmed(posted.highLabel)
                case .singleChoice, .multipleChoice:
                    item.options = (posted.options ?? "").split(whereSeparator: \.isNewline)
                        .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                default:
                    break
                }
                return item
            }
            toolSections.append(ToolSection(id: id, title: trimmed(section.title), items: items))
            itemRows.append(entry.items)
        }

        let material = trimmed(material)
        let definition = ToolDefinition(
            slug: storedSlug ?? (trimmed(slug).isEmpty ? Self.slug(for: trimmed(title)) : trimmed(slug)),
            title: trimmed(title),
            introduction: Markdown.normalisingLineBreaks(introduction ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
            material: material.isEmpty ? nil : material,
            audiences: (audiences ?? []).filter { !$0.isEmpty },
            sections: toolSections)
        if storedSlug == nil, Self.reservedSlugs.contains(definition.slug) {
            problems.append(FieldProblem(field: "slug", message: "Adressen \(DanishText.quoted(definition.slug)) bruges af redaktionens sider. Vælg en anden."))
        }
        return Parsed(definition: definition, status: PublicationStatus(rawValue: status ?? "") ?? .draft, problems: problems,
                      sectionRows: kept.map(\.row), itemRows: itemRows)
    }
}

extension ToolEditForm {
    /// A new tool's slug when none is typed: its title as a slug, short enough for an address.
    static func slug(for title: String) -> String {
        String(Slug.make(from: title).prefix(Slug.maxLength)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }
}

/// A path of `ToolRules` taken apart: "sections[1].items[3].steps" is section 1, item 3, field "steps";
/// "audiences[2]" is the field "audiences".
struct ToolPath: Equatable {
    var section: Int?
    var item: Int?
    var field: String

    init(_ path: String) {
        var rest = Substring(path)
        func index(after name: String) -> Int? {
            guard rest.hasPrefix(name + "["), let close = rest.firstIndex(of: "]"),
                  let number = Int(rest[rest.index(rest.startIndex, offsetBy: name.count + 1)..<close]) else { return nil }
            rest = rest[rest.index(after: close)...]
            if rest.hasPrefix(".") { rest = rest.dropFirst() }
            return number
        }
        section = index(after: "sections")
        item = section == nil ? nil : index(after: "items")
        // Empty for "sections[1]" alone (the section as a whole) and for "" (the whole document).
        field = String(rest.prefix { $0 != "[" && $0 != "." })
    }

    /// Where a path is, in Danish: "Afsnit 2, punkt 4, trin".
    var place: String {
        let names = ["slug": "adresse", "title": section == nil ? "titel" : "overskrift", "introduction": "indledning", "material": "materiale",
                     "audiences": "målgrupper", "sections": "afsnit", "id": "id", "text": "tekst", "kind": "slags", "steps": "trin",
                     "lowLabel": "laveste trin", "highLabel": "højeste trin", "options": "muligheder", "items": "punkter"]
        let name = names[field] ?? field
        var parts: [String] = []
        if let section { parts.append("Afsnit \(section + 1)") }
        if let item { parts.append("punkt \(item + 1)") }
        if !name.isEmpty { parts.append(name) }
        guard let first = parts.first else { return "" }
        return ([first.prefix(1).uppercased() + String(first.dropFirst())] + parts.dropFirst()).joined(separator: ", ")
    }
}
