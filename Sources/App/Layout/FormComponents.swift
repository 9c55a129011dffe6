import SamspilCore

/// One form field, always in the same order: label, hint, error, input. The input names its hint and error
/// (`aria-describedby`) and is marked invalid when there is an error, so screen readers tell them too.
struct FormField: Component {
    var name: String
    var label: String
    var type = "text"
    var value = ""
    var hint: String?
    var error: String?
    var autocomplete: String?
    var required = true

    var body: Component {
        FieldFrame(name: name, label: label, hint: hint, error: error) { id, aria in
            var attributes: [(name: String, value: String)] = [("type", type), ("id", id), ("name", name)]
            if type != "password" { attributes.append(("value", value)) }
            if let autocomplete { attributes.append(("autocomplete", autocomplete)) }
            if required { attributes.append(("required", "required")) }
            return VoidTag("input", attributes + aria)
        }
    }
}

/// What every single-control field shares: the wrapper, label, hint and error, and the control's
/// `aria-describedby` (hint, error) and `aria-invalid` attributes, which `control` appends to its own.
struct FieldFrame: Component {
    var name: String
    var label: String
    var hint: String?
    var error: String?
    var control: (_ id: String, _ aria: [(name: String, value: String)]) -> Component

    var body: Component {
        let id = "field-\(name)"
        let described = [hint.map { _ in "\(id)-hint" }, error.map { _ in "\(id)-error" }].compactMap { $0 }
        var aria: [(name: String, value: String)] = []
        if !described.isEmpty { aria.append(("aria-describedby", described.joined(separator: " "))) }
        if error != nil { aria.append(("aria-invalid", "true")) }
        return Div {
            Tag("label", [("for", id)], text: label)
            if let hint { Tag("span", [("class", "hint"), ("id", "\(id)-hint")], text: hint) }
            if let error { Tag("span", [("class", "field-error"), ("id", "\(id)-error")], text: "Fejl: \(error)") }
            control(id, aria)
        }.class(error == nil ? "field" : "field has-error")
    }
}

/// The hidden CSRF field every state-changing form carries.
struct CSRFField: Component {
    var token: String

    var body: Component {
        VoidTag("input", [("type", "hidden"), ("name", CSRF.field), ("value", token)])
    }
}

/// A summary of a form's errors at its top, linking to each field, in the order the fields have in the form
/// (`fieldOrder`: field names, top to bottom; fields it does not name come last, as given). The page's focus
/// starts on it (`autofocus`; `tabindex="-1"` makes it focusable without putting it in the tab order), so
/// keyboard and screen reader users land on the errors after a failed submit, without any script. A page
/// with a summary sets `PageMeta.hasErrors`, which puts "Fejl:" first in its title.
struct ErrorSummary: Component {
    var errors: [(field: String, message: String)]
    var fieldOrder: [String] = []

    init(errors: [(field: String, message: String)], fieldOrder: [String] = []) {
        self.errors = errors
        self.fieldOrder = fieldOrder
    }

    init(_ problems: [FieldProblem], fieldOrder: [String]) {
        self.init(errors: problems.map { ($0.field, $0.message) }, fieldOrder: fieldOrder)
    }

    /// The errors in form order, one per field and message.
    var ordered: [(field: String, message: String)] {
        let rank = Dictionary(fieldOrder.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var seen = Set<String>()
        return errors.enumerated()
            .sorted { (rank[$0.element.field] ?? Int.max, $0.offset) < (rank[$1.element.field] ?? Int.max, $1.offset) }
            .map(\.element)
            .filter { seen.insert($0.field + "\u{0}" + $0.message).inserted }
    }

    var body: Component {
        let errors = ordered
        return ErrorAlert(labelledBy: "error-summary-heading") {
            Tag("h2", [("id", "error-summary-heading")], text: "Der er fejl i formularen")
            List(errors.indices) { index in
                ListItem { SafeLink(text: errors[index].message, href: "#field-\(errors[index].field)") }
            }
        }
    }
}

/// An error message at the top of a page after a failed submit (a summary, a refused login, a conflict): an
/// alert that the page's focus starts on, without any script (see `ErrorSummary`). At most one per page.
struct ErrorAlert: Component {
    var labelledBy: String?
    var content: Component

    init(labelledBy: String? = nil, @ComponentBuilder content: () -> Component) {
        self.labelledBy = labelledBy
        self.content = content()
    }

