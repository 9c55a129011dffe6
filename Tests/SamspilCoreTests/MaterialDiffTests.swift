import Foundation
import SamspilCore
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

    @Test func materialChangesAreNamedByField() {
        let old = Material(slug: "a", title: "Gammel titel", type: "artikel", teaser: "Kort", body: "Linje 1\nLinje 2",
                           credits: Credits(kind: .written, persons: ["Anna"]), year: 2020, language: .danish, audiences: ["skoler"], status: .draft)
        var new = old
        new.title = "Ny titel"
        new.body = "Linje 1\nLinje 3"
        new.audiences = ["skoler", "kommuner"]
        new.status = .published
        let diff = MaterialDiff(from: old, to: new) { kind, slug in kind == .audience ? slug.capitalized : slug }
        #expect(diff.changes.map(\.label) == ["Titel", "Brødtekst", "Målgrupper", "Status"])
        #expect(diff.changes[2].lines == [.init(.same, "Skoler"), .init(.added, "Kommuner")])
        #expect(MaterialDiff(from: old, to: old).isEmpty)
        // Without an earlier revision, every filled field is new.
        #expect(MaterialDiff(from: nil, to: old).changes.first?.lines == [.init(.added, "Gammel titel")])
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
