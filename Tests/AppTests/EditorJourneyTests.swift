@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing
import Vapor
import VaporTesting

/// The whole way of issue 4's first "done when", through the pages, with two app instances on one
/// database (as two processes): an administrator (made as `samspil user create --admin` makes one) adds an
/// editor; the editor chooses a password through the mailed link, writes a material, adds a PDF, publishes
/// it and puts it on a theme; readers of the other instance find it on the theme page, in search and in the
/// Atom feed, and download the PDF.
@Suite struct EditorJourneyTests {
    typealias Browser = LoginTests.Browser

    @Test(arguments: TestBackend.all)
    func fromTheFirstAdministratorToAPublishedMaterialWithAPDF(backend: TestBackend) async throws {
        try await withApps(backend, count: 2) { apps in
            let (app, other) = (apps[0], apps[1])
            _ = try await AccountQueries.create(email: "admin@skole.dk", password: LoginTests.password, role: .administrator, now: frozenNow,
                                                hashing: PasswordHashing(app), on: app.db)
            let admin = Browser(app)
            #expect(try await admin.logIn("admin@skole.dk").status == .seeOther)
            let adminCSRF = try await admin.csrfToken(on: "/redaktion/brugere/ny")
            #expect(try await admin.post("/redaktion/brugere/ny", ["_csrf": adminCSRF, "email": "ny@skole.dk", "name": "Nina", "role": "editor"]).status == .seeOther)

            // The editor's invitation: choose a password, then log in (on the other instance).
            let link = try await PasswordResetTests.link(in: app)
            let invited = Browser(other)
            let csrf = try await invited.csrfToken(on: link)
            let token = String(link.dropFirst("/nulstil-adgangskode?token=".count))
            let chosen = "nina vælger en lang adgangssætning"
            #expect(try await invited.post("/nulstil-adgangskode", ["token": token, "password": chosen, "repeated": chosen, "_csrf": csrf]).status == .seeOther)
            let editor = Browser(app)
            #expect(try await editor.logIn("ny@skole.dk", chosen).status == .seeOther)

            // A material, a PDF, published, on a theme.
            let fields = MaterialEditTests.fields(try await editor.csrfToken(on: "/redaktion/materialer/ny"), title: "Naturskolen åbner dørene")
            #expect(try await editor.post("/redaktion/materialer/ny", fields).status == .seeOther)
            let slug = "naturskolen-aabner-doerene"
            let uploaded = try await UploadTests.upload(editor, slug: slug, token: try await editor.csrfToken(on: "/redaktion/materialer/\(slug)"),
                                                        fileName: "naturskolen.pdf", bytes: UploadTests.pdf)
            #expect(uploaded.status == .seeOther)
            let themeCSRF = try await editor.csrfToken(on: "/redaktion/temaer/samarbejder-og-partnerskaber")
            #expect(try await editor.post("/redaktion/temaer/samarbejder-og-partnerskaber/materialer",
                                          ["_csrf": themeCSRF, "action": "add", "material": slug]).status == .seeOther)

            // Readers of the other instance.
            let themePage = try await other.get("/temaer/samarbejder-og-partnerskaber")
            #expect(themePage.text.contains("/materialer/\(slug)\""))
            #expect(try await other.get("/soeg?q=naturskole").text.contains("/materialer/\(slug)\""))
            #expect(try await other.get("/feed.atom").text.contains("Naturskolen åbner dørene"))
            let material = try #require(try await MaterialQueries.find(slug: slug, on: other.db))
            let href = try #require(material.versions.first?.url)
            #expect(try await other.get("/materialer/\(slug)").text.contains(href))
            let pdf = try await other.get(href)
            #expect(pdf.status == .ok && pdf.headers.first(name: .contentType) == "application/pdf")
            #expect(Array(pdf.body.readableBytesView) == UploadTests.pdf)

            // What the editor did is in the history and the audit log, under the editor's name.
            #expect(try await editor.get("/redaktion/materialer/\(slug)/historik").text.contains("Tilføjede fil til materiale"))
            let log = try await AuditLog.recent(on: app.db)
            #expect(Set(log.filter { $0.actor == "ny@skole.dk" }.map(\.action)) == ["material.create", "material.file", "theme.update"])
            #expect(log.contains { $0.actor == "admin@skole.dk" && $0.action == "user.create" && $0.subject == "ny@skole.dk" })

            // The editor's data page counts the history entries and tokens.
            let data = try #require(try await editor.get("/min-side/mine-data.json").json() as? [String: Any])
            let revisions = try #require(data["revisions"] as? [[String: Any]])
            #expect(revisions.map { $0["material"] as? String } == [slug, slug])
            #expect((data["apiTokens"] as? [Any])?.isEmpty == true)
        }
    }
}
