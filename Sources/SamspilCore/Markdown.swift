import Foundation

/// A small, safe Markdown renderer for material bodies and theme introductions.
///
/// Supports paragraphs, `#`–`###` headings (shifted one level down so the page's `h1` stays unique),
/// `-`/`*` and `1.` lists, `>` quotes, `**strong**`, `*em*`, `` `code` `` and `[text](https://…)` links.
/// All other text — raw HTML included — is escaped: the output never contains markup the author typed.
/// Links keep only `http`, `https`, `mailto` and site-relative addresses; a link to anything else shows its text alone.
public enum Markdown {
    /// Line breaks as LF only (browsers send CRLF from text areas; Swift sees CRLF as one Character).
    public static func normalisingLineBreaks(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "\r")) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\n"), previous == UInt8(ascii: "\r") {
                previous = byte
                continue
            }
            bytes.append(byte == UInt8(ascii: "\r") ? UInt8(ascii: "\n") : byte)
            previous = byte
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func html(_ source: String) -> String {
        var output: [String] = []
        var paragraph: [String] = []
        var listItems: [String] = []
        var listOrdered = false
        var quote: [String] = []

        func flushParagraph() {
            if !paragraph.isEmpty { output.append("<p>\(inline(paragraph.joined(separator: " ")))</p>") }
            paragraph = []
        }
        func flushList() {
            guard !listItems.isEmpty else { return }
            let tag = listOrdered ? "ol" : "ul"
            output.append("<\(tag)>" + listItems.map { "<li>\(inline($0))</li>" }.joined() + "</\(tag)>")
            listItems = []
        }
        func flushQuote() {
            if !quote.isEmpty { output.append("<blockquote><p>\(inline(quote.joined(separator: " ")))</p></blockquote>") }
            quote = []
        }
        func flushAll() { flushParagraph(); flushList(); flushQuote() }

        let normalised = normalisingLineBreaks(source)
        for rawLine in normalised.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = trimmingSpaces(rawLine)
            if line.isEmpty { flushAll(); continue }
            if let (level, text) = heading(line) {
                flushAll()
                output.append("<h\(level)>\(inline(text))</h\(level)>")
            } else if let item = bullet(line) {
                flushParagraph(); flushQuote()
                if listOrdered && !listItems.isEmpty { flushList() }
                listOrdered = false
                listItems.append(item)
            } else if let item = numbered(line) {
                flushParagraph(); flushQuote()
                if !listOrdered && !listItems.isEmpty { flushList() }
                listOrdered = true
                listItems.append(item)
            } else if line.hasPrefix(">") {
                flushParagraph(); flushList()
                quote.append(trimmingSpaces(line.dropFirst()))
            } else if !listItems.isEmpty && paragraph.isEmpty && rawLine.hasPrefix(" ") {
                listItems[listItems.count - 1] += " " + line
            } else {
                flushList(); flushQuote()
                paragraph.append(line)
            }
        }
        flushAll()
        return output.joined(separator: "\n")
    }

    /// Plain text of a Markdown source, for feeds, meta descriptions and reading time.
    public static func plainText(_ source: String) -> String {
        // Removes "**", then "`", then "#", then "> ", one after the other (so "*`*" keeps its "**"), on the
        // UTF-8 bytes: the marks are ASCII, which never occurs inside a longer UTF-8 sequence.
        let marks: [[UInt8]] = [Array("**".utf8), Array("`".utf8), Array("#".utf8), Array("> ".utf8)]
        var bytes = Array(source.utf8)
        var changed = false
        for mark in marks {
            let first = mark[0]
            let count = bytes.withUnsafeMutableBufferPointer { buffer -> Int in
                // Compacts in place: `kept` never passes `index`.
                var kept = 0
                var index = 0
                let end = buffer.count
                while index < end {
                    let byte = buffer[index]
                    if byte == first, index + mark.count <= end, mark.count == 1 || buffer[index + 1] == mark[1] {
                        index += mark.count
                        continue
                    }
                    buffer[kept] = byte
                    kept += 1
                    index += 1
                }
                return kept
            }
            if count < bytes.count {
                bytes.removeLast(bytes.count - count)
                changed = true
            }
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : source
    }

    private static func heading(_ line: String) -> (Int, String)? {
        let hashes = line.prefix(while: { $0 == "#" }).count
        guard (1...3).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return (hashes + 1, String(line.dropFirst(hashes + 1)))
    }

    private static func bullet(_ line: String) -> String? {
        guard line.count > 2, line.hasPrefix("- ") || line.hasPrefix("* ") else { return nil }
        return String(line.dropFirst(2))
    }

    private static func numbered(_ line: String) -> String? {
        let digits = line.prefix(while: { $0.isASCII && $0.isNumber })
        guard !digits.isEmpty, digits.count <= 3 else { return nil }
        let rest = line.dropFirst(digits.count)
        guard rest.hasPrefix(". ") else { return nil }
        return String(rest.dropFirst(2))
    }

    /// What `trimmingCharacters(in: .whitespaces)` removes (tab and the space separators), from both ends, without
    /// Foundation (a body has a line per paragraph and list item).
    static func trimmingSpaces(_ line: Substring) -> String {
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar == " " || scalar == "\t" || (scalar.value >= 0x80 && scalar.properties.generalCategory == .spaceSeparator)
        }
        let scalars = line.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isSpace($0) })!
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    /// Inline markup on one block of text, on its UTF-8 bytes (every mark is ASCII, which never occurs inside a
    /// longer UTF-8 sequence). Text between marks is escaped as it is copied: nothing the author typed can
    /// become a tag or attribute.
    static func inline(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + 32)
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { inline($0, 0..<$0.count, into: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    private static func inline(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into output: inout [UInt8]) {
        var index = range.lowerBound
        let end = range.upperBound
        var plainStart = index
        func flushPlain(upTo position: Int) {
            if plainStart < position { escape(UnsafeBufferPointer(rebasing: text[plainStart..<position]), quotes: false, into: &output) }
        }
        func find(_ byte: UInt8, from start: Int) -> Int? {
            var position = start
            while position < end {
                if text[position] == byte { return position }
                position += 1
            }
            return nil
        }
        func append(_ literal: StaticString) { literal.withUTF8Buffer { output.append(contentsOf: $0) } }
        while index < end {
            let byte = text[index]
            if byte == UInt8(ascii: "`"), let close = find(UInt8(ascii: "`"), from: index + 1) {
                flushPlain(upTo: index)
                append("<code>")
                escape(UnsafeBufferPointer(rebasing: text[(index + 1)..<close]), quotes: false, into: &output)
                append("</code>")
                index = close + 1
                plainStart = index
            } else if byte == UInt8(ascii: "*"), index + 1 < end, text[index + 1] == UInt8(ascii: "*"),
                      let close = doubleStar(in: text, from: index + 2, to: end), close > index + 2 {
                flushPlain(upTo: index)
                append("<strong>")
                inline(text, (index + 2)..<close, into: &output)
                append("</strong>")
                index = close + 2
                plainStart = index
            } else if byte == UInt8(ascii: "*"), let close = find(UInt8(ascii: "*"), from: index + 1), close > index + 1,
                      !startsWithWhitespace(text, at: index + 1, end: end) {
                flushPlain(upTo: index)
                append("<em>")
                inline(text, (index + 1)..<close, into: &output)
                append("</em>")
                index = close + 1
                plainStart = index
            } else if byte == UInt8(ascii: "["), let link = link(in: text, from: index, to: end) {
                flushPlain(upTo: index)
                let address = String(decoding: UnsafeBufferPointer(rebasing: text[link.url]), as: UTF8.self)
                if let href = safeHref(trimmingSpaces(Substring(address))) {
                    append("<a href=\"")
                    var href = href
                    href.withUTF8 { escape($0, quotes: true, into: &output) }
                    append("\">")
                    inline(text, link.label, into: &output)
                    append("</a>")
                } else {
                    inline(text, link.label, into: &output)
                }
                index = link.end
                plainStart = index
            } else {
                index += 1
            }
        }
        flushPlain(upTo: end)
    }

    /// The first "**" at or after `start`.
    private static func doubleStar(in text: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        var position = start
        while position + 1 < end {
            if text[position] == UInt8(ascii: "*"), text[position + 1] == UInt8(ascii: "*") { return position }
            position += 1
        }
        return nil
    }

    /// Whether the character at `position` is white space (as `Character.isWhitespace`: its first scalar's).
    private static func startsWithWhitespace(_ text: UnsafeBufferPointer<UInt8>, at position: Int, end: Int) -> Bool {
        guard position < end else { return false }
        let first = text[position]
        if first < 0x80 { return first == 0x20 || (0x09...0x0D).contains(first) }
        var decoder = UTF8()
        var iterator = UnsafeBufferPointer(rebasing: text[position..<end]).makeIterator()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return false }
        return scalar.properties.isWhitespace
    }

    /// `[label](address)`: the first "]" after the "[", then "(" at once, then the ")" that closes it.
    private static func link(in text: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> (label: Range<Int>, url: Range<Int>, end: Int)? {
        var closeLabel = start + 1
        while closeLabel < end, text[closeLabel] != UInt8(ascii: "]") { closeLabel += 1 }
        guard closeLabel + 1 < end, text[closeLabel + 1] == UInt8(ascii: "("),
              let closeURL = closingParenthesis(in: text, from: closeLabel + 2, to: end) else { return nil }
        return ((start + 1)..<closeLabel, (closeLabel + 2)..<closeURL, closeURL + 1)
    }

    /// The `)` that ends a link's address: parentheses inside it must balance, as in CommonMark, so that
    /// `https://da.wikipedia.org/wiki/Skole_(uddannelse)` stays whole and a dropped `javascript:alert(1)` leaves
    /// no `)` behind in the text. Nil when they do not balance (then it is no link, and shows as typed).
    private static func closingParenthesis(in text: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        var depth = 0
        var position = start
        while position < end {
            switch text[position] {
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"):
                if depth == 0 { return position }
                depth -= 1
            default: break
            }
            position += 1
        }
        return nil
    }

    private static func safeHref(_ url: String) -> String? {
        let lower = url.lowercased()
        if lower.hasPrefix("https://") || lower.hasPrefix("http://") || lower.hasPrefix("mailto:") { return url }
        if url.hasPrefix("/") && !url.hasPrefix("//") { return url }
        return nil
    }

    /// Escapes text for HTML content, and with `quotes` for attribute values.
    public static func escape<S: StringProtocol>(_ text: S, quotes: Bool = false) -> String {
        var output: [UInt8] = []
        var text = String(text)
        text.withUTF8 { escape($0, quotes: quotes, into: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    private static func escape(_ text: UnsafeBufferPointer<UInt8>, quotes: Bool, into output: inout [UInt8]) {
        var start = 0
        for index in 0..<text.count {
            let replacement: StaticString
            switch text[index] {
            case UInt8(ascii: "&"): replacement = "&amp;"
            case UInt8(ascii: "<"): replacement = "&lt;"
            case UInt8(ascii: ">"): replacement = "&gt;"
            case UInt8(ascii: "\"") where quotes: replacement = "&quot;"
            case UInt8(ascii: "'") where quotes: replacement = "&#39;"
            default: continue
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: text[start..<index]))
            replacement.withUTF8Buffer { output.append(contentsOf: $0) }
            start = index + 1
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: text[start...]))
    }
}
