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

    private func forEachPosting(ofTermAt id: Int, _ body: (Int, Int) -> Void) {
        guard postings.indices.contains(id) else { return }
        postings[id].withUnsafeBufferPointer { bytes in
            var offset = 0
            var document = -1
            while offset < bytes.count {
                document += Int(Self.readVarint(bytes, &offset))
                let frequency = Int(Self.readVarint(bytes, &offset))
                if alive[document] { body(document, frequency) }
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
        // Decode each group's postings once, and order the groups by how many postings they hold.
        struct Decoded { var documents: [Int32]; var frequencies: [Int32]; var weight: Double; var exact: Bool }
        var decodedGroups: [[Decoded]] = []
        for group in groups {
            var decoded: [Decoded] = []
            for term in group where postings.indices.contains(term.term) {
                var docs: [Int32] = []
                var frequencies: [Int32] = []
                forEachPosting(ofTermAt: term.term) { document, frequency in
                    docs.append(Int32(document))
                    frequencies.append(Int32(frequency))
                }
                guard !docs.isEmpty else { continue }
                let n = Double(docs.count)
                let idf = log(1 + (documents - n + 0.5) / (n + 0.5))
                decoded.append(Decoded(documents: docs, frequencies: frequencies, weight: term.kind * idf, exact: term.exact))
            }
            if decoded.isEmpty { return [] }
            decodedGroups.append(decoded)
        }
        decodedGroups.sort { $0.reduce(0) { $0 + $1.documents.count } < $1.reduce(0) { $0 + $1.documents.count } }

        var scratch = scratchPool.take(count: lengths.count)
        var candidates: [Int32] = []
        var everTouched: [Int32] = []
        let normaliser = Self.k1 * (1 - Self.b)
        let slope = Self.k1 * Self.b / averageLength
        lengths.withUnsafeBufferPointer { lengths in
            scratch.slots.withUnsafeMutableBufferPointer { slots in
                for (index, group) in decodedGroups.enumerated() {
                    let previous = UInt16(index)
                    let touchedLevel = previous + 1
                    var touched: [Int32] = []
                    for term in group {
                        for position in term.documents.indices {
                            let document = Int(term.documents[position])
                            let state = slots[document].level
                            guard state == previous || state == touchedLevel else { continue }
                            if state == previous {
                                slots[document].level = touchedLevel
                                slots[document].exactSum = 0
                                slots[document].hasExact = false
                                slots[document].bestOther = 0
                                touched.append(Int32(document))
                            }
                            let frequency = Double(term.frequencies[position])
                            let contribution = term.weight * frequency * (Self.k1 + 1)
                                / (frequency + normaliser + slope * lengths[document])
                            if term.exact {
                                slots[document].exactSum += contribution
                                slots[document].hasExact = true
                            } else if contribution > slots[document].bestOther {
                                slots[document].bestOther = contribution
                            }
                        }
                    }
                    for document in touched {
                        let d = Int(document)
                        if slots[d].hasExact {
                            slots[d].total += slots[d].exactSum
                            slots[d].exactGroups += 1
                        } else {
                            slots[d].total += slots[d].bestOther
                        }
                    }
                    // The first group touches every document any later group can touch.
                    if index == 0 { everTouched = touched }
                    candidates = touched
                    if candidates.isEmpty { break }
                }
            }
        }
        candidates.sort()
        let hits = candidates.map { Hit(document: Int($0), score: scratch.slots[Int($0)].total, exactGroups: Int(scratch.slots[Int($0)].exactGroups)) }
        for document in everTouched {
            scratch.slots[Int(document)].level = 0
            scratch.slots[Int(document)].total = 0
            scratch.slots[Int(document)].exactGroups = 0
        }
        scratchPool.give(scratch)
        return hits
    }

    /// Per-document work of one search, one structure per document so that a posting touches one place in
    /// memory. `level`, `total` and `exactGroups` are all zero between searches (each search resets what it
    /// touched); the others are reset on first touch.
    struct Slot: Sendable {
        var exactSum = 0.0
        var bestOther = 0.0
        var total = 0.0
        var level: UInt16 = 0
        var exactGroups: UInt16 = 0
        var hasExact = false
    }

    struct Scratch: Sendable {
        var slots: [Slot] = []

        mutating func ensure(count: Int) {
            if slots.count < count { slots += repeatElement(Slot(), count: count - slots.count) }
        }
    }

    final class ScratchPool: Sendable {
        private let free = Mutex<[Scratch]>([])

        func take(count: Int) -> Scratch {
            var scratch = free.withLock { $0.popLast() } ?? Scratch()
            scratch.ensure(count: count)
            return scratch
        }

        func give(_ scratch: Scratch) {
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
