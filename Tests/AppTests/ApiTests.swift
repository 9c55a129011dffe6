@testable import App
import Foundation
import SamspilCore
import Testing
import Vapor

@Suite struct ApiTests {
    @Test(arguments: TestBackend.all)
    func listsTheSeedMaterials(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let response = try await app.get("/api/v1/materials?limit=100&sort=title")
            #expect(response.status == .ok)
            #expect(response.headers.contentType == .json)
            let list = try JSONDecoder.api.decode(MaterialListDTO.self, from: Data(response.text.utf8))
            #expect(list.total == 11)
            #expect(list.items.count == 11)
            #expect(list.limit == 100 && list.offset == 0)
            let swedish = try #require(list.items.first { $0.language == "sv" })
            #expect(swedish.readingMinutes == 6)
            #expect(swedish.readingMinutesComputed == false)
            #expect(swedish.credits.line == "Skrevet af Marianne Bomgren, Skoletjenesten Öresund, 2019.")
            #expect(swedish.url == "http://samspil.test/materialer/behoever-vi-samarbete-oever-organisationsgraenser")
        }
    }

    @Test(arguments: [
        ("type=tjekliste", 1), ("audience=plc", 1), ("topic=partnerskaber", 3), ("theme=samarbejder-og-partnerskaber", 11),
        ("year=2016", 3), ("language=sv", 1), ("language=en", 0), ("limit=2", 11), ("limit=5&offset=10", 11),
        ("type=publikation&year=2019", 1),
    ])
    func filters(query: String, total: Int) async throws {
        try await withApp { app in
            let response = try await app.get("/api/v1/materials?\(query)")
            #expect(response.status == .ok, "\(query)")
            let list = try JSONDecoder.api.decode(MaterialListDTO.self, from: Data(response.text.utf8))
            #expect(list.total == total, "\(query)")
            #expect(list.items.count == min(list.limit, max(0, list.total - list.offset)))
        }
    }

    @Test(arguments: [
        ("foo=1", "foo"), ("type=findes-ikke", "type"), ("year=abc", "year"), ("year=1800", "year"), ("language=de", "language"),
        ("limit=0", "limit"), ("limit=101", "limit"), ("offset=-5", "offset"), ("sort=tilfældig", "sort"),
        ("theme=ukendt", "theme"), ("year=2019&year=2018", "year"), ("limit=%FF%FE", "limit"),
    ])
    func badParametersGiveProblemJSON(query: String, field: String) async throws {
        try await withApp { app in
            let response = try await app.get("/api/v1/materials?\(query)")
            #expect(response.status == .badRequest, "\(query)")
            #expect(response.headers.first(name: .contentType) == "application/problem+json; charset=utf-8")
            let problem = try JSONDecoder().decode(ProblemDTO.self, from: Data(response.text.utf8))
            #expect(problem.status == 400)
            #expect(problem.errors?.contains { $0.field == field } == true, "\(query): \(problem.errors ?? [])")
            #expect(problem.errors?.allSatisfy { !$0.message.isEmpty } == true)
        }
    }

    @Test func materialBySlugAndNotFound() async throws {
        try await withApp { app in
            let response = try await app.get("/api/v1/materials/fire-typer-af-partnerskaber")
            #expect(response.status == .ok)
            let material = try JSONDecoder.api.decode(MaterialDTO.self, from: Data(response.text.utf8))
            #expect(material.displayTitle == "Fokus: Fire typer af partnerskaber")
            #expect(material.genre == TermDTO(slug: "fokus", label: "Fokus"))
            #expect(material.type == TermDTO(slug: "publikation", label: "Publikation"))
            #expect(material.year == 2018)

            let missing = try await app.get("/api/v1/materials/findes-ikke")
            #expect(missing.status == .notFound)
            #expect(missing.headers.first(name: .contentType) == "application/problem+json; charset=utf-8")
            let problem = try JSONDecoder().decode(ProblemDTO.self, from: Data(missing.text.utf8))
            #expect(problem.status == 404)
            #expect(problem.detail.contains("findes-ikke"))

            #expect(try await app.get("/api/v1/findes-ikke").headers.first(name: .contentType) == "application/problem+json; charset=utf-8")
        }
    }

    @Test func themesAndVocabularies() async throws {
        try await withApp { app in
            let themes = try JSONDecoder.api.decode(ThemeListDTO.self, from: Data(try await app.get("/api/v1/themes").text.utf8))
            #expect(themes.items.map(\.slug) == ["samarbejder-og-partnerskaber"])
            #expect(themes.items[0].materialSlugs.count == 11)
            #expect(themes.items[0].materials == nil)
            let theme = try JSONDecoder.api.decode(ThemeDTO.self, from: Data(try await app.get("/api/v1/themes/samarbejder-og-partnerskaber").text.utf8))
            #expect(theme.materials?.map(\.slug) == theme.materialSlugs)
            #expect(theme.materialSlugs.first == "fire-typer-af-partnerskaber")
            #expect(try await app.get("/api/v1/themes/ukendt").status == .notFound)
            let vocabularies = try JSONDecoder.api.decode(VocabulariesDTO.self, from: Data(try await app.get("/api/v1/vocabularies").text.utf8))
            #expect(vocabularies.materialTypes.contains { $0.slug == "tjekliste" && $0.pluralLabel == "Tjeklister" })
            #expect(vocabularies.languages.map(\.slug) == ["da", "sv", "en"])
            #expect(try await app.get("/api/v1/vocabularies?x=1").status == .badRequest)
        }
    }
}

extension JSONDecoder {
    static var api: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
