/// Any element by name (main, section, ol, dl, address, time, form …), with attributes in the given order.
/// Attribute values are escaped by `HTMLOutput`.
struct Tag: Component {
    var name: String
    var attributes: [(name: String, value: String)]
    var content: Component

    init(_ name: String, _ attributes: [(name: String, value: String)] = [], @ComponentBuilder content: () -> Component) {
        self.name = name
        self.attributes = attributes
        self.content = content()
    }

    init(_ name: String, _ attributes: [(name: String, value: String)] = [], text: String) {
        self.name = name
        self.attributes = attributes
        content = Text(text)
    }

    var body: Component { self }
    func write(to html: inout HTMLOutput) {
        html.open(named: name, attributes)
        content.write(to: &html)
        html.close(named: name)
    }
}

/// A link whose address carries data, with optional attributes.
struct SafeLink: Component {
    var text: String
    var href: String
    var attributes: [(name: String, value: String)] = []

    var body: Component { self }
    func write(to html: inout HTMLOutput) {
        html.open("a", [("href", href)] + attributes)
        html.text(text)
        html.close("a")
    }
}

/// A void element (input, br, meta) with attributes.
struct VoidTag: Component {
    var name: String
    var attributes: [(name: String, value: String)]

    init(_ name: String, _ attributes: [(name: String, value: String)] = []) {
        self.name = name
        self.attributes = attributes
    }

    var body: Component { self }
    func write(to html: inout HTMLOutput) {
        html.open(named: name, attributes, selfClosing: true)
    }
}

/// A table of data: a caption, column headings and rows of cells, in a box that scrolls sideways on a narrow
/// screen instead of making the whole page wider than it.
struct DataTable: Component {
    var caption: String
    var headings: [String]
    var rows: [[Component]]

    var body: Component {
        // Focusable and named, so a keyboard user can scroll it and a screen reader says what it holds.
        Tag("div", [("class", "table-scroll"), ("role", "region"), ("aria-label", caption), ("tabindex", "0")]) {
            Tag("table", [("class", "data-table")]) {
                Tag("caption", text: caption)
                Tag("thead") { Tag("tr") { for heading in headings { Tag("th", [("scope", "col")], text: heading) } } }
                Tag("tbody") {
                    for row in rows {
                        Tag("tr") { for cell in row { Tag("td") { cell } } }
                    }
                }
            }
        }
    }
}
