@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing
import Vapor
import VaporTesting

/// Anyone makes an account; a link by mail confirms the address; the answer never tells whether an address
/// already has an account.
@Suite struct SignUpTests {
    typealias Browser = LoginTests.Browser
    static let password = "tre små grise i skoven"

    static func signUp(_ browser: Browser, name: String = "Lærke Lærer", email: String, password: String = SignUpTests.password,
                       repeated: String? = nil) async throws -> TestingHTTPResponse {
        let token = try await browser.csrfToken(on: "/opret-konto")
        return try await browser.post("/opret-konto", ["name": name, "email": email, "password": password,
                                                       "repeated": repeated ?? password, "_csrf": token])
    }

    /// The link in the newest mail to an address.
    static func link(to email: String, on db: any Database) async throws -> String {
        let mail = try #require(try await OutboxMessageModel.query(on: db).filter(\.$recipient == email).sort(\.$createdAt, .descending).first())
        let line = try #require(mail.body.split(separator: "\n").first { $0.contains("/bekraeft-email?token=") })
        let start = try #require(line.range(of: "/bekraeft-email"))
        return String(line[start.lowerBound...]).trimmingCharacters(in: .whitespaces)
    }

    @Test(arguments: TestBackend.all)
    func aPersonSignsUpConfirmsAndLogsIn(backend: TestBackend) async throws {
        try await withApp(backend, seed: false) { app in
            let browser = Browser(app)
            let response = try await Self.signUp(browser, email: "Laerke@Skole.dk")
            #expect(response.status == .ok)
            #expect(response.text.contains("Tjek din e-mail"))
            #expect(response.text.contains("laerke@skole.dk"))
            let user = try #require(try await AccountQueries.find(email: "laerke@skole.dk", on: app.db))
            #expect(user.role == Role.member.rawValue)
            #expect(user.emailVerifiedAt == nil)
            #expect(user.name == "Lærke Lærer")

            // Logged in before confirming: Min side says so, and offers the link again.
            #expect(try await browser.logIn("laerke@skole.dk", Self.password).status == .seeOther)
            let mine = try await browser.get("/min-side")
            #expect(mine.status == .ok)
            #expect(mine.text.contains("ikke bekræftet endnu"))
            #expect(mine.text.contains("Send linket igen"))
            #expect(try await browser.get("/redaktion").status == .forbidden, "a member is no editor")
            #expect(try await browser.get("/min-side/mine-data").status == .ok)

            let link = try await Self.link(to: "laerke@skole.dk", on: app.db)
            let confirmed = try await browser.get(link)
            #expect(confirmed.status == .ok)
            #expect(confirmed.text.contains("E-mailadressen er bekræftet"))
            #expect(try await AccountQueries.find(email: "laerke@skole.dk", on: app.db)?.emailVerifiedAt == frozenNow)
            let after = try await browser.get("/min-side")
            #expect(after.text.contains("(bekræftet)"), "the session sees it at once")
            #expect(!after.text.contains("Send linket igen"))
            // Single use.
            #expect(try await browser.get(link).status == .notFound)
            #expect(try await Browser(app).get("/bekraeft-email?token=forkert").status == .notFound)
            let data = try #require(try await browser.get("/min-side/mine-data.json").json() as? [String: Any])
            #expect((data["emailVerifications"] as? [Any])?.count == 1)
        }
    }

    @Test(arguments: TestBackend.all)
    func anExistingAddressGetsTheSameAnswerAndAMailSayingSo(backend: TestBackend) async throws {
        try await LoginTests.withAccounts(backend) { app in
            let response = try await Self.signUp(Browser(app), name: "Nogen", email: "redaktor@skole.dk", password: "en anden lang sætning")
            #expect(response.status == .ok)
            #expect(response.text.contains("Tjek din e-mail"))
            let mails = try await OutboxMessageModel.query(on: app.db).filter(\.$recipient == "redaktor@skole.dk").all()
            #expect(mails.map(\.subject) == ["Du har allerede en konto i Samspil"])
            #expect(try await UserModel.query(on: app.db).count() == 2)
            // The account is untouched: its password still works, the new one does not.
            #expect(try await Browser(app).logIn("redaktor@skole.dk").status == .seeOther)
            #expect(try await Browser(app).logIn("redaktor@skole.dk", "en anden lang sætning").status == .unprocessableEntity)
        }
    }

    @Test func mistakesAreNamedInFormOrderAndTheInputKept() async throws {
        try await withApp(.sqlite, seed: false) { app in
            let browser = Browser(app)
            let response = try await Self.signUp(browser, name: "  ", email: "ikke-en-adresse", password: "kort", repeated: "andet")
            #expect(response.status == .unprocessableEntity)
            let text = response.text
            let messages = ["Skriv dit navn.", "Skriv en gyldig e-mailadresse", "Skriv den samme adgangskode i begge felter."]
            let positions = messages.map { text.range(of: $0)?.lowerBound }
            #expect(positions.allSatisfy { $0 != nil }, "\(messages)")
            #expect(text.contains("adgangskode"))
            #expect(text.contains("value=\"ikke-en-adresse\""), "the address is kept")
            #expect(!text.contains("value=\"kort\""), "passwords are never sent back")
            #expect(text.contains("<title>Fejl:"))
            #expect(try await UserModel.query(on: app.db).count() == 0)
            #expect(try await OutboxMessageModel.query(on: app.db).count() == 0)
            // Without the form's token: refused.
            #expect(try await browser.post("/opret-konto", ["name": "A", "email": "a@b.dk", "password": Self.password, "repeated": Self.password]).status == .forbidden)
        }
    }

    @Test(arguments: TestBackend.all)
    func anInboxCannotBeFlooded(backend: TestBackend) async throws {
        try await withApp(backend, seed: false) { app in
            for attempt in 0..<3 {
                #expect(try await Self.signUp(Browser(app), email: "maal@skole.dk").status == .ok, "attempt \(attempt)")
            }
            let fourth = try await Self.signUp(Browser(app), email: "maal@skole.dk")
            #expect(fourth.status == .tooManyRequests)
            #expect(fourth.text.contains("for mange konti"))
            #expect(try await OutboxMessageModel.query(on: app.db).filter(\.$recipient == "maal@skole.dk").count() == 3)
            // Deleting the person takes the counted attempts and the links with it.
            try await PersonalData.deleteUser(email: "maal@skole.dk", on: app.db)
            #expect(try await LoginFailureModel.query(on: app.db).filter(\.$key == "signup-mail:maal@skole.dk").count() == 0)
            #expect(try await EmailVerificationModel.query(on: app.db).count() == 0)
        }
    }
}
