@testable import App
import Foundation
import SamspilCore
import Testing
import Vapor
import VaporTesting

/// Full-text search in the directory (`/organisationer?q=`, the API's `q`, the export), on both backends with
/// the fictional demo organisations.
@Suite struct OrganisationSearchTests {
    /// The slugs of the organisations a directory page lists, in order.
    static func listed(_ html: String) -> [String] {
        guard let list = html.range(of: "<ul class=\"organisation-list\">") else { return [] }
        let end = html.range(of: "</ul>", range: list.upperBound..<html.endIndex)?.lowerBound ?? html.endIndex
        return html[list.upperBound..<end].components(separatedBy: "<a href=\"/organisationer/").dropFirst()
            .map { String($0.prefix { $0 != "\"" }) }
    }

    @Test(arguments: TestBackend.all)
    func wordsAreFoundInNamesPlacesKindsSubjectsAndDescriptions(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            _ = try await loadDemoOrganisations(on: app)
            func slugs(_ query: String) async throws -> [String] {
                let response = try await app.get("/organisationer?" + query)
                #expect(response.status == .ok, "\(query)")
                return Self.listed(response.text)
            }
            // A name word ranks the organisation named so first.
            #expect(try await slugs("q=naturskole").first == "eksempel-naturskole")
            // The town and municipality, typed with å as well as aa.
            let aarhus = try await slugs("q=aarhus")
            #expect(Set(aarhus) == ["demo-friskole", "eksempel-naturskole", "eksempel-teater"])
            #expect(try await slugs("q=%C3%85rhus") == aarhus, "Århus is folded to aarhus")
            // A subject ("historie") and a description word ("makerspace"), a kind ("efterskole").
            #expect(Set(try await slugs("q=historie")).isSuperset(of: ["demo-museet", "proeve-arkivet"]))
            #expect(try await slugs("q=makerspace") == ["proeve-biblioteket"])
            #expect(try await slugs("q=efterskole") == ["fiktiv-efterskole"])
            // Stemming and one typo.
            #expect(try await slugs("q=friskolerne").first == "demo-friskole", "an inflected form")
            #expect(try await slugs("q=natruskole").first == "eksempel-naturskole", "a typo")
            // Every word must match.
            #expect(try await slugs("q=aarhus+teater") == ["eksempel-teater"])

            // Filters narrow the search; facets count the hits with the other filters.
            let schools = try await app.get("/organisationer?q=aarhus&kind=skole").text
            #expect(Self.listed(schools) == ["demo-friskole"])
            #expect(schools.contains("1 organisation.") && schools.contains("Eksterne læringsmiljøer (2)") && schools.contains("»aarhus« – fjern"))
            #expect(schools.contains("name=\"q\" value=\"aarhus\"") && schools.contains("type=\"hidden\" name=\"kind\" value=\"skole\""))

            // No organisation has every word: those with the most, said so.
            let partial = try await app.get("/organisationer?q=aarhus+kvantefysik").text
            #expect(partial.contains("Ingen organisationer matcher alle 2 ord. 3 organisationer matcher 1 af dem:"))
            let none = try await app.get("/organisationer?q=kvantefysik").text
            #expect(none.contains("Ingen organisationer fundet.") && Self.listed(none).isEmpty)

            // The API and the export find the same, in the same order.
            struct Page: Decodable { struct Item: Decodable { let slug: String }; let items: [Item]; let total: Int }
            let api = try JSONDecoder().decode(Page.self, from: Data(try await app.get("/api/v1/organisations?q=aarhus").text.utf8))
            #expect(api.items.map(\.slug) == aarhus && api.total == 3)
            let csv = try await app.get("/organisationer.csv?q=aarhus").text
            #expect(csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 4, "the header and three rows")
            #expect(try await app.get("/api/v1/organisations?q=aarhus&q=odense").status == .badRequest)
        }
    }

    @Test(arguments: TestBackend.all)
    func aChangeIsFoundOnTheNextSearch(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            _ = try await loadDemoOrganisations(on: app)
            #expect(Self.listed(try await app.get("/organisationer?q=planetarium").text).isEmpty)
            let csv = """
                type;navn;laeringsmiljoe;kommune;beskrivelse
                laeringsmiljoe;Demo-museet;kulturhistoriske-museer;København;Nu også med planetarium (demo).
                """
            let result = try await importOrganisations(Data(csv.utf8), dryRun: false, skipRefused: false, on: app)
            #expect(result.written, "\(result.lines)")
            // Made outside a request, so this process's page cache is told as a request's write would tell it.
            app.samspil.pageCache.noteWrite()
            #expect(Self.listed(try await app.get("/organisationer?q=planetarium").text) == ["demo-museet"])
            // The API, which no page cache holds, finds it too.
            #expect(try await app.get("/api/v1/organisations?q=planetarium").text.contains("\"slug\":\"demo-museet\""))
        }
    }
}
