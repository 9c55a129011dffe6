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

    /// Searches reuse their work arrays: an index that grows between searches (and its copies, which share
    /// them) still finds every document.
    @Test func searchesStayRightAsTheIndexGrows() {
        var index = Self.sample()
        #expect(index.search([[Self.term(index, "skol")]]).map(\.document) == [0, 1])
        let before = index
        for number in 0..<2_000 { index.add(terms: [("skol", 1 + number % 3), ("ny", 1)], length: 4) }
        #expect(index.search([[Self.term(index, "skol")]]).count == 2_002)
        #expect(index.search([[Self.term(index, "skol")], [Self.term(index, "ny")]]).map(\.document) == Array(3..<2_003))
        #expect(before.search([[Self.term(before, "skol")]]).map(\.document) == [0, 1])
        #expect(index.search([[Self.term(index, "muse")]]).map(\.document) == [1, 2])
    }

    /// Random documents, removals and queries against a plain per-document computation of the same rules:
    /// every group must match; within a group exact matches add up, otherwise the best other match counts.
    @Test func searchAgreesWithAPlainComputation() {
        var random = SeededRandom(seed: 7)
        let words = (0..<40).map { "w\($0)" }
        for round in 0..<30 {
            var index = InvertedIndex()
            var documents: [[String: Int]] = []
            var lengths: [Double] = []
            for _ in 0..<(50 + round * 7) {
                var terms: [String: Int] = [:]
                for _ in 0..<Int.random(in: 1...8, using: &random) {
                    terms[words[Int.random(in: 0..<(round % 2 == 0 ? 12 : 40), using: &random)], default: 0] += Int.random(in: 1...5, using: &random)
                }
                let length = Double(terms.values.reduce(0, +)) + Double(Int.random(in: 0...3, using: &random))
                index.add(terms: terms.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, length: length)
                documents.append(terms)
                lengths.append(length)
            }
            var alive = Array(repeating: true, count: documents.count)
            for _ in 0..<(round % 3) * 5 {
                let d = Int.random(in: 0..<documents.count, using: &random)
                index.remove(d)
                alive[d] = false
            }
            for _ in 0..<20 {
                let groups: [[(word: String, kind: Double, exact: Bool)]] = (0..<Int.random(in: 1...3, using: &random)).map { _ in
                    (0..<Int.random(in: 1...4, using: &random)).map { _ in
                        let exact = Bool.random(using: &random)
                        return (words[Int.random(in: 0..<words.count, using: &random)], exact ? 1 : [0.5, 0.35, 0.2].randomElement(using: &random)!, exact)
                    }
                }
                let query = groups.map { $0.compactMap { term in index.vocabulary.id(of: term.word).map { InvertedIndex.QueryTerm(term: $0, kind: term.kind, exact: term.exact) } } }
                let live = documents.indices.filter { alive[$0] }
                let n = Double(live.count)
                let average = max(live.map { lengths[$0] }.reduce(0, +) / n, 1)
                func df(_ word: String) -> Double { Double(live.filter { documents[$0][word] != nil }.count) }
                var expected: [InvertedIndex.Hit] = []
                for d in live {
                    var total = 0.0, exactGroups = 0, matchedAll = true
                    for group in groups {
                        var exactSum = 0.0, other = 0.0, any = false, anyExact = false
                        for term in group {
                            guard let frequency = documents[d][term.word].map(Double.init) else { continue }
                            let idf = log(1 + (n - df(term.word) + 0.5) / (df(term.word) + 0.5))
                            let contribution = term.kind * idf * frequency * 2.2 / (frequency + 1.2 * (0.25 + 0.75 * lengths[d] / average))
                            any = true
                            if term.exact { exactSum += contribution; anyExact = true } else { other = max(other, contribution) }
                        }
                        if !any { matchedAll = false; break }
                        total += anyExact ? exactSum : other
                        if anyExact { exactGroups += 1 }
                    }
                    if matchedAll { expected.append(.init(document: d, score: total, exactGroups: exactGroups)) }
                }
                let found = index.search(query)
                #expect(found.map(\.document) == expected.map(\.document))
                #expect(found.map(\.exactGroups) == expected.map(\.exactGroups))
                for (a, b) in zip(found, expected) { #expect(abs(a.score - b.score) < 1e-9) }
            }
        }
    }
}
