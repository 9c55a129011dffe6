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

    public static func isValid(_ slug: String) -> Bool {
        guard !slug.isEmpty, slug.count <= maxLength, !slug.hasPrefix("-"), !slug.hasSuffix("-"),
              !slug.contains("--") else { return false }
        return slug.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
