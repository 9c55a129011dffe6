@testable import App
import Fluent
import Foundation
import SQLKit
import SamspilCore
import SamspilSearch
import Testing
import Vapor

/// The committed relevance set and the search behaviour, on SQLite and PostgreSQL.
@Suite struct SearchTests {
    struct Case: Decodable {
        var query: String
        var about: String
        /// Materials that must all be among the first three; empty means nothing may be found.
        var top3: [String]
    }

    static func cases() throws -> [Case] {
        try JSONDecoder().decode([Case].self, from: Data(try TestFiles.fixture("relevance.json").utf8))
    }

    /// The seed plus the relevance corpus (Danish, Swedish and English materials).
    static func withSearchApp(_ backend: TestBackend, _ body: (Application) async throws -> Void) async throws {
        try await withApp(backend) { app in
            _ = try await importContent(Data(try TestFiles.fixture("relevance-corpus.json").utf8), on: app)
            try await body(app)
        }
    }

    /// Another process's change is seen within a second: a process trusts the content revision it read for half
    /// a second (`PageCache.freshFor`) unless it wrote itself.
    static func waitForOtherProcesses() async throws {
        try await Task.sleep(for: .milliseconds(600))
    }

    static func search(_ app: Application, _ text: String, _ change: (inout MaterialQuery) -> Void = { _ in }) async throws -> SearchResult {
        var query = MaterialQuery(text: text, sort: .relevance)
        change(&query)
        return try await SearchQueries.search(query, engine: app.samspil.searchEngine, on: app.db)
    }

    @Test(arguments: TestBackend.all)
    func relevanceSet(backend: TestBackend) async throws {
        let cases = try Self.cases()
        #expect(cases.count >= 40)
        try await Self.withSearchApp(backend) { app in
            var failures: [String] = []
            for item in cases {
                let result = try await Self.search(app, item.query)
                let top = result.hits.items.prefix(3).map(\.material.slug)
                if item.top3.isEmpty {
                    if result.hits.total != 0 { failures.append("\(item.query) (\(item.about)): expected nothing, got \(top)") }
                } else if !item.top3.allSatisfy(top.contains) {
                    failures.append("\(item.query) (\(item.about)): expected \(item.top3) in top 3, got \(top)")
                }
            }
            #expect(failures.isEmpty, "\(failures.count) of \(cases.count) failed:\n\(failures.joined(separator: "\n"))")
        }
    }

    /// Both backends return the same materials in the same order with the same scores.
    @Test func sqliteAndPostgreSQLRankAlike() async throws {
        guard TestBackend.all.contains(.postgres) else { return }
        var rankings: [TestBackend: [[String]]] = [:]
        var scores: [TestBackend: [[Double]]] = [:]
        for backend in [TestBackend.sqlite, .postgres] {
            try await Self.withSearchApp(backend) { app in
                for item in try Self.cases() {
                    let result = try await Self.search(app, item.query) { $0.page = PageRequest(limit: 100) }
                    rankings[backend, default: []].append(result.hits.items.map(\.material.slug))
                    scores[backend, default: []].append(result.hits.items.map(\.score))
                }
            }
        }
        #expect(rankings[.sqlite] == rankings[.postgres])
        for (index, (lhs, rhs)) in zip(scores[.sqlite] ?? [], scores[.postgres] ?? []).enumerated() {
            let difference = zip(lhs, rhs).map { abs($0 - $1) }.max() ?? 0
            #expect(difference < 1e-9, "query \(index): scores differ by \(difference): \(lhs) vs \(rhs)")
        }
    }

