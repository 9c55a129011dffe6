import Foundation
import SamspilSearch
import Testing

struct InvertedIndexTests {
    /// Three small documents: "skole samarbejde", "skole museum", "samarbejdsaftale museum museum".
    static func sample() -> InvertedIndex {
        var index = InvertedIndex()
        index.add(terms: [("skol", 5), ("samarbejd", 1)], length: 6)
        index.add(terms: [("skol", 1), ("muse", 1)], length: 2)
        index.add(terms: [("samarbejdsaftal", 1), ("muse", 2)], length: 3)
        return index
    }

    static func term(_ index: InvertedIndex, _ term: String, kind: Double = 1, exact: Bool = true) -> InvertedIndex.QueryTerm {
        InvertedIndex.QueryTerm(term: index.vocabulary.id(of: term)!, kind: kind, exact: exact)
    }

    @Test func everyGroupMustMatch() {
        let index = Self.sample()
        #expect(index.search([[Self.term(index, "skol")]]).map(\.document) == [0, 1])
        #expect(index.search([[Self.term(index, "skol")], [Self.term(index, "muse")]]).map(\.document) == [1])
        #expect(index.search([[Self.term(index, "samarbejd")], [Self.term(index, "muse")]]).isEmpty)
        #expect(index.search([]).isEmpty)
    }

    @Test func scoresAreBM25WithTheTermsKind() throws {
        let index = Self.sample()
        let hits = index.search([[Self.term(index, "skol")]])
        // N = 3, n = 2, average length 11/3; document 0: tf 5, length 6.
        let idf = log(1 + (3 - 2 + 0.5) / (2 + 0.5))
        let expected = idf * 5 * 2.2 / (5 + 1.2 * (0.25 + 0.75 * 6 / (11.0 / 3)))
        #expect(abs(hits[0].score - expected) < 1e-12)
        #expect(hits[0].score > hits[1].score)
        let half = index.search([[Self.term(index, "skol", kind: 0.5, exact: false)]])
        #expect(abs(half[0].score - expected / 2) < 1e-12)
        #expect(half[0].exactGroups == 0 && hits[0].exactGroups == 1)
    }

    /// Within a group, exact matches add up; a compound or typo match counts only where there is none.
    @Test func exactMatchesWinWithinAGroup() {
        let index = Self.sample()
        let group = [Self.term(index, "samarbejd"), Self.term(index, "samarbejdsaftal", kind: 0.5, exact: false)]
        let hits = index.search([group])
        #expect(hits.map(\.document) == [0, 2])
        #expect(hits.map(\.exactGroups) == [1, 0])
        let exactOnly = index.search([[Self.term(index, "samarbejd")]])
        #expect(hits[0].score == exactOnly[0].score)
    }

    @Test func removedDocumentsAreNotFoundAndNotCounted() {
        var index = Self.sample()
        index.remove(1)
        #expect(index.liveDocuments == 2)
        #expect(index.documentFrequency(of: "muse") == 1)
        #expect(index.search([[Self.term(index, "muse")]]).map(\.document) == [2])
        // The statistics are those of the two documents left (N = 2, n = 1, average length 4.5).
        let idf = log(1 + (2 - 1 + 0.5) / (1 + 0.5))
        let expected = idf * 2 * 2.2 / (2 + 1.2 * (0.25 + 0.75 * 3 / 4.5))
        #expect(abs(index.search([[Self.term(index, "muse")]])[0].score - expected) < 1e-12)
        index.remove(1)
        #expect(index.liveDocuments == 2)
        #expect(abs(index.deadFraction - 1.0 / 3) < 1e-12)
    }

    /// Document numbers and frequencies of any size survive the compact encoding.
    @Test func largeNumbersRoundTrip() {
        var index = InvertedIndex()
        for number in 0..<20_000 {
            index.add(terms: number % 7_000 == 0 ? [("sjælden", 300_000 + number)] : [("almindelig", 1)], length: 1)
        }
        #expect(index.postings(ofTermAt: index.vocabulary.id(of: "sjælden")!).map(\.document) == [0, 7_000, 14_000])
        #expect(index.postings(ofTermAt: index.vocabulary.id(of: "sjælden")!).map(\.frequency) == [300_000, 307_000, 314_000])
        #expect(index.documentFrequency(of: "almindelig") == 19_997)
    }
}
