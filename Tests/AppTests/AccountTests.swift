@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing
import Vapor

@Suite struct AccountTests {
    static func create(_ app: Application, _ email: String, password: String = "hest og ko i stalden", role: Role = .editor) async throws -> Account {
        try await AccountQueries.create(email: email, password: password, role: role, now: frozenNow, hashing: PasswordHashing(app), on: app.db)
    }

    static func verify(_ app: Application, _ email: String, _ password: String) async throws -> Account? {
        try await AccountQueries.verify(email: email, password: password, hashing: PasswordHashing(app), on: app.db)
    }

    @Test(arguments: TestBackend.all)
    func accountsAreCreatedListedDisabledAndReset(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let admin = try await Self.create(app, "  Admin@Skole.DK ", role: .administrator)
            #expect(admin.email == "admin@skole.dk")
            #expect(admin.name == "admin")
            #expect(admin.role == .administrator)
            _ = try await Self.create(app, "redaktor@skole.dk")
            #expect(try await AccountQueries.all(on: app.db).map(\.email) == ["admin@skole.dk", "redaktor@skole.dk"])

            // The password is stored as a bcrypt hash only.
            let stored = try #require(try await AccountQueries.find(email: "admin@skole.dk", on: app.db))
            #expect(stored.passwordHash.hasPrefix("$2b$04$"))
            #expect(!stored.passwordHash.contains("hest"))

            #expect(try await Self.verify(app, "ADMIN@skole.dk", "hest og ko i stalden")?.email == "admin@skole.dk")
            #expect(try await Self.verify(app, "admin@skole.dk", "hest og ko i stalde") == nil)
            #expect(try await Self.verify(app, "ingen@skole.dk", "hest og ko i stalden") == nil)

            _ = try await AccountQueries.disable(email: "admin@skole.dk", now: frozenNow, on: app.db)
            #expect(try await Self.verify(app, "admin@skole.dk", "hest og ko i stalden") == nil)
            #expect(try await AccountQueries.all(on: app.db).first?.disabled == true)

            // A reset changes the password and leaves the account disabled until it is enabled.
            _ = try await AccountQueries.setPassword(email: "admin@skole.dk", password: "en helt ny sætning", now: frozenNow, hashing: PasswordHashing(app), on: app.db)
            #expect(try await Self.verify(app, "admin@skole.dk", "en helt ny sætning") == nil)
            _ = try await AccountQueries.enable(email: "admin@skole.dk", now: frozenNow, on: app.db)
            #expect(try await Self.verify(app, "admin@skole.dk", "en helt ny sætning") != nil)
            #expect(try await Self.verify(app, "admin@skole.dk", "hest og ko i stalden") == nil)
        }
    }

    @Test(arguments: TestBackend.all)
    func brokenRulesAreRefusedWithDanishMessages(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            _ = try await Self.create(app, "anna@skole.dk")
            await #expect(throws: SamspilError.conflict("Der findes allerede en konto med e-mailadressen anna@skole.dk.")) {
                _ = try await Self.create(app, "ANNA@skole.dk")
            }
            do {
                _ = try await Self.create(app, "ikke en adresse", password: "kort")
                Issue.record("an invalid account was created")
            } catch SamspilError.invalid(let problems) {
                #expect(problems.map(\.field) == ["email", "password"])
            }
            // From the shipped list of common passwords.
            await #expect(throws: SamspilError.self) { _ = try await Self.create(app, "bo@skole.dk", password: "Password123") }
            await #expect(throws: SamspilError.notFound("Der findes ingen konto med e-mailadressen ingen@skole.dk.")) {
                _ = try await AccountQueries.disable(email: "ingen@skole.dk", now: frozenNow, on: app.db)
            }
            #expect(try await AccountQueries.all(on: app.db).count == 1)
        }
    }

    @Test func theCommonPasswordListShips() {
        #expect(CommonPasswords.all.count > 10_000)
        #expect(CommonPasswords.all.contains("password123"))
        #expect(CommonPasswords.all.contains("adgangskode"))
        #expect(!CommonPasswords.all.contains("hest og ko i stalden"))
    }

    /// bcrypt reads 72 bytes; the SHA-256 step makes the rest of a long password count too.
    @Test func everyCharacterOfALongPasswordCounts() async throws {
        try await withApp { app in
            let long = String(repeating: "ø", count: 60)
            _ = try await Self.create(app, "lang@skole.dk", password: long + "a")
            #expect(try await Self.verify(app, "lang@skole.dk", long + "a") != nil)
            #expect(try await Self.verify(app, "lang@skole.dk", long + "b") == nil)
        }
    }

    @Test func theBcryptCostComesFromTheEnvironment() throws {
        #expect(try AppSettings.fromEnvironment(["SAMSPIL_BCRYPT_COST": "13"]).bcryptCost == 13)
        #expect(try AppSettings.fromEnvironment([:]).bcryptCost == 12)
        #expect(throws: (any Error).self) { try AppSettings.fromEnvironment(["SAMSPIL_BCRYPT_COST": "4"]) }
        #expect(throws: (any Error).self) { try AppSettings.fromEnvironment(["SAMSPIL_BCRYPT_COST": "tolv"]) }
    }
}
