/// What changed between two revisions of a material, field by field, in words an editor reads: each
/// changed field with its Danish label and the lines removed and added (a line diff for long texts).
public struct MaterialDiff: Sendable, Equatable {
    public struct Change: Sendable, Equatable {
        /// The field's Danish label ("Titel", "Brødtekst").
        public var label: String
        public var lines: [DiffLine]
    }

    public var changes: [Change]

    public var isEmpty: Bool { changes.isEmpty }

    /// The changes from `old` to `new` (nil `old`: everything is new). Dates and versions' storage details
    /// are left out: they change with every save or are not part of the text.
    public init(from old: Material?, to new: Material, labels: (VocabularyKind, String) -> String = { $1 }) {
        func fields(_ material: Material) -> [(String, String)] {
            [
                ("Titel", material.title),
                ("Adresse", material.slug),
                ("Genre", material.genre?.label ?? ""),
                ("Type", labels(.materialType, material.type)),
                ("Manchet", material.teaser),
                ("Brødtekst", material.body),
                ("Kreditering", material.credits.kind.label),
                ("Personer", material.credits.persons.joined(separator: "\n")),
                ("Organisation", material.credits.organisation ?? ""),
                ("År", material.year.map(String.init) ?? ""),
                ("Sprog", material.language.label),
                ("Læsetid (minutter)", material.readingMinutes.map(String.init) ?? ""),
                ("Målgrupper", material.audiences.map { labels(.audience, $0) }.joined(separator: "\n")),
                ("Emner", material.topics.map { labels(.topic, $0) }.joined(separator: "\n")),
                ("Udgaver", material.versions.map { "\($0.displayLabel): \($0.url ?? $0.fileName ?? $0.availability.rawValue)" }.joined(separator: "\n")),
                ("Status", material.status.label),
            ]
        }
        let before = old.map(fields) ?? fields(new).map { ($0.0, "") }
        changes = zip(before, fields(new)).compactMap { old, new in
            old.1 == new.1 ? nil : Change(label: new.0, lines: DiffLine.diff(old.1, new.1))
        }
    }
}

/// One line of a line diff: kept, removed or added.
public struct DiffLine: Sendable, Equatable {
    public enum Kind: String, Sendable { case same, removed, added }

    public var kind: Kind
    public var text: String

    public init(_ kind: Kind, _ text: String) {
        self.kind = kind
        self.text = text
    }

    /// A line diff of two texts: the longest common subsequence of their lines is kept, the rest removed
    /// or added. Beyond `maxCells` (lines × lines) it gives up on alignment and shows all old lines removed
    /// and all new ones added, so a huge text cannot make a page slow.
    public static func diff(_ old: String, _ new: String, maxCells: Int = 4_000_000) -> [DiffLine] {
        // Lines end in LF, CRLF or CR. (Split by scalars: CRLF is one Character, which a split on "\n" would miss.)
        func lines(_ text: String) -> [String] {
            text.isEmpty ? [] : Markdown.normalisingLineBreaks(text).unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String(String.UnicodeScalarView($0)) }
        }
        let a = lines(old), b = lines(new)
        // Common lines at both ends need no table.
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let x = Array(a[prefix..<(a.count - suffix)]), y = Array(b[prefix..<(b.count - suffix)])
        var middle: [DiffLine] = []
        if x.count * y.count > maxCells {
            middle = x.map { DiffLine(.removed, $0) } + y.map { DiffLine(.added, $0) }
        } else {
            // lengths[i][j]: LCS length of x[i...] and y[j...].
            let width = y.count + 1
            var lengths = [Int](repeating: 0, count: (x.count + 1) * width)
            for i in stride(from: x.count - 1, through: 0, by: -1) {
                for j in stride(from: y.count - 1, through: 0, by: -1) {
                    lengths[i * width + j] = x[i] == y[j]
                        ? lengths[(i + 1) * width + j + 1] + 1
                        : max(lengths[(i + 1) * width + j], lengths[i * width + j + 1])
                }
            }
            var i = 0, j = 0
            while i < x.count || j < y.count {
                if i < x.count, j < y.count, x[i] == y[j] {
                    middle.append(DiffLine(.same, x[i])); i += 1; j += 1
                } else if i < x.count, j == y.count || lengths[(i + 1) * width + j] >= lengths[i * width + j + 1] {
                    middle.append(DiffLine(.removed, x[i])); i += 1
                } else {
                    middle.append(DiffLine(.added, y[j])); j += 1
                }
            }
        }
        return a[..<prefix].map { DiffLine(.same, $0) } + middle + a[(a.count - suffix)...].map { DiffLine(.same, $0) }
    }
}
