@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing
import Vapor
import VaporTesting

/// The editor's workflow for materials, through the real pages, on both backends.
@Suite struct MaterialEditTests {
    typealias Browser = LoginTests.Browser

    static func editor(_ app: Application) async throws -> Browser {
        _ = try await AccountQueries.create(email: "redaktor@skole.dk", password: LoginTests.password, role: .editor, now: frozenNow,
                                            hashing: PasswordHashing(app), on: app.db)
        let browser = Browser(app)
        #expect(try await browser.logIn("redaktor@skole.dk").status == .seeOther)
        return browser
    }

    static func fields(_ token: String, title: String = "Zebrafinker på skolebesøg", status: String = "published") -> [String: String] {
        ["_csrf": token, "title": title, "type": "artikel", "teaser": "Sådan tager en skole imod fuglene.", "body": "## Om besøget\n\nFuglene kommer om morgenen.",
         "creditKind": "written", "persons": "Anna Berg\nBo Holm", "year": "2025", "language": "da", "status": status]
    }

    @Test(arguments: TestBackend.all)
    func anEditorPublishesAMaterialThatEveryoneFinds(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let browser = try await Self.editor(app)
            let token = try await browser.csrfToken(on: "/redaktion/materialer/ny")
            let created = try await browser.post("/redaktion/materialer/ny", Self.fields(token))
            #expect(created.status == .seeOther)
            #expect(created.headers.first(name: .location) == "/redaktion/materialer/zebrafinker-paa-skolebesoeg?besked=oprettet")

            let page = try await app.get("/materialer/zebrafinker-paa-skolebesoeg")
            #expect(page.status == .ok)
            #expect(page.text.contains("Anna Berg"))
            let search = try await app.get("/api/v1/search?q=zebrafinke")
            #expect(search.text.contains("zebrafinker-paa-skolebesoeg"))
            #expect(try await app.get("/feed.atom").text.contains("Zebrafinker på skolebesøg"))

            // Unpublish: gone for readers and from search, kept for editors.
            var edit = Self.fields(try await browser.csrfToken(on: "/redaktion/materialer/zebrafinker-paa-skolebesoeg"), status: "draft")
            edit["version"] = try await Self.version(browser, "zebrafinker-paa-skolebesoeg")
            #expect(try await browser.post("/redaktion/materialer/zebrafinker-paa-skolebesoeg", edit).status == .seeOther)
            #expect(try await app.get("/materialer/zebrafinker-paa-skolebesoeg").status == .notFound)
            #expect(!(try await app.get("/api/v1/search?q=zebrafinke").text.contains("zebrafinker-paa-skolebesoeg")))
            #expect(try await browser.get("/redaktion/materialer").text.contains("Kladde"))
            // Editors preview the draft as readers would see it.
            let preview = try await browser.get("/redaktion/materialer/zebrafinker-paa-skolebesoeg/forhaandsvisning")
            #expect(preview.status == .ok)
            #expect(preview.text.contains("Forhåndsvisning") && preview.text.contains("Fuglene kommer om morgenen."))
            #expect(!preview.text.contains("rel=\"canonical\""))
            #expect(try await Browser(app).get("/redaktion/materialer/zebrafinker-paa-skolebesoeg/forhaandsvisning").status == .seeOther)

            // Delete needs the box ticked.
            let deleteToken = try await browser.csrfToken(on: "/redaktion/materialer/zebrafinker-paa-skolebesoeg")
            let unconfirmed = try await browser.post("/redaktion/materialer/zebrafinker-paa-skolebesoeg/slet", ["_csrf": deleteToken])
            #expect(unconfirmed.status == .unprocessableEntity)
            let deleted = try await browser.post("/redaktion/materialer/zebrafinker-paa-skolebesoeg/slet", ["_csrf": deleteToken, "confirm": "ja"])
            #expect(deleted.status == .seeOther)
            #expect(try await browser.get("/redaktion/materialer/zebrafinker-paa-skolebesoeg").status == .notFound)

            // The audit log has all three, by this editor, for administrators only.
            // (The frozen clock gives all three the same time, so their order is not checked.)
            #expect(Set(try await AuditLog.recent(on: app.db).map(\.action)) == ["material.delete", "material.update", "material.create"])
            #expect(try await AuditLog.recent(on: app.db).allSatisfy { $0.actor == "redaktor@skole.dk" && $0.subject == "zebrafinker-paa-skolebesoeg" })
            #expect(try await browser.get("/redaktion/log").status == .forbidden)
            _ = try await AccountQueries.create(email: "admin@skole.dk", password: LoginTests.password, role: .administrator, now: frozenNow,
                                                hashing: PasswordHashing(app), on: app.db)
            let admin = Browser(app)
            _ = try await admin.logIn("admin@skole.dk")
            let log = try await admin.get("/redaktion/log")
            #expect(log.status == .ok)
            #expect(log.text.contains("Slettede materiale") && log.text.contains("redaktor@skole.dk"))
        }
    }

    static func version(_ browser: Browser, _ slug: String) async throws -> String {
        let html = try await browser.get("/redaktion/materialer/\(slug)").text
        let marker = "name=\"version\" value=\""
        guard let start = html.range(of: marker)?.upperBound, let end = html[start...].firstIndex(of: "\"") else { return "" }
        return String(html[start..<end])
    }

    @Test(arguments: TestBackend.all)
    func brokenInputIsShownNextToEachFieldAndKept(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let browser = try await Self.editor(app)
            let token = try await browser.csrfToken(on: "/redaktion/materialer/ny")
            var fields = Self.fields(token, title: "Et <b>nyt</b> materiale")
            fields["teaser"] = ""
            fields["year"] = "sidste år"
            fields["type"] = "findes-ikke"
            let response = try await browser.post("/redaktion/materialer/ny", fields)
            #expect(response.status == .unprocessableEntity)
            let html = response.text
            #expect(html.contains("Fejl: Skriv en kort beskrivelse."))
            #expect(html.contains("Fejl: Skriv årstallet med tal, fx 2019."))
            #expect(html.contains("Fejl: Vælg en type, der findes – „findes-ikke“ kendes ikke."))
            // The summary lists the errors in the form's order (type, teaser, year), whatever order the rules found them in.
            let summary = try #require(html.range(of: "error-summary-heading").map { String(html[$0.lowerBound...].prefix(1_000)) })
            let order = ["#field-type", "#field-teaser", "#field-year"].map { summary.range(of: $0)?.lowerBound }
            #expect(order.allSatisfy { $0 != nil } && order == order.sorted { $0! < $1! }, "\(summary)")
            #expect(html.contains("<title>Fejl: Nyt materiale – Samspil</title>"))
            #expect(html.contains("autofocus"))
            #expect(html.contains("value=\"Et &lt;b&gt;nyt&lt;/b&gt; materiale\""), "the title typed is kept, escaped")
            #expect(html.contains("Anna Berg\nBo Holm"), "the persons typed are kept")
            #expect(try await MaterialModel.query(on: app.db).count() == 11)
        }
    }

    /// Two editors open the same material; the second to save is told, and nothing is overwritten.
    @Test(arguments: TestBackend.all)
    func theSecondOfTwoConcurrentEditsIsToldOfTheConflict(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let first = try await Self.editor(app)
            let second = Browser(app)
            second.cookies = first.cookies
            let slug = "fire-typer-af-partnerskaber"
            let startedFrom = try await Self.version(first, slug)
            #expect(!startedFrom.isEmpty)
            let token = try await first.csrfToken(on: "/redaktion/materialer/\(slug)")
            var mine = MaterialEdit.form(from: try #require(try await MaterialQueries.find(slug: slug, on: app.db)))
            mine.title = "Fire typer – første udgave"
            var theirs = mine
            theirs.title = "Fire typer – anden udgave"
            func post(_ browser: Browser, _ form: MaterialEdit.Form) async throws -> TestingHTTPResponse {
                var fields = Self.fields(token, title: form.title ?? "")
                fields["type"] = form.type
                fields["teaser"] = form.teaser
                fields["version"] = startedFrom
                return try await browser.post("/redaktion/materialer/\(slug)", fields)
            }
            #expect(try await post(first, mine).status == .seeOther)
            let conflict = try await post(second, theirs)
            #expect(conflict.status == .conflict)
            #expect(conflict.text.contains("ændret af en anden"))
            #expect(conflict.text.contains("Fire typer – anden udgave"), "the second editor's input is kept")
            #expect(try await MaterialQueries.find(slug: slug, on: app.db)?.title == "Fire typer – første udgave")
            // With the new version, the second editor can save.
            var retry = Self.fields(token, title: "Fire typer – anden udgave")
            retry["version"] = try await Self.version(second, slug)
            #expect(try await second.post("/redaktion/materialer/\(slug)", retry).status == .seeOther)
            #expect(try await MaterialQueries.find(slug: slug, on: app.db)?.title == "Fire typer – anden udgave")
        }
    }
}
