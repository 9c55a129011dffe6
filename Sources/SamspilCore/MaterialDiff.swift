/// What changed between two revisions of a material, field by field, in words an editor reads: each
/// changed field with its label (`MaterialField.label`, as in the edit form) and its text with the changed
/// words marked. Long texts are compared line by line first (paragraphs are lines), then word by word within
/// the lines that changed; unchanged lines far from a change are left out.
public struct MaterialDiff: Sendable, Equatable {
    public struct Change: Sendable, Equatable {
        public var field: MaterialField
        public var blocks: [DiffBlock]

        /// The field's Danish label ("Titel", "Tekst").
        public var label: String { field.label }
    }

    public var changes: [Change]

    public var isEmpty: Bool { changes.isEmpty }

    /// The fields a diff compares, in the edit form's order, as text (lists one item per line). Dates and
    /// versions' storage details are left out: they change with every save or are not part of the text.
    public static func fields(_ material: Material, labels: (VocabularyKind, String) -> String = { $1 }) -> [(MaterialField, String)] {
        [
            (.title, material.title),
            (.slug, material.slug),
            (.genre, material.genre?.label ?? ""),
            (.type, labels(.materialType, material.type)),
            (.teaser, material.teaser),
            (.body, material.body),
            (.creditKind, material.credits.kind.label),
            (.persons, material.credits.persons.joined(separator: "\n")),
            (.organisation, material.credits.organisation ?? ""),
            (.year, material.year.map(String.init) ?? ""),
            (.language, material.language.label),
            (.readingMinutes, material.readingMinutes.map(String.init) ?? ""),
            // Audiences and topics are ticked boxes, a set: their order is no change (the seed's is not the form's).
            (.audiences, material.audiences.map { labels(.audience, $0) }.sorted().joined(separator: "\n")),
            (.topics, material.topics.map { labels(.topic, $0) }.sorted().joined(separator: "\n")),
            (.versions, material.versions.map { "\($0.displayLabel): \($0.url ?? $0.fileName ?? $0.availability.rawValue)" }.joined(separator: "\n")),
            (.status, material.status.label),
        ]
    }

    /// The changes from `old` to `new` (nil `old`: everything is new).
    public init(from old: Material?, to new: Material, context: Int = 2, labels: (VocabularyKind, String) -> String = { $1 }) {
        let after = Self.fields(new, labels: labels)
        let before = old.map { Self.fields($0, labels: labels) } ?? after.map { ($0.0, "") }
        changes = zip(before, after).compactMap { old, new in
            old.1 == new.1 ? nil : Change(field: new.0, blocks: DiffBlock.diff(old.1, new.1, context: context))
        }
    }
}

/// A piece of a field's diff: a line that stayed the same, a number of unchanged lines left out, or changed
/// lines with their words marked.
public enum DiffBlock: Sendable, Equatable {
    case unchanged(String)
    case omitted(lines: Int)
    case changed([DiffSegment])

    /// The diff of two texts: a line diff (the longest common subsequence of lines), in which each run of
    /// removed and added lines is compared word by word. Unchanged lines more than `context` lines from a
    /// change are left out (as `omitted`; a single line is shown rather than left out).
    public static func diff(_ old: String, _ new: String, context: Int = 2, maxCells: Int = 4_000_000) -> [DiffBlock] {
        let lines = DiffLine.diff(old, new, maxCells: maxCells)
        // Runs: unchanged lines one by one, changed lines grouped.
        var runs: [(same: String?, removed: [String], added: [String])] = []
        for line in lines {
            switch line.kind {
            case .same: runs.append((line.text, [], []))
            case .removed, .added:
                if runs.last?.same != nil || runs.isEmpty { runs.append((nil, [], [])) }
                if line.kind == .removed { runs[runs.count - 1].removed.append(line.text) } else { runs[runs.count - 1].added.append(line.text) }
            }
        }
        let changedAt = runs.indices.filter { runs[$0].same == nil }
        func isNearChange(_ index: Int) -> Bool {
            changedAt.contains { abs($0 - index) <= context }
        }
        var blocks: [DiffBlock] = []
        var left = 0
        func flushLeftOut(upTo index: Int) {
            guard left > 0 else { return }
            if left == 1, let text = runs[index - 1].same { blocks.append(.unchanged(text)) } else { blocks.append(.omitted(lines: left)) }
            left = 0
        }
        for (index, run) in runs.enumerated() {
            if let text = run.same {
                if isNearChange(index) {
                    flushLeftOut(upTo: index)
                    blocks.append(.unchanged(text))
                } else {
                    left += 1
                }
            } else {
                flushLeftOut(upTo: index)
                blocks.append(.changed(DiffSegment.diff(run.removed.joined(separator: "\n"), run.added.joined(separator: "\n"), maxCells: maxCells)))
            }
        }
        flushLeftOut(upTo: runs.count)
        return blocks
    }
}

