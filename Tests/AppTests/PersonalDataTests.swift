@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing
import Vapor
import VaporTesting

@Suite struct PersonalDataTests {
    typealias Browser = LoginTests.Browser

    @Test(arguments: TestBackend.all)
    func usersSeeAndDownloadTheirData(backend: TestBackend) async throws {
        try await LoginTests.withAccounts(backend) { app in
            let editor = Browser(app)
            _ = try await editor.logIn("redaktor@skole.dk")
            let page = try await editor.get("/min-side/mine-data")
            #expect(page.status == .ok)
            #expect(page.text.contains("redaktor@skole.dk"))
            let download = try await editor.get("/min-side/mine-data.json")
            #expect(download.headers.first(name: .contentDisposition)?.contains("attachment") == true)
            let json = try #require(try download.json() as? [String: Any])
            #expect(json["email"] as? String == "redaktor@skole.dk")
            #expect((json["sessions"] as? [Any])?.count == 1)
            #expect(json["passwordHash"] == nil && !download.text.contains("$2b$"), "the hash is not personal data to hand out")
        }
    }

    /// An administrator deletes a user: the account and its sessions go, materials and the audit log stay.
    @Test(arguments: TestBackend.all)
    func anAdministratorDeletesAUserAndTheContentStays(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            for (email, role) in [("redaktor@skole.dk", Role.editor), ("admin@skole.dk", .administrator)] {
                _ = try await AccountQueries.create(email: email, password: LoginTests.password, role: role, now: frozenNow, hashing: PasswordHashing(app), on: app.db)
            }
            let editor = Browser(app)
            _ = try await editor.logIn("redaktor@skole.dk")
            let token = try await editor.csrfToken(on: "/redaktion/materialer/ny")
            #expect(try await editor.post("/redaktion/materialer/ny", MaterialEditTests.fields(token)).status == .seeOther)
            #expect(try await editor.post("/redaktion/brugere/slet", ["email": "admin@skole.dk", "confirm": "ja", "_csrf": token]).status == .forbidden)

            let admin = Browser(app)
            _ = try await admin.logIn("admin@skole.dk")
            let adminToken = try await admin.csrfToken(on: "/redaktion/brugere")
            #expect(try await admin.post("/redaktion/brugere/slet", ["email": "admin@skole.dk", "confirm": "ja", "_csrf": adminToken]).status == .forbidden)
            // Disabling ends the editor's session; enabling lets them in again.
            #expect(try await admin.post("/redaktion/brugere/spaer", ["email": "redaktor@skole.dk", "_csrf": adminToken]).status == .seeOther)
            #expect(try await editor.get("/redaktion").status == .seeOther)
            #expect(try await admin.get("/redaktion/brugere").text.contains("Spærret"))
            #expect(try await admin.post("/redaktion/brugere/spaer", ["email": "admin@skole.dk", "_csrf": adminToken]).status == .forbidden)
            #expect(try await admin.post("/redaktion/brugere/aabn", ["email": "redaktor@skole.dk", "_csrf": adminToken]).status == .seeOther)
            #expect(try await editor.logIn("redaktor@skole.dk").status == .seeOther)
            let unconfirmed = try await admin.post("/redaktion/brugere/slet", ["email": "redaktor@skole.dk", "_csrf": adminToken])
            #expect(unconfirmed.headers.first(name: .location) == "/redaktion/brugere?fejl=bekraeft")
            #expect(try await AccountQueries.find(email: "redaktor@skole.dk", on: app.db) != nil)
            #expect(try await admin.post("/redaktion/brugere/slet", ["email": "redaktor@skole.dk", "confirm": "ja", "_csrf": adminToken]).status == .seeOther)

            #expect(try await AccountQueries.find(email: "redaktor@skole.dk", on: app.db) == nil)
            #expect(try await editor.get("/redaktion").status == .seeOther, "the deleted user's session is gone")
            #expect(try await app.get("/materialer/zebrafinker-paa-skolebesoeg").status == .ok, "what they wrote stays")
            let log = try await AuditLog.recent(on: app.db)
            #expect(log.contains { $0.action == "material.create" && $0.actor == "redaktor@skole.dk" })
            #expect(log.contains { $0.action == "user.delete" && $0.subject == "redaktor@skole.dk" && $0.actor == "admin@skole.dk" })
            #expect(log.contains { $0.action == "user.disable" } && log.contains { $0.action == "user.enable" })
        }
    }
}
