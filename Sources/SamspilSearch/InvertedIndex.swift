import Foundation
import Synchronization

/// The in-memory inverted index that answers searches: for every term, the documents holding it and the
/// term's (field-weighted) frequency in each, plus every document's weighted length for BM25.
///
/// The database keeps each document's analysed terms (the source of truth, written in the transaction of
/// every change); every app process builds this index from them at start and follows later changes (see
/// the app's `SearchEngine`). Both storage backends therefore answer with the same code and the same
/// numbers, and a search touches no SQL at all until the page of results is loaded.
///
/// Postings are kept compact: per term, a byte array of (document-number gap, frequency) pairs, each a
/// LEB128 varint. Document numbers only grow (a changed document is removed and added again under a new
/// number), so new postings are appended at the end. Removed documents stay in the lists, marked dead,
/// until the owner rebuilds the index; `deadFraction` tells when that is worth it.
public struct InvertedIndex: Sendable {
    /// The terms, numbered; also finds compound and typo matches.
    public private(set) var vocabulary = TermExpansion()
    private var postings: [[UInt8]] = []
    /// Per term, the last document number appended plus one (0: none yet).
    private var lastDocument: [UInt32] = []
    private var lengths: [Double] = []
    /// Work arrays for searches, reused (one per concurrent search) rather than allocated each time.
    private let scratchPool = ScratchPool()
    private var alive: [Bool] = []
    public private(set) var liveDocuments = 0
    private var totalLength = 0.0

    public static let k1 = 1.2
    public static let b = 0.75

    public init() {}

    /// Number of documents ever added (live and removed); document numbers run below it.
    public var documentCount: Int { lengths.count }

    public var deadFraction: Double {
        lengths.isEmpty ? 0 : Double(lengths.count - liveDocuments) / Double(lengths.count)
    }

    public func isLive(_ document: Int) -> Bool { alive[document] }

    /// Adds a document with its terms and their weighted frequencies (positive whole numbers); returns its number.
    @discardableResult
    public mutating func add(terms: [(term: String, frequency: Int)], length: Double) -> Int {
        let document = lengths.count
        lengths.append(length)
        alive.append(true)
        liveDocuments += 1
        totalLength += length
        for (term, frequency) in terms where frequency > 0 {
            let id = vocabulary.insert(term)
            if id == postings.count {
                postings.append([])
                lastDocument.append(0)
            }
            let next = UInt32(document + 1)
            Self.appendVarint(UInt32(next - lastDocument[id]), to: &postings[id])
            Self.appendVarint(UInt32(min(frequency, Int(UInt32.max))), to: &postings[id])
            lastDocument[id] = next
        }
        return document
    }

    /// Gives back the spare capacity the posting lists grew with (after a bulk load), one list at a time.
    public mutating func compact() {
        vocabulary.compact()
        for term in postings.indices {
            postings[term] = postings[term].withUnsafeBufferPointer { Array($0) }
        }
    }

    /// Marks a document as removed: searches no longer find it and it no longer counts in the statistics.
    public mutating func remove(_ document: Int) {
        guard alive.indices.contains(document), alive[document] else { return }
        alive[document] = false
        liveDocuments -= 1
        totalLength -= lengths[document]
    }

    /// The live documents holding a term, with the term's frequency in each, in document order.
    public func postings(ofTermAt id: Int) -> [(document: Int, frequency: Int)] {
        var result: [(document: Int, frequency: Int)] = []
        forEachPosting(ofTermAt: id) { result.append(($0, $1)) }
        return result
    }

    /// How many live documents hold a term.
    public func documentFrequency(of term: String) -> Int {
        guard let id = vocabulary.id(of: term) else { return 0 }
        var count = 0
        forEachPosting(ofTermAt: id) { _, _ in count += 1 }
        return count
    }

    /// Always inlined, so that a search's loop over the postings (`decodeLivePostings`) makes no call per
    /// posting.
    @inline(__always)
    private func forEachPosting(ofTermAt id: Int, _ body: (Int, Int) -> Void) {
        guard postings.indices.contains(id) else { return }
        postings[id].withUnsafeBufferPointer { bytes in
            alive.withUnsafeBufferPointer { alive in
                var offset = 0
                var document = -1
                while offset < bytes.count {
                    document += Int(Self.readVarint(bytes, &offset))
                    let frequency = Int(Self.readVarint(bytes, &offset))
                    if alive[document] { body(document, frequency) }
                }
            }
        }
    }

