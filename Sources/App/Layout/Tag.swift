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
            nodes: attributes.map { .attribute(named: $0.name, value: HTMLEscaping.attributeValue($0.value)) }
                + [.component(content)]
        )
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
        Node<HTML.BodyContext>.selfClosedElement(
            named: name,
            attributes: attributes.map { Attribute<HTML.BodyContext>(name: $0.name, value: HTMLEscaping.attributeValue($0.value)) }
        )
    }
}