/// A run of text within changed lines: kept, removed or added.
public struct DiffSegment: Sendable, Equatable {
    public enum Kind: String, Sendable { case same, removed, added }

    public var kind: Kind
    public var text: String

    public init(_ kind: Kind, _ text: String) {
        self.kind = kind
        self.text = text
    }

    /// A word diff of two texts. Words (letters and digits), runs of spaces and single other characters are
    /// the units; the longest common subsequence of them is kept. Kept text between two changes that is no
    /// longer than the changes on either side of it (a space, a short word) joins them, so a changed phrase
    /// reads as one removal followed by one addition ("korte ~~eller lange~~ , lange eller varige", not a
    /// word-by-word alternation). Each removal comes before its addition. Beyond `maxCells` the whole old text
    /// is removed and the new one added.
    public static func diff(_ old: String, _ new: String, maxCells: Int = 4_000_000) -> [DiffSegment] {
        let x = tokens(old), y = tokens(new)
        var operations: [(Kind, String)] = []
        var prefix = 0
        while prefix < x.count, prefix < y.count, x[prefix] == y[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < x.count - prefix, suffix < y.count - prefix, x[x.count - 1 - suffix] == y[y.count - 1 - suffix] { suffix += 1 }
        let a = Array(x[prefix..<(x.count - suffix)]), b = Array(y[prefix..<(y.count - suffix)])
        operations += x[..<prefix].map { (.same, $0) }
        if a.count * b.count > maxCells {
            operations += a.map { (.removed, $0) } + b.map { (.added, $0) }
        } else {
            let width = b.count + 1
            var lengths = [Int](repeating: 0, count: (a.count + 1) * width)
            for i in stride(from: a.count - 1, through: 0, by: -1) {
                for j in stride(from: b.count - 1, through: 0, by: -1) {
                    lengths[i * width + j] = a[i] == b[j]
                        ? lengths[(i + 1) * width + j + 1] + 1
                        : max(lengths[(i + 1) * width + j], lengths[i * width + j + 1])
                }
            }
            var i = 0, j = 0
            while i < a.count || j < b.count {
                if i < a.count, j < b.count, a[i] == b[j] {
                    operations.append((.same, a[i])); i += 1; j += 1
                } else if i < a.count, j == b.count || lengths[(i + 1) * width + j] >= lengths[i * width + j + 1] {
                    operations.append((.removed, a[i])); i += 1
                } else {
                    operations.append((.added, b[j])); j += 1
                }
            }
        }
        operations += x[(x.count - suffix)...].map { (.same, $0) }

        // Runs: kept text, and changes as (removed, added) pairs.
        var runs: [(same: String?, removed: String, added: String)] = []
        for (kind, text) in operations {
            switch kind {
            case .same:
                if let last = runs.last, last.same != nil { runs[runs.count - 1].same! += text } else { runs.append((text, "", "")) }
            case .removed, .added:
                if runs.isEmpty || runs[runs.count - 1].same != nil { runs.append((nil, "", "")) }
                if kind == .removed { runs[runs.count - 1].removed += text } else { runs[runs.count - 1].added += text }
            }
        }
        // Kept text between two changes that is not longer than either change becomes part of both.
        var index = 1
        while index + 1 < runs.count {
            if let kept = runs[index].same, runs[index - 1].same == nil, runs[index + 1].same == nil {
                let before = max(runs[index - 1].removed.count, runs[index - 1].added.count)
                let after = max(runs[index + 1].removed.count, runs[index + 1].added.count)
                if kept.count <= before, kept.count <= after {
                    let next = runs.remove(at: index + 1)
                    runs.remove(at: index)
                    runs[index - 1].removed += kept + next.removed
                    runs[index - 1].added += kept + next.added
                    index = max(1, index - 1)
                    continue
                }
            }
            index += 1
        }
        return runs.flatMap { run -> [DiffSegment] in
            if let same = run.same { return [DiffSegment(.same, same)] }
            return (run.removed.isEmpty ? [] : [DiffSegment(.removed, run.removed)]) + (run.added.isEmpty ? [] : [DiffSegment(.added, run.added)])
        }
    }

    /// Words (letters, digits and marks), runs of horizontal space, and every other character alone.
    static func tokens(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        var currentIsWord = false, currentIsSpace = false
        for character in text {
            let isWord = character.isLetter || character.isNumber
            let isSpace = character == " " || character == "\t"
            if !current.isEmpty, (isWord && currentIsWord) || (isSpace && currentIsSpace) {
                current.append(character)
                continue
            }
            if !current.isEmpty { result.append(current) }
            current = String(character)
            currentIsWord = isWord
            currentIsSpace = isSpace
        }
        if !current.isEmpty { result.append(current) }
        return result
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
