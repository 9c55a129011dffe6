import Testing
@testable import SamspilSearch

@Suite struct AnalyzerTests {
    let analyzer = Analyzer()

    /// Texts of scalars below U+0300 take a faster path; it must find exactly the words the character-by-
    /// character path finds. A CJK letter appended at the end sends the same text down the slow path.
    @Test(arguments: [
        "Åben SKOLE – skole-virksomheds\u{AD}samarbejde, fire Æbler", "a\r\nb\r\n", "½ ¼ 2025 3,5 x²",
        "Łódź ǆ ĳ ß ẞ", "ÿ×÷ØøÞþ", "  ", "", "end", "ʰʲ ˈstress", "tab\there\u{0}nul",
    ])
    func fastAndCharacterPathsAgree(text: String) {
        let fast = analyzer.words(text)
        let slowText = text + " \u{4E00}"
        let slow = analyzer.words(slowText)
        #expect(slow.last?.word == "\u{4E00}")
        #expect(fast.map(\.word) == slow.dropLast().map(\.word))
        #expect(fast.map(\.position) == slow.dropLast().map(\.position))
        #expect(fast.map { text.utf8.distance(from: text.startIndex, to: $0.range.lowerBound) }
                == slow.dropLast().map { slowText.utf8.distance(from: slowText.startIndex, to: $0.range.lowerBound) })
        #expect(fast.map { String(text[$0.range]) } == slow.dropLast().map { String(slowText[$0.range]) })
    }

    @Test func wordsAreNormalisedAndKeepDanishLetters() {
        let words = analyzer.words("Åben SKOLE – skole-virksomheds­samarbejde, ﬁre Æbler").map(\.word)
        #expect(words == ["åben", "skole", "skole", "virksomheds", "samarbejde", "fire", "æbler"])
    }

    @Test func decomposedLettersBecomeComposed() {
        let decomposed = "a\u{030A}ben"   // "åben" with a combining ring
        #expect(analyzer.words(decomposed).map(\.word) == ["åben"])
    }

    @Test func stopWordsAreDroppedPerLanguage() {
        #expect(analyzer.terms("skoler og kommuner", language: .danish) == ["skol", "kommun"])
        #expect(analyzer.terms("skolor och kommuner", language: .swedish) == ["skol", "kommun"])
        #expect(analyzer.terms("the schools and the museums", language: .english) == ["school", "museum"])
    }

    /// The same over random texts of every scalar below U+0300 (and CR LF), with a fixed seed.
    @Test func fastAndCharacterPathsAgreeOnRandomTexts() {
        var random = SeededRandom(seed: 42)
        func next(_ bound: Int) -> Int { random.next(bound) }
        for _ in 0..<300 {
            var text = ""
            for _ in 0..<next(60) {
                switch next(4) {
                case 0: text += " "
                case 1: text += "\r\n"
                default: text.unicodeScalars.append(Unicode.Scalar(UInt32(next(0x300))) ?? " ")
                }
            }
            fastAndCharacterPathsAgree(text: text)
        }
    }

    /// `isSimple` looks at eight bytes at a time: a byte of 0xCC or more (a scalar from U+0300) is found at
    /// every offset, and bytes just below it are not taken for it.
    @Test func simpleTextsAreToldFromOthersWherever() {
        for length in 0..<24 {
            let plain = String(repeating: "a", count: length)
            #expect(Analyzer.isSimple(plain))
            for position in 0...length {
                var marked = plain, near = plain
                marked.insert("\u{301}", at: marked.index(marked.startIndex, offsetBy: position))
                near.insert("\u{2FF}", at: near.index(near.startIndex, offsetBy: position))  // lead byte 0xCB
                #expect(!Analyzer.isSimple(marked))
                #expect(Analyzer.isSimple(near))
                #expect(!Analyzer.isSimple(near + "\u{4E00}"))
            }
        }
    }

    @Test func rangesPointIntoTheOriginalText() {
        let text = "Fire typer af partnerskaber"
        let words = analyzer.words(text)
        #expect(words.map { String(text[$0.range]) } == ["Fire", "typer", "af", "partnerskaber"])
        #expect(words.map(\.position) == [0, 1, 2, 3])
    }
}

@Suite struct ParsedSearchTests {
    let analyzer = Analyzer()

    @Test func wordsPhrasesAndOperators() {
        let parsed = ParsedSearch("partnerskaberne \"fire typer\" NEAR -skole* OR", analyzer: analyzer)
        #expect(parsed.groups.map(\.words) == [["partnerskaberne"], ["fire", "typer"], ["near"], ["skole"]])
        #expect(parsed.groups[0].terms[0].contains("partnerskab"))
    }