    var body: Component {
        Tag("div", [("class", "alert alert-error error-summary"), ("role", "alert"), ("tabindex", "-1"), ("autofocus", "autofocus")]
            + (labelledBy.map { [("aria-labelledby", $0)] } ?? [])) {
            content
        }
    }
}

/// A text area: label, hint, error, input.
struct TextAreaField: Component {
    var name: String
    var label: String
    var value: String
    var rows = 4
    var hint: String?
    var error: String?

    var body: Component {
        FieldFrame(name: name, label: label, hint: hint, error: error) { id, aria in
            Tag("textarea", [("id", id), ("name", name), ("rows", String(rows))] + aria, text: value)
        }
    }
}

/// A select: label, error, input.
struct SelectField: Component {
    var name: String
    var label: String
    var selected: String
    var error: String?
    var options: [(value: String, label: String)]

    var body: Component {
        FieldFrame(name: name, label: label, error: error) { id, aria in
            Tag("select", [("id", id), ("name", name)] + aria) {
                for option in options {
                    Tag("option", [("value", option.value)] + (option.value == selected ? [("selected", "selected")] : []), text: option.label)
                }
            }
        }
    }
}

/// Checkboxes in a fieldset: legend, error, boxes. Several values post as `name[]`.
struct CheckboxesField: Component {
    var name: String
    var legend: String
    var checked: Set<String>
    var error: String?
    var options: [(value: String, label: String)]
    var isArray = true

    var body: Component {
        let id = "field-\(name)"
        return Tag("fieldset", [("class", error == nil ? "field" : "field has-error"), ("id", id)] + (error != nil ? [("aria-describedby", "\(id)-error")] : [])) {
            Tag("legend", [], text: legend)
            if let error { Tag("span", [("class", "field-error"), ("id", "\(id)-error")], text: "Fejl: \(error)") }
            for (index, option) in options.enumerated() {
                Div {
                    VoidTag("input", [("type", "checkbox"), ("id", "\(id)-\(index)"), ("name", isArray ? "\(name)[]" : name), ("value", option.value)]
                        + (checked.contains(option.value) ? [("checked", "checked")] : []))
                    Tag("label", [("for", "\(id)-\(index)")], text: option.label)
                }.class("choice")
            }
        }
    }
}

/// Radio buttons in a fieldset.
struct RadiosField: Component {
    var name: String
    var legend: String
    var selected: String
    var options: [(value: String, label: String)]

    var body: Component {
        Tag("fieldset", [("class", "field")]) {
            Tag("legend", [], text: legend)
            for (index, option) in options.enumerated() {
                Div {
                    VoidTag("input", [("type", "radio"), ("id", "field-\(name)-\(index)"), ("name", name), ("value", option.value)]
                        + (option.value == selected ? [("checked", "checked")] : []))
                    Tag("label", [("for", "field-\(name)-\(index)")], text: option.label)
                }.class("choice")
            }
        }
    }
}

/// A file input: label, hint, error, input.
struct FileField: Component {
    var name: String
    var label: String
    var hint: String?
    var error: String?

    var body: Component {
        FieldFrame(name: name, label: label, hint: hint, error: error) { id, aria in
            VoidTag("input", [("type", "file"), ("id", id), ("name", name), ("accept", ".pdf,.docx,.odt,.png,.jpg,.jpeg,.gif,.webp")] + aria)
        }
    }
}

/// One item of an ordered list: buttons to move it up or down and to remove it, posted with `action` =
/// up, down or remove and the hidden fields that name the item. Each button's accessible name says which item.
struct ReorderForm: Component {
    var action: String
    var hidden: [(name: String, value: String)]
    var itemLabel: String
    var isFirst: Bool
    var isLast: Bool
    var removeLabel = "Fjern"
    var csrf: String

    var body: Component {
        Tag("form", [("class", "inline-form"), ("method", "post"), ("action", action)]) {
            CSRFField(token: csrf)
            for field in hidden { VoidTag("input", [("type", "hidden"), ("name", field.name), ("value", field.value)]) }
            if !isFirst { button("up", "Flyt op") }
            if !isLast { button("down", "Flyt ned") }
            button("remove", "Fjern", spoken: removeLabel)
        }
    }

    private func button(_ value: String, _ text: String, spoken: String? = nil) -> Component {
        Tag("button", [("type", "submit"), ("class", "button button-secondary button-small"), ("name", "action"), ("value", value),
                       ("aria-label", "\(spoken ?? text): \(itemLabel)")], text: text)
    }
}

extension [FieldProblem] {
    /// The messages for one field of a form, joined, or nil when it has none (what a field shows as its error).
    func message(for field: String) -> String? {
        let messages = filter { $0.field == field }.map(\.message)
        return messages.isEmpty ? nil : messages.joined(separator: " ")
    }
}
