import SamspilCore

/// Plot escapes text nodes but not attribute values, so every attribute value that carries data
/// goes through `attributeValue(_:)`.
enum HTMLEscaping {
    static func attributeValue(_ text: String) -> String {
        Markdown.escape(text, quotes: true)
    }

    /// JSON for a `<script type="application/ld+json">` block: `<`, `>` and `&` become \u escapes,
    /// so no text can end the script element.
    static func scriptJSON(_ json: String) -> String {
        json.replacingOccurrences(of: "<", with: "\\u003c")
            .replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026")
    }
}
