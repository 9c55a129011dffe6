import Foundation
import Testing

@testable import SamspilSearch

/// One Snowball test vocabulary: Fixtures/<language>.tsv, `word<TAB>stem` per
/// line, made by scripts/snowball-fixtures from Debian's snowball-data.
struct Vocabulary {
    let pairs: [(word: String, stem: String)]

    init(_ language: StemmerLanguage) throws {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .appendingPathComponent("Fixtures")
            .appendingPathComponent("\(Self.fileName(language)).tsv")
        let text = try String(contentsOf: url, encoding: .utf8)
        var pairs: [(word: String, stem: String)] = []
        pairs.reserveCapacity(32_000)
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let tab = line.firstIndex(of: "\t") else {
                throw FixtureError.malformedLine(String(line))
            }
            pairs.append((String(line[..<tab]), String(line[line.index(after: tab)...])))
        }
        self.pairs = pairs
    }

    static func fileName(_ language: StemmerLanguage) -> String {
        switch language {
        case .danish: "danish"
        case .swedish: "swedish"
        case .english: "english"
        }
    }

    enum FixtureError: Error {
        case malformedLine(String)
    }
}

@Suite("Snowball vocabularies")
struct StemmerVocabularyTests {
    @Test("agrees with Snowball on every word", arguments: StemmerLanguage.allCases)
    func vocabulary(_ language: StemmerLanguage) throws {
        let vocabulary = try Vocabulary(language)
        #expect(vocabulary.pairs.count > 20_000, "fixture for \(language) looks truncated")

        let stemmer = Stemmer(language)
        var mismatches: [(word: String, expected: String, got: String)] = []
        var mismatchCount = 0
        for (word, expected) in vocabulary.pairs {
            let got = stemmer.stem(word)
            if got != expected {
                mismatchCount += 1
                if mismatches.count < 20 { mismatches.append((word, expected, got)) }
            }
        }
        if mismatchCount > 0 {
            let lines = mismatches.map { "  \($0.word): expected \($0.expected), got \($0.got)" }
            Issue.record(
                """
                \(language): \(mismatchCount) of \(vocabulary.pairs.count) words stem differently; \
                first \(mismatches.count):
                \(lines.joined(separator: "\n"))
                """
            )
        }
    }
}
