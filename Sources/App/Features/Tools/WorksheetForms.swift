import Foundation
import SamspilCore
import Vapor

/// The form of one item, as posted by the worksheet page (one form per item) and by its script.
struct AnswerForm: Content {
    var _csrf: String?
    /// The item's revision the form was filled in from; 0: no answer yet.
    var basedOn: String?
    var text: String?
    var status: String?
    var responsible: String?
    var deadline: String?
    var note: String?
    var value: String?
    var choices: [String]?

    /// The answer the form describes for `item`, or the problems of what cannot be read (a status or step that does
    /// not exist); `WorksheetRules` checks the rest.
    func answer(for item: ToolItem) -> (WorksheetAnswer, [FieldProblem]) {
        var answer = WorksheetAnswer()
        var problems: [FieldProblem] = []
        func clean(_ text: String?) -> String? {
            let trimmed = (text ?? "").replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        }
        switch item.itemKind {
        case .reflection?:
            answer.text = clean(text)
        case .checklist?:
            if let status = clean(status) {
                if let known = ChecklistStatus(rawValue: status) { answer.status = known } else {
                    problems.append(FieldProblem(field: "status", message: "Vælg en status fra listen."))
                }
            }
            answer.responsible = clean(responsible)
            answer.deadline = clean(deadline)
            answer.note = clean(note)
        case .scale?:
            if let value = clean(value) {
                if let number = Int(value) { answer.value = number } else { problems.append(FieldProblem(field: "value", message: "Vælg et trin på skalaen.")) }
            }
        case .singleChoice?, .multipleChoice?:
            let chosen = (choices ?? []).compactMap(clean)
            answer.choices = chosen.isEmpty ? nil : chosen
        case .instruction?, nil:
            break
        }
        return (answer, problems)
    }

    /// The revision in the form; nil when it is missing or not a number (a form from elsewhere).
    var revision: Int? { basedOn.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.flatMap { $0 >= 0 ? $0 : nil } }

    init(_ answer: WorksheetAnswer, basedOn: Int) {
        self.basedOn = String(basedOn)
        text = answer.text
        status = answer.status?.rawValue
        responsible = answer.responsible
        deadline = answer.deadline
        note = answer.note
        value = answer.value.map(String.init)
        choices = answer.choices
    }

    init() {}
}

