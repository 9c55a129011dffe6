@testable import App
import Foundation
import Testing
import Vapor

/// The SMTP transport against a real (fake) SMTP server on 127.0.0.1.
@Suite struct SMTPTests {
    @Test func theOutboxDeliversThroughSMTPWithAuthAndDotStuffing() async throws {
        let server = try await FakeSMTPServer.start()
        defer { Task { try? await server.stop() } }
        try await withApp(seed: false) { app in
            try await Outbox.enqueue(to: "anna@skole.dk", subject: "Nulstil æøå", body: "Hej\n.punktum først\nSlut", now: frozenNow, on: app.db)
            let settings = MailSettings(transport: .smtp(try SMTPServer.parse("smtp+insecure://samspil:hemmelig%20kode@127.0.0.1:\(server.port)")),
                                        from: "Samspil <ikke-svar@samspil.test>")
            #expect(try await Outbox.deliverPending(settings: settings, logger: app.logger, now: frozenNow, on: app.db) == 1)
            #expect(server.transcript.map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
                    == ["EHLO samspil.local", "AUTH PLAIN", "MAIL FROM:<ikke-svar@samspil.test>", "RCPT TO:<anna@skole.dk>", "DATA", "QUIT"])
            let message = try #require(server.messages.first)
            #expect(message.contains("To: anna@skole.dk") && message.contains("Subject: =?UTF-8?B?"))
            // The server received the stuffed line ("..punktum"), which stands for ".punktum".
            #expect(message.contains("\r\n..punktum først\r\n") && message.hasSuffix("Slut"))
            #expect(try await OutboxMessageModel.query(on: app.db).first()?.sentAt != nil)
        }
    }

    @Test func aRefusalOrAMissingSTARTTLSKeepsTheMessageForLater() async throws {
        let server = try await FakeSMTPServer.start()
        defer { Task { try? await server.stop() } }
        try await withApp(seed: false) { app in
            try await Outbox.enqueue(to: "bo@afvist.example", subject: "Hej", body: "x", now: frozenNow, on: app.db)
            let plain = MailSettings(transport: .smtp(try SMTPServer.parse("smtp+insecure://127.0.0.1:\(server.port)")))
            #expect(try await Outbox.deliverPending(settings: plain, logger: app.logger, now: frozenNow, on: app.db) == 0)
            var message = try #require(try await OutboxMessageModel.query(on: app.db).first())
            #expect(message.sentAt == nil && message.attempts == 1 && message.lastError?.contains("451") == true)

            // smtp:// demands STARTTLS; a server that does not offer it gets nothing, not even the password.
            let demanding = MailSettings(transport: .smtp(try SMTPServer.parse("smtp://samspil:hemmelig%20kode@127.0.0.1:\(server.port)")))
            #expect(try await Outbox.deliverPending(settings: demanding, logger: app.logger, now: frozenNow.addingTimeInterval(3_600), on: app.db) == 0)
            message = try #require(try await OutboxMessageModel.query(on: app.db).first())
            #expect(message.attempts == 2 && message.lastError?.contains("STARTTLS") == true)
            #expect(!server.transcript.contains { $0.hasPrefix("AUTH") })
            #expect(!(message.lastError ?? "").contains("hemmelig"))
        }
    }

    @Test func clearTextInjectedAfterSTARTTLSIsRefused() async throws {
        let server = try await FakeSMTPServer.start(offerStartTLS: true)
        defer { Task { try? await server.stop() } }
        try await withApp(seed: false) { app in
            try await Outbox.enqueue(to: "anna@skole.dk", subject: "Hej", body: "x", now: frozenNow, on: app.db)
            let settings = MailSettings(transport: .smtp(try SMTPServer.parse("smtp://samspil:hemmelig%20kode@127.0.0.1:\(server.port)")))
            #expect(try await Outbox.deliverPending(settings: settings, logger: app.logger, now: frozenNow, on: app.db) == 0)
            let message = try #require(try await OutboxMessageModel.query(on: app.db).first())
            #expect(message.lastError?.contains("data after STARTTLS") == true, "\(message.lastError ?? "")")
            #expect(!server.transcript.contains { $0.hasPrefix("AUTH") || $0.hasPrefix("MAIL") })
        }
    }

    @Test func aMistypedSettingNeverShowsItsPassword() {
        do {
            _ = try AppSettings.fromEnvironment(["SAMSPIL_MAIL": "smpt://mailer:Secr3t@mail.example"])
            Issue.record("a mistyped scheme was accepted")
        } catch {
            #expect(!String(describing: error).contains("Secr3t"))
        }
        #expect(SMTPClient.nameForTLS("mail.example") == "mail.example")
        #expect(SMTPClient.nameForTLS("192.0.2.7") == nil && SMTPClient.nameForTLS("::1") == nil)
    }

    @Test func nobodyListening() async throws {
        try await withApp(seed: false) { app in
            try await Outbox.enqueue(to: "anna@skole.dk", subject: "Hej", body: "x", now: frozenNow, on: app.db)
            let nowhere = MailSettings(transport: .smtp(try SMTPServer.parse("smtp+insecure://127.0.0.1:1")))
            #expect(try await Outbox.deliverPending(settings: nowhere, logger: app.logger, now: frozenNow, on: app.db) == 0)
            #expect(try await OutboxMessageModel.query(on: app.db).first()?.attempts == 1)
        }
    }
}