    @Test(arguments: TestBackend.all)
    func theIndexFollowsEveryChange(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            // Saved outside a request, so this process is told as a request's write would tell it (`PageCacheMiddleware`).
            #expect(try await Self.search(app, "zebrafinke").hits.total == 0)
            var material = TestContent.material("ny-fugl", title: "Zebrafinker i skolen", year: 2024)
            material.type = "artikel"
            material.audiences = ["skoler"]
            material.topics = ["samarbejde"]
            try await MaterialQueries.save(material, now: frozenNow, on: app.db)
            app.samspil.pageCache.noteWrite()
            #expect(try await Self.search(app, "zebrafinke").hits.items.map(\.material.slug) == ["ny-fugl"])

            material.title = "Undulater i skolen"
            material.teaser = "Fugle i klassen."
            material.body = "Om fugle i klassen."
            try await MaterialQueries.save(material, now: frozenNow, on: app.db)
            app.samspil.pageCache.noteWrite()
            #expect(try await Self.search(app, "zebrafinke").hits.total == 0)
            #expect(try await Self.search(app, "undulater").hits.total == 1)

            material.status = .draft
            try await MaterialQueries.save(material, now: frozenNow, on: app.db)
            app.samspil.pageCache.noteWrite()
            #expect(try await Self.search(app, "undulater").hits.total == 0)

            material.status = .published
            try await MaterialQueries.save(material, now: frozenNow, on: app.db)
            app.samspil.pageCache.noteWrite()
            try await MaterialQueries.delete(slug: "ny-fugl", on: app.db)
            #expect(try await Self.search(app, "undulater").hits.total == 0)
            #expect(try await MaterialModel.query(on: app.db).count() == 11)

            // A failed transaction leaves the index as it was.
            struct Abort: Error {}
            let published = material
            await #expect(throws: Abort.self) {
                try await app.db.transaction { tx in
                    var other = published
                    other.slug = "papegoeje"
                    other.title = "Papegøjer"
                    try await MaterialQueries.save(other, now: frozenNow, on: tx)
                    throw Abort()
                }
            }
            #expect(try await Self.search(app, "papegøjer").hits.total == 0)

