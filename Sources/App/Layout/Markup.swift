import Foundation

/// The HTML of every page, written straight into one byte buffer.
///
/// This replaces Plot: its renderer cast every component dynamically, reflected over each one's properties for
/// environment values and built a string per element, which was a third of a page request's time (issue 11's
/// profile). Here a component writes itself (`write(to:)`), components are composed with the same result
/// builder syntax as before, and escaping happens once, on the way into the buffer: text always, attribute
/// values always (so callers never escape by hand).
///
/// A component either writes itself (the elements below) or, like the pages' own components, describes its
/// `body` in terms of others.
protocol Component {
    var body: Component { get }
    func write(to html: inout HTMLOutput)
}

extension Component {
    func write(to html: inout HTMLOutput) { body.write(to: &html) }

    /// Adds a class to the component's outermost element (appended to one it already has).
    func `class`(_ name: String) -> Component {
        Modified(base: self, attributes: [HTMLAttribute(name: "class", value: name, appends: true)])
    }

    /// Sets the id of the component's outermost element.
    func id(_ id: String) -> Component {
        Modified(base: self, attributes: [HTMLAttribute(name: "id", value: id)])
    }

    /// Sets an attribute of the component's outermost element.
    func attribute(named name: String, value: String) -> Component {
        Modified(base: self, attributes: [HTMLAttribute(name: name, value: value)])
    }

    /// The component as a string (tests and snapshots; responses take the bytes).
    func render() -> String {
        var html = HTMLOutput()
        write(to: &html)
        return html.string
    }
}

/// An attribute on its way to an element. `appends` joins its value to one the element already has (classes).
struct HTMLAttribute {
    var name: String
    var value: String
    var appends = false
    /// Whether the attribute is left out when its value is empty (as Plot did: an empty `class` or `lang` says
    /// nothing); `value` must stay even when empty (an option or input whose value is "" would otherwise send
    /// its text instead).
    var keepsEmpty: Bool { name == "value" }
}

/// The buffer a page is written into: UTF-8 bytes, with attributes that modifiers have put aside for the next
/// element that opens.
struct HTMLOutput {
    private(set) var bytes: [UInt8] = []
    private var deferred: [HTMLAttribute] = []

