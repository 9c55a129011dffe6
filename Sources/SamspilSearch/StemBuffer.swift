// The working storage of a stemmer: a fixed-capacity run of Unicode scalar
// values. The Snowball algorithms implemented here never make a word longer
// than it was, so the buffer is sized to the input once and never grows.

struct StemBuffer {
    let base: UnsafeMutablePointer<UInt32>
    private(set) var count: Int = 0

    init(_ base: UnsafeMutablePointer<UInt32>) {
        self.base = base
    }

    @inline(__always)
    subscript(index: Int) -> UInt32 {
        get { base[index] }
        nonmutating set { base[index] = newValue }
    }

    @inline(__always)
    mutating func append(_ value: UInt32) {
        base[count] = value
        count += 1
    }

    /// Cuts the word back to its first `length` scalars.
    @inline(__always)
    mutating func truncate(to length: Int) {
        count = length
    }

    /// Removes the first scalar.
    mutating func removeFirst() {
        guard count > 0 else { return }
        var i = 1
        while i < count {
            base[i - 1] = base[i]
            i += 1
        }
        count -= 1
    }

    /// Whether the word ends with `suffix`, lying wholly at or after `limit`.
    @inline(__always)
    func hasSuffix(_ suffix: [UInt32], limit: Int = 0) -> Bool {
        let start = count - suffix.count
        if start < limit { return false }
        var i = 0
        while i < suffix.count {
            if base[start + i] != suffix[i] { return false }
            i += 1
        }
        return true
    }

    /// Replaces the scalars from `start` to the end with `replacement`
    /// (which must not make the word longer than the input was).
    @inline(__always)
    mutating func replaceTail(from start: Int, with replacement: [UInt32]) {
        var i = 0
        while i < replacement.count {
            base[start + i] = replacement[i]
            i += 1
        }
        count = start + replacement.count
    }

    /// Snowball's `among` on suffixes: the longest entry of `table` that ends
    /// the word and starts at or after `limit`. Only the longest match is
    /// considered, as in Snowball: a failing condition does not fall back to
    /// a shorter suffix.
    @inline(__always)
    func longestSuffix<Action>(in table: SuffixTable<Action>, limit: Int = 0) -> (start: Int, action: Action)? {
        for entry in table.entries where hasSuffix(entry.scalars, limit: limit) {
            return (count - entry.scalars.count, entry.action)
        }
        return nil
    }

    /// Snowball's `gopast v gopast non-v` from `start`: the position just past
    /// the first non-vowel that follows a vowel, or nil if there is none.
    @inline(__always)
    func pastVowelThenNonVowel(from start: Int, isVowel: (UInt32) -> Bool) -> Int? {
        var i = start
        while i < count && !isVowel(base[i]) { i += 1 }
        if i == count { return nil }
        i += 1
        while i < count && isVowel(base[i]) { i += 1 }
        if i == count { return nil }
        return i + 1
    }

    /// The word as a String (UTF-8 encoded).
    /// R1 as the Danish and Swedish stemmers define it: after the first non-vowel that follows a vowel,
    /// but with at least three letters before it.
    func scandinavianR1(isVowel: (UInt32) -> Bool) -> Int {
        guard count >= 3, let position = pastVowelThenNonVowel(from: 0, isVowel: isVowel) else { return count }
        return max(position, 3)
    }

    /// Step 1 of the Danish and Swedish stemmers: remove the longest main suffix in R1; an "s" ending only
    /// after a letter the language allows there.
    mutating func removeMainSuffix(in table: SuffixTable<MainSuffixAction>, r1: Int, isSEnding: (UInt32) -> Bool) {
        guard let (start, action) = longestSuffix(in: table, limit: r1) else { return }
        switch action {
        case .delete:
            truncate(to: start)
        case .sEnding:
            if start > 0 && isSEnding(self[start - 1]) { truncate(to: start) }
        }
    }

    func makeString() -> String {
        if count == 0 { return "" }
        return String(unsafeUninitializedCapacity: count * 4) { out in
            var o = 0
            for i in 0..<count {
                let v = base[i]
                if v < 0x80 {
                    out[o] = UInt8(truncatingIfNeeded: v)
                    o += 1
                } else if v < 0x800 {
                    out[o] = UInt8(truncatingIfNeeded: 0xC0 | (v >> 6))
                    out[o + 1] = UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F))
                    o += 2
                } else if v < 0x1_0000 {
                    out[o] = UInt8(truncatingIfNeeded: 0xE0 | (v >> 12))
                    out[o + 1] = UInt8(truncatingIfNeeded: 0x80 | ((v >> 6) & 0x3F))
                    out[o + 2] = UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F))
                    o += 3
                } else {
                    out[o] = UInt8(truncatingIfNeeded: 0xF0 | (v >> 18))
                    out[o + 1] = UInt8(truncatingIfNeeded: 0x80 | ((v >> 12) & 0x3F))
                    out[o + 2] = UInt8(truncatingIfNeeded: 0x80 | ((v >> 6) & 0x3F))
                    out[o + 3] = UInt8(truncatingIfNeeded: 0x80 | (v & 0x3F))
                    o += 4
                }
            }
            return o
        }
    }
}

/// A list of suffixes with what to do for each, kept longest first so that
/// the first hit is Snowball's longest match.
struct SuffixTable<Action: Sendable>: Sendable {
    struct Entry: Sendable {
        let scalars: [UInt32]
        let action: Action
    }

    let entries: [Entry]

    init(_ pairs: [(String, Action)]) {
        entries = pairs
            .map { Entry(scalars: scalars($0.0), action: $0.1) }
            .sorted { $0.scalars.count > $1.scalars.count }
    }
}

/// The Unicode scalar values of a string literal.
func scalars(_ text: String) -> [UInt32] {
    text.unicodeScalars.map(\.value)
}

/// What step 1 of the Danish and Swedish stemmers does with a main suffix.
enum MainSuffixAction: Sendable { case delete, sEnding }
