/// Small rules for putting labels into Danish sentences.
public enum DanishText {
    /// A label as it reads inside a sentence ("Til \(…)", "Materialer om \(…)"): its first word in lower case,
    /// unless that word is an abbreviation or a name written with more than one capital ("PLC", "IT",
    /// "iPad"), which keeps its letters. The rest of the label is left as written.
    ///
    ///     midSentence("Eksterne læringsmiljøer")           // "eksterne læringsmiljøer"
    ///     midSentence("PLC (pædagogiske læringscentre)")   // "PLC (pædagogiske læringscentre)"
    public static func midSentence(_ label: String) -> String {
        guard let first = label.first, first.isUppercase else { return label }
        let word = label.prefix { $0.isLetter || $0.isNumber }
        if word.dropFirst().contains(where: \.isUppercase) { return label }
        return first.lowercased() + label.dropFirst()
    }

    /// Text in Danish quotation marks: „text“.
    public static func quoted(_ text: String) -> String {
        "„\(text)“"
    }

    /// A whole number with a dot between thousands, as Danish writes it: 200.000.
    public static func number(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(".") }
            result.append(digit)
        }
        return value < 0 ? "-" + result : result
    }
}