    init(capacity: Int = 16_384) {
        bytes.reserveCapacity(capacity)
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Puts attributes aside for the next element. A modifier written later wraps an earlier one and so runs
    /// first; putting each in front keeps the attributes in the order the modifiers were written.
    mutating func deferAttributes(_ attributes: [HTMLAttribute]) {
        deferred.insert(contentsOf: attributes, at: 0)
    }

    /// Writes `<name attributes…>`; the attributes put aside by modifiers come after the element's own.
    mutating func open(_ name: StaticString, _ attributes: [(name: String, value: String)] = [], selfClosing: Bool = false) {
        bytes.append(UInt8(ascii: "<"))
        raw(name)
        finishOpening(attributes, selfClosing: selfClosing)
    }

    /// `open` for element names known only at run time (`Tag`).
    mutating func open(named name: String, _ attributes: [(name: String, value: String)], selfClosing: Bool = false) {
        bytes.append(UInt8(ascii: "<"))
        raw(name)
        finishOpening(attributes, selfClosing: selfClosing)
    }

    private mutating func finishOpening(_ attributes: [(name: String, value: String)], selfClosing: Bool) {
        if deferred.isEmpty {
            for attribute in attributes { write(attribute.name, attribute.value, keepsEmpty: attribute.name == "value") }
        } else {
            var merged = attributes.map { HTMLAttribute(name: $0.name, value: $0.value) }
            for extra in deferred {
                if let index = merged.firstIndex(where: { $0.name == extra.name }) {
                    if extra.appends, !merged[index].value.isEmpty {
                        if !extra.value.isEmpty { merged[index].value += " " + extra.value }
                    } else {
                        merged[index].value = extra.value
                    }
                } else {
                    merged.append(extra)
                }
            }
            deferred.removeAll(keepingCapacity: true)
            for attribute in merged { write(attribute.name, attribute.value, keepsEmpty: attribute.keepsEmpty) }
        }
        if selfClosing { bytes.append(UInt8(ascii: "/")) }
        bytes.append(UInt8(ascii: ">"))
    }

    private mutating func write(_ name: String, _ value: String, keepsEmpty: Bool) {
        if value.isEmpty && !keepsEmpty { return }
        bytes.append(UInt8(ascii: " "))
        raw(name)
        bytes.append(contentsOf: [UInt8(ascii: "="), UInt8(ascii: "\"")])
        escaped(value, quotes: true)
        bytes.append(UInt8(ascii: "\""))
    }

    /// `<name class="…">`: the common case of the components that write themselves (cards, hits), without an
    /// array of attributes.
    mutating func open(_ name: StaticString, class className: StaticString) {
        bytes.append(UInt8(ascii: "<"))
        raw(name)
        raw(" class=\"")
        raw(className)
        raw("\">")
    }

    /// `<name>text</name>`.
    mutating func element(_ name: StaticString, text: String) {
        open(name)
        self.text(text)
        close(name)
    }

    /// `<name class="…">text</name>`.
    mutating func element(_ name: StaticString, class className: StaticString, text: String) {
        open(name, class: className)
        self.text(text)
        close(name)
    }

    mutating func close(_ name: StaticString) {
        bytes.append(contentsOf: [UInt8(ascii: "<"), UInt8(ascii: "/")])
        raw(name)
        bytes.append(UInt8(ascii: ">"))
    }

    mutating func close(named name: String) {
        bytes.append(contentsOf: [UInt8(ascii: "<"), UInt8(ascii: "/")])
        raw(name)
        bytes.append(UInt8(ascii: ">"))
    }

    /// Text, escaped (`&`, `<`, `>`).
    mutating func text(_ text: String) { escaped(text, quotes: false) }

    /// Whether any of eight bytes is one `escaped` may change: below 0x20, `"`, `&`, `'`, `<`, `>` or 0xEF (the
    /// lead byte of U+FFFE and U+FFFF). The "has a byte less than n" and "has a zero byte" bit tricks; a yes
    /// may be wrong (then the bytes are looked at one by one), a no never is.
    static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ x: UInt64) -> Bool { (x &- ones) & ~x & high != 0 }
        if (word &- ones &* 0x20) & ~word & high != 0 { return true }
        return hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x26)) || hasZeroByte(word ^ (ones &* 0x27))
            || hasZeroByte(word ^ (ones &* 0x3C)) || hasZeroByte(word ^ (ones &* 0x3E)) || hasZeroByte(word ^ (ones &* 0xEF))
    }

    /// JSON for a `<script type="application/ld+json">` block: `<`, `>` and `&` become \\u escapes (the same
    /// string to a JSON reader), so no text can end the script element.
    mutating func scriptJSON(_ json: String) {
        for byte in json.utf8 {
            switch byte {
            case UInt8(ascii: "<"): raw("\\u003c")
            case UInt8(ascii: ">"): raw("\\u003e")
            case UInt8(ascii: "&"): raw("\\u0026")
            default: bytes.append(byte)
            }
        }
    }

    /// A value for an attribute written with `raw` (quotes escaped too).
    mutating func attributeValue(_ value: String) { escaped(value, quotes: true) }

    /// A path component, percent-encoded and escaped. A slug needs neither (letters, digits and hyphens, which
    /// mean nothing to HTML or XML): its bytes are copied as they are, in one pass that checks it.
    mutating func pathComponent(_ component: String) {
        var component = component
        let copied = component.withUTF8 { utf8 -> Bool in
            guard utf8.allSatisfy(PercentEncoding.isUnreserved) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if !copied { text(PercentEncoding.pathComponent(component)) }
    }

    /// Markup that is already HTML (the Markdown renderer's output, the page shell's fixed parts).
    mutating func raw(_ html: String) {
        var html = html
        html.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// A time as RFC 3339 in UTC (`AtomFeed.timestamp`), for feeds and the sitemap.
    mutating func timestamp(_ date: Date) {
        AtomFeed.timestamp(date, into: &bytes)
    }

    /// Bytes written before (a fixed part of the page shell).
    mutating func append(_ written: [UInt8]) {
        bytes.append(contentsOf: written)
    }

    mutating func raw(_ html: StaticString) {
        html.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends `text` with `&`, `<`, `>` (and with `quotes`, `"` and `'`) escaped, and without the characters
    /// XML 1.0 forbids (control characters other than tab and line breaks, U+FFFE, U+FFFF; HTML calls them
    /// parse errors), so the same output serves the feeds. Most text has none of them, so runs without one are
    /// copied whole.
    private mutating func escaped(_ text: String, quotes: Bool) {
        var text = text
        text.withUTF8 { source in
            var start = 0
            var index = 0
            while index < source.count {
                // Eight bytes at a time past those that need nothing (most text, Danish letters included).
                if let base = source.baseAddress {
                    while index + 8 <= source.count,
                          !Self.mayNeedEscape(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) {
                        index += 8
                    }
                    guard index < source.count else { break }
                }
                let byte = source[index]
                let replacement: StaticString
                var skip = 1
                switch byte {
                case UInt8(ascii: "&"): replacement = "&amp;"
                case UInt8(ascii: "<"): replacement = "&lt;"
                case UInt8(ascii: ">"): replacement = "&gt;"
                case UInt8(ascii: "\"") where quotes: replacement = "&quot;"
                case UInt8(ascii: "'") where quotes: replacement = "&#39;"
                case 0x09, 0x0A, 0x0D:
                    index += 1
                    continue
                case 0..<0x20: replacement = ""
                case 0xEF where index + 2 < source.count && source[index + 1] == 0xBF && source[index + 2] >= 0xBE:
                    replacement = ""
                    skip = 3
                default:
                    index += 1
                    continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[start..<index]))
                replacement.withUTF8Buffer { bytes.append(contentsOf: $0) }
                index += skip
                start = index
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[start...]))
        }
    }
}

