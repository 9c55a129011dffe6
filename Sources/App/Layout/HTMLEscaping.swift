/// Escaping that `HTMLOutput` does not do itself (it escapes every text and attribute value).
enum HTMLEscaping {
    /// JSON for a `<script type="application/ld+json">` block: `<`, `>` and `&` become \u escapes,
    /// so no text can end the script element.
    static func scriptJSON(_ json: String) -> String {
        json.replacingOccurrences(of: "<", with: "\\u003c")
            .replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026")
    }
}
