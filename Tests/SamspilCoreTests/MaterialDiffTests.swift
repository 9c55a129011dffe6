import Foundation
@testable import SamspilCore
import Testing

@Suite struct MaterialDiffTests {
    @Test func linesKeptRemovedAndAdded() {
        let diff = DiffLine.diff("a\nb\nc\nd", "a\nc\nx\nd")
        #expect(diff == [.init(.same, "a"), .init(.removed, "b"), .init(.same, "c"), .init(.added, "x"), .init(.same, "d")])
        #expect(DiffLine.diff("", "ny") == [.init(.added, "ny")])
        #expect(DiffLine.diff("gammel", "") == [.init(.removed, "gammel")])
        #expect(DiffLine.diff("same\ntext", "same\ntext").allSatisfy { $0.kind == .same })
        // A changed line is shown removed, then added.
        #expect(DiffLine.diff("a\nb\nc", "a\nB\nc") == [.init(.same, "a"), .init(.removed, "b"), .init(.added, "B"), .init(.same, "c")])
        // Text from a browser's text area has CRLF line ends (one Character in Swift): still one line each.
        #expect(DiffLine.diff("a\r\nb", "a\nc\rd") == [.init(.same, "a"), .init(.removed, "b"), .init(.added, "c"), .init(.added, "d")])
    }

