@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing
import Vapor
import VaporTesting

/// "Forgot password" through the pages, the outbox and the file transport.
@Suite struct PasswordResetTests {
    typealias Browser = LoginTests.Browser

    /// The link of the newest queued mail.
    static func link(in app: Application) async throws -> String {
        let message = try #require(try await OutboxMessageModel.query(on: app.db).sort(\.$createdAt, .descending).first())
        let line = try #require(message.body.split(separator: "\n").first { $0.contains("/nulstil-adgangskode?token=") })
        let path = try #require(line.range(of: "/nulstil-adgangskode"))
        return String(line[path.lowerBound...]).trimmingCharacters(in: .whitespaces)
    }

    @Test(arguments: TestBackend.all)
    func aLinkSetsANewPasswordOnce(backend: TestBackend) async throws {
        try await LoginTests.withAccounts(backend) { app in
            let browser = Browser(app)
            let token = try await browser.csrfToken(on: "/glemt-adgangskode")
            let asked = try await browser.post("/glemt-adgangskode", ["email": "Redaktor@skole.dk", "_csrf": token])
            #expect(asked.status == .ok)
            #expect(asked.text.contains("Hvis der findes en konto"))
            // An unknown address gets the same answer and no mail.
            let unknown = try await browser.post("/glemt-adgangskode", ["email": "ingen@skole.dk", "_csrf": token])
            #expect(unknown.text.contains("Hvis der findes en konto"))
            // Both requests are noted alike; the link and its mail are made afterwards, for the account only.
            #expect(try await PasswordResetRequestModel.query(on: app.db).count() == 2)
            #expect(try await OutboxMessageModel.query(on: app.db).count() == 0)
            #expect(try await PasswordResetQueries.processRequests(now: frozenNow, publicURL: "http://samspil.test", on: app.db) == 2)
            #expect(try await PasswordResetRequestModel.query(on: app.db).count() == 0)
            #expect(try await OutboxMessageModel.query(on: app.db).count() == 1)

            let link = try await Self.link(in: app)
            #expect(link.hasPrefix("/nulstil-adgangskode?token="))
            #expect(try await browser.get(link).status == .ok)
            let resetToken = String(link.dropFirst("/nulstil-adgangskode?token=".count))
            let csrf = try await browser.csrfToken(on: link)
            let mismatch = try await browser.post("/nulstil-adgangskode", ["token": resetToken, "password": "en ny og lang sætning", "repeated": "en anden", "_csrf": csrf])
            #expect(mismatch.status == .unprocessableEntity)
            #expect(mismatch.text.contains("Skriv den samme adgangskode i begge felter."))
            let common = try await browser.post("/nulstil-adgangskode", ["token": resetToken, "password": "password123", "repeated": "password123", "_csrf": csrf])
            #expect(common.text.contains("for almindelig"))
            let done = try await browser.post("/nulstil-adgangskode", ["token": resetToken, "password": "en ny og lang sætning", "repeated": "en ny og lang sætning", "_csrf": csrf])
            #expect(done.status == .seeOther)
            #expect(done.headers.first(name: .location) == "/log-ind?nulstillet=1")
            #expect(try await browser.logIn("redaktor@skole.dk", "en ny og lang sætning").status == .seeOther)

            // Used once: the same link is refused.
            let again = Browser(app)
            #expect(try await again.get(link).status == .notFound)
            let csrf2 = try await again.csrfToken(on: "/glemt-adgangskode")
            let reuse = try await again.post("/nulstil-adgangskode", ["token": resetToken, "password": "endnu en lang sætning", "repeated": "endnu en lang sætning", "_csrf": csrf2])
            #expect(reuse.status == .unprocessableEntity)
            #expect(reuse.text.contains("udløbet eller allerede brugt"))
        }
    }

    /// The done-when path: an administrator adds an editor in the browser; the editor chooses a password
    /// through the mailed link and logs in, as an editor.
    @Test(arguments: TestBackend.all)
    func anAdministratorAddsAnEditorWhoChoosesAPassword(backend: TestBackend) async throws {
        try await LoginTests.withAccounts(backend) { app in
            let admin = Browser(app)
            _ = try await admin.logIn("admin@skole.dk")
            let token = try await admin.csrfToken(on: "/redaktion/brugere/ny")
            #expect(try await admin.post("/redaktion/brugere/ny", ["email": "ikke en adresse", "role": "editor", "_csrf": token]).status == .unprocessableEntity)
            let duplicate = try await admin.post("/redaktion/brugere/ny", ["email": "redaktor@skole.dk", "role": "editor", "_csrf": token])
            #expect(duplicate.status == .conflict)
            #expect(duplicate.text.contains("der findes allerede en konto"))
            let created = try await admin.post("/redaktion/brugere/ny", ["email": "Ny@Skole.dk", "name": "Ny Redaktør", "role": "editor", "_csrf": token])
            #expect(created.status == .seeOther)
            #expect(try await admin.get("/redaktion/brugere").text.contains("ny@skole.dk"))

            let mail = try #require(try await OutboxMessageModel.query(on: app.db).first())
            #expect(mail.recipient == "ny@skole.dk" && mail.subject == "Din konto i Samspil")
            let link = try await Self.link(in: app)
            let newcomer = Browser(app)
            let csrf = try await newcomer.csrfToken(on: link)
            let resetToken = String(link.dropFirst("/nulstil-adgangskode?token=".count))
            #expect(try await newcomer.post("/nulstil-adgangskode", ["token": resetToken, "password": "min egen lange sætning", "repeated": "min egen lange sætning", "_csrf": csrf]).status == .seeOther)
            #expect(try await newcomer.logIn("ny@skole.dk", "min egen lange sætning").status == .seeOther)
            #expect(try await newcomer.get("/redaktion").text.contains("Ny Redaktør"))
            #expect(try await newcomer.get("/redaktion/brugere/ny").status == .forbidden)
        }
    }

