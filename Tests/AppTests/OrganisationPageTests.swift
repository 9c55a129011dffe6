@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing
import Vapor
import VaporTesting

/// The directory, profiles, municipalities, and registering, approving and editing organisations through the
/// real pages, on both backends.
@Suite struct OrganisationPageTests {
    typealias Browser = LoginTests.Browser

    static func account(_ app: Application, _ email: String, role: Role = .editor) async throws -> Account {
        try await AccountQueries.create(email: email, name: String(email.prefix { $0 != "@" }).capitalized, password: LoginTests.password,
                                        role: role, now: frozenNow, hashing: PasswordHashing(app), on: app.db)
    }

    static func browser(_ app: Application, _ email: String) async throws -> Browser {
        let browser = Browser(app)
        #expect(try await browser.logIn(email).status == .seeOther)
        return browser
    }

    @Test func withoutDataTheDirectoryIsEmptyAndSaysHowToFillIt() async throws {
        try await withApp { app in
            let page = try await app.get("/organisationer")
            #expect(page.status == .ok)
            #expect(page.text.contains("Der er ingen organisationer i kataloget endnu."))
            #expect(page.text.contains("href=\"/organisationer/ny\"") && page.text.contains("href=\"/organisationer/import\""))
            #expect(page.text.contains("<a href=\"/organisationer\" aria-current=\"page\">Organisationer</a>"))
            #expect(try await app.get("/materialer").text.contains("<li><a href=\"/organisationer\">Organisationer</a></li>"), "in the main menu")
        }
    }