/// The controls of one item's answer, named as `AnswerForm` reads them. `prefix` keeps ids unique when one page
/// shows an item twice (the conflict view).
enum AnswerFields {
    static func render(_ item: ToolItem, form: AnswerForm, errors: [FieldProblem], prefix: String, readOnly: Bool = false) -> Component {
        let id = { (field: String) in "\(prefix)-\(field)" }
        let error = { (field: String) in errors.first { $0.field == field }?.message }
        func described(_ field: String) -> [(String, String)] {
            error(field) == nil ? [] : [("aria-describedby", id(field) + "-fejl"), ("aria-invalid", "true")]
        }
        func errorText(_ field: String) -> Component {
            ComponentGroup { if let message = error(field) { Tag("p", [("class", "field-error"), ("id", id(field) + "-fejl")], text: message) } }
        }
        let disabled: [(String, String)] = readOnly ? [("disabled", "disabled")] : []
        switch item.itemKind {
        case .reflection?:
            return Div {
                Tag("label", [("for", id("text")), ("class", "sr-only")], text: "Jeres svar")
                errorText("text")
                Tag("textarea", [("id", id("text")), ("name", "text"), ("rows", "5"), ("data-item-field", "text")] + described("text") + disabled,
                    text: form.text ?? "")
            }.class("field")
        case .checklist?:
            // A refused deadline goes back as text: a date field would drop a value that is not a date.
            let deadline = form.deadline ?? ""
            let deadlineType = deadline.isEmpty || PartnershipRules.isDate(deadline) ? "date" : "text"
            return ComponentGroup {
                Div {
                    Tag("label", [("for", id("status"))], text: "Status")
                    errorText("status")
                    Tag("select", [("id", id("status")), ("name", "status")] + described("status") + disabled) {
                        for status in ChecklistStatus.allCases {
                            Tag("option", [("value", status.rawValue)] + ((form.status ?? ChecklistStatus.notStarted.rawValue) == status.rawValue ? [("selected", "selected")] : []),
                                text: status.label)
                        }
                    }
                }.class("field")
                Div {
                    Div {
                        Tag("label", [("for", id("responsible"))], text: "Ansvarlig")
                        errorText("responsible")
                        VoidTag("input", [("type", "text"), ("id", id("responsible")), ("name", "responsible"), ("value", form.responsible ?? ""),
                                          ("autocomplete", "off")] + described("responsible") + disabled)
                    }.class("field")
                    Div {
                        Tag("label", [("for", id("deadline"))], text: "Frist")
                        Tag("p", [("class", "hint"), ("id", id("deadline") + "-hint")], text: "Dato, fx 2027-03-01.")
                        errorText("deadline")
                        VoidTag("input", [("type", deadlineType), ("id", id("deadline")), ("name", "deadline"), ("value", deadline),
                                          ("aria-describedby", [id("deadline") + "-hint", error("deadline") == nil ? nil : id("deadline") + "-fejl"].compactMap { $0 }.joined(separator: " "))]
                                + (error("deadline") == nil ? [] : [("aria-invalid", "true")]) + disabled)
                    }.class("field")
                }.class("field-row")
                Div {
                    Tag("label", [("for", id("note"))], text: "Note")
                    errorText("note")
                    Tag("textarea", [("id", id("note")), ("name", "note"), ("rows", "2")] + described("note") + disabled, text: form.note ?? "")
                }.class("field")
            }
        case .scale?:
            let steps = item.steps ?? 0
            return Tag("fieldset", [("class", "field scale")] + described("value")) {
                Tag("legend", [("class", "sr-only")], text: "Vælg et trin fra 1 (\(item.lowLabel ?? "")) til \(steps) (\(item.highLabel ?? ""))")
                errorText("value")
                Div {
                    Tag("span", [("class", "scale-end"), ("aria-hidden", "true")], text: item.lowLabel ?? "")
                    for step in 1...max(steps, 1) {
                        Tag("span", [("class", "scale-step")]) {
                            VoidTag("input", [("type", "radio"), ("id", id("value-\(step)")), ("name", "value"), ("value", String(step))]
                                    + (form.value == String(step) ? [("checked", "checked")] : []) + disabled)
                            Tag("label", [("for", id("value-\(step)"))]) {
                                Text(String(step))
                                if step == 1 { Tag("span", [("class", "sr-only")], text: " – \(item.lowLabel ?? "")") }
                                if step == steps { Tag("span", [("class", "sr-only")], text: " – \(item.highLabel ?? "")") }
                            }
                        }
                    }
                    Tag("span", [("class", "scale-end"), ("aria-hidden", "true")], text: item.highLabel ?? "")
                }.class("scale-steps")
            }
        case .singleChoice?, .multipleChoice?:
            let multiple = item.itemKind == .multipleChoice
            let chosen = Set(form.choices ?? [])
            return Tag("fieldset", [("class", "field")] + described("choices")) {
                Tag("legend", [("class", "sr-only")], text: multiple ? "Vælg en eller flere" : "Vælg én")
                errorText("choices")
                for (index, option) in (item.options ?? []).enumerated() {
                    Div {
                        VoidTag("input", [("type", multiple ? "checkbox" : "radio"), ("id", id("choice-\(index)")), ("name", "choices[]"), ("value", option)]
                                + (chosen.contains(option) ? [("checked", "checked")] : []) + disabled)
                        Tag("label", [("for", id("choice-\(index)"))], text: option)
                    }.class("choice")
                }
            }
        case .instruction?, nil:
            return ComponentGroup(members: [])
        }
    }
}