            // A full reindex gives the same answers.
            let before = try await Self.search(app, "samarbejde").hits.items.map(\.material.slug)
            #expect(try await SearchIndexer.reindexAll(on: app.db) == 11)
            #expect(try await Self.search(app, "samarbejde").hits.items.map(\.material.slug) == before)
        }
    }

    /// Two app processes on one database: what one saves, the other's in-memory index finds at its next
    /// search (through the change log), and a reindex in one makes the other reload.
    @Test(arguments: TestBackend.all)
    func changesReachEveryProcess(backend: TestBackend) async throws {
        try await withApps(backend, count: 2) { apps in
            let (writer, reader) = (apps[0], apps[1])
            #expect(try await Self.search(reader, "samarbejde").hits.total > 0)
            #expect(try await Self.search(reader, "zebrafinke").hits.total == 0)
            var material = TestContent.material("ny-fugl", title: "Zebrafinker i skolen", year: 2024)
            try await MaterialQueries.save(material, now: frozenNow, on: writer.db)
            try await Self.waitForOtherProcesses()
            #expect(try await Self.search(reader, "zebrafinke").hits.items.map(\.material.slug) == ["ny-fugl"])

            material.title = "Undulater i skolen"
            material.teaser = "Fugle i klassen."
            material.body = "Om fugle i klassen."
            try await MaterialQueries.save(material, now: frozenNow, on: writer.db)
            try await Self.waitForOtherProcesses()
            #expect(try await Self.search(reader, "zebrafinke").hits.total == 0)
            let changed = try await Self.search(reader, "undulater").hits.items
            #expect(changed.map(\.material.slug) == ["ny-fugl"])
            // The page shows the material as saved (its record in the index was replaced too).
            #expect(changed.first?.material.title == "Undulater i skolen")
            #expect(changed.first?.material.body == "Om fugle i klassen.")
            // Without its record (damaged, or from before records), a document is read from the material tables.
            try await (writer.db as! any SQLDatabase).raw("UPDATE search_documents SET record = NULL").run()
            #expect(try await Self.search(reader, "undulater").hits.items.map(\.material) == changed.map(\.material))
            // The reader itself replaced the entry: the index counts 12 live documents, not 13.
            #expect(try await reader.samspil.searchEngine.current(on: reader.db).index.liveDocuments == 12)

            try await MaterialQueries.delete(slug: "ny-fugl", on: reader.db)
            try await Self.waitForOtherProcesses()
            #expect(try await Self.search(writer, "undulater").hits.total == 0)

            let before = try await Self.search(reader, "partnerskaber").hits.items.map(\.material.slug)
            #expect(try await SearchIndexer.reindexAll(on: writer.db) == 11)
            try await Self.waitForOtherProcesses()
            #expect(try await Self.search(reader, "partnerskaber").hits.items.map(\.material.slug) == before)
            #expect(try await reader.samspil.searchEngine.current(on: reader.db).index.documentCount == 11)
        }
    }

    @Test(arguments: TestBackend.all)
    func facetsCountWithTheOtherFilters(backend: TestBackend) async throws {
        try await Self.withSearchApp(backend) { app in
            let all = try await Self.search(app, "partnerskaber")
            let filtered = try await Self.search(app, "partnerskaber") { $0.type = "publikation" }
            #expect(filtered.hits.items.allSatisfy { $0.material.type == "publikation" })
            #expect(filtered.hits.total == all.facets.types["publikation"])
            // The type facet ignores the type filter; the others apply it.
            #expect(filtered.facets.types == all.facets.types)
            #expect(filtered.facets.languages.values.reduce(0, +) == filtered.hits.total)
            let empty = try await Self.search(app, "")
            #expect(empty.hits.total == 21)
            #expect(empty.facets.languages == ["da": 17, "sv": 2, "en": 2])
            let swedish = try await Self.search(app, "") { $0.language = .swedish }
            #expect(swedish.hits.total == 2)
            #expect(swedish.facets.languages == empty.facets.languages)
            #expect(swedish.facets.types.values.reduce(0, +) == 2)
        }
    }

    /// `/soeg?q=samarbejde` finds the school–business materials and the mapping through their compounds.
    @Test(arguments: TestBackend.all)
    func compoundsAreFound(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let result = try await Self.search(app, "samarbejde") { $0.page = PageRequest(limit: 100) }
            let slugs = result.hits.items.map(\.material.slug)
            #expect(slugs.contains("opstart-et-skole-virksomhedssamarbejde-i-kommunen"))
            #expect(slugs.contains("skole-virksomhedssamarbejde-med-kommunal-forankring-en-undersoegelse-af-organiseringer-og-erfaringer"))
            let mapping = try #require(result.hits.items.first { $0.material.slug == "erfaringer-fra-stoettede-samarbejdsprojekter" })
            #expect(mapping.snippet?.parts.contains { $0.highlighted && $0.text == "samarbejdsprojekter" } == true)
            // Materials that hold the word itself come before those that only hold a compound.
            let exactIndex = try #require(slugs.firstIndex(of: "guide-til-det-gode-samarbejde"))
            let compoundIndex = try #require(slugs.firstIndex(of: "erfaringer-fra-stoettede-samarbejdsprojekter"))
            #expect(exactIndex < compoundIndex)
        }
    }

    @Test(arguments: TestBackend.all)
    func snippetsMarkTheMatchedWords(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let hit = try #require(try await Self.search(app, "samarbejde").hits.items.first)
            let marked = hit.snippet?.parts.filter(\.highlighted).map { $0.text.lowercased() } ?? []
            #expect(!marked.isEmpty)
            #expect(marked.allSatisfy { $0.contains("samarbejd") })
        }
    }

    @Test(arguments: TestBackend.all)
    func didYouMean(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            // No material has both words: those with the one are shown, marked as partial, with a suggestion.
            let result = try await Self.search(app, "partnerskaber kortlæggelsesprojekterz")
            #expect(result.partial == PartialMatch(matched: 1, of: 2))
            let plain = try await Self.search(app, "rolller")
            #expect(plain.hits.total > 0, "one extra letter is a typo the search forgives")
            // Two edits in a long word are forgiven; three are not, but the closest word is suggested.
            #expect(try await Self.search(app, "partnrskbaer").hits.total == 3)
            // "kortlaegnign" is two edits from "kortlaegning", as the index holds "kortlægning" (å, ø, æ folded).
            #expect(try await Self.search(app, "kortlaegnign").hits.total > 0)
            let unknown = try await Self.search(app, "kartlegnign")
            #expect(unknown.hits.total == 0)
            #expect(unknown.suggestion == "kortlægning")
            #expect(try await Self.search(app, "kortlægning").hits.total > 0)
        }
    }

    @Test func hostileQueriesNeverFail() async throws {
        try await withApp { app in
            let queries = ["\"", "\"\"\"", "NEAR(a b)", "a NEAR b", "*", "samarb*", "-partnerskaber", "a OR b AND NOT c", "'; DROP TABLE materials; --",
                           "^", "(", ")", ":", "title:x", String(repeating: "partnerskaber ", count: 2_000), "\u{0}", "💥", "é́́́"]
            for query in queries {
                _ = try await Self.search(app, query)
                var allowed = CharacterSet.urlQueryAllowed
                allowed.remove(charactersIn: "&=+?#")
                let encoded = query.prefix(1_500).addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
                for path in ["/soeg?q=\(encoded)", "/api/v1/search?q=\(encoded)"] {
                    let response = try await app.get(path)
                    #expect(response.status == .ok, "\(path.prefix(80))")
                }
            }
            for path in ["/soeg?q=%FF%FE", "/api/v1/search?q=%C3%28", "/soeg?q=a&side=0", "/api/v1/search?q=a&limit=1000", "/api/v1/search?foo=1"] {
                let response = try await app.get(path)
                #expect(response.status.code < 500, "\(path)")
            }
            #expect(try await MaterialModel.query(on: app.db).count() == 11)
        }
    }

    @Test func searchPageAndHeaderField() async throws {
        try await withApp { app in
            let home = try await app.get("/").text
            #expect(home.contains("<form class=\"header-search\" role=\"search\" action=\"/soeg\" method=\"get\">"))
            let page = try await app.get("/soeg?q=samarbejde")
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains("materialer fundet."))
            #expect(html.contains("<mark>"))
            #expect(html.contains("value=\"samarbejde\""))
            #expect(html.contains("class=\"facets\""))
            #expect(html.contains("href=\"/soeg?q=samarbejde&amp;type=publikation\"") || html.contains("href=\"/soeg?q=samarbejde&type=publikation\""))
            let filtered = try await app.get("/soeg?q=samarbejde&type=publikation").text
            #expect(filtered.contains("Type: Publikation – fjern"))
            let none = try await app.get("/soeg?q=kartlegnign").text
            #expect(none.contains("Mente du"))
            #expect(none.contains("Ingen materialer fundet."))
            #expect(page.headers.first(name: "Server-Timing")?.contains("db;dur=") == true)
            let api = try await app.get("/api/v1/search?q=samarbejde")
            let timing = try #require(api.headers.first(name: "Server-Timing"))
            #expect(timing.range(of: #"^db;dur=[0-9.]+, search;dur=[0-9.]+, render;dur=[0-9.]+$"#, options: .regularExpression) != nil)
            #expect(try await app.get("/soeg?q=a&type=findes-ikke").status == .badRequest)
            #expect(try await app.get("/soeg").status == .ok)
        }
    }

    /// A second check of the stemmers: PostgreSQL's own Snowball dictionaries give the same stems.
    @Test func stemsAgreeWithPostgreSQL() async throws {
        guard TestBackend.all.contains(.postgres) else { return }
        try await withApp(.postgres, seed: false) { app in
            let sql = app.db as! any SQLDatabase
            var disagreements: [String] = []
            var compared = 0
            for (language, dictionary, file) in [(StemmerLanguage.danish, "danish_stem", "danish"), (.swedish, "swedish_stem", "swedish"), (.english, "english_stem", "english")] {
                let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                    .appendingPathComponent("SamspilSearchTests/Fixtures/\(file).tsv")
                let words = try String(contentsOf: fixture, encoding: .utf8).split(separator: "\n")
                    .enumerated().filter { $0.offset % 40 == 0 }.map { String($0.element.split(separator: "\t")[0]) }
                let stemmer = Stemmer(language)
                struct Row: Decodable { let word: String; let stem: String? }
                for chunk in words.chunked(into: 200) {
                    let values = chunk.map { "(\(bind: $0))" as SQLQueryString }.joined(separator: ", ")
                    let rows = try await sql.raw("""
                        SELECT w.word AS word, (ts_lexize(\(bind: dictionary)::regdictionary, w.word))[1] AS stem FROM (VALUES \(values)) AS w(word)
                        """).all(decoding: Row.self)
                    for row in rows {
                        guard let stem = row.stem else { continue }  // a PostgreSQL stop word
                        compared += 1
                        if stemmer.stem(row.word) != stem { disagreements.append("\(file) \(row.word): \(stem) vs \(stemmer.stem(row.word))") }
                    }
                }
            }
            #expect(compared > 1_500)
            #expect(disagreements.isEmpty, "\(disagreements.prefix(20))")
        }
    }

    /// The snippet's quick test by first letter agrees with stemming every word, including words whose
    /// first letter changes in normalisation (a combining accent) and capitals.
    @Test func theSnippetsFirstLetterShortcutAgreesWithStemming() {
        let analyzer = SearchQueries.analyzer
        let words = ["Samarbejdet", "samarbejde", "skolerne", "Skole", "e\u{301}lan", "Élan", "élan", "Æbler", "æblet", "2019", "Ørnen", "Partnerskaber", "UNESCO", "i", "X"]
        for language in StemmerLanguage.allCases {
            for query in ["samarbejde", "élan", "æble", "skole", "2019", "ørn", "unesco", "partnerskab"] {
                let terms = Set([analyzer.term(ofWrittenWord: Substring(query), language: language)].compactMap { $0 })
                var memo = SearchQueries.MatchMemo(terms: terms, known: [:])
                for word in words {
                    let expected = analyzer.term(ofWrittenWord: Substring(word), language: language).map(terms.contains) ?? false
                    #expect(memo.isMatch(Substring(word), language: language) == expected, "\(word) for \(query) in \(language)")
                }
            }
        }
    }

    /// The snippet's quick test by first letters agrees with stemming every word, over the Snowball
    /// vocabularies of all three languages (as written and capitalised), with the stems of every 25th word
    /// as the matched terms. The English vocabulary holds the words whose second letter changes ("dying").
    @Test func theSnippetsPrefixShortcutAgreesWithStemmingTheVocabularies() throws {
        let analyzer = SearchQueries.analyzer
        for (language, file) in [(StemmerLanguage.danish, "danish"), (.swedish, "swedish"), (.english, "english")] {
            let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("SamspilSearchTests/Fixtures/\(file).tsv")
            let vocabulary = try String(contentsOf: fixture, encoding: .utf8).split(separator: "\n")
                .map { String($0.split(separator: "\t", omittingEmptySubsequences: false)[0]) }
            let words = vocabulary + vocabulary.enumerated().filter { $0.offset % 7 == 0 }.map { $0.element.capitalized }
            let terms = Set(vocabulary.enumerated().filter { $0.offset % 25 == 0 }
                .compactMap { analyzer.term(ofWrittenWord: Substring($0.element), language: language) })
            var memo = SearchQueries.MatchMemo(terms: terms, known: [:])
            var wrong: [String] = []
            var matched = 0
            for word in words {
                let expected = analyzer.term(ofWrittenWord: Substring(word), language: language).map(terms.contains) ?? false
                if memo.isMatch(Substring(word), language: language) != expected { wrong.append(word) }
                if expected { matched += 1 }
            }
            #expect(wrong.isEmpty, "\(language): \(wrong.prefix(20))")
            #expect(matched > 1_000, "\(language)")
        }
    }

    /// The API search labels from this process's copy of the vocabularies, or reads them first when a filter
    /// needs them: labels are there either way, a filter works, and an unknown value is refused with the
    /// known ones listed.
    @Test func theApiSearchLabelsAndChecksVocabularyFilters() async throws {
        try await withApp { app in
            let plain = try await app.get("/api/v1/search?q=samarbejde").json() as! [String: Any]
            let types = (plain["facets"] as! [String: Any])["type"] as! [[String: Any]]
            #expect(types.contains { $0["value"] as? String == "publikation" && $0["label"] as? String == "Publikation" })
            let items = plain["items"] as! [[String: Any]]
            #expect(items.allSatisfy { (($0["material"] as! [String: Any])["type"] as! [String: Any])["label"] as? String != "" })

            let filtered = try await app.get("/api/v1/search?q=samarbejde&type=publikation").json() as! [String: Any]
            let kept = filtered["items"] as! [[String: Any]]
            #expect(!kept.isEmpty)
            #expect(kept.allSatisfy { (($0["material"] as! [String: Any])["type"] as! [String: Any])["slug"] as? String == "publikation" })

            let refused = try await app.get("/api/v1/search?q=a&type=findes-ikke")
            #expect(refused.status == .badRequest)
            #expect(refused.headers.contentType?.description.hasPrefix("application/problem+json") == true)
            #expect(refused.text.contains("publikation"))
        }
    }

    /// Another process renames a type: within a second the searches here show the new name (the vocabulary
    /// revision read with the page of results no longer matches this process's copy).
    @Test(arguments: TestBackend.all)
    func theApiSearchLabelsFollowAVocabularyChangeElsewhere(backend: TestBackend) async throws {
        try await withApps(backend, count: 2) { apps in
            let (reader, writer) = (apps[0], apps[1])
            func labels() async throws -> (facet: String?, item: String?) {
                let found = try await reader.get("/api/v1/search?q=samarbejde").json() as! [String: Any]
                let facet = ((found["facets"] as! [String: Any])["type"] as! [[String: Any]]).first { $0["value"] as? String == "publikation" }
                let item = (found["items"] as! [[String: Any]]).map { ($0["material"] as! [String: Any])["type"] as! [String: Any] }
                    .first { $0["slug"] as? String == "publikation" }
                return (facet?["label"] as? String, item?["label"] as? String)
            }
            #expect(try await labels() == ("Publikation", "Publikation"))
            #expect(try await labels() == ("Publikation", "Publikation"))
            let renamed = VocabularyTerm(slug: "publikation", label: "Udgivelse", pluralLabel: "Udgivelser")
            try await writer.db.writeTransaction { tx in
                try await VocabularyQueries.merge(Vocabularies(materialTypes: [renamed]), on: tx)
            }
            try await Self.waitForOtherProcesses()
            #expect(try await labels() == ("Udgivelse", "Udgivelse"))
        }
    }
}