    @Test func theDiffRebuildsBothTexts() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<200 {
            let old = (0..<Int.random(in: 0...12, using: &generator)).map { _ in ["a", "b", "c", "d"].randomElement(using: &generator)! }
            let new = (0..<Int.random(in: 0...12, using: &generator)).map { _ in ["a", "b", "c", "e"].randomElement(using: &generator)! }
            let diff = DiffLine.diff(old.joined(separator: "\n"), new.joined(separator: "\n"))
            #expect(diff.filter { $0.kind != .added }.map(\.text) == old)
            #expect(diff.filter { $0.kind != .removed }.map(\.text) == new)
        }
    }

    @Test func hugeTextsAreNotAligned() {
        let old = (0..<30).map(String.init).joined(separator: "\n"), new = (0..<30).map { "x\($0)" }.joined(separator: "\n")
        let diff = DiffLine.diff(old, new, maxCells: 100)
        #expect(diff.prefix(30).allSatisfy { $0.kind == .removed } && diff.suffix(30).allSatisfy { $0.kind == .added })
    }

    @Test func materialChangesAreNamedByFieldWithTheFormsLabels() {
        let old = Material(slug: "a", title: "Gammel titel", type: "artikel", teaser: "Kort", body: "Linje 1\nLinje 2",
                           credits: Credits(kind: .written, persons: ["Anna"]), year: 2020, language: .danish, audiences: ["skoler"], status: .draft)
        var new = old
        new.title = "Ny titel"
        new.teaser = "Kortere"
        new.body = "Linje 1\nLinje 3"
        new.audiences = ["skoler", "kommuner"]
        new.status = .published
        let diff = MaterialDiff(from: old, to: new) { kind, slug in kind == .audience ? slug.capitalized : slug }
        // The labels are the edit form's (one source, `MaterialField`), not "Manchet" or "Brødtekst".
        #expect(diff.changes.map(\.label) == ["Titel", "Kort beskrivelse", "Tekst", "Målgrupper", "Status"])
        #expect(diff.changes.map(\.label) == [MaterialField.title, .teaser, .body, .audiences, .status].map(\.label))
        #expect(diff.changes[0].blocks == [.changed([.init(.removed, "Gammel"), .init(.added, "Ny"), .init(.same, " titel")])])
        #expect(diff.changes[3].blocks == [.changed([.init(.added, "Kommuner")]), .unchanged("Skoler")])
        #expect(MaterialDiff(from: old, to: old).isEmpty)
        // Ticked boxes are a set: another order is no change (the seed lists them otherwise than the form).
        var reordered = new
        reordered.audiences = ["kommuner", "skoler"]
        #expect(MaterialDiff(from: new, to: reordered).isEmpty)
        // Without an earlier revision, every filled field is new.
        #expect(MaterialDiff(from: nil, to: old).changes.first?.blocks == [.changed([.init(.added, "Gammel titel")])])
    }

    /// One changed word in a paragraph marks that word, not the paragraph.
    @Test func aChangedWordIsMarkedAlone() {
        let segments = DiffSegment.diff("Fuglene kommer om morgenen, før skolen åbner.", "Fuglene kommer om aftenen, før skolen åbner.")
        #expect(segments == [.init(.same, "Fuglene kommer om "), .init(.removed, "morgenen"), .init(.added, "aftenen"), .init(.same, ", før skolen åbner.")])
        // Removed and added words only.
        #expect(DiffSegment.diff("en stor skole", "en skole") == [.init(.same, "en "), .init(.removed, "stor "), .init(.same, "skole")])
        #expect(DiffSegment.diff("en skole", "en ny skole") == [.init(.same, "en "), .init(.added, "ny "), .init(.same, "skole")])
        // A changed phrase is one removal and one addition, not word-by-word alternation.
        #expect(DiffSegment.diff("den gamle røde bil", "den nye blå bil")
                == [.init(.same, "den "), .init(.removed, "gamle røde"), .init(.added, "nye blå"), .init(.same, " bil")])
        // A short word kept between two changes joins them too.
        #expect(DiffSegment.diff("Partnerskaber kan være korte eller lange.", "Partnerskaber kan være korte, lange eller varige.")
                == [.init(.same, "Partnerskaber kan være korte"), .init(.removed, " eller lange"), .init(.added, ", lange eller varige"), .init(.same, ".")])
        // Kept text longer than the changes around it stays kept.
        #expect(DiffSegment.diff("a lang fælles tekst b", "x lang fælles tekst y")
                == [.init(.removed, "a"), .init(.added, "x"), .init(.same, " lang fælles tekst "), .init(.removed, "b"), .init(.added, "y")])
        // Danish letters and digits are parts of words; punctuation is its own unit.
        #expect(DiffSegment.tokens("Æbler, 12 øre!") == ["Æbler", ",", " ", "12", " ", "øre", "!"])
        #expect(DiffSegment.diff("", "") == [])
    }

    @Test func theWordDiffRebuildsBothTexts() {
        var generator = SeededGenerator(seed: 11)
        let words = ["skole", "kommune", "museum", " ", " ", ",", ".", "\n", "åben"]
        for _ in 0..<300 {
            let old = (0..<Int.random(in: 0...16, using: &generator)).map { _ in words.randomElement(using: &generator)! }.joined()
            let new = (0..<Int.random(in: 0...16, using: &generator)).map { _ in words.randomElement(using: &generator)! }.joined()
            let segments = DiffSegment.diff(old, new)
            #expect(segments.filter { $0.kind != .added }.map(\.text).joined() == old)
            #expect(segments.filter { $0.kind != .removed }.map(\.text).joined() == new)
            // Neighbouring segments never have the same kind (they would be one).
            #expect(zip(segments, segments.dropFirst()).allSatisfy { $0.kind != $1.kind })
            let cut = DiffSegment.diff(old, new, maxCells: 0)
            #expect(cut.filter { $0.kind != .added }.map(\.text).joined() == old && cut.filter { $0.kind != .removed }.map(\.text).joined() == new)
        }
    }

    /// A long text: the changed paragraph with its words marked, a little context, the rest left out.
    @Test func longTextsShowTheChangeInContext() {
        let paragraphs = (1...12).map { "Afsnit \($0) om åben skole." }
        let old = paragraphs.joined(separator: "\n\n")
        var changed = paragraphs
        changed[6] = "Afsnit 7 om lukket skole."
        let blocks = DiffBlock.diff(old, changed.joined(separator: "\n\n"), context: 2)
        #expect(blocks == [
            .omitted(lines: 10),
            .unchanged("Afsnit 6 om åben skole."), .unchanged(""),
            .changed([.init(.same, "Afsnit 7 om "), .init(.removed, "åben"), .init(.added, "lukket"), .init(.same, " skole.")]),
            .unchanged(""), .unchanged("Afsnit 8 om åben skole."),
            .omitted(lines: 8),
        ])
        // No "-" or "+" is added to any line: a Markdown list stays a list.
        let list = DiffBlock.diff("- æbler\n- pærer", "- æbler\n- blommer")
        #expect(list == [.unchanged("- æbler"), .changed([.init(.same, "- "), .init(.removed, "pærer"), .init(.added, "blommer")])])
        // A single unchanged line between two changes is shown rather than left out.
        #expect(DiffBlock.diff("a\nb\nc\nd\ne\nf\ng", "A\nb\nc\nd\ne\nf\nG", context: 2)
                == [.changed([.init(.removed, "a"), .init(.added, "A")]), .unchanged("b"), .unchanged("c"), .unchanged("d"), .unchanged("e"), .unchanged("f"),
                    .changed([.init(.removed, "g"), .init(.added, "G")])])
        #expect(DiffBlock.diff("a\nb\nc\nd\ne\nf\ng\nh", "A\nb\nc\nd\ne\nf\ng\nH", context: 2)
                == [.changed([.init(.removed, "a"), .init(.added, "A")]), .unchanged("b"), .unchanged("c"), .omitted(lines: 2), .unchanged("f"), .unchanged("g"),
                    .changed([.init(.removed, "h"), .init(.added, "H")])])
    }

    @Test func labelsReadInsideSentences() {
        #expect(DanishText.midSentence("Eksterne læringsmiljøer") == "eksterne læringsmiljøer")
        #expect(DanishText.midSentence("PLC (pædagogiske læringscentre)") == "PLC (pædagogiske læringscentre)")
        #expect(DanishText.midSentence("PLC") == "PLC")
        #expect(DanishText.midSentence("IT-vejledere") == "IT-vejledere")
        #expect(DanishText.midSentence("Åben skole") == "åben skole")
        #expect(DanishText.midSentence("iPad-klasser") == "iPad-klasser")
        #expect(DanishText.midSentence("") == "")
        #expect(DanishText.number(200_000) == "200.000" && DanishText.number(300) == "300" && DanishText.number(2_000) == "2.000")
        #expect(DanishText.quoted("ny") == "„ny“")
    }

    /// Field messages are one style: a whole sentence that says what to do, with a capital letter and a full stop.
    @Test func ruleMessagesAreImperativeSentences() {
        let vocabularies = Vocabularies(materialTypes: [VocabularyTerm(slug: "artikel", label: "Artikel")], audiences: [], topics: [])
        let broken = Material(slug: "Ugyldig adresse", title: String(repeating: "x", count: 301), type: "ukendt", teaser: " ", body: "",
                              credits: Credits(kind: .written, persons: [" "]), year: 1800, readingMinutes: 0, audiences: ["x", "x"], topics: ["y"],
                              versions: [MaterialVersion(kind: .full, availability: .link, url: "ftp://x"), MaterialVersion(kind: .pixi, availability: .file)])
        var problems = MaterialRules.problems(broken, vocabularies: vocabularies)
        problems += ThemeRules.problems(Theme(slug: "ny", title: "", materials: ["z", "z"]), knownMaterials: [])
        #expect(problems.count >= 14)
        for problem in problems {
            #expect(problem.message.first?.isUppercase == true && problem.message.hasSuffix("."), "\(problem.field): \(problem.message)")
            #expect(!problem.message.contains("\""), "straight quotes in \(problem.message)")
        }
        #expect(MaterialRules.problems(Material(slug: "a", title: "", type: "artikel", teaser: "x"), vocabularies: vocabularies).map(\.message) == ["Skriv en titel."])
    }
}

/// A small deterministic generator (SplitMix64), so the property test is the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