@resultBuilder
enum ComponentBuilder {
    static func buildExpression(_ component: Component) -> Component { component }
    static func buildBlock() -> Component { ComponentGroup(members: []) }
    static func buildBlock(_ component: Component) -> Component { component }
    static func buildBlock(_ components: Component...) -> Component { ComponentGroup(members: components) }
    static func buildOptional(_ component: Component?) -> Component { component ?? ComponentGroup(members: []) }
    static func buildEither(first component: Component) -> Component { component }
    static func buildEither(second component: Component) -> Component { component }
    static func buildArray(_ components: [Component]) -> Component { ComponentGroup(members: components) }
}

/// Components one after another.
struct ComponentGroup: Component {
    var members: [Component]

    init(members: [Component]) { self.members = members }
    init(@ComponentBuilder _ content: () -> Component) { members = [content()] }

    var body: Component { self }
    func write(to html: inout HTMLOutput) {
        for member in members { member.write(to: &html) }
    }
}

/// A component with attributes for its outermost element (`.class`, `.id`, `.attribute`).
struct Modified: Component {
    var base: Component
    var attributes: [HTMLAttribute]

    var body: Component { self }
    func write(to html: inout HTMLOutput) {
        html.deferAttributes(attributes)
        base.write(to: &html)
    }
}

/// Text, escaped.
struct Text: Component {
    var text: String
    init(_ text: String) { self.text = text }

    var body: Component { self }
    func write(to html: inout HTMLOutput) { html.text(text) }
}

/// HTML that is already safe: the output of `Markdown.html`, which escapes everything it does not make itself.
struct RawHTML: Component {
    var html: String
    init(_ html: String) { self.html = html }

    var body: Component { self }
    func write(to output: inout HTMLOutput) { output.raw(html) }
}

/// The element names of the components below.
protocol ElementName {
    static var name: StaticString { get }
}

/// An element with content: `Div { … }`, `Paragraph("text")`.
struct Element<Name: ElementName>: Component {
    var content: Component

    init(@ComponentBuilder _ content: () -> Component) { self.content = content() }
    init(_ text: String) { content = Text(text) }

    var body: Component { self }
    func write(to html: inout HTMLOutput) {
        html.open(Name.name)
        content.write(to: &html)
        html.close(Name.name)
    }
}

enum ElementNames {
    enum Div: ElementName { static let name: StaticString = "div" }
    enum P: ElementName { static let name: StaticString = "p" }
    enum Span: ElementName { static let name: StaticString = "span" }
    enum H1: ElementName { static let name: StaticString = "h1" }
    enum H2: ElementName { static let name: StaticString = "h2" }
    enum H3: ElementName { static let name: StaticString = "h3" }
    enum LI: ElementName { static let name: StaticString = "li" }
    enum UL: ElementName { static let name: StaticString = "ul" }
    enum Nav: ElementName { static let name: StaticString = "nav" }
    enum Header: ElementName { static let name: StaticString = "header" }
    enum Footer: ElementName { static let name: StaticString = "footer" }
    enum Article: ElementName { static let name: StaticString = "article" }
}

typealias Div = Element<ElementNames.Div>
typealias Paragraph = Element<ElementNames.P>
typealias Span = Element<ElementNames.Span>
typealias H1 = Element<ElementNames.H1>
typealias H2 = Element<ElementNames.H2>
typealias H3 = Element<ElementNames.H3>
typealias ListItem = Element<ElementNames.LI>
typealias Navigation = Element<ElementNames.Nav>
typealias Header = Element<ElementNames.Header>
typealias Footer = Element<ElementNames.Footer>
typealias Article = Element<ElementNames.Article>

/// An unordered list; its items are `ListItem`s.
struct List: Component {
    var content: Component

    init(@ComponentBuilder _ content: () -> Component) { self.content = content() }
    init<Items: Sequence>(_ items: Items, @ComponentBuilder item: (Items.Element) -> Component) {
        content = ComponentGroup(members: items.map(item))
    }

    var body: Component { self }
    func write(to html: inout HTMLOutput) {
        html.open("ul")
        content.write(to: &html)
        html.close("ul")
    }
}

/// A link with plain text.
struct Link: Component {
    var text: String
    var url: String
    init(_ text: String, url: String) {
        self.text = text
        self.url = url
    }

    var body: Component { self }
    func write(to html: inout HTMLOutput) {
        html.open("a", [("href", url)])
        html.text(text)
        html.close("a")
    }
}
