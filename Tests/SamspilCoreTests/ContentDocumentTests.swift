import Foundation
import Testing
@testable import SamspilCore

@Suite struct ContentDocumentTests {
    static let vocabularies = Vocabularies(
        materialTypes: [VocabularyTerm(slug: "artikel", label: "Artikel")],
        audiences: [VocabularyTerm(slug: "skoler", label: "Skoler")],
        topics: [VocabularyTerm(slug: "samarbejde", label: "Samarbejde")]
    )

    static func material(_ slug: String) -> Material {
        Material(slug: slug, title: "Titel", type: "artikel", teaser: "Teaser", audiences: ["skoler"], topics: ["samarbejde"])
    }

    @Test func aValidDocumentHasNoProblems() {
        let document = ContentDocument(vocabularies: Self.vocabularies, materials: [Self.material("a")],
                                       themes: [Theme(slug: "t", title: "T", materials: ["a"])])
        #expect(document.problems().isEmpty)
    }

    @Test func problemsNameRecordAndField() {
        var bad = Self.material("god")
        bad.slug = "Dårlig slug"
        bad.type = "ukendt"
        bad.year = 1492
        bad.audiences = ["skoler", "skoler"]
        bad.versions = [MaterialVersion(kind: .full, availability: .link, url: "javascript:alert(1)")]
        let document = ContentDocument(vocabularies: Self.vocabularies, materials: [Self.material("a"), bad],
                                       themes: [Theme(slug: "t", title: "", materials: ["a", "mangler"])])
        let problems = document.problems()
        let fields = Set(problems.map { "\($0.record)|\($0.field)" })
        #expect(fields.contains("materials[1] (Dårlig slug)|slug"))
        #expect(fields.contains("materials[1] (Dårlig slug)|type"))
        #expect(fields.contains("materials[1] (Dårlig slug)|year"))
        #expect(fields.contains("materials[1] (Dårlig slug)|audiences[1]"))
        #expect(fields.contains("materials[1] (Dårlig slug)|versions[0].url"))
        #expect(fields.contains("themes[0] (t)|title"))
        #expect(fields.contains("themes[0] (t)|materials[1]"))
        #expect(problems.count == 7)
    }

    @Test func materialsMayUseStoredTermsButTheDocumentsOwnTermsAreStillChecked() {
        var material = Self.material("a")
        material.type = "model"
        var document = ContentDocument(vocabularies: Self.vocabularies, materials: [material], themes: [])
        #expect(document.problems().map(\.field) == ["type"])
        var known = Self.vocabularies
        known.materialTypes.append(VocabularyTerm(slug: "model", label: "Model"))
        #expect(document.problems(knownVocabularies: known).isEmpty)
        document.vocabularies.audiences.append(VocabularyTerm(slug: "Ugyldig slug", label: ""))
        #expect(Set(document.problems(knownVocabularies: known).map(\.field)) == ["slug", "label"])
    }

    @Test func duplicateSlugsAreProblems() {
        let document = ContentDocument(vocabularies: Self.vocabularies, materials: [Self.material("a"), Self.material("a")], themes: [])
        #expect(document.problems().map(\.field) == ["slug"])
    }

    @Test func decodingErrorsNameThePath() throws {
        let json = """
        {"format":"samspil-content","version":1,"vocabularies":{"materialTypes":[],"audiences":[],"topics":[]},
         "materials":[{"slug":"a","title":"A","type":"artikel","teaser":"t","body":"","credits":{"kind":"written","persons":[]},
           "year":"to tusind","language":"da","audiences":[],"topics":[],"versions":[],"status":"published"}],"themes":[]}
        """
        do {
            _ = try ContentDocument.decode(Data(json.utf8))
            Issue.record("expected a decoding problem")
        } catch {
            guard case .invalid(let problems) = error else { Issue.record("wrong error \(error)"); return }
            #expect(problems.first?.record == "materials[0] (a)")
            #expect(problems.first?.field == "year")
        }
    }

