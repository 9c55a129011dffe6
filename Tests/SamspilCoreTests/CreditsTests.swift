import Testing
@testable import SamspilCore

@Suite struct CreditsTests {
    @Test func writtenByPersonAndOrganisation() {
        let credits = Credits(kind: .written, persons: ["Marie Damsgaard Andersen"], organisation: "Skoletjenesten")
        #expect(credits.line(year: 2018) == "Skrevet af Marie Damsgaard Andersen, Skoletjenesten, 2018.")
    }

    @Test func developedByOrganisationOnly() {
        let credits = Credits(kind: .developed, organisation: "Nationalt Netværk af Skoletjenester")
        #expect(credits.line(year: 2016) == "Udviklet af Nationalt Netværk af Skoletjenester, 2016.")
    }

    @Test func severalPersonsJoinedWithAmpersand() {
        let credits = Credits(persons: ["A", "B", "C"], organisation: "Org")
        #expect(credits.personList == "A, B & C")
        #expect(credits.line(year: nil) == "Udviklet af A, B & C, Org.")
    }

    @Test func emptyCreditsHaveNoLine() {
        #expect(Credits().line(year: nil) == nil)
        #expect(Credits().line(year: 2020) == nil)
    }
}

@Suite struct MaterialTests {
    @Test func readingTimeEnteredWinsOverComputed() {
        var material = Material(slug: "a", title: "A", type: "artikel", teaser: "kort", body: String(repeating: "ord ", count: 450))
        #expect(material.effectiveReadingMinutes == 3)
        material.readingMinutes = 6
        #expect(material.effectiveReadingMinutes == 6)
    }

    @Test func noBodyAndNoEnteredTimeMeansNoReadingTime() {
        let material = Material(slug: "a", title: "A", type: "artikel", teaser: String(repeating: "ord ", count: 450), body: "  \n")
        #expect(material.effectiveReadingMinutes == nil)
    }

    @Test func readingTimeIsAtLeastOneMinute() {
        #expect(ReadingTime.minutes(forText: "") == 1)
        #expect(ReadingTime.minutes(forText: String(repeating: "x ", count: 201)) == 2)
    }

    @Test func displayTitleCarriesGenre() {
        let material = Material(slug: "a", title: "Fire typer af partnerskaber", genre: .fokus, type: "publikation", teaser: "t")
        #expect(material.displayTitle == "Fokus: Fire typer af partnerskaber")
    }
}

@Suite struct SlugTests {
    @Test(arguments: [
        ("Fire typer af partnerskaber", "fire-typer-af-partnerskaber"),
        ("Behöver vi samarbete över organisationsgränser?", "behoever-vi-samarbete-oever-organisationsgraenser"),
        ("PLC - sæt åben skole på dagsordenen", "plc-saet-aaben-skole-paa-dagsordenen"),
        ("  Ærø & Café  ", "aeroe-cafe"),
    ])
    func makesSlugs(title: String, slug: String) {
        #expect(Slug.make(from: title) == slug)
        #expect(Slug.isValid(slug))
    }

    @Test(arguments: ["", "-a", "a-", "a--b", "Ab", "a b", "æ", String(repeating: "a", count: 121)])
    func rejectsInvalidSlugs(slug: String) {
        #expect(!Slug.isValid(slug))
    }
}

@Suite struct DanishSortKeyTests {
    @Test func ordersDanishLettersAfterZ() {
        let words = ["Åben skole", "Zebra", "Ærø", "Øster", "abe", "Behöver"]
        let sorted = words.sorted { DanishSortKey.make($0) < DanishSortKey.make($1) }
        #expect(sorted == ["abe", "Behöver", "Zebra", "Ærø", "Øster", "Åben skole"])
    }

    @Test func keyIsDigitsOnly() {
        let key = DanishSortKey.make("PLC - sæt åben skole")
        #expect(!key.isEmpty && key.allSatisfy { $0.isNumber })
    }
}

@Suite struct CSVTableTests {
    @Test func readsQuotedFieldsAndHeader() throws {
        let table = try CSVTable(parsing: "slug,navn\nkunst,\"Kunst, design og arkitektur\"\nx,\"Sagt \"\"hej\"\"\"\n")
        #expect(table.header == ["slug", "navn"])
        #expect(table.rows.count == 2)
        #expect(table.rows[0]["navn"] == "Kunst, design og arkitektur")
        #expect(table.rows[1]["navn"] == "Sagt \"hej\"")
    }

    @Test func rejectsRowsWithWrongFieldCount() {
        #expect(throws: SamspilError.self) { try CSVTable(parsing: "a,b\n1,2,3\n") }
    }
}

@Suite struct ReadingTimeTests {
    /// The fast count agrees with splitting by characters.
    @Test(arguments: ["", "   ", "et to  tre\n\nfire\tfem", " æble  øl å ", "a\r\nb", "ord\u{00A0}ord", "x\u{2003}y", "slut ",
                      "v\u{0B}f\u{0C}n\u{85}x", "ʰ˥ ÿ\u{1F}z"])
    func wordsAreCountedAlike(text: String) {
        #expect(ReadingTime.words(in: text) == text.split(whereSeparator: { $0.isWhitespace }).count)
        // The same text with a combining mark takes the character path and must count the same.
        let marked = text + " e\u{301}"
        #expect(ReadingTime.words(in: marked) == marked.split(whereSeparator: { $0.isWhitespace }).count)
    }

    /// The same over random texts of every scalar below U+0300 (fixed seed).
    @Test func wordsAreCountedAlikeInRandomTexts() {
        var generator = SeededGenerator(seed: 5)
        for _ in 0..<1_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0..<40, using: &generator) {
                text.unicodeScalars.append(Unicode.Scalar(UInt32.random(in: 0..<0x300, using: &generator)) ?? " ")
            }
            wordsAreCountedAlike(text: text)
        }
    }

    /// Mostly ASCII letters and white space, with some two-byte letters, so that runs of eight ASCII bytes
    /// (counted together) start and end at every offset.
    @Test func wordsAreCountedAlikeInMostlyASCIITexts() {
        var generator = SeededGenerator(seed: 11)
        let pieces = ["a", "b", "Z", "1", ".", " ", "  ", "\t", "\n", "\r\n", "\u{0B}", "\u{0C}", "\u{1F}", "æ", "Ø", "\u{A0}", "\u{85}"]
        for _ in 0..<2_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0..<60, using: &generator) {
                text += Int.random(in: 0..<4, using: &generator) == 0 ? pieces.randomElement(using: &generator)! : "x"
            }
            wordsAreCountedAlike(text: text)
        }
    }
}
