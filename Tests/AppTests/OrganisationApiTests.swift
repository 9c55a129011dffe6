@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing
import Vapor
import VaporTesting

/// `/api/v1/organisations`, `/api/v1/municipalities` and the organisation PATCH, checked against the document.
@Suite struct OrganisationApiTests {
    typealias Write = WriteApiTests

    @Test(arguments: TestBackend.all)
    func readingMatchesTheDocument(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            _ = try await loadDemoOrganisations(on: app)
            let document = try await OpenAPITests.document(app)
            let validator = SchemaValidator(document: document)
            #expect((try OpenAPIExactnessTests.schema(document, "MunicipalityCode")["enum"] as? [String])?.count == 98)
            #expect(try OpenAPIExactnessTests.schema(document, "RegionCode")["enum"] as? [String] == ["1081", "1082", "1083", "1084", "1085"])
            let samples: [(String, String)] = [
                ("/api/v1/organisations", "/api/v1/organisations"),
                ("/api/v1/organisations?kind=skole&limit=2&offset=1", "/api/v1/organisations"),
                ("/api/v1/organisations?municipality=0101&region=1084", "/api/v1/organisations"),
                ("/api/v1/organisations?municipality=9999", "/api/v1/organisations"),
                ("/api/v1/organisations?kind=kommune&x=1", "/api/v1/organisations"),
                ("/api/v1/organisations/demo-museet", "/api/v1/organisations/{slug}"),
                ("/api/v1/organisations/eksempelskolen", "/api/v1/organisations/{slug}"),
                ("/api/v1/organisations/koebenhavn", "/api/v1/organisations/{slug}"),
                ("/api/v1/organisations/findes-ikke", "/api/v1/organisations/{slug}"),
                ("/api/v1/municipalities", "/api/v1/municipalities"),
                ("/api/v1/municipalities?x=1", "/api/v1/municipalities"),
            ]
            for (request, template) in samples {
                let response = try await app.get(request)
                let problems = try OpenAPITests.schemaProblems(response, .GET, template, document: document, validator: validator)
                #expect(problems.isEmpty, "\(request): \(problems)")
            }
            let schools = try #require(try await app.get("/api/v1/organisations?kind=skole&limit=2&offset=1").json() as? [String: Any])
            #expect(schools["total"] as? Int == 6)
            #expect((schools["items"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["Eksempel Specialskole", "Eksempelskolen"])
            let museum = try await app.get("/api/v1/organisations/demo-museet")
            #expect(museum.headers.first(name: .eTag) == "\"1\"")
            let body = try #require(try museum.json() as? [String: Any])
            #expect((body["subjects"] as? [[String: String]])?.first == ["slug": "historie", "label": "Historie"])
            #expect(body["url"] as? String == "http://samspil.test/organisationer/demo-museet")
            let municipalities = try #require(try await app.get("/api/v1/municipalities").json() as? [String: Any])
            let copenhagen = try #require((municipalities["items"] as? [[String: Any]])?.first { $0["code"] as? String == "0101" })
            #expect(copenhagen["organisations"] as? Int == 3 && copenhagen["slug"] as? String == "koebenhavn")
        }
    }

    /// The organisation's administrator changes it with a token; a stale If-Match gives 412; another
    /// organisation's administrator gets 403; a pending one is 404 without a token that may see it.
    @Test(arguments: TestBackend.all)
    func administratorsPatchTheirOrganisation(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            _ = try await loadDemoOrganisations(on: app)
            let anna = try await OrganisationPageTests.account(app, "anna@museum.dk")
            let bo = try await OrganisationPageTests.account(app, "bo@andet.dk")
            let museum = try #require(try await OrganisationStore.find(slug: "demo-museet", on: app.db))
            let library = try #require(try await OrganisationStore.find(slug: "proeve-biblioteket", on: app.db))
            try await MembershipQueries.add(user: anna.id, organisation: museum.id, role: .administrator, now: frozenNow, on: app.db)
            try await MembershipQueries.add(user: bo.id, organisation: library.id, role: .administrator, now: frozenNow, on: app.db)
            let annaToken = try await Write.token(try await OrganisationPageTests.browser(app, "anna@museum.dk"))
            let boToken = try await Write.token(try await OrganisationPageTests.browser(app, "bo@andet.dk"))
            let document = try await OpenAPITests.document(app)
            let validator = SchemaValidator(document: document)

            #expect(try await Write.send(app, .PATCH, "/api/v1/organisations/demo-museet", token: nil, json: "{}").status == .unauthorized)
            let patch = #"{"name": " Demo-museet i byen ", "accessibility": null, "subjects": ["historie"], "postcode": "1050"}"#
            let changed = try await Write.send(app, .PATCH, "/api/v1/organisations/demo-museet", token: annaToken, json: patch,
                                               headers: [("If-Match", "\"1\"")])
            #expect(changed.status == .ok)
            #expect(try OpenAPITests.schemaProblems(changed, .PATCH, "/api/v1/organisations/{slug}", document: document, validator: validator).isEmpty)
            #expect(changed.headers.first(name: .eTag) == "\"2\"")
            let stored = try #require(try await OrganisationStore.find(slug: "demo-museet", on: app.db)).organisation
            #expect(stored.name == "Demo-museet i byen" && stored.accessibility == nil && stored.subjects == ["historie"] && stored.address.postcode == "1050")
            #expect(stored.gradeLevels == museum.organisation.gradeLevels, "absent members stay")

            let stale = try await Write.send(app, .PATCH, "/api/v1/organisations/demo-museet", token: annaToken, json: #"{"town": "Byen"}"#,
                                             headers: [("If-Match", "\"1\"")])
            #expect(stale.status == .preconditionFailed)
            let broken = try await Write.send(app, .PATCH, "/api/v1/organisations/demo-museet", token: annaToken,
                                              json: #"{"name": "", "slug": "nyt", "subjects": ["dansk", "dansk"], "phone": "12", "town": 12}"#)
            #expect(broken.status == .unprocessableEntity)
            let problems = try Write.problems(broken)
            #expect(problems["slug"] != nil && problems["phone"] != nil && problems["town"] != nil && problems["subjects[1]"] != nil)
            #expect(try OpenAPITests.schemaProblems(broken, .PATCH, "/api/v1/organisations/{slug}", document: document, validator: validator).isEmpty)
            let rules = try Write.problems(try await Write.send(app, .PATCH, "/api/v1/organisations/demo-museet", token: annaToken,
                                                                 json: #"{"name": " ", "subjects": ["svoemning"]}"#))
            #expect(rules["name"] == "Skriv organisationens navn." && rules["subjects[0]"] != nil)

            let forbidden = try await Write.send(app, .PATCH, "/api/v1/organisations/demo-museet", token: boToken, json: #"{"town": "Overtaget"}"#)
            #expect(forbidden.status == .forbidden)
            #expect(try await Write.send(app, .PATCH, "/api/v1/organisations/koebenhavn", token: annaToken, json: "{}").status == .notFound)

            // Pending: invisible without a token that may see it.
            let pendingID = UUID()
            try await OrganisationStore.insert([(pendingID, OrganisationStorageTests.museum("afventende"))], createdBy: nil, now: frozenNow, on: app.db)
            try await MembershipQueries.add(user: bo.id, organisation: pendingID, role: .educator, now: frozenNow, on: app.db)
            #expect(try await app.get("/api/v1/organisations/afventende").status == .notFound)
            #expect(try await Write.send(app, .GET, "/api/v1/organisations/afventende", token: annaToken).status == .notFound)
            #expect(try await Write.send(app, .GET, "/api/v1/organisations/afventende", token: boToken).status == .ok)
            #expect(try await Write.send(app, .GET, "/api/v1/organisations/afventende", token: "samspil_forkert").status == .unauthorized)
            #expect(!(try await app.get("/api/v1/organisations").text.contains("afventende")))
        }
    }
}
