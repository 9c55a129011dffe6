import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Where SMTP delivery goes, from `SAMSPIL_MAIL`:
/// `smtp://user:password@host:587` (STARTTLS, required), `smtps://user:password@host:465` (TLS from the
/// first byte), or `smtp+insecure://host:25` (no TLS: only to a relay on this machine, so a password never
/// crosses a network in clear text). User and password are optional and percent-decoded.
public struct SMTPServer: Sendable, Equatable, CustomStringConvertible {
    public enum Security: String, Sendable { case startTLS, tls, none }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?

    /// Without the password: this is what may be logged.
    public var description: String { "\(security) \(host):\(port)\(username.map { " as \($0)" } ?? "")" }

    static func parse(_ value: String) throws -> SMTPServer {
        let invalid = AppSettings.InvalidSetting(description:
            "SAMSPIL_MAIL: an SMTP address is smtp://user:password@host:587 (STARTTLS), smtps://user:password@host:465 (TLS) or smtp+insecure://localhost:25")
        guard let components = URLComponents(string: value), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty, components.path.isEmpty || components.path == "/" else { throw invalid }
        let security: Security
        switch scheme {
        case "smtp": security = .startTLS
        case "smtps": security = .tls
        case "smtp+insecure": security = .none
        default: throw invalid
        }
        if security == .none, !["localhost", "127.0.0.1", "::1"].contains(host.lowercased()) {
            throw AppSettings.InvalidSetting(description: "SAMSPIL_MAIL: smtp+insecure:// only goes to a relay on this machine (localhost); use smtp:// or smtps:// for \(host)")
        }
        let port = components.port ?? (security == .tls ? 465 : security == .startTLS ? 587 : 25)
        guard (1...65_535).contains(port) else { throw invalid }
        return SMTPServer(host: host, port: port, security: security,
                          username: components.percentEncodedUser?.removingPercentEncoding.flatMap { $0.isEmpty ? nil : $0 },
                          password: components.percentEncodedPassword?.removingPercentEncoding)
    }
}

/// A small SMTP client (RFC 5321) for the outbox: one connection per message, EHLO, STARTTLS when asked,
/// AUTH PLAIN or LOGIN when credentials are given, then MAIL, RCPT, DATA (dot-stuffed) and QUIT. Any
/// unexpected reply or a silence of 30 seconds fails the delivery; the outbox tries again later.
enum SMTPClient {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The longest one delivery may take, connection included; then the connection is closed.
    static let deadline = TimeAmount.seconds(120)

    static func send(_ message: Outbox.Message, from sender: String, to server: SMTPServer, group: any EventLoopGroup) async throws {
        let tls = server.security == .none ? nil : try NIOSSLContext(configuration: .makeClientConfiguration())
        let replies = SMTPReplyHandler()
        let host = server.host
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if server.security == .tls, let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: nameForTLS(host)))
                    }
                    try channel.pipeline.syncOperations.addHandler(replies)
                }
            }
            .connect(host: server.host, port: server.port).get()
        let stop = channel.eventLoop.scheduleTask(in: deadline) { channel.close(promise: nil) }
        defer { stop.cancel() }
        do {
            try await conversation(message, from: sender, server: server, tls: tls, channel: channel, replies: replies)
            try? await channel.close()
        } catch {
            try? await channel.close()
            throw error
        }
    }

    private static func conversation(
        _ message: Outbox.Message, from sender: String, server: SMTPServer, tls: NIOSSLContext?, channel: any Channel, replies: SMTPReplyHandler
    ) async throws {
        /// Sends a line (none: just waits, as for the greeting) and checks the reply's code. `shown` names the
        /// command in errors, so a password never appears in one.
        @discardableResult
        func say(_ line: String?, shown: String? = nil, expect codes: Set<Int>) async throws -> SMTPReply {
            if let line { try await channel.writeAndFlush(ByteBuffer(string: line + "\r\n")).get() }
            let reply = try await channel.eventLoop.flatSubmit { replies.next(on: channel.eventLoop) }.get()
            guard codes.contains(reply.code) else {
                throw Failure(description: "SMTP \(shown ?? line ?? "greeting"): \(reply.code) \(reply.lines.joined(separator: " ").prefix(200))")
            }
            return reply
        }
        let me = "samspil.local"
        try await say(nil, expect: [220])
        var hello = try await say("EHLO \(me)", expect: [250])
        if server.security == .startTLS {
            guard hello.lines.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }), let tls else {
                throw Failure(description: "SMTP: the server does not offer STARTTLS; use smtps:// or a server that does")
            }
            try await say("STARTTLS", expect: [220])
            try await channel.eventLoop.submit {
                // Anything that came in clear text after the 220 could be read as a reply once encrypted: refuse.
                guard !replies.hasBufferedInput else { throw Failure(description: "SMTP: data after STARTTLS before the TLS handshake") }
                try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: nameForTLS(server.host)), position: .first)
            }.get()
            hello = try await say("EHLO \(me)", expect: [250])
        }
        if let username = server.username {
            let password = server.password ?? ""
            let mechanisms = hello.lines.first { $0.uppercased().hasPrefix("AUTH") }?.uppercased().split(separator: " ").map(String.init) ?? []
            if mechanisms.contains("PLAIN") {
                let credentials = Data("\u{0}\(username)\u{0}\(password)".utf8).base64EncodedString()
                try await say("AUTH PLAIN \(credentials)", shown: "AUTH PLAIN", expect: [235])
            } else if mechanisms.contains("LOGIN") {
                try await say("AUTH LOGIN", expect: [334])
                try await say(Data(username.utf8).base64EncodedString(), shown: "AUTH LOGIN user", expect: [334])
                try await say(Data(password.utf8).base64EncodedString(), shown: "AUTH LOGIN password", expect: [235])
            } else {
                throw Failure(description: "SMTP: the server offers neither AUTH PLAIN nor AUTH LOGIN")
            }
        }
        try await say("MAIL FROM:<\(address(sender))>", expect: [250])
        try await say("RCPT TO:<\(address(message.recipient))>", expect: [250, 251])
        try await say("DATA", expect: [354])
        let text = MailDelivery.rfc5322(message, from: sender)
        // Dot-stuffing: a line that begins with "." gets another, so it cannot end the message.
        let stuffed = text.components(separatedBy: "\r\n").map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n")
        try await say(stuffed + "\r\n.", shown: "message", expect: [250])
        try? await say("QUIT", expect: [221])
    }

    /// The name to check the certificate against and send as SNI; none for an IP address (SNI takes names only).
    static func nameForTLS(_ host: String) -> String? {
        host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : host
    }

    /// The bare address of "Name <address>" or "address", without line breaks or angle brackets.
    static func address(_ mailbox: String) -> String {
        var text = mailbox
        if let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close {
            text = String(text[text.index(after: open)..<close])
        }
        return text.filter { !"\r\n<> ".contains($0) }
    }
}

