// The Snowball Swedish stemmer (snowballstem.org/algorithms/swedish/stemmer.html).
//
// R1 is the region after the first non-vowel following a vowel, but with at
// least three letters before it. All within R1: step 1 removes a main suffix
// (or -s after a valid s-ending), step 2 removes the last letter of a final
// dd/gd/nn/dt/gt/kt/tt, step 3 removes -lig, -ig, -els and turns -löst into
// -lös and -fullt into -full.

enum SwedishStemmer {
    private enum OtherAction: Sendable { case delete, dropLast }

    private static let mainSuffixes = SuffixTable<MainSuffixAction>([
        ("a", .delete), ("arna", .delete), ("erna", .delete), ("heterna", .delete),
        ("orna", .delete), ("ad", .delete), ("e", .delete), ("ade", .delete),
        ("ande", .delete), ("arne", .delete), ("are", .delete), ("aste", .delete),
        ("en", .delete), ("anden", .delete), ("aren", .delete), ("heten", .delete),
        ("ern", .delete), ("ar", .delete), ("er", .delete), ("heter", .delete),
        ("or", .delete), ("as", .delete), ("arnas", .delete), ("ernas", .delete),
        ("ornas", .delete), ("es", .delete), ("ades", .delete), ("andes", .delete),
        ("ens", .delete), ("arens", .delete), ("hetens", .delete), ("erns", .delete),
        ("at", .delete), ("andet", .delete), ("het", .delete), ("ast", .delete),
        ("s", .sEnding),
    ])

    private static let consonantPairs = SuffixTable<Void>([
        ("dd", ()), ("gd", ()), ("nn", ()), ("dt", ()), ("gt", ()), ("kt", ()), ("tt", ()),
    ])

    private static let otherSuffixes = SuffixTable<OtherAction>([
        ("lig", .delete), ("ig", .delete), ("els", .delete),
        ("löst", .dropLast),  // -> lös
        ("fullt", .dropLast),  // -> full
    ])

    @inline(__always)
    static func isVowel(_ c: UInt32) -> Bool {
        switch c {
        case 0x61, 0x65, 0x69, 0x6F, 0x75, 0x79: true  // a e i o u y
        case 0xE4, 0xE5, 0xF6: true  // ä å ö
        default: false
        }
    }

    @inline(__always)
    static func isSEnding(_ c: UInt32) -> Bool {
        // b c d f g h j k l m n o p r t v y
        switch c {
        case 0x62, 0x63, 0x64, 0x66, 0x67, 0x68, 0x6A, 0x6B, 0x6C, 0x6D,
             0x6E, 0x6F, 0x70, 0x72, 0x74, 0x76, 0x79: true
        default: false
        }
    }

    static func stem(_ w: inout StemBuffer) {
        let p1 = w.scandinavianR1(isVowel: isVowel)
        w.removeMainSuffix(in: mainSuffixes, r1: p1, isSEnding: isSEnding)

        // Step 2: consonant pairs.
        if w.longestSuffix(in: consonantPairs, limit: p1) != nil {
            w.truncate(to: w.count - 1)
        }

        // Step 3.
        if let (start, action) = w.longestSuffix(in: otherSuffixes, limit: p1) {
            switch action {
            case .delete: w.truncate(to: start)
            case .dropLast: w.truncate(to: w.count - 1)
            }
        }
    }
}