    @Test(arguments: TestBackend.all)
    func theDemoFillsTheDirectoryWithFacetsAndMunicipalityPages(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            #expect(try await loadDemoOrganisations(on: app) == "Importeret (UTF-8): 15 oprettet, 0 opdateret, 0 afvist.")
            #expect(try await loadDemoOrganisations(on: app) == "Importeret (UTF-8): 0 oprettet, 15 opdateret, 0 afvist.")
            let all = try await app.get("/organisationer").text
            #expect(all.contains("15 organisationer."))
            #expect(all.contains("Skoler (6)") && all.contains("Eksterne læringsmiljøer (9)"))
            #expect(all.contains("Region Hovedstaden (3)") && all.contains("København (3)"))
            #expect(all.contains("Viser 1–15 af 15"))
            let schools = try await app.get("/organisationer?kind=skole").text
            #expect(schools.contains("6 organisationer.") && schools.contains("Skoler – fjern"))
            #expect(schools.contains("Demo Friskole") && !schools.contains("Demo-museet"))
            // Facets count with the other active filters.
            let copenhagenSchools = try await app.get("/organisationer?kind=skole&municipality=0101").text
            #expect(copenhagenSchools.contains("1 organisation.") && copenhagenSchools.contains("Eksempelskolen"))
            #expect(copenhagenSchools.contains("Eksterne læringsmiljøer (2)"))
            #expect(try await app.get("/organisationer?region=1084").text.contains("3 organisationer."))
            #expect(try await app.get("/organisationer?kind=kommune").status == .badRequest)
            #expect(try await app.get("/organisationer?municipality=9999").status == .badRequest)
            #expect(try await app.get("/organisationer?side=2").status == .notFound)

            let museum = try await app.get("/organisationer/demo-museet")
            #expect(museum.status == .ok)
            let html = museum.text
            #expect(html.contains("<h1>Demo-museet</h1>"))
            #expect(html.contains("Eksternt læringsmiljø · Kulturhistoriske museer"))
            #expect(html.contains("Et <strong>fiktivt</strong> museum"))
            #expect(html.contains("<dt>Kommune</dt><dd><a href=\"/kommuner/koebenhavn\">København</a></dd>"))
            #expect(html.contains("<dt>Region</dt><dd>Region Hovedstaden</dd>"))
            #expect(html.contains("Museumsvej 7, 1000 København K"))
            #expect(html.contains("55,6761 N, 12,5683 Ø"))
            #expect(html.contains("<li>Historie</li><li>Dansk</li>"))
            #expect(html.contains("Elevator til alle etager."))
            #expect(!html.contains("Redigér oplysningerne"))
            let school = try await app.get("/organisationer/eksempelskolen").text
            #expect(school.contains("<dt>Institutionsnummer</dt><dd>999001</dd>") && school.contains("Skole · Folkeskole"))

            let municipalities = try await app.get("/kommuner").text
            #expect(municipalities.components(separatedBy: "href=\"/kommuner/").count - 1 == 98)
            #expect(municipalities.contains("<h2>Region Nordjylland</h2>"))
            #expect(municipalities.contains("<a href=\"/kommuner/koebenhavn\">København</a> <span class=\"count\">(3 organisationer)</span>"))
            let copenhagen = try await app.get("/kommuner/koebenhavn").text
            #expect(copenhagen.contains("<h1>København Kommune</h1>") && copenhagen.contains("Region Hovedstaden"))
            #expect(copenhagen.contains("<h2>Skoler (1)</h2>") && copenhagen.contains("<h2>Eksterne læringsmiljøer (2)</h2>"))
            #expect(try await app.get("/kommuner/findes-ikke").status == .notFound)
            // A municipality is not an organisation profile.
            #expect(try await app.get("/organisationer/koebenhavn").status == .notFound)
        }
    }

    /// A person registers a museum; it is not public; a coordinator of another municipality cannot approve it; the
    /// coordinator of its municipality can; then it is public, and its administrator edits it. An administrator of
    /// another organisation gets 403 on editing and approving.
    @Test(arguments: TestBackend.all)
    func registerApproveByTheCoordinatorAndEdit(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            _ = try await Self.account(app, "anna@museum.dk")
            let coordinator = try await Self.account(app, "koordinator@kk.dk")
            let elsewhere = try await Self.account(app, "koordinator@aarhus.dk")
            let otherAdmin = try await Self.account(app, "admin@andet.dk")
            let copenhagen = try #require(try await OrganisationStore.find(slug: "koebenhavn", on: app.db))
            let aarhus = try #require(try await OrganisationStore.find(slug: "aarhus", on: app.db))
            try await MembershipQueries.add(user: coordinator.id, organisation: copenhagen.id, role: .coordinator, now: frozenNow, on: app.db)
            try await MembershipQueries.add(user: elsewhere.id, organisation: aarhus.id, role: .coordinator, now: frozenNow, on: app.db)
            let otherID = UUID()
            try await OrganisationStore.insert([(otherID, OrganisationStorageTests.museum("andet-museum"))], createdBy: nil, now: frozenNow, on: app.db)
            try await MembershipQueries.add(user: otherAdmin.id, organisation: otherID, role: .administrator, now: frozenNow, on: app.db)

            #expect(try await Browser(app).get("/organisationer/ny").status == .seeOther, "not logged in: to the login page")
            let anna = try await Self.browser(app, "anna@museum.dk")
            let choice = try await anna.get("/organisationer/ny")
            #expect(choice.status == .ok && choice.text.contains("Hvad vil du registrere?"))
            let form = try await anna.get("/organisationer/ny?kind=laeringsmiljoe")
            #expect(form.text.contains("Slags læringsmiljø") && !form.text.contains("Institutionsnummer"))
            let token = try await anna.csrfToken(on: "/organisationer/ny?kind=laeringsmiljoe")

            // Refused: Danish messages per field, the input kept.
            let refused = try await anna.post("/organisationer/ny", pairs: [
                ("_csrf", token), ("kind", "laeringsmiljoe"), ("name", "Zebramuseet"), ("municipality", ""), ("latitude", "nord"),
                ("subjects[]", "historie"),
            ])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("<title>Fejl: Registrér eksternt læringsmiljø – Samspil</title>"))
            #expect(refused.text.contains("Vælg, hvilken slags læringsmiljø det er."))
            #expect(refused.text.contains("Vælg den kommune, læringsmiljøet ligger i."))
            #expect(refused.text.contains("Skriv et tal, fx 55,6761."))
            #expect(refused.text.contains("value=\"Zebramuseet\"") && refused.text.contains("value=\"historie\" checked=\"checked\""))

            let created = try await anna.post("/organisationer/ny", pairs: [
                ("_csrf", token), ("kind", "laeringsmiljoe"), ("name", "Zebramuseet"), ("environmentKind", "kulturhistoriske-museer"),
                ("municipality", "0101"), ("description", "Om **zebraer**."), ("subjects[]", "historie"), ("subjects[]", "biologi"),
                ("gradeLevels[]", "4"), ("latitude", "55,7"), ("longitude", "12,5"),
            ])
            #expect(created.status == .seeOther)
            #expect(created.headers.first(name: .location) == "/organisationer/zebramuseet")
            let stored = try #require(try await OrganisationStore.find(slug: "zebramuseet", on: app.db))
            #expect(stored.organisation.status == .pending && stored.organisation.subjects == ["historie", "biologi"])
            #expect(stored.organisation.latitude == 55.7)
            #expect(try await MembershipQueries.forOrganisation(stored.id, on: app.db).map(\.role) == [.administrator])

            // Pending: only its members, the coordinator and site administrators see it.
            #expect(try await app.get("/organisationer/zebramuseet").status == .notFound)
            #expect(!(try await app.get("/organisationer").text.contains("Zebramuseet")))
            let own = try await anna.get("/organisationer/zebramuseet")
            #expect(own.status == .ok && own.text.contains("Afventer godkendelse") && !own.text.contains("Godkend organisationen"))
            #expect(own.headers.first(name: .cacheControl) == "no-store")

            let other = try await Self.browser(app, "koordinator@aarhus.dk")
            #expect(try await other.get("/organisationer/zebramuseet").status == .notFound)
            #expect(!(try await other.get("/organisationer/godkendelse").text.contains("Zebramuseet")))
            let otherToken = try await other.csrfToken(on: "/organisationer/godkendelse")
            #expect(try await other.post("/organisationer/zebramuseet/godkend", ["_csrf": otherToken]).status == .notFound)

            let approver = try await Self.browser(app, "koordinator@kk.dk")
            let pending = try await approver.get("/organisationer/godkendelse")
            #expect(pending.text.contains("Zebramuseet") && pending.text.contains("aria-label=\"Godkend Zebramuseet\""))
            let approveToken = try await approver.csrfToken(on: "/organisationer/godkendelse")
            let approved = try await approver.post("/organisationer/zebramuseet/godkend", ["_csrf": approveToken])
            #expect(approved.status == .seeOther)
            #expect(try await approver.get("/organisationer/godkendelse").text.contains("Ingen organisationer venter på din godkendelse."))
            let public_ = try await app.get("/organisationer/zebramuseet")
            #expect(public_.status == .ok && public_.text.contains("Om <strong>zebraer</strong>."))
            #expect(try await app.get("/organisationer").text.contains("Zebramuseet"))
            #expect(try await app.get("/kommuner/koebenhavn").text.contains("Zebramuseet"))
            #expect(try await approver.post("/organisationer/zebramuseet/godkend", ["_csrf": approveToken]).status == .conflict)

            // Another organisation's administrator may see it but not edit or approve it.
            let stranger = try await Self.browser(app, "admin@andet.dk")
            #expect(try await stranger.get("/organisationer/zebramuseet/rediger").status == .forbidden)
            let strangerToken = try await stranger.csrfToken(on: "/organisationer/andet-museum/rediger")
            #expect(try await stranger.post("/organisationer/zebramuseet/rediger", ["_csrf": strangerToken, "name": "Overtaget"]).status == .forbidden)
            #expect(try await stranger.post("/organisationer/andet-museum/godkend", ["_csrf": strangerToken]).status == .forbidden)

            // Its administrator edits it.
            let profile = try await anna.get("/organisationer/zebramuseet")
            #expect(profile.text.contains("href=\"/organisationer/zebramuseet/rediger\""))
            let editToken = try await anna.csrfToken(on: "/organisationer/zebramuseet/rediger")
            let saved = try await anna.post("/organisationer/zebramuseet/rediger", pairs: [
                ("_csrf", editToken), ("name", "Zebramuseet i København"), ("environmentKind", "kulturhistoriske-museer"), ("municipality", "0101"),
                ("website", "https://zebra.example"), ("gradeLevels[]", "5"),
            ])
            #expect(saved.status == .seeOther)
            let edited = try #require(try await OrganisationStore.find(slug: "zebramuseet", on: app.db))
            #expect(edited.organisation.name == "Zebramuseet i København" && edited.organisation.status == .approved)
            #expect(edited.organisation.gradeLevels == ["5"] && edited.organisation.subjects.isEmpty && edited.revision == 3)
            let badEdit = try await anna.post("/organisationer/zebramuseet/rediger", ["_csrf": editToken, "name": "", "municipality": "0101"])
            #expect(badEdit.status == .unprocessableEntity && badEdit.text.contains("Skriv organisationens navn."))
            #expect(badEdit.text.contains("<h1>Redigér Zebramuseet i København</h1>"))
            let log = try await AuditLog.recent(on: app.db).map(\.action)
            #expect(log.filter { $0.hasPrefix("organisation.") }.sorted() == ["organisation.approve", "organisation.create", "organisation.update"])
        }
    }

    /// An editor names a material's publishing organisation; the material page links to it.
    @Test(arguments: TestBackend.all)
    func aMaterialNamesItsPublishingOrganisation(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            _ = try await loadDemoOrganisations(on: app)
            let editor = try await MaterialEditTests.editor(app)
            let token = try await editor.csrfToken(on: "/redaktion/materialer/ny")
            var fields = MaterialEditTests.fields(token)
            fields["publisher"] = "findes-ikke"
            let refused = try await editor.post("/redaktion/materialer/ny", fields)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("Skriv adressen på en godkendt organisation i kataloget, fx demo-museet – „findes-ikke“ findes ikke."))
            #expect(refused.text.contains("value=\"findes-ikke\""))
            fields["publisher"] = "demo-museet"
            #expect(try await editor.post("/redaktion/materialer/ny", fields).status == .seeOther)
            let page = try await app.get("/materialer/zebrafinker-paa-skolebesoeg").text
            #expect(page.contains("<dt>Organisation</dt><dd><a href=\"/organisationer/demo-museet\">Demo-museet</a></dd>"))
            #expect(try await app.get("/organisationer/demo-museet").text.contains("<a href=\"/materialer/zebrafinker-paa-skolebesoeg\">Zebrafinker på skolebesøg</a>"))
            // The API names it too, as the document says.
            let document = try await OpenAPITests.document(app)
            let validator = SchemaValidator(document: document)
            let expected: [String: String] = ["slug": "demo-museet", "name": "Demo-museet", "url": "http://samspil.test/organisationer/demo-museet"]
            let one = try await app.get("/api/v1/materials/zebrafinker-paa-skolebesoeg")
            #expect(try OpenAPITests.schemaProblems(one, .GET, "/api/v1/materials/{slug}", document: document, validator: validator).isEmpty)
            #expect((try one.json() as? [String: Any])?["publisher"] as? [String: String] == expected)
            let list = try #require(try await app.get("/api/v1/materials?limit=100").json() as? [String: Any])
            let listed = try #require((list["items"] as? [[String: Any]])?.first { $0["slug"] as? String == "zebrafinker-paa-skolebesoeg" })
            #expect(listed["publisher"] as? [String: String] == expected)
            #expect((list["items"] as? [[String: Any]])?.filter { $0["publisher"] != nil }.count == 1)
            let search = try #require(try await app.get("/api/v1/search?q=zebrafinker").json() as? [String: Any])
            let hit = try #require((search["items"] as? [[String: Any]])?.first?["material"] as? [String: Any])
            #expect(hit["publisher"] as? [String: String] == expected)
            let edit = try await editor.get("/redaktion/materialer/zebrafinker-paa-skolebesoeg")
            #expect(edit.text.contains("name=\"publisher\" value=\"demo-museet\""))
            // Cleared by an empty field.
            var cleared = MaterialEditTests.fields(try await editor.csrfToken(on: "/redaktion/materialer/zebrafinker-paa-skolebesoeg"))
            cleared["version"] = try await MaterialEditTests.version(editor, "zebrafinker-paa-skolebesoeg")
            #expect(try await editor.post("/redaktion/materialer/zebrafinker-paa-skolebesoeg", cleared).status == .seeOther)
            #expect(!(try await app.get("/materialer/zebrafinker-paa-skolebesoeg").text.contains("<dt>Organisation</dt>")))
        }
    }
}