    /// Every field of every record that is missing or of the wrong type is named, not only the first.
    @Test func readingNamesEveryProblemOfEveryRecord() throws {
        let json = """
        {"format":"samspil-content","version":"1",
         "vocabularies":{"materialTypes":[{"slug":"artikel","label":"Artikel"},{"slug":"model"}],"audiences":[{"slug":"skoler","label":"Skoler"}],"topics":7},
         "materials":[
           {"slug":"god","title":"God","type":"artikel","teaser":"t","body":"","credits":{"kind":"written","persons":[]},
            "language":"da","audiences":[],"topics":[],"versions":[],"status":"published"},
           {"slug":"ny-materiale","title":123,"type":"artikel","teaser":"t","body":"","credits":{"kind":"skrevet","persons":["A",5,null]},
            "year":"abc","genre":"roman","language":"da","audiences":"skoler","topics":[],"versions":[4,{"kind":"full"}],"status":"published",
            "createdAt":"i går"},
           17,
           {"title":"Uden slug","type":null,"teaser":"t","body":"","credits":[],"language":"de","audiences":[],"topics":[],"versions":[],"status":"published"}
         ],
         "themes":[{"slug":"t","title":"T","intro":"","materials":["god",7],"status":"published"}]}
        """
        let reading = ContentDocument.read(Data(json.utf8))
        let found = reading.problems.map { "\($0.record)|\($0.field)" }
        #expect(found == [
            "|version",
            "vocabularies.materialTypes[1] (model)|label",
            "|vocabularies.topics",
            "materials[1] (ny-materiale)|title",
            "materials[1] (ny-materiale)|genre",
            "materials[1] (ny-materiale)|credits.kind",
            "materials[1] (ny-materiale)|credits.persons[1]",
            "materials[1] (ny-materiale)|credits.persons[2]",
            "materials[1] (ny-materiale)|year",
            "materials[1] (ny-materiale)|audiences",
            "materials[1] (ny-materiale)|versions[0]",
            "materials[1] (ny-materiale)|versions[1].availability",
            "materials[1] (ny-materiale)|createdAt",
            "|materials[2]",
            "materials[3]|slug",
            "materials[3]|type",
            "materials[3]|credits",
            "materials[3]|language",
            "themes[0] (t)|materials[1]",
        ])
        let messages = Dictionary(reading.problems.map { ("\($0.record)|\($0.field)", $0.message) }, uniquingKeysWith: { first, _ in first })
        #expect(messages["materials[1] (ny-materiale)|year"] == "Har en forkert type (forventede et heltal).")
        #expect(messages["materials[1] (ny-materiale)|title"] == "Har en forkert type (forventede en tekst).")
        #expect(messages["materials[1] (ny-materiale)|credits.persons[2]"] == "Mangler en værdi (forventede en tekst).")
        #expect(messages["materials[1] (ny-materiale)|genre"] == "\"roman\" er ikke en af fokus, model, vaerktoej, inspiration, kortlaegning.")
        #expect(messages["materials[3]|slug"] == "Mangler.")
        #expect(messages["materials[3]|type"] == "Mangler en værdi (forventede en tekst).")
        #expect(messages["|materials[2]"] == "Skal være et objekt.")
        #expect(messages["materials[1] (ny-materiale)|createdAt"]?.contains("ISO 8601") == true)
        // What could be read is kept, in place: what could not is an empty placeholder.
        let document = try #require(reading.document)
        #expect(document.materials.count == 4)
        #expect(document.materials[1].credits.persons == ["A", "", ""])
        #expect(document.materials[1].versions.count == 2)
        #expect(document.materials[2].slug.isEmpty)
        #expect(document.themes[0].materials == ["god", ""])
        #expect(throws: SamspilError.invalid(reading.problems)) { try ContentDocument.decode(Data(json.utf8)) }
    }

    /// The broken rules come with the decoding problems, less those about a field that could not be read (its
    /// empty placeholder breaks rules too) and about a record that is no object.
    @Test func readingProblemsComeWithTheRulesOnce() throws {
        let json = """
        {"format":"samspil-content","version":1,"vocabularies":{"materialTypes":[{"slug":"artikel","label":"Artikel"}],"audiences":[],"topics":[]},
         "materials":[
           {"slug":"a","title":123,"type":"artikel","teaser":"t","body":"","credits":{"kind":"written","persons":[]},
            "year":"abc","language":"da","audiences":[5,"ukendt"],"topics":[],"versions":[],"status":"published"},
           "b"
         ],
         "themes":[{"slug":"t","title":"","intro":"","materials":["a","mangler"],"status":"published"}]}
        """
        let reading = ContentDocument.read(Data(json.utf8))
        let document = try #require(reading.document)
        let all = reading.withRuleProblems(document.problems()).map { "\($0.record)|\($0.field)" }
        #expect(all == [
            "materials[0] (a)|title", "materials[0] (a)|year", "materials[0] (a)|audiences[0]", "|materials[1]",
            "materials[0] (a)|audiences[1]", "themes[0] (t)|title", "themes[0] (t)|materials[1]",
        ])
    }

    /// A valid file reads as `Codable` decodes it, with absent and null optional fields alike.
    @Test func readingAValidFileIsDecoding() throws {
        var full = Self.material("a")
        full.genre = .model
        full.year = 2019
        full.readingMinutes = 7
        full.language = .english
        full.credits = Credits(kind: .written, persons: ["Anne", "Bo"], organisation: "Skoletjenesten")
        full.versions = [MaterialVersion(kind: .full, label: "Hel", availability: .link, url: "https://a.dk/x"),
                         MaterialVersion(kind: .pixi, availability: .file, fileName: "p.pdf", contentType: "application/pdf")]
        full.status = .draft
        full.createdAt = Date(timeIntervalSince1970: 1_700_000_000)
        full.updatedAt = Date(timeIntervalSince1970: 1_700_000_100)
        var vocabularies = Self.vocabularies
        vocabularies.materialTypes[0].pluralLabel = "Artikler"
        let document = ContentDocument(vocabularies: vocabularies, materials: [full, Self.material("b")],
                                       themes: [Theme(slug: "t", title: "T", section: "S", intro: "I", materials: ["a", "b"], status: .draft,
                                                      createdAt: full.createdAt, updatedAt: full.updatedAt)])
        let data = try ContentDocument.encoder().encode(document)
        let reading = ContentDocument.read(data)
        #expect(reading.problems.isEmpty)
        #expect(reading.document == document)
        #expect(reading.document == (try ContentDocument.decoder().decode(ContentDocument.self, from: data)))

        let nulls = """
        {"format":"samspil-content","version":1,"vocabularies":{"materialTypes":[{"slug":"artikel","label":"Artikel","pluralLabel":null}],
         "audiences":[],"topics":[]},"materials":[{"slug":"a","title":"A","genre":null,"type":"artikel","teaser":"t","body":"",
         "credits":{"kind":"written","persons":[],"organisation":null},"year":null,"language":"da","readingMinutes":null,"audiences":[],
         "topics":[],"versions":[{"kind":"full","availability":"unavailable","url":null}],"status":"published","createdAt":null,
         "ukendt":"ignoreres"}],"themes":[{"slug":"t","title":"T","intro":"","materials":[],"status":"published","section":null}]}
        """
        let lenient = ContentDocument.read(Data(nulls.utf8))
        #expect(lenient.problems.isEmpty)
        #expect(lenient.document == (try ContentDocument.decoder().decode(ContentDocument.self, from: Data(nulls.utf8))))
    }

    @Test func aFileThatIsNoObjectIsOneProblem() {
        #expect(ContentDocument.read(Data("[1, 2]".utf8)).problems == [FieldProblem(field: "(fil)", message: "Filen er ikke et JSON-objekt.")])
        #expect(ContentDocument.read(Data("{\"a\":".utf8)).problems == [FieldProblem(field: "(fil)", message: "Filen er ikke gyldig JSON.")])
        #expect(ContentDocument.read(Data("{}".utf8)).problems.map(\.field) == ["format", "version", "vocabularies", "materials", "themes"])
    }

    /// The streamed export is byte for byte the encoded document, whatever the batches.
    @Test(arguments: [0, 1, 2, 5])
    func streamedDocumentIsTheEncodedDocument(count: Int) throws {
        var materials: [Material] = []
        for index in 0..<count {
            var material = Self.material("m\(index)")
            material.title = "Titel \"\(index)\" æøå / ✓"
            material.body = index % 2 == 0 ? "" : "# Overskrift\n\nTekst med [link](https://a.dk/x) og\ttab."
            material.audiences = index % 2 == 0 ? [] : ["skoler", "lærere"]
            material.credits = Credits(kind: .written, persons: index == 1 ? ["Anne"] : [], organisation: index == 1 ? nil : "Org")
            material.versions = index == 3 ? [] : [MaterialVersion(kind: .full, availability: .link, url: "https://a.dk/\(index)")]
            material.createdAt = index == 2 ? nil : Date(timeIntervalSince1970: 1_700_000_000 + Double(index))
            materials.append(material)
        }
        let themes = [Theme(slug: "t", title: "T", intro: "", materials: materials.map(\.slug)), Theme(slug: "tom", title: "Tom")]
        let expected = try ContentDocument.encoder().encode(ContentDocument(vocabularies: Self.vocabularies, materials: materials, themes: themes))
        for batch in [1, 2, 3, 100] {
            var writer = try ContentDocument.StreamWriter(vocabularies: Self.vocabularies, themes: themes)
            var streamed = writer.start()
            for start in stride(from: 0, to: materials.count, by: batch) {
                streamed += try writer.append(Array(materials[start..<min(start + batch, materials.count)]))
            }
            streamed += writer.finish()
            #expect(String(decoding: streamed, as: UTF8.self) == String(decoding: expected, as: UTF8.self), "batches of \(batch)")
        }
    }

    @Test func notJSONIsAProblem() {
        #expect(throws: SamspilError.self) { try ContentDocument.decode(Data("ikke json".utf8)) }
    }

    @Test func encodeDecodeRoundTrip() throws {
        var material = Self.material("a")
        material.createdAt = Date(timeIntervalSince1970: 1_700_000_000)
        material.versions = [MaterialVersion(kind: .pixi, label: "Pixi", availability: .unavailable)]
        let document = ContentDocument(vocabularies: Self.vocabularies, materials: [material], themes: [])
        let data = try ContentDocument.encoder().encode(document)
        #expect(try ContentDocument.decode(data) == document)
    }
}

