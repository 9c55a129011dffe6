import Foundation

/// URL slugs: lowercase ASCII letters, digits and single hyphens.
public enum Slug {
    /// Makes a slug from a Danish/Swedish title: æ→ae, ø→oe, å→aa, ä→ae, ö→oe, other accents dropped.
    public static func make(from text: String) -> String {
        var result = ""
        var pendingHyphen = false
        for scalar in text.lowercased().unicodeScalars {
            let mapped: String
            switch scalar {
            case "æ", "ä": mapped = "ae"
            case "ø", "ö": mapped = "oe"
            case "å": mapped = "aa"
            case "ü": mapped = "ue"
            case "ß": mapped = "ss"
            default:
                let folded = String(scalar).folding(options: [.diacriticInsensitive], locale: nil)
                mapped = folded
            }
            for ch in mapped.unicodeScalars {
                if ("a"..."z").contains(ch) || ("0"..."9").contains(ch) {
                    if pendingHyphen && !result.isEmpty { result.append("-") }
                    pendingHyphen = false
                    result.unicodeScalars.append(ch)
                } else {
                    pendingHyphen = true
                }
            }
        }
        return result
    }

    public static let maxLength = 120

    /// Slugs the editor's pages use for themselves (`/redaktion/materialer/ny`), so no material or theme may have them.
    public static let reserved: Set<String> = ["ny"]
    public static let reservedMessage = "Vælg en anden adresse – „ny“ bruges af redaktionens side for nye materialer og temaer."

    /// The stem for a new record's slug made from its name: `fallback` when the name gives none or a `reserved` one,
    /// cut so that a "-N" still fits.
    public static func stem(for name: String, fallback: String, reserved: Set<String>) -> String {
        var base = make(from: name)
        if base.isEmpty || reserved.contains(base) { base = fallback }
        return String(base.prefix(maxLength - 6)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }

    /// `stem` if it is free, else the first of "stem-2", "stem-3" … that is not `taken`.
    public static func firstFree(_ stem: String, taken: Set<String>) -> String {
        if !taken.contains(stem) { return stem }
        var number = 2
        while taken.contains("\(stem)-\(number)") { number += 1 }
        return "\(stem)-\(number)"
    }

    public static func isValid(_ slug: String) -> Bool {
        guard !slug.isEmpty, slug.count <= maxLength, !slug.hasPrefix("-"), !slug.hasSuffix("-"),
              !slug.contains("--") else { return false }
        return slug.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
