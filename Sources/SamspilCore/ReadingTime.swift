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
    /// so every character is one scalar, CR LF aside) is counted scalar by scalar, which is much faster and
    /// counts the same; other text character by character.
    public static func words(in text: String) -> Int {
        guard !text.utf8.contains(where: { $0 >= 0xCC }) else {
            return text.split(whereSeparator: { $0.isWhitespace }).count
        }
        var count = 0
        var inWord = false
        for scalar in text.unicodeScalars {
            // Below U+0300 the White_Space characters are these.
            let value = scalar.value
            let isSpace = (0x09...0x0D).contains(value) || value == 0x20 || value == 0x85 || value == 0xA0
            if !isSpace && !inWord { count += 1 }
            inWord = !isSpace
        }
        return count
    }
}
