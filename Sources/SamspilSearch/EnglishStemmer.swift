// The Snowball English stemmer, "Porter2"
// (snowballstem.org/algorithms/english/stemmer.html).
//
// Outline: a few whole-word exceptions; words under three letters are left
// alone; a leading apostrophe is dropped and consonant-y is marked as Y; R1 and
// R2 are computed (with gener-, commun-, arsen- as special R1 prefixes); then
// steps 1a (plurals, possessives), a second exception list, 1b (-ed, -ing,
// -eed, ...), 1c (y -> i), 2, 3, 4 (derivational suffixes in R1/R2) and 5
// (final -e, -ll); finally Y is turned back into y.

enum EnglishStemmer {
    private static let e: UInt32 = 0x65, i: UInt32 = 0x69, l: UInt32 = 0x6C
    private static let s: UInt32 = 0x73, t: UInt32 = 0x74, w: UInt32 = 0x77, x: UInt32 = 0x78
    private static let y: UInt32 = 0x79, Y: UInt32 = 0x59, apostrophe: UInt32 = 0x27

    /// Whole words with a fixed stem, checked before anything else.
    static func exception1(_ word: String) -> String? {
        let n = word.utf8.count
        guard n >= 3 && n <= 6 else { return nil }
        switch word {
        case "skis": return "ski"
        case "skies": return "sky"
        case "dying": return "die"
        case "lying": return "lie"
        case "tying": return "tie"
        case "idly": return "idl"
        case "gently": return "gentl"
        case "ugly": return "ugli"
        case "early": return "earli"
        case "only": return "onli"
        case "singly": return "singl"
        case "sky", "news", "howe", "atlas", "cosmos", "bias", "andes": return word
        default: return nil
        }
    }

    /// Whole words (after step 1a) that are left as they are.
    private static let exception2 = SuffixTable<Void>([
        ("inning", ()), ("outing", ()), ("canning", ()), ("herring", ()), ("earring", ()),
        ("proceed", ()), ("exceed", ()), ("succeed", ()),
    ])

    /// Prefixes after which R1 starts, instead of the usual rule.
    private static let r1Prefixes: [[UInt32]] = [scalars("gener"), scalars("commun"), scalars("arsen")]

    private static let apostropheSuffixes = SuffixTable<Void>([("'", ()), ("'s", ()), ("'s'", ())])

    private enum Step1aAction: Sendable { case sses, ies, s, keep }
    private static let step1a = SuffixTable<Step1aAction>([
        ("sses", .sses), ("ied", .ies), ("ies", .ies), ("s", .s), ("us", .keep), ("ss", .keep),
    ])

    private enum Step1bAction: Sendable { case eed, ed }
    private static let step1b = SuffixTable<Step1bAction>([
        ("eed", .eed), ("eedly", .eed), ("ed", .ed), ("edly", .ed), ("ing", .ed), ("ingly", .ed),
    ])

    private enum Step1bEnding: Sendable { case addE, undouble }
    private static let step1bEndings = SuffixTable<Step1bEnding>([
        ("at", .addE), ("bl", .addE), ("iz", .addE),
        ("bb", .undouble), ("dd", .undouble), ("ff", .undouble), ("gg", .undouble), ("mm", .undouble),
        ("nn", .undouble), ("pp", .undouble), ("rr", .undouble), ("tt", .undouble),
    ])

    private enum Step2Action: Sendable { case replace([UInt32]), ogi, li }
    private static let step2 = SuffixTable<Step2Action>([
        ("tional", .replace(scalars("tion"))),
        ("enci", .replace(scalars("ence"))),
        ("anci", .replace(scalars("ance"))),
        ("abli", .replace(scalars("able"))),
        ("entli", .replace(scalars("ent"))),
        ("izer", .replace(scalars("ize"))), ("ization", .replace(scalars("ize"))),
        ("ational", .replace(scalars("ate"))), ("ation", .replace(scalars("ate"))),
        ("ator", .replace(scalars("ate"))),
        ("alism", .replace(scalars("al"))), ("aliti", .replace(scalars("al"))),
        ("alli", .replace(scalars("al"))),
        ("fulness", .replace(scalars("ful"))),
        ("ousli", .replace(scalars("ous"))), ("ousness", .replace(scalars("ous"))),
        ("iveness", .replace(scalars("ive"))), ("iviti", .replace(scalars("ive"))),
        ("biliti", .replace(scalars("ble"))), ("bli", .replace(scalars("ble"))),
        ("ogi", .ogi),
        ("fulli", .replace(scalars("ful"))),
        ("lessli", .replace(scalars("less"))),
        ("li", .li),
    ])