    /// Writes the live postings of a term into the scratch lists from `offset` on (growing them first) and
    /// returns how many there were: through unsafe buffers, since a checked array append per posting took a
    /// third of the search.
    private func decodeLivePostings(ofTermAt id: Int, into scratch: inout Scratch, at offset: Int) -> Int {
        // Each posting takes at least two bytes.
        scratch.ensureDecoded(count: offset + postings[id].count / 2)
        return scratch.documents.withUnsafeMutableBufferPointer { documents in
            scratch.frequencies.withUnsafeMutableBufferPointer { frequencies in
                var written = offset
                forEachPosting(ofTermAt: id) { document, frequency in
                    documents[written] = Int32(document)
                    frequencies[written] = Int32(truncatingIfNeeded: frequency)
                    written += 1
                }
                return written - offset
            }
        }
    }

    // MARK: Searching

    /// One index term a query word matches, and how much a match counts (1 for the word's own stems, less
    /// for compound and typo matches).
    public struct QueryTerm: Sendable, Equatable {
        public var term: Int
        public var kind: Double
        public var exact: Bool

        public init(term: Int, kind: Double, exact: Bool) {
            self.term = term
            self.kind = kind
            self.exact = exact
        }
    }

    public struct Hit: Sendable, Equatable {
        public var document: Int
        public var score: Double
        /// How many of the query's groups the document matched exactly or by stem.
        public var exactGroups: Int

        public init(document: Int, score: Double, exactGroups: Int) {
            self.document = document
            self.score = score
            self.exactGroups = exactGroups
        }
    }

    /// The documents that match every group, scored by BM25 (k1 = 1.2, b = 0.75) over the weighted
    /// frequencies, with idf = ln(1 + (N − n + 0.5) / (n + 0.5)) per term, scaled by the term's kind.
    ///
    /// Within a group, a document's exact and stemmed matches add up when it has any; only otherwise does its
    /// best compound or typo match count. Groups are taken smallest first, and a later group only looks at the
    /// documents every earlier group matched. Hits come in document order.
    public func search(_ groups: [[QueryTerm]]) -> [Hit] {
        guard !groups.isEmpty, liveDocuments > 0 else { return [] }
        let documents = Double(liveDocuments)
        let averageLength = max(totalLength / documents, 1)
        var scratch = scratchPool.take(count: lengths.count)
        defer { scratchPool.give(scratch) }
        // Decode every term's live postings once, one after another into the scratch lists, and order the
        // groups by how many postings they hold.
        struct Decoded { var start: Int; var end: Int; var weight: Double; var exact: Bool }
        var decodedGroups: [(postings: Int, terms: [Decoded])] = []
        var decodedCount = 0
        for group in groups {
            var decoded: [Decoded] = []
            var count = 0
            for term in group where postings.indices.contains(term.term) {
                let start = decodedCount
                let n = decodeLivePostings(ofTermAt: term.term, into: &scratch, at: start)
                decodedCount += n
                guard n > 0 else { continue }
                let idf = log(1 + (documents - Double(n) + 0.5) / (Double(n) + 0.5))
                decoded.append(Decoded(start: start, end: start + n, weight: term.kind * idf, exact: term.exact))
                count += n
            }
            if decoded.isEmpty { return [] }
            decodedGroups.append((count, decoded))
        }
        decodedGroups.sort { $0.postings < $1.postings }

        var hits: [Hit] = []
        // The documents each group touches (each at most once per group): the first group's in `first`,
        // kept to reset the marks afterwards (it touches every document a later group can), each later
        // group's in `later`, overwriting the one before. Unsafe buffers and counters keep the loop over the
        // postings free of runtime calls, so the processor can overlap the memory reads of several postings.
        var firstCount = 0
        let normaliser = Self.k1 * (1 - Self.b)
        let slope = Self.k1 * Self.b / averageLength
        lengths.withUnsafeBufferPointer { lengths in
        scratch.documents.withUnsafeBufferPointer { postingDocuments in
        scratch.frequencies.withUnsafeBufferPointer { postingFrequencies in
        scratch.marks.withUnsafeMutableBufferPointer { marks in
        scratch.sums.withUnsafeMutableBufferPointer { sums in
        scratch.first.withUnsafeMutableBufferPointer { first in
        scratch.later.withUnsafeMutableBufferPointer { later in
            var candidates = first[..<0]
            for (index, group) in decodedGroups.enumerated() {
                let previous = UInt16(index)
                let touchedLevel = previous + 1
                let touched = index == 0 ? first : later
                var count = 0
                for term in group.terms {
                    for position in term.start..<term.end {
                        let document = Int(postingDocuments[position])
                        // The marks are small and checked first: most postings of a later group are of
                        // documents an earlier group did not match, and those never touch the sums.
                        let state = marks[document].level
                        guard state == previous || state == touchedLevel else { continue }
                        if state == previous {
                            marks[document].level = touchedLevel
                            sums[document].exact = 0
                            sums[document].other = 0
                            touched[count] = Int32(document)
                            count += 1
                        }
                        let frequency = Double(postingFrequencies[position])
                        let contribution = term.weight * frequency * (Self.k1 + 1)
                            / (frequency + normaliser + slope * lengths[document])
                        if term.exact {
                            sums[document].exact += contribution
                        } else if contribution > sums[document].other {
                            sums[document].other = contribution
                        }
                    }
                }
                // Every contribution is positive (idf > 0, frequency ≥ 1), so a positive exact sum means an
                // exact or stemmed match.
                for document in touched[..<count] {
                    let d = Int(document)
                    if sums[d].exact > 0 {
                        sums[d].total += sums[d].exact
                        marks[d].exactGroups += 1
                    } else {
                        sums[d].total += sums[d].other
                    }
                }
                if index == 0 { firstCount = count }
                candidates = touched[..<count]
                if count == 0 { break }
            }
            candidates.sort()
            hits = candidates.map { Hit(document: Int($0), score: sums[Int($0)].total, exactGroups: Int(marks[Int($0)].exactGroups)) }
            for document in first[..<firstCount] {
                marks[Int(document)] = Mark()
                sums[Int(document)].total = 0
            }
        }
        }
        }
        }
        }
        }
        }
        return hits
    }