/// One SMTP reply: its code and the text of each line.
struct SMTPReply: Sendable {
    var code: Int
    var lines: [String]
}

/// Turns the bytes from the server into replies (a reply may span lines "250-…" up to "250 …") and hands
/// each to whoever waits for the next one. Runs on the channel's event loop only.
final class SMTPReplyHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    private var pending = ""
    private var lines: [String] = []
    private var arrived: [SMTPReply] = []
    private var waiting: [EventLoopPromise<SMTPReply>] = []
    private var failure: (any Error)?

    /// Whether bytes or replies have arrived that nobody has asked for yet.
    var hasBufferedInput: Bool { !pending.isEmpty || !lines.isEmpty || !arrived.isEmpty }

    func next(on eventLoop: any EventLoop) -> EventLoopFuture<SMTPReply> {
        if !arrived.isEmpty { return eventLoop.makeSucceededFuture(arrived.removeFirst()) }
        if let failure { return eventLoop.makeFailedFuture(failure) }
        let promise = eventLoop.makePromise(of: SMTPReply.self)
        waiting.append(promise)
        let timeout = eventLoop.scheduleTask(in: .seconds(30)) {
            promise.fail(SMTPClient.Failure(description: "SMTP: no reply within 30 seconds"))
        }
        promise.futureResult.whenComplete { _ in timeout.cancel() }
        return promise.futureResult
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending += buffer.readString(length: buffer.readableBytes) ?? ""
        // By bytes: "\r\n" is one Character in Swift, so a search for "\n" among Characters finds nothing.
        while let newline = pending.utf8.firstIndex(of: UInt8(ascii: "\n")) {
            var line = String(Substring(pending.utf8[..<newline]))
            if line.utf8.last == UInt8(ascii: "\r") { line = String(Substring(line.utf8.dropLast())) }
            pending = String(Substring(pending.utf8[pending.utf8.index(after: newline)...]))
            let code = Int(line.prefix(3))
            lines.append(String(line.dropFirst(4)))
            // "250-…" continues the reply; "250 …" or a bare "250" ends it.
            guard let code, line.count == 3 || line.dropFirst(3).first == " " else {
                if code == nil { fail(SMTPClient.Failure(description: "SMTP: a reply that is not SMTP"), context: context) }
                continue
            }
            let reply = SMTPReply(code: code, lines: lines)
            lines = []
            if waiting.isEmpty { arrived.append(reply) } else { waiting.removeFirst().succeed(reply) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error, context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(SMTPClient.Failure(description: "SMTP: the server closed the connection"), context: nil)
        context.fireChannelInactive()
    }

    private func fail(_ error: any Error, context: ChannelHandlerContext?) {
        if failure == nil { failure = error }
        let promises = waiting
        waiting = []
        for promise in promises { promise.fail(error) }
        context?.close(promise: nil)
    }
}