    private enum Step3Action: Sendable { case replace([UInt32]), delete, deleteInR2 }
    private static let step3 = SuffixTable<Step3Action>([
        ("tional", .replace(scalars("tion"))),
        ("ational", .replace(scalars("ate"))),
        ("alize", .replace(scalars("al"))),
        ("icate", .replace(scalars("ic"))), ("iciti", .replace(scalars("ic"))),
        ("ical", .replace(scalars("ic"))),
        ("ful", .delete), ("ness", .delete),
        ("ative", .deleteInR2),
    ])

    private enum Step4Action: Sendable { case delete, ion }
    private static let step4 = SuffixTable<Step4Action>(
        ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement",
         "ment", "ent", "ism", "ate", "iti", "ous", "ive", "ize"].map { ($0, .delete) }
            + [("ion", .ion)]
    )

    @inline(__always)
    static func isVowel(_ c: UInt32) -> Bool {
        switch c {
        case 0x61, 0x65, 0x69, 0x6F, 0x75, 0x79: true  // a e i o u y (not Y)
        default: false
        }
    }

    @inline(__always)
    private static func isVowelWXY(_ c: UInt32) -> Bool {
        isVowel(c) || c == w || c == x || c == Y
    }

    @inline(__always)
    private static func isValidLI(_ c: UInt32) -> Bool {
        switch c {
        case 0x63, 0x64, 0x65, 0x67, 0x68, 0x6B, 0x6D, 0x6E, 0x72, 0x74: true  // c d e g h k m n r t
        default: false
        }
    }

    /// Whether the word up to `end` ends in a short syllable: non-vowel,
    /// vowel, non-vowel other than w, x or Y; or vowel, non-vowel at the
    /// very start of the word.
    @inline(__always)
    private static func endsInShortSyllable(_ word: StemBuffer, _ end: Int) -> Bool {
        if end >= 3 && !isVowelWXY(word[end - 1]) && isVowel(word[end - 2]) && !isVowel(word[end - 3]) {
            return true
        }
        return end == 2 && !isVowel(word[1]) && isVowel(word[0])
    }

    static func stem(_ word: inout StemBuffer) {
        if word.count < 3 { return }

        // Prelude: drop a leading apostrophe; y at the start or after a vowel
        // is a consonant, marked Y.
        if word[0] == apostrophe { word.removeFirst() }
        var foundY = false
        if word.count > 0 && word[0] == y {
            word[0] = Y
            foundY = true
        }
        var k = 1
        while k < word.count {
            if word[k] == y && isVowel(word[k - 1]) {
                word[k] = Y
                foundY = true
            }
            k += 1
        }

        // Regions.
        var p1 = word.count
        var p2 = word.count
        var r1Start: Int? = nil
        for prefix in r1Prefixes where prefix.count <= word.count {
            var matches = true
            for j in 0..<prefix.count where word[j] != prefix[j] {
                matches = false
                break
            }
            if matches {
                r1Start = prefix.count
                break
            }
        }
        if r1Start == nil { r1Start = word.pastVowelThenNonVowel(from: 0, isVowel: isVowel) }
        if let r1Start {
            p1 = r1Start
            if let r2Start = word.pastVowelThenNonVowel(from: r1Start, isVowel: isVowel) { p2 = r2Start }
        }

        step1a(&word)

        let isException2 = word.longestSuffix(in: exception2).map { $0.start == 0 } ?? false
        if !isException2 {
            step1b(&word, p1)
            step1c(&word)
            step2(&word, p1)
            step3(&word, p1, p2)
            step4(&word, p2)
            step5(&word, p1, p2)
        }

        // Postlude.
        if foundY {
            for j in 0..<word.count where word[j] == Y { word[j] = y }
        }
    }

    @inline(__always)
    private static func step1a(_ word: inout StemBuffer) {
        if let (start, _) = word.longestSuffix(in: apostropheSuffixes) {
            word.truncate(to: start)
        }
        guard let (start, action) = word.longestSuffix(in: step1a) else { return }
        switch action {
        case .sses:
            word.truncate(to: start + 2)  // -> ss
        case .ies:
            word.truncate(to: start >= 2 ? start + 1 : start + 2)  // -> i, or ie after one letter
        case .s:
            // Delete if the part before the letter preceding the s has a vowel.
            guard start >= 1 else { return }
            var j = 0
            while j < start - 1 {
                if isVowel(word[j]) {
                    word.truncate(to: start)
                    return
                }
                j += 1
            }
        case .keep:
            break
        }
    }

    @inline(__always)
    private static func step1b(_ word: inout StemBuffer, _ p1: Int) {
        guard let (start, action) = word.longestSuffix(in: step1b) else { return }
        switch action {
        case .eed:
            if start >= p1 { word.truncate(to: start + 2) }  // -> ee
        case .ed:
            var hasVowel = false
            for j in 0..<start where isVowel(word[j]) {
                hasVowel = true
                break
            }
            guard hasVowel else { return }
            word.truncate(to: start)
            if let (_, ending) = word.longestSuffix(in: step1bEndings) {
                switch ending {
                case .addE: word.append(e)
                case .undouble: word.truncate(to: word.count - 1)
                }
            } else if p1 == word.count && endsInShortSyllable(word, word.count) {
                word.append(e)
            }
        }
    }

    @inline(__always)
    private static func step1c(_ word: inout StemBuffer) {
        let n = word.count
        if n >= 3 && (word[n - 1] == y || word[n - 1] == Y) && !isVowel(word[n - 2]) {
            word[n - 1] = i
        }
    }

    @inline(__always)
    private static func step2(_ word: inout StemBuffer, _ p1: Int) {
        guard let (start, action) = word.longestSuffix(in: step2), start >= p1 else { return }
        switch action {
        case .replace(let replacement):
            word.replaceTail(from: start, with: replacement)
        case .ogi:
            if start >= 1 && word[start - 1] == l { word.truncate(to: start + 2) }  // -> og
        case .li:
            if start >= 1 && isValidLI(word[start - 1]) { word.truncate(to: start) }
        }
    }

    @inline(__always)
    private static func step3(_ word: inout StemBuffer, _ p1: Int, _ p2: Int) {
        guard let (start, action) = word.longestSuffix(in: step3), start >= p1 else { return }
        switch action {
        case .replace(let replacement):
            word.replaceTail(from: start, with: replacement)
        case .delete:
            word.truncate(to: start)
        case .deleteInR2:
            if start >= p2 { word.truncate(to: start) }
        }
    }

    @inline(__always)
    private static func step4(_ word: inout StemBuffer, _ p2: Int) {
        guard let (start, action) = word.longestSuffix(in: step4), start >= p2 else { return }
        switch action {
        case .delete:
            word.truncate(to: start)
        case .ion:
            if start >= 1 && (word[start - 1] == s || word[start - 1] == t) { word.truncate(to: start) }
        }
    }

    @inline(__always)
    private static func step5(_ word: inout StemBuffer, _ p1: Int, _ p2: Int) {
        let n = word.count
        guard n >= 1 else { return }
        let start = n - 1
        if word[start] == e {
            if start >= p2 || (start >= p1 && !endsInShortSyllable(word, start)) {
                word.truncate(to: start)
            }
        } else if word[start] == l {
            if start >= p2 && start >= 1 && word[start - 1] == l { word.truncate(to: start) }
        }
    }
}