    @Test(arguments: TestBackend.all)
    func expiredAndUnknownLinksAreRefused(backend: TestBackend) async throws {
        try await LoginTests.withAccounts(backend) { app in
            try await PasswordResetQueries.request(email: "redaktor@skole.dk", now: frozenNow, on: app.db)
            try await PasswordResetQueries.processRequests(now: frozenNow, publicURL: "http://samspil.test", on: app.db)
            let link = try await Self.link(in: app)
            let token = String(link.dropFirst("/nulstil-adgangskode?token=".count))
            #expect(try await PasswordResetQueries.valid(token: token, now: frozenNow, on: app.db) != nil)
            let later = frozenNow.addingTimeInterval(PasswordResetQueries.Purpose.reset.validity + 1)
            #expect(try await PasswordResetQueries.valid(token: token, now: later, on: app.db) == nil)
            await #expect(throws: PasswordResetQueries.expired) {
                _ = try await PasswordResetQueries.redeem(token: token, password: "en ny og lang sætning", now: later, hashing: PasswordHashing(app), on: app.db)
            }
            await #expect(throws: PasswordResetQueries.expired) {
                _ = try await PasswordResetQueries.redeem(token: "ukendt", password: "en ny og lang sætning", now: frozenNow, hashing: PasswordHashing(app), on: app.db)
            }
            // At most three links an hour per account.
            for _ in 0..<5 {
                try await PasswordResetQueries.request(email: "redaktor@skole.dk", now: frozenNow, on: app.db)
            }
            try await PasswordResetQueries.processRequests(now: frozenNow, publicURL: "http://samspil.test", on: app.db)
            #expect(try await PasswordResetModel.query(on: app.db).count() == PasswordResetQueries.perHour)
        }
    }

    /// Choosing a password through one link ends every other open link of the account, and no other account's;
    /// of two links of one account redeemed at once, or one link redeemed twice at once, exactly one sets a password.
    @Test(arguments: TestBackend.all)
    func oneResetEndsEveryOpenLinkOfTheAccount(backend: TestBackend) async throws {
        try await LoginTests.withAccounts(backend) { app in
            // Each request a second after the last, so that `link(in:)` finds the newest mail's link.
            func newLink(_ email: String, after seconds: TimeInterval) async throws -> String {
                let at = frozenNow.addingTimeInterval(seconds)
                try await PasswordResetQueries.request(email: email, now: at, on: app.db)
                try await PasswordResetQueries.processRequests(now: at, publicURL: "http://samspil.test", on: app.db)
                return String(try await Self.link(in: app).dropFirst("/nulstil-adgangskode?token=".count))
            }
            func redeem(_ token: String, after seconds: TimeInterval) async throws -> Bool {
                do {
                    _ = try await PasswordResetQueries.redeem(token: token, password: "en ny og lang sætning", now: frozenNow.addingTimeInterval(seconds),
                                                              hashing: PasswordHashing(app), on: app.db)
                    return true
                } catch let error as SamspilError where error == PasswordResetQueries.expired {
                    return false
                }
            }
            let first = try await newLink("redaktor@skole.dk", after: 0)
            let second = try await newLink("redaktor@skole.dk", after: 1)
            let third = try await newLink("redaktor@skole.dk", after: 2)
            let otherAccount = try await newLink("admin@skole.dk", after: 3)
            #expect(Set([first, second, third, otherAccount]).count == 4)

            #expect(try await redeem(second, after: 10))
            let later = frozenNow.addingTimeInterval(11)
            for token in [first, second, third] {
                #expect(try await PasswordResetQueries.valid(token: token, now: later, on: app.db) == nil)
            }
            #expect(try await redeem(first, after: 11) == false)
            #expect(try await redeem(third, after: 11) == false)
            #expect(try await PasswordResetQueries.valid(token: otherAccount, now: later, on: app.db) != nil)

            // An hour on (past the limit of links per hour): two new links of one account at once, and one link twice.
            let fourth = try await newLink("redaktor@skole.dk", after: 4_000)
            let fifth = try await newLink("redaktor@skole.dk", after: 4_001)
            async let fourthUsed = redeem(fourth, after: 4_010)
            async let fifthUsed = redeem(fifth, after: 4_010)
            #expect(try await [fourthUsed, fifthUsed].filter { $0 }.count == 1)
            let sixth = try await newLink("admin@skole.dk", after: 4_002)
            async let once = redeem(sixth, after: 4_010)
            async let twice = redeem(sixth, after: 4_010)
            #expect(try await [once, twice].filter { $0 }.count == 1)
        }
    }

    /// Queued mail is delivered once as an .eml file, even with two processes delivering.
    @Test(arguments: TestBackend.all)
    func theOutboxDeliversEachMessageOnce(backend: TestBackend) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samspil-mail-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withApps(backend, count: 2, seed: false) { apps in
            try await Outbox.enqueue(to: "anna@skole.dk", subject: "Hej æøå", body: "Første linje\nAnden linje", now: frozenNow, on: apps[0].db)
            let settings = MailSettings(transport: .directory(folder.path), from: "Samspil <test@samspil.local>")
            let counts = try await [apps[0], apps[1]].asyncMap {
                try await Outbox.deliverPending(settings: settings, logger: $0.logger, now: frozenNow, on: $0.db)
            }
            #expect(counts.reduce(0, +) == 1)
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            #expect(files.count == 1)
            let text = try String(contentsOf: folder.appendingPathComponent(files[0]), encoding: .utf8)
            #expect(text.contains("To: anna@skole.dk\r\n"))
            #expect(text.contains("Subject: =?UTF-8?B?"))
            #expect(text.contains("Første linje\r\nAnden linje"))
            #expect(try await OutboxMessageModel.query(on: apps[0].db).first()?.sentAt != nil)
            #expect(try await Outbox.deliverPending(settings: settings, logger: apps[0].logger, now: frozenNow, on: apps[0].db) == 0)
        }
    }

    /// A transport that fails keeps the message for later; nothing is lost.
    @Test func aFailedDeliveryIsTriedAgainLater() async throws {
        try await withApp(seed: false) { app in
            try await Outbox.enqueue(to: "anna@skole.dk", subject: "Hej", body: "x", now: frozenNow, on: app.db)
            let broken = MailSettings(transport: .directory("/proc/samspil-cannot-write"))
            #expect(try await Outbox.deliverPending(settings: broken, logger: app.logger, now: frozenNow, on: app.db) == 0)
            let message = try #require(try await OutboxMessageModel.query(on: app.db).first())
            #expect(message.sentAt == nil && message.attempts == 1 && message.lastError != nil)
            // Not again at once; after the back-off it is.
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samspil-mail-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let working = MailSettings(transport: .directory(folder.path))
            #expect(try await Outbox.deliverPending(settings: working, logger: app.logger, now: frozenNow, on: app.db) == 0)
            #expect(try await Outbox.deliverPending(settings: working, logger: app.logger, now: frozenNow.addingTimeInterval(61), on: app.db) == 1)
        }
    }

    @Test func mailSettingsComeFromTheEnvironment() throws {
        #expect(try AppSettings.fromEnvironment([:]).mail.transport == .directory("data/mail"))
        #expect(try AppSettings.fromEnvironment(["SAMSPIL_MAIL": "log"]).mail.transport == .log)
        #expect(try AppSettings.fromEnvironment(["SAMSPIL_MAIL": "file:/var/mail/samspil"]).mail.transport == .directory("/var/mail/samspil"))
        #expect(try AppSettings.fromEnvironment(["SAMSPIL_MAIL": "smtp://mail.example"]).mail.transport
                == .smtp(SMTPServer(host: "mail.example", port: 587, security: .startTLS)))
        #expect(try AppSettings.fromEnvironment(["SAMSPIL_MAIL": "smtps://ida%40skole.dk:p%C3%A5ss%3Aord@mail.example"]).mail.transport
                == .smtp(SMTPServer(host: "mail.example", port: 465, security: .tls, username: "ida@skole.dk", password: "påss:ord")))
        #expect(try AppSettings.fromEnvironment(["SAMSPIL_MAIL": "smtp+insecure://localhost:2525"]).mail.transport
                == .smtp(SMTPServer(host: "localhost", port: 2525, security: .none)))
        // No clear text to another machine; nothing that is not an SMTP address.
        #expect(throws: (any Error).self) { try AppSettings.fromEnvironment(["SAMSPIL_MAIL": "smtp+insecure://mail.example"]) }
        #expect(throws: (any Error).self) { try AppSettings.fromEnvironment(["SAMSPIL_MAIL": "smtp://"]) }
        #expect(throws: (any Error).self) { try AppSettings.fromEnvironment(["SAMSPIL_MAIL": "smtp://mail.example:99999"]) }
        // What may be logged of a server never holds its password.
        let server = try SMTPServer.parse("smtps://ida:hemmeligt@mail.example")
        #expect(!server.description.contains("hemmeligt") && !String(describing: server).contains("hemmeligt"))
        #expect(throws: (any Error).self) { try AppSettings.fromEnvironment(["SAMSPIL_MAIL": "pigeon"]) }
    }
}

extension Array {
    /// One after the other (the delivering "processes" race on the claim in the database, not in memory).
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
