import Plot

/// An element Plot has no component for (main, section, ol, dl, address, time …).
/// Attribute values are escaped here, since Plot does not escape them.
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
        self.init(name, attributes) { Text(text) }
    }

    var body: Component {
        Node<HTML.BodyContext>.element(
            named: name,
            nodes: attributes.map { .attribute(Self.attribute($0.name, $0.value)) } + [.component(content)]
        )
    }
}

extension Tag {
    /// An escaped attribute. Plot leaves out attributes whose value is empty; an empty `value` must stay (an
    /// option or input whose value is "" would otherwise send its text instead).
    static func attribute(_ name: String, _ value: String) -> Attribute<HTML.BodyContext> {
        Attribute(name: name, value: HTMLEscaping.attributeValue(value), ignoreIfValueIsEmpty: name != "value")
    }
}

/// A link whose address carries data (escaped), with optional attributes.
struct SafeLink: Component {
    var text: String
    var href: String
    var attributes: [(name: String, value: String)] = []

    var body: Component {
        Tag("a", [("href", href)] + attributes) { Text(text) }
    }
}

/// A void element (input, br) with escaped attribute values.
struct VoidTag: Component {
    var name: String
    var attributes: [(name: String, value: String)]

    init(_ name: String, _ attributes: [(name: String, value: String)]) {
        self.name = name
        self.attributes = attributes
    }

    var body: Component {
        Node<HTML.BodyContext>.selfClosedElement(named: name, attributes: attributes.map { Tag.attribute($0.name, $0.value) })
    }
}
