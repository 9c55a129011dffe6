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
            #expect(problems.first?.record == "materials[0]")
            #expect(problems.first?.field == "year")
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
