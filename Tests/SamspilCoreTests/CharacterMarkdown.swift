import Foundation

/// The Markdown renderer as it was before it worked on bytes (Character by Character), kept here as the oracle of
/// `MarkdownTests.sameAsTheCharacterRenderer`.
enum CharacterMarkdown {
    /// Line breaks as LF only (browsers send CRLF from text areas; Swift sees CRLF as one Character).
    static func normalisingLineBreaks(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    static func html(_ source: String) -> String {
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
            let line = rawLine.trimmingCharacters(in: .whitespaces)
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
                quote.append(String(line.dropFirst()).trimmingCharacters(in: .whitespaces))
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
    static func plainText(_ source: String) -> String {
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

    /// Inline markup on one block of text. Escapes first, then recognises markup on the escaped text,
    /// so nothing the author typed can become a tag or attribute.
    static func inline(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let ch = rest.first {
            if ch == "`", let end = rest.dropFirst().firstIndex(of: "`") {
                result += "<code>\(escape(rest[rest.index(after: rest.startIndex)..<end]))</code>"
                rest = rest[rest.index(after: end)...]
            } else if rest.hasPrefix("**"), let end = rest.dropFirst(2).range(of: "**"), end.lowerBound > rest.index(rest.startIndex, offsetBy: 2) {
                result += "<strong>\(inline(String(rest[rest.index(rest.startIndex, offsetBy: 2)..<end.lowerBound])))</strong>"
                rest = rest[end.upperBound...]
            } else if ch == "*", let end = rest.dropFirst().firstIndex(of: "*"), end > rest.index(after: rest.startIndex),
                      rest.dropFirst().first?.isWhitespace == false {
                result += "<em>\(inline(String(rest[rest.index(after: rest.startIndex)..<end])))</em>"
                rest = rest[rest.index(after: end)...]
            } else if ch == "[", let link = link(in: rest) {
                if let href = safeHref(link.url) {
                    result += "<a href=\"\(escape(href, quotes: true))\">\(inline(link.text))</a>"
                } else {
                    result += inline(link.text)
                }
                rest = link.rest
            } else {
                result += escape(String(ch))
                rest = rest.dropFirst()
            }
        }
        return result
    }

    private static func link(in text: Substring) -> (text: String, url: String, rest: Substring)? {
        guard let closeText = text.firstIndex(of: "]") else { return nil }
        let afterText = text.index(after: closeText)
        guard afterText < text.endIndex, text[afterText] == "(", let closeURL = closingParenthesis(in: text[text.index(after: afterText)...]) else {
            return nil
        }
        let label = String(text[text.index(after: text.startIndex)..<closeText])
        let url = String(text[text.index(after: afterText)..<closeURL]).trimmingCharacters(in: .whitespaces)
        return (label, url, text[text.index(after: closeURL)...])
    }

    /// The `)` that ends a link's address: parentheses inside it must balance, as in CommonMark, so that
    /// `https://da.wikipedia.org/wiki/Skole_(uddannelse)` stays whole and a dropped `javascript:alert(1)` leaves
    /// no `)` behind in the text. Nil when they do not balance (then it is no link, and shows as typed).
    private static func closingParenthesis(in address: Substring) -> Substring.Index? {
        var depth = 0
        for index in address.indices {
            switch address[index] {
            case "(": depth += 1
            case ")":
                if depth == 0 { return index }
                depth -= 1
            default: break
            }
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
    static func escape<S: StringProtocol>(_ text: S, quotes: Bool = false) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for ch in text {
            switch ch {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"" where quotes: result += "&quot;"
            case "'" where quotes: result += "&#39;"
            default: result.append(ch)
            }
        }
        return result
    }
}
