import Testing

@testable import SamspilSearch

// Hand-picked cases. Words not in the Snowball vocabularies were checked
// against PostgreSQL 15's snowball dictionaries (ts_lexize), which agree with
// the vocabularies on every word.

@Suite("Stemmer")
struct StemmerTests {
    @Test("Danish", arguments: [
        ("partnerskaberne", "partnerskab"),
        ("partnerskab", "partnerskab"),
        ("samarbejder", "samarbejd"),
        ("samarbejdet", "samarbejd"),
        ("fællesskabernes", "fællesskab"),
        ("kommunerne", "kommun"),
        ("redskaberne", "redskab"),
        ("kosteligst", "kost"),  // -igst -> -ig, then -elig
        ("barnløst", "barnløs"),  // -løst -> -løs
        ("adspredte", "adspred"),  // -e, then dt -> d
        ("almindelig", "almind"),
        ("tilgængelighed", "tilgæng"),
        ("undervisning", "undervisning"),
        ("ø", "ø"),
    ])
    func danish(_ word: String, _ expected: String) {
        #expect(Stemmer(.danish).stem(word) == expected)
    }

    @Test("Swedish", arguments: [
        ("organisationsgränser", "organisationsgräns"),
        ("föreningarna", "förening"),
        ("kommunerna", "kommun"),
        ("gränslöst", "gränslös"),  // -löst -> -lös
        ("kärleksfullt", "kärleksfull"),  // -fullt -> -full
        ("fullt", "fullt"),  // R1 is empty
        ("tillsammans", "tillsamman"),
        ("tillgänglighet", "tillgäng"),
        ("frivilliga", "frivil"),
        ("ögonblick", "ögonblick"),
    ])
    func swedish(_ word: String, _ expected: String) {
        #expect(Stemmer(.swedish).stem(word) == expected)
    }

    @Test("English", arguments: [
        ("partnerships", "partnership"),
        ("collaborations", "collabor"),
        ("accessibility", "access"),
        ("running", "run"),
        ("hoping", "hope"),
        ("hopping", "hop"),
        ("agreed", "agre"),
        ("cries", "cri"),
        ("ties", "tie"),
        ("gaps", "gap"),
        ("gas", "gas"),
        ("sayings", "say"),  // y after a vowel is a consonant
        ("flying", "fli"),
        ("youth", "youth"),
        ("generously", "generous"),  // gener- R1 prefix
        ("generations", "generat"),
        ("communication", "communic"),
        ("arsenic", "arsenic"),
        ("skies", "sky"),  // exception list
        ("news", "news"),
        ("succeeded", "succeed"),
        ("traditional", "tradit"),
        ("controlling", "control"),
        ("happily", "happili"),
        ("'s", "'s"),  // shorter than three letters
        ("a''", "a'"),
        ("by", "by"),
    ])
    func english(_ word: String, _ expected: String) {
        #expect(Stemmer(.english).stem(word) == expected)
    }

    @Test("empty input", arguments: StemmerLanguage.allCases)
    func empty(_ language: StemmerLanguage) {
        #expect(Stemmer(language).stem("") == "")
    }

    @Test("language codes")
    func codes() {
        #expect(StemmerLanguage(rawValue: "da") == .danish)
        #expect(StemmerLanguage(rawValue: "sv") == .swedish)
        #expect(StemmerLanguage(rawValue: "en") == .english)
    }

    @Test("usable from concurrent tasks")
    func concurrent() async {
        let stemmer = Stemmer(.danish)
        let results = await withTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask { stemmer.stem("partnerskaberne") }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: "partnerskab", count: 8))
    }
}