    /// Per-document work of one search, in two arrays so that the check every posting makes (`Mark.level`:
    /// how many groups the document matched so far) reads 4 bytes per document, and only a document still
    /// in the running touches its sums. `Mark` and `Sums.total` are zero between searches (each search
    /// resets what it touched); the other sums are reset on first touch in each group.
    struct Mark: Sendable {
        var level: UInt16 = 0
        var exactGroups: UInt16 = 0
    }

    struct Sums: Sendable {
        /// The group's exact and stemmed matches, added up.
        var exact = 0.0
        /// The group's best compound or typo match.
        var other = 0.0
        var total = 0.0
    }

    struct Scratch: Sendable {
        var marks: [Mark] = []
        var sums: [Sums] = []
        /// The decoded postings of the search's terms, one term after another (only the first ones written
        /// by the current search mean anything).
        var documents: [Int32] = []
        var frequencies: [Int32] = []
        /// The documents the first group touched, and those the group last searched touched.
        var first: [Int32] = []
        var later: [Int32] = []

        mutating func ensure(count: Int) {
            if marks.count < count {
                marks += repeatElement(Mark(), count: count - marks.count)
                sums += repeatElement(Sums(), count: count - sums.count)
                first += repeatElement(0, count: count - first.count)
                later += repeatElement(0, count: count - later.count)
            }
        }

        mutating func ensureDecoded(count: Int) {
            if documents.count < count {
                // Grown by half again at least, so a search's terms do not grow the lists one by one.
                let grown = max(count, documents.count + documents.count / 2)
                documents += repeatElement(0, count: grown - documents.count)
                frequencies += repeatElement(0, count: grown - frequencies.count)
            }
        }
    }

    final class ScratchPool: Sendable {
        private let free = Mutex<[Scratch]>([])

        func take(count: Int) -> Scratch {
            var scratch = free.withLock { $0.popLast() } ?? Scratch()
            scratch.ensure(count: count)
            return scratch
        }

        /// Decode lists longer than this (a query of many common words) are not kept: a kept scratch holds
        /// its largest size for good.
        static let keptDecodedLimit = 1 << 20

        func give(_ scratch: Scratch) {
            guard scratch.documents.count <= Self.keptDecodedLimit else { return }
            free.withLock { if $0.count < 8 { $0.append(scratch) } }
        }
    }

    // MARK: Encoding

    static func appendVarint(_ value: UInt32, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    @inline(__always)
    static func readVarint(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: inout Int) -> UInt32 {
        var result: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            let byte = bytes[offset]
            offset += 1
            result |= UInt32(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }
}
