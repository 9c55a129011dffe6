@testable import App
import Foundation
import NIOCore
import Testing

/// The HTML builder's escaping and the pages' validators.
@Suite struct MarkupTests {
    /// What `HTMLOutput` must write for a text: escaped, without the characters XML forbids.
    static func reference(_ text: String, quotes: Bool) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"" where quotes: result += "&quot;"
            case "'" where quotes: result += "&#39;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: break
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Over random texts of every ASCII character, Danish letters, U+FFFE/U+FFFF, U+FEFF and others that share
    /// the lead byte 0xEF, emoji: text and attribute values, at every length around the eight-byte steps.
    @Test func escapingMatchesTheReference() {
        var generator = SystemRandomNumberGenerator()
        let pool: [Unicode.Scalar] = (0..<128).compactMap(Unicode.Scalar.init) + ["æ", "ø", "å", "\u{FFFE}", "\u{FFFF}", "\u{FEFF}", "\u{FFFD}", "😀", "€"]
        for _ in 0..<5_000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0..<40, using: &generator) { text.append(pool.randomElement(using: &generator)!) }
            let string = String(text)
            var html = HTMLOutput()
            html.text(string)
            #expect(html.string == Self.reference(string, quotes: false), "\(string.debugDescription)")
            var attribute = HTMLOutput()
            attribute.attributeValue(string)
            #expect(attribute.string == Self.reference(string, quotes: true), "\(string.debugDescription)")
        }
    }

    /// The same bytes give the same validator in every process (nothing random in it); different bytes give
    /// different ones.
    @Test func validatorsFollowTheBytes() {
        #expect(PageCache.etag(of: ByteBuffer(string: "")) == PageCache.etag(of: ByteBuffer(string: "")))
        var seen = Set<String>()
        var generator = SystemRandomNumberGenerator()
        for length in 0..<64 {
            for _ in 0..<100 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let etag = PageCache.etag(of: ByteBuffer(bytes: bytes))
                #expect(etag.count == 34 && etag.first == "\"" && etag.last == "\"")
                #expect(PageCache.etag(of: ByteBuffer(bytes: bytes)) == etag)
                seen.insert(etag + "|" + bytes.map(String.init).joined(separator: ","))
            }
        }
        let etags = Set(seen.map { $0.prefix(34) })
        #expect(etags.count == seen.count, "no two different pages share a validator")
        // Trailing zero bytes and the length count.
        #expect(PageCache.etag(of: ByteBuffer(bytes: [1])) != PageCache.etag(of: ByteBuffer(bytes: [1, 0])))
    }
}
