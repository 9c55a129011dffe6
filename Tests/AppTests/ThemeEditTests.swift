@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing
import Vapor
import VaporTesting

/// Editors make themes and order their materials in the browser, on both backends.
@Suite struct ThemeEditTests {
    typealias Browser = LoginTests.Browser
    static let first = "samarbejder-og-partnerskaber"
    static let second = "behoever-vi-samarbete-oever-organisationsgraenser"

    static func change(_ browser: Browser, _ action: String, _ material: String) async throws -> TestingHTTPResponse {
        let csrf = try await browser.csrfToken(on: "/redaktion/temaer/robotter")
        return try await browser.post("/redaktion/temaer/robotter/materialer", ["_csrf": csrf, "action": action, "material": material])
    }

    /// The material slugs in the order the public theme page links them.
    static func order(_ app: Application) async throws -> [String] {
        let html = try await app.get("/temaer/robotter").text
        return [first, second].filter { html.contains("/materialer/\($0)\"") }.sorted {
            html.range(of: "/materialer/\($0)\"")!.lowerBound < html.range(of: "/materialer/\($1)\"")!.lowerBound
        }
    }

    @Test(arguments: TestBackend.all)
    func anEditorMakesAThemeAndOrdersItsMaterials(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let browser = try await MaterialEditTests.editor(app)
            let csrf = try await browser.csrfToken(on: "/redaktion/temaer/ny")
            // Wrong input: Danish messages, input kept.
            let empty = try await browser.post("/redaktion/temaer/ny", ["_csrf": csrf, "title": " ", "intro": "Min <tekst>"])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.text.contains("Skriv en titel.") && empty.text.contains("Min &lt;tekst&gt;"))
            #expect(empty.text.contains("<title>Fejl: Nyt tema – Samspil</title>"))
            // The address is made from the title, so an empty title is one error, not two.
            #expect(!empty.text.contains("#field-slug"))
            for taken in ["ny", "samarbejder-og-partnerskaber"] {
                let refused = try await browser.post("/redaktion/temaer/ny", ["_csrf": csrf, "title": "Et tema", "slug": taken])
                #expect(refused.status == .unprocessableEntity, "\(taken)")
            }
            #expect(try await browser.post("/redaktion/temaer/ny", ["title": "Uden CSRF"]).status == .forbidden)

            let created = try await browser.post("/redaktion/temaer/ny", ["_csrf": csrf, "title": "Robotter", "intro": "Om **robotter**.", "status": "draft"])
            #expect(created.headers.first(name: .location) == "/redaktion/temaer/robotter?besked=oprettet")
            #expect(try await app.get("/temaer/robotter").status == .notFound)
            let preview = try await browser.get("/redaktion/temaer/robotter/forhaandsvisning")
            #expect(preview.status == .ok && preview.text.contains("Forhåndsvisning") && !preview.text.contains("rel=\"canonical\""))
            #expect(try await Browser(app).get("/redaktion/temaer/robotter/forhaandsvisning").status == .seeOther)

            #expect(try await Self.change(browser, "add", Self.first).status == .seeOther)
            #expect(try await Self.change(browser, "add", Self.second).status == .seeOther)
            let unknown = try await Self.change(browser, "add", "")
            #expect(unknown.status == .unprocessableEntity && unknown.text.contains("Vælg et materiale på listen."))
            #expect(try await Self.change(browser, "add", Self.second).headers.first(name: .location)?.contains("besked=findes") == true)

            // Publishing keeps the list, even when the form was opened before the list changed.
            let form = try await browser.csrfToken(on: "/redaktion/temaer/robotter")
            #expect(try await browser.post("/redaktion/temaer/robotter", ["_csrf": form, "title": "Robotter i skolen", "intro": "Om **robotter**.", "status": "published"]).status == .seeOther)
            #expect(try await app.get("/temaer/robotter").text.contains("Robotter i skolen"))
            #expect(try await Self.order(app) == [Self.first, Self.second])

            let editPage = try await browser.get("/redaktion/temaer/robotter").text
            #expect(editPage.contains("aria-label=\"Flyt ned: ") && editPage.contains("aria-label=\"Fjern fra temaet: "))
            #expect(try await Self.change(browser, "down", Self.first).status == .seeOther)
            #expect(try await Self.order(app) == [Self.second, Self.first])
            #expect(try await Self.change(browser, "remove", Self.second).status == .seeOther)
            #expect(try await Self.order(app) == [Self.first])
            #expect(try await Self.change(browser, "remove", Self.second).status == .notFound)
            #expect(try await Self.change(browser, "sideways", Self.first).status == .badRequest)
            #expect(try await app.get("/api/v1/themes/robotter").text.contains("\"materialSlugs\":[\"\(Self.first)\"]"))

            // Deleting needs the box ticked, and keeps the materials.
            let deleteToken = try await browser.csrfToken(on: "/redaktion/temaer/robotter")
            #expect(try await browser.post("/redaktion/temaer/robotter/slet", ["_csrf": deleteToken]).status == .unprocessableEntity)
            #expect(try await browser.post("/redaktion/temaer/robotter/slet", ["_csrf": deleteToken, "confirm": "ja"]).status == .seeOther)
            #expect(try await app.get("/temaer/robotter").status == .notFound)
            #expect(try await app.get("/materialer/\(Self.first)").status == .ok)
            #expect(Set(try await AuditLog.recent(on: app.db).map(\.action)) == ["theme.create", "theme.update", "theme.delete"])

            #expect(try await Browser(app).get("/redaktion/temaer").status == .seeOther)
        }
    }
}