    @Test func stopWordsAreDroppedUnlessNothingElseIsLeft() {
        #expect(ParsedSearch("roller og relationer", analyzer: analyzer).groups.map(\.words) == [["roller"], ["relationer"]])
        #expect(ParsedSearch("den", analyzer: analyzer).groups.map(\.words) == [["den"]])
        // "i" is a stop word in every language and has no terms at all; "og" and "at" are kept as the only words.
        #expect(ParsedSearch("og i at", analyzer: analyzer).groups.map(\.words) == [["og"], ["at"]])
    }

    @Test func hostileAndHugeQueriesAreBounded() {
        #expect(ParsedSearch("\"\"\"", analyzer: analyzer).isEmpty)
        #expect(ParsedSearch("*:^()'; --", analyzer: analyzer).isEmpty)
        let long = ParsedSearch(String(repeating: "samarbejde ", count: 10_000), analyzer: analyzer)
        #expect(long.groups.count <= ParsedSearch.maxGroups)
    }
}

@Suite struct TermExpansionTests {
    static func vocabulary(_ terms: [String]) -> TermExpansion {
        var expansion = TermExpansion()
        for term in terms { expansion.insert(term) }
        return expansion
    }

    let vocabulary = vocabulary(["samarbejd", "skolevirksomhedssamarbejd", "samarbejdsguid", "partnerskab", "kortlægning", "kort", "skol"])

    @Test func compoundsContainTheTerm() {
        let matches = vocabulary.expand("samarbejd", typos: false)
        #expect(Set(matches.map(\.term)) == ["skolevirksomhedssamarbejd", "samarbejdsguid"])
        #expect(matches.allSatisfy { $0.kind == .compound })
        #expect(vocabulary.expand("kortlæg", typos: false).map(\.term) == ["kortlægning"])
    }

    @Test func typosWithinOneOrTwoEdits() {
        #expect(vocabulary.expand("partnerskap", compounds: false).map(\.term) == ["partnerskab"])
        #expect(vocabulary.expand("prtnerskab", compounds: false).map(\.distance) == [1])
        #expect(vocabulary.expand("partnreskbb", compounds: false).map(\.term) == ["partnerskab"])
        #expect(vocabulary.expand("kortlægnin", compounds: false).map(\.term) == ["kortlægning"])
        #expect(vocabulary.expand("kurt", compounds: false).map(\.term) == ["kort"])
        #expect(vocabulary.expand("kat", compounds: false).isEmpty, "three-letter words get no typo matches")
    }

    @Test func theTermItselfIsNotAnExpansion() {
        #expect(!vocabulary.expand("samarbejd").contains { $0.term == "samarbejd" })
    }

    @Test func editDistance() {
        #expect(TermExpansion.editDistance("partnerskab", "partnerskab") == 0)
        #expect(TermExpansion.editDistance("partnerskab", "partnreskab") == 1)
        #expect(TermExpansion.editDistance("kort", "kurt") == 1)
        #expect(TermExpansion.editDistance("kortlægning", "kortlægnig") == 1)
        #expect(TermExpansion.editDistance("abc", "xyzabc", limit: 2) == 3)
    }
}

@Suite struct SnippetAndPhraseTests {
    let analyzer = Analyzer()

    @Test func snippetMarksMatchedWords() throws {
        let snippet = try #require(Snippet.make("Om partnerskaber mellem skoler og museer.", analyzer: analyzer) { $0.hasPrefix("partnerskab") })
        #expect(snippet.parts.filter(\.highlighted).map(\.text) == ["partnerskaber"])
        #expect(snippet.plainText == "Om partnerskaber mellem skoler og museer.")
    }

    @Test func aHitAsTheVeryLastWordIsMarked() throws {
        let snippet = try #require(Snippet.make("Læs om partnerskaber", analyzer: analyzer) { $0 == "partnerskaber" })
        #expect(snippet.parts.filter(\.highlighted).map(\.text) == ["partnerskaber"])
    }

    @Test func longTextIsCutAroundTheFirstHit() throws {
        let text = (1...100).map { "ord\($0)" }.joined(separator: " ") + " målet " + (1...100).map { "efter\($0)" }.joined(separator: " ")
        let snippet = try #require(Snippet.make(text, analyzer: analyzer, maxWords: 12) { $0 == "målet" })
        #expect(snippet.parts.first?.text == "… ")
        #expect(snippet.parts.last?.text == " …")
        #expect(snippet.parts.contains { $0.highlighted && $0.text == "målet" })
    }

    @Test func phrasesMustStandTogether() {
        #expect(Phrase.occurs(["fire", "typer"], in: "Her kan du læse om fire typer.", language: .danish, analyzer: analyzer))
        #expect(Phrase.occurs(["åben", "skole"], in: "Sæt åben skole på dagsordenen", language: .danish, analyzer: analyzer))
        #expect(!Phrase.occurs(["fire", "typer"], in: "Typer af fire slags", language: .danish, analyzer: analyzer))
        #expect(Phrase.occurs(["partnerskabet"], in: "partnerskaber", language: .danish, analyzer: analyzer))
    }
}
