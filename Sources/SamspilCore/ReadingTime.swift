/// Reading time computed from a text, at an adult's silent reading speed for Danish non-fiction.
public enum ReadingTime {
    public static let wordsPerMinute = 200

    /// Whole minutes, never less than one.
    public static func minutes(forText text: String) -> Int {
        minutes(forWords: words(in: text))
    }

    public static func minutes(forWords words: Int) -> Int {
        max(1, Int((Double(words) / Double(wordsPerMinute)).rounded(.up)))
    }

    /// Runs of characters between whitespace. Text whose scalars are all below U+0300 (no combining marks,
    /// so every character is one scalar, CR LF aside) is counted on its UTF-8 bytes in one pass, which is
    /// much faster and counts the same; other text character by character. Below U+0300 the White_Space
    /// characters are U+0009–U+000D, U+0020, U+0085 and U+00A0; UTF-8 lead bytes of U+0300 and above are
    /// 0xCC or more.
    public static func words(in text: String) -> Int {
        var copy = text
        let counted = copy.withUTF8 { words(inUTF8: $0) }
        return counted ?? text.split(whereSeparator: { $0.isWhitespace }).count
    }

    /// The words of UTF-8 text on its bytes, or nil when it holds characters from U+0300 on (then count a
    /// `String` of it).
    public static func words(inUTF8 bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        do {
            var count = 0
            var inWord = false
            var index = 0
            while index < bytes.count {
                if index + 8 <= bytes.count, let base = bytes.baseAddress {
                    let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                    if word & 0x8080_8080_8080_8080 == 0 {
                        let (starts, endsInWord) = Self.wordStarts(inASCII: word, afterWord: inWord)
                        count += starts
                        inWord = endsInWord
                        index += 8
                        continue
                    }
                }
                let byte = bytes[index]
                let isSpace: Bool
                if byte < 0x80 {
                    isSpace = (0x09...0x0D).contains(byte) || byte == 0x20
                    index += 1
                } else if byte >= 0xCC {
                    return nil
                } else {
                    // A two-byte sequence (lead 0xC2–0xCB): U+0085 and U+00A0 are C2 85 and C2 A0.
                    isSpace = byte == 0xC2 && index + 1 < bytes.count && (bytes[index + 1] == 0x85 || bytes[index + 1] == 0xA0)
                    index += 2
                }
                if !isSpace && !inWord { count += 1 }
                inWord = !isSpace
            }
            return count
        }
    }

    /// How many words begin among eight ASCII bytes (first byte lowest) — bytes that are not white space and
    /// follow one that is (or, for the first, follow white space before the eight) — and whether the last
    /// byte is in a word. Per byte b, with its top bit as the flag (all exact: no borrow or carry crosses
    /// bytes, since b < 0x80): b == 0x20 where b ^ 0x20 is zero; 0x09 <= b <= 0x0D where (b | 0x80) - 0x09
    /// keeps its top bit and (b | 0x80) - 0x0E does not.
    static func wordStarts(inASCII word: UInt64, afterWord: Bool) -> (starts: Int, endsInWord: Bool) {
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F, high: UInt64 = 0x8080_8080_8080_8080, ones: UInt64 = 0x0101_0101_0101_0101
        let x = word ^ (ones &* 0x20)
        let isBlank = ~(((x & low) &+ low) | x) & high
        let set = word | high
        let isControlSpace = (set &- ones &* 0x09) & ~(set &- ones &* 0x0E) & high
        let inWord = ~(isBlank | isControlSpace) & high
        let previous = (inWord << 8) | (afterWord ? 0x80 : 0)
        return ((inWord & ~previous).nonzeroBitCount, inWord >> 63 != 0)
    }
}
