import Foundation
import SamspilCore
import Testing

@Suite struct MaterialRecordTests {
    static let full = Material(
        slug: "skole-virksomhed", title: "Skole–virksomhedssamarbejde: \"fire\" typer 😀", genre: .vaerktoej,
        type: "vaerktoej", teaser: "Æblegrød, ørred og ål.\nNy linje\r\nCRLF og \u{0}nul",
        body: "# Overskrift\n\n- punkt\n- **fed**\n\n" + String(repeating: "lang tekst ", count: 500),
        credits: Credits(kind: .written, persons: ["Anne Ørsted", "", "Bo Å"], organisation: "Skoletjenesten"),
        year: -2019, language: .swedish, readingMinutes: 0, audiences: ["laerere", "kommuner"], topics: ["partnerskaber"],
        versions: [
            MaterialVersion(kind: .full, label: "Fuld", availability: .file, url: nil, fileName: "a.pdf", contentType: "application/pdf"),
            MaterialVersion(kind: .pixi, label: nil, availability: .link, url: "https://example.org/å", fileName: nil, contentType: nil),
            MaterialVersion(kind: .other, availability: .unavailable),
        ],
        status: .published, createdAt: Date(timeIntervalSince1970: 1_700_000_000.123456), updatedAt: Date(timeIntervalSince1970: -5.5)
    )

    static let bare = Material(slug: "a", title: "", type: "", teaser: "", status: .draft)

    @Test(arguments: [full, bare, Material(slug: "b", title: "x", type: "t", teaser: "y", year: Int.max, readingMinutes: Int.min)])
    func roundTrip(_ material: Material) {
        #expect(MaterialRecord.decode(MaterialRecord.encode(material)) == material)
    }

    @Test func everyCutRecordIsRefused() {
        let bytes = MaterialRecord.encode(Self.full)
        for length in 0..<bytes.count {
            #expect(MaterialRecord.decode(bytes[..<length]) == nil, "cut at \(length)")
        }
        #expect(MaterialRecord.decode(bytes + [0]) == nil)
    }

    @Test func anotherFormatOrDamageIsRefused() {
        var bytes = MaterialRecord.encode(Self.bare)
        bytes[0] = MaterialRecord.format + 1
        #expect(MaterialRecord.decode(bytes) == nil)
        // A length far beyond the record.
        #expect(MaterialRecord.decode([MaterialRecord.format, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) == nil)
        // A varint that never ends, and one longer than 64 bits.
        #expect(MaterialRecord.decode([MaterialRecord.format] + [UInt8](repeating: 0x80, count: 20)) == nil)
        // An optional's flag that is neither 0 nor 1 (the genre, after slug and title).
        #expect(MaterialRecord.decode([MaterialRecord.format, 1, 0x61, 0, 7]) == nil)
        // Random bytes never crash and are refused unless they happen to be a record.
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<2_000 {
            let noise = (0..<Int.random(in: 0..<80, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if let material = MaterialRecord.decode([MaterialRecord.format] + noise) {
                #expect(MaterialRecord.decode(MaterialRecord.encode(material)) == material)
            }
        }
    }

    /// Without its body, a record gives the same material with an empty body and the reading time the body gave
    /// (or the entered one), over bodies of plain, Danish and other scripts and white space of every kind.
    @Test func withoutTheBodyTheReadingTimeStays() {
        var generator = SeededGenerator(seed: 5)
        let pieces = ["ord ", "æøå ", "\n\n", "\t", "\u{00A0}", "\u{2003}", "中文 ", "🙂 ", "**fed** ", "x"]
        for round in 0..<300 {
            var material = Self.bare
            material.body = (0..<Int.random(in: 0..<600, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            material.readingMinutes = round.isMultiple(of: 5) ? 7 : nil
            let record = MaterialRecord.encode(material)
            let card = MaterialRecord.decode(record, body: .readingTimeOnly)
            #expect(card?.body == "")
            #expect(card?.effectiveReadingMinutes == material.effectiveReadingMinutes, "\(material.body.debugDescription)")
            var withoutBody = card
            withoutBody?.body = material.body
            withoutBody?.readingMinutes = material.readingMinutes
            #expect(withoutBody == material, "the rest is the same")

            // Only the beginning: the longest prefix of at most `limit` bytes that ends where a character's bytes
            // end, and the same reading time.
            let limit = Int.random(in: 0..<40, using: &generator)
            let beginning = MaterialRecord.decode(record, body: .beginning(bytes: limit))
            let bytes = Array(material.body.utf8)
            var end = min(limit, bytes.count)
            while end > 0, end < bytes.count, String(validating: bytes[..<end], as: UTF8.self) == nil { end -= 1 }
            #expect(beginning?.body == String(decoding: bytes[..<end], as: UTF8.self))
            #expect(beginning.map { material.body.hasPrefix($0.body) } == true)
            #expect(beginning?.effectiveReadingMinutes == material.effectiveReadingMinutes)
        }
    }
}