@Suite struct MaterialQueryTests {
    let vocabularies = ContentDocumentTests.vocabularies

    @Test func parsesFilters() throws {
        let query = try MaterialQuery.parse(
            [("type", "artikel"), ("audience", "skoler"), ("year", "2019"), ("language", "sv"), ("sort", "title"), ("limit", "5"), ("offset", "10")],
            vocabularies: vocabularies, themes: []
        )
        #expect(query == MaterialQuery(type: "artikel", audience: "skoler", year: 2019, language: .swedish, sort: .title,
                                       page: PageRequest(limit: 5, offset: 10)))
    }

    @Test(arguments: [
        ("foo", "1"), ("type", "ukendt"), ("year", "abc"), ("year", "99999"), ("language", "de"), ("sort", "random"),
        ("limit", "0"), ("limit", "101"), ("offset", "-1"), ("theme", "findes-ikke"),
    ])
    func rejectsBadParameters(name: String, value: String) {
        #expect(throws: SamspilError.self) {
            try MaterialQuery.parse([(name, value)], vocabularies: vocabularies, themes: [])
        }
    }

    @Test func rejectsRepeatedParameter() {
        #expect(throws: SamspilError.self) {
            try MaterialQuery.parse([("year", "2019"), ("year", "2018")], vocabularies: vocabularies, themes: [])
        }
    }

    @Test func collectsAllProblems() {
        do {
            _ = try MaterialQuery.parse([("year", "x"), ("limit", "1000"), ("foo", "")], vocabularies: vocabularies, themes: [])
        } catch {
            guard case .invalid(let problems) = error else { Issue.record("wrong error"); return }
            #expect(Set(problems.map(\.field)) == ["year", "limit", "foo"])
        }
    }

    @Test func pageNumbers() {
        #expect(PageRequest.page(number: 3).offset == 40)
        #expect(PageRequest(limit: 20, offset: 40).number == 3)
        let page = ResultPage(items: [1, 2], total: 42, request: PageRequest(limit: 20, offset: 40))
        #expect(page.pageCount == 3)
        #expect(!page.hasNext)
        #expect(page.hasPrevious)
    }
}
