/// Reading time computed from a text, at an adult's silent reading speed for Danish non-fiction.
public enum ReadingTime {
    public static let wordsPerMinute = 200

    /// Whole minutes, never less than one.
    public static func minutes(forText text: String) -> Int {
        let words = text.split(whereSeparator: { $0.isWhitespace }).count
        return max(1, Int((Double(words) / Double(wordsPerMinute)).rounded(.up)))
    }
}
