// The Snowball Danish stemmer (snowballstem.org/algorithms/danish/stemmer.html).
//
// R1 is the region after the first non-vowel following a vowel, but with at
// least three letters before it. Then, all within R1: step 1 removes a main
// suffix (or -s after a valid s-ending), step 2 removes the last letter of a
// final gd/dt/gt/kt, step 3 changes -igst to -ig and removes -ig, -lig,
// -elig, -els (repeating step 2 afterwards) or turns -løst into -løs, and
// step 4 undoubles a final double consonant.

enum DanishStemmer {
    private enum OtherAction: Sendable { case deleteThenConsonantPair, loest }

    private static let mainSuffixes = SuffixTable<MainSuffixAction>([
        ("hed", .delete), ("ethed", .delete), ("ered", .delete), ("e", .delete),
        ("erede", .delete), ("ende", .delete), ("erende", .delete), ("ene", .delete),
        ("erne", .delete), ("ere", .delete), ("en", .delete), ("heden", .delete),
        ("eren", .delete), ("er", .delete), ("heder", .delete), ("erer", .delete),
        ("heds", .delete), ("es", .delete), ("endes", .delete), ("erendes", .delete),
        ("enes", .delete), ("ernes", .delete), ("eres", .delete), ("ens", .delete),
        ("hedens", .delete), ("erens", .delete), ("ers", .delete), ("ets", .delete),
        ("erets", .delete), ("et", .delete), ("eret", .delete),
        ("s", .sEnding),
    ])

    private static let consonantPairs = SuffixTable<Void>([
        ("gd", ()), ("dt", ()), ("gt", ()), ("kt", ()),
    ])

    private static let otherSuffixes = SuffixTable<OtherAction>([
        ("ig", .deleteThenConsonantPair), ("lig", .deleteThenConsonantPair),
        ("elig", .deleteThenConsonantPair), ("els", .deleteThenConsonantPair),
        ("løst", .loest),
    ])

    private static let igst = scalars("igst")

    @inline(__always)
    static func isVowel(_ c: UInt32) -> Bool {
        switch c {
        case 0x61, 0x65, 0x69, 0x6F, 0x75, 0x79: true  // a e i o u y
        case 0xE6, 0xE5, 0xF8: true  // æ å ø
        default: false
        }
    }

    @inline(__always)
    static func isConsonant(_ c: UInt32) -> Bool {
        // b c d f g h j k l m n p q r s t v w x z
        switch c {
        case 0x62, 0x63, 0x64, 0x66, 0x67, 0x68, 0x6A, 0x6B, 0x6C, 0x6D,
             0x6E, 0x70, 0x71, 0x72, 0x73, 0x74, 0x76, 0x77, 0x78, 0x7A: true
        default: false
        }
    }

    @inline(__always)
    static func isSEnding(_ c: UInt32) -> Bool {
        // a b c d f g h j k l m n o p r t v y z å
        switch c {
        case 0x61, 0x62, 0x63, 0x64, 0x66, 0x67, 0x68, 0x6A, 0x6B, 0x6C, 0x6D,
             0x6E, 0x6F, 0x70, 0x72, 0x74, 0x76, 0x79, 0x7A, 0xE5: true
        default: false
        }
    }

    static func stem(_ w: inout StemBuffer) {
        let p1 = w.scandinavianR1(isVowel: isVowel)
        w.removeMainSuffix(in: mainSuffixes, r1: p1, isSEnding: isSEnding)

        // Step 2.
        consonantPair(&w, p1)

        // Step 3.
        if w.hasSuffix(igst) { w.truncate(to: w.count - 2) }
        if let (start, action) = w.longestSuffix(in: otherSuffixes, limit: p1) {
            switch action {
            case .deleteThenConsonantPair:
                w.truncate(to: start)
                consonantPair(&w, p1)
            case .loest:
                w.truncate(to: w.count - 1)
            }
        }

        // Step 4: undouble a final consonant in R1.
        let n = w.count
        if n - 1 >= p1 && n >= 2 && isConsonant(w[n - 1]) && w[n - 2] == w[n - 1] {
            w.truncate(to: n - 1)
        }
    }

    @inline(__always)
    private static func consonantPair(_ w: inout StemBuffer, _ p1: Int) {
        if w.longestSuffix(in: consonantPairs, limit: p1) != nil {
            w.truncate(to: w.count - 1)
        }
    }
}
