import Fluent
import Foundation
import SQLKit
import Vapor

/// Outgoing mail: messages are written to the outbox table (in the caller's transaction, so none is lost
/// if delivery fails), and delivered later by `deliverPending`, which any number of processes may run: each
/// message is claimed before it is sent, and a failed one is tried again later.
enum Outbox {
    struct Message: Sendable, Equatable {
        var id: UUID
        var createdAt: Date
        var recipient: String
        var subject: String
        var body: String
    }

    static func enqueue(to recipient: String, subject: String, body: String, now: Date, on db: any Database) async throws {
        let message = OutboxMessageModel()
        message.id = UUID()
        message.createdAt = now
        message.recipient = recipient
        message.subject = subject
        message.body = body
        message.attempts = 0
        try await message.create(on: db)
    }

    /// Delivers up to `limit` waiting messages; returns how many were sent.
    static func deliverPending(settings: MailSettings, logger: Logger, now: Date, limit: Int = 20, on db: any Database) async throws -> Int {
        let sql = db as! any SQLDatabase
        struct ID: Decodable { let id: UUID }
        let waiting = try await OutboxMessageModel.query(on: db)
            .filter(\.$sentAt == nil)
            .group(.or) { $0.filter(\.$claimedUntil == nil).filter(\.$claimedUntil < now) }
            .sort(\.$createdAt).limit(limit).all()
        var sent = 0
        let clock = ContinuousClock()
        let started = clock.now
        for message in waiting {
            let id = try message.requireID()
            // Claim it: only one process gets a row back. The claim lasts five minutes from this moment (not from
            // the start of the round), longer than one delivery may take (`SMTPClient.deadline`).
            let elapsed = Double((clock.now - started).components.seconds)
            let claimedUntil = now.addingTimeInterval(elapsed + 300)
            let claimed = try await sql.raw("""
                UPDATE \(ident: OutboxMessageModel.schema) SET claimed_until = \(bind: claimedUntil) \
                WHERE id = \(bind: id) AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < \(bind: now)) RETURNING id
                """).all(decoding: ID.self)
            guard !claimed.isEmpty else { continue }
            do {
                try await MailDelivery.send(Message(id: id, createdAt: message.createdAt, recipient: message.recipient,
                                              subject: message.subject, body: message.body),
                                      settings: settings, logger: logger)
                message.sentAt = now
                message.claimedUntil = nil
                sent += 1
            } catch {
                message.attempts += 1
                message.lastError = String(describing: error).prefix(500).description
                // Wait longer after each failure: 1, 2, 4 … minutes, at most an hour.
                message.claimedUntil = now.addingTimeInterval(min(3_600, 60 * pow(2, Double(min(message.attempts - 1, 6)))))
                // The transports' errors carry no secrets (the SMTP client never names a password).
                logger.warning("mail delivery failed", metadata: ["attempts": .stringConvertible(message.attempts), "error": .string(message.lastError ?? "")])
            }
            try await message.save(on: db)
        }
        return sent
    }
}

/// The transports: a folder of `.eml` files, the log (recipient and subject only), or an SMTP server.
enum MailDelivery {
    static func send(_ message: Outbox.Message, settings: MailSettings, logger: Logger) async throws {
        switch settings.transport {
        case .smtp(let server):
            try await SMTPClient.send(message, from: settings.from, to: server, group: MultiThreadedEventLoopGroup.singleton)
        case .log:
            logger.notice("mail", metadata: ["to": .string(message.recipient), "subject": .string(message.subject)])
        case .directory(let path):
            let folder = URL(fileURLWithPath: path, isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let name = "\(Int(message.createdAt.timeIntervalSince1970))-\(message.id.uuidString.lowercased()).eml"
            try Data(rfc5322(message, from: settings.from).utf8).write(to: folder.appendingPathComponent(name), options: .atomic)
        }
    }

    /// A plain-text message in RFC 5322 form, UTF-8, with a MIME-encoded subject.
    static func rfc5322(_ message: Outbox.Message, from: String) -> String {
        let date = DateFormatter()
        date.locale = Locale(identifier: "en_US_POSIX")
        date.timeZone = TimeZone(identifier: "UTC")
        date.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let subject = message.subject.allSatisfy(\.isASCII) ? message.subject : "=?UTF-8?B?\(Data(message.subject.utf8).base64EncodedString())?="
        let clean = { (value: String) in value.replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: " ") }
        return [
            "From: \(clean(from))",
            "To: \(clean(message.recipient))",
            "Subject: \(clean(subject))",
            "Date: \(date.string(from: message.createdAt))",
            "Message-ID: <\(message.id.uuidString.lowercased())@samspil>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
            "",
            // Every line break as CRLF, lone CRs included (a bare CR could otherwise end the message early on a lax server).
            message.body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n").replacingOccurrences(of: "\n", with: "\r\n"),
        ].joined(separator: "\r\n")
    }
}

/// Turns waiting requests for reset links and due daily digests into mails, then delivers waiting mail, once (`serve` calls it every
/// few seconds).
public func deliverMail(_ app: Application) async throws -> Int {
    let context = app.samspil
    try await PasswordResetQueries.processRequests(now: context.clock(), publicURL: context.settings.publicURL, on: app.db)
    try await NotificationDigest.sendDue(now: context.clock(), on: app.db)
    return try await Outbox.deliverPending(settings: context.settings.mail, logger: app.logger, now: context.clock(), on: app.db)
}