/// Issue 12's search quality: å/ø/æ typed as aa/oe/ae (and the reverse), compounds with or without a hyphen,
/// and the materials with most of the words when none has all of them.
@Suite struct SearchQualityTests {
    static func slugs(_ result: SearchResult) -> [String] { result.hits.items.map(\.material.slug) }

    @Test func aaOeAeAreTheLettersTheyStandFor() {
        let analyzer = Analyzer()
        for (typed, written) in [("paedagog", "pædagog"), ("aabenraa", "åbenrå"), ("koebenhavn", "københavn"),
                                 ("laeringsmiljoeer", "læringsmiljøer"), ("undersoegelse", "undersøgelse")] {
            #expect(analyzer.term(for: typed, language: .danish) == analyzer.term(for: written, language: .danish), "\(typed)")
            #expect(analyzer.term(for: typed, language: .danish) != nil)
        }
        #expect(analyzer.term(for: "paa", language: .danish) == nil, "\"paa\" is the stop word \"på\"")
        #expect(StopWords.contains("saadan", language: .danish))
        #expect(Analyzer.fold("blåbærgrød") == "blaabaergroed")
        #expect(Analyzer.fold("äöü") == "äöü", "only the Danish letters")
    }

    @Test(arguments: TestBackend.all)
    func danishLettersTypedWithoutThem(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            for (typed, written) in [("aaben skole", "åben skole"), ("laeringsmiljoeer", "læringsmiljøer"), ("paedagogisk", "pædagogisk")] {
                let withLetters = Self.slugs(try await SearchTests.search(app, written))
                #expect(!withLetters.isEmpty, "\(written) finds something")
                #expect(Self.slugs(try await SearchTests.search(app, typed)) == withLetters, "\(typed) finds what \(written) finds")
            }
        }
    }

    @Test(arguments: TestBackend.all)
    func compoundsWithAndWithoutAHyphen(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            // The seed writes "Skole-virksomhedssamarbejde" and "PLC-medarbejder" with hyphens.
            let hyphenated = Self.slugs(try await SearchTests.search(app, "skole-virksomhedssamarbejde"))
            #expect(hyphenated.contains("opstart-et-skole-virksomhedssamarbejde-i-kommunen"))
            #expect(Self.slugs(try await SearchTests.search(app, "skolevirksomhedssamarbejde")) == hyphenated)
            let staff = Self.slugs(try await SearchTests.search(app, "plcmedarbejder"))
            #expect(!staff.isEmpty)
            #expect(Self.slugs(try await SearchTests.search(app, "PLC-medarbejder")) == staff)
            // And the reverse: a compound written as one word is found typed with a hyphen.
            let closed = Self.slugs(try await SearchTests.search(app, "samarbejdsprojekter"))
            #expect(!closed.isEmpty)
            #expect(Self.slugs(try await SearchTests.search(app, "samarbejds-projekter")) == closed)
        }
    }

    @Test(arguments: TestBackend.all)
    func mostOfTheWordsWhenNoneHasAll(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let all = try await SearchTests.search(app, "partnerskaber")
            #expect(all.partial == nil)
            let partial = try await SearchTests.search(app, "partnerskaber qwxzvb")
            #expect(partial.partial == PartialMatch(matched: 1, of: 2))
            #expect(Set(Self.slugs(partial)) == Set(Self.slugs(all)))
            #expect(try await SearchTests.search(app, "qwxzvb zzqqyy").hits.total == 0, "nothing at all stays nothing")
            // Shown as partial on the page and in the API.
            let page = try await app.get("/soeg?q=partnerskaber+qwxzvb")
            #expect(page.text.contains("Ingen materialer indeholder alle 2 ord."))
            let api = try #require(try await app.get("/api/v1/search?q=partnerskaber+qwxzvb").json() as? [String: Any])
            #expect((api["partial"] as? [String: Any])?["matchedWords"] as? Int == 1)
            let whole = try #require(try await app.get("/api/v1/search?q=partnerskaber").json() as? [String: Any])
            #expect(whole["partial"] == nil)
        }
    }

    /// An index made by an earlier analyzer is rebuilt when the app starts.
    @Test func anIndexOfAnotherAnalyzerIsRebuilt() async throws {
        try await withApp(.sqlite) { app in
            let sql = app.db as! any SQLDatabase
            try await sql.raw("UPDATE search_stats SET analyzer_version = 1").run()
            #expect(try await SearchIndexer.needsBuilding(on: app.db))
            try await prepareDatabase(app)
            #expect(!(try await SearchIndexer.needsBuilding(on: app.db)))
        }
    }
}
