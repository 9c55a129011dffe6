import Plot

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
        let id = "field-\(name)"
        var described: [String] = []
        if hint != nil { described.append("\(id)-hint") }
        if error != nil { described.append("\(id)-error") }
        var attributes: [(name: String, value: String)] = [("type", type), ("id", id), ("name", name)]
        if type != "password" { attributes.append(("value", value)) }
        if let autocomplete { attributes.append(("autocomplete", autocomplete)) }
        if required { attributes.append(("required", "required")) }
        if !described.isEmpty { attributes.append(("aria-describedby", described.joined(separator: " "))) }
        if error != nil { attributes.append(("aria-invalid", "true")) }
        return Div {
            Tag("label", [("for", id)], text: label)
            if let hint { Tag("span", [("class", "hint"), ("id", "\(id)-hint")], text: hint) }
            if let error { Tag("span", [("class", "field-error"), ("id", "\(id)-error")], text: "Fejl: \(error)") }
            VoidTag("input", attributes)
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

/// A summary of a form's errors at its top, linking to each field.
struct ErrorSummary: Component {
    var errors: [(field: String, message: String)]

    var body: Component {
        Tag("div", [("class", "alert alert-error"), ("role", "alert")]) {
            H2("Der er fejl i formularen")
            List(errors.indices) { index in
                ListItem { SafeLink(text: errors[index].message, href: "#field-\(errors[index].field)") }
            }
        }
    }
}
