import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// An SMTP server for tests, on 127.0.0.1 without TLS: it answers like a real server, offers AUTH PLAIN
/// (and STARTTLS only if told to, without being able to do it), refuses recipients at `refusedDomain`
/// with 451, and records every line it is sent and every message it accepts.
final class FakeSMTPServer: Sendable {
    struct State {
        var transcript: [String] = []
        var messages: [String] = []
    }

    let port: Int
    let state: NIOLockedValueBox<State>
    private let channel: any Channel

    var transcript: [String] { state.withLockedValue { $0.transcript } }
    var messages: [String] { state.withLockedValue { $0.messages } }

    static func start(offerStartTLS: Bool = false, refusedDomain: String = "afvist.example") async throws -> FakeSMTPServer {
        let state = NIOLockedValueBox(State())
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(Session(state: state, offerStartTLS: offerStartTLS, refusedDomain: refusedDomain))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return FakeSMTPServer(port: channel.localAddress?.port ?? 0, state: state, channel: channel)
    }

    private init(port: Int, state: NIOLockedValueBox<State>, channel: any Channel) {
        self.port = port
        self.state = state
        self.channel = channel
    }

    func stop() async throws { try await channel.close() }

    private final class Session: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let state: NIOLockedValueBox<State>
        let offerStartTLS: Bool
        let refusedDomain: String
        var pending = ""
        var data: [String]?

        init(state: NIOLockedValueBox<State>, offerStartTLS: Bool, refusedDomain: String) {
            self.state = state
            self.offerStartTLS = offerStartTLS
            self.refusedDomain = refusedDomain
        }

        func channelActive(context: ChannelHandlerContext) { reply("220 fake.example ESMTP", context) }

        func channelRead(context: ChannelHandlerContext, data incoming: NIOAny) {
            var buffer = unwrapInboundIn(incoming)
            pending += buffer.readString(length: buffer.readableBytes) ?? ""
            while let end = pending.range(of: "\r\n") {
                let line = String(pending[..<end.lowerBound])
                pending = String(pending[end.upperBound...])
                handle(line, context)
            }
        }

        func handle(_ line: String, _ context: ChannelHandlerContext) {
            if var lines = data {
                if line == "." {
                    let message = lines.joined(separator: "\r\n")
                    state.withLockedValue { $0.messages.append(message) }
                    data = nil
                    reply("250 2.0.0 queued", context)
                } else {
                    lines.append(line)
                    data = lines
                }
                return
            }
            state.withLockedValue { $0.transcript.append(line) }
            let command = line.uppercased()
            if command.hasPrefix("EHLO") {
                reply((["250-fake.example"] + (offerStartTLS ? ["250-STARTTLS"] : []) + ["250-AUTH PLAIN LOGIN", "250 8BITMIME"]).joined(separator: "\r\n"), context)
            } else if command == "STARTTLS" && offerStartTLS {
                // A man in the middle's trick: a reply sent in clear text right behind the 220.
                reply("220 go ahead\r\n250 injected", context)
            } else if command.hasPrefix("AUTH PLAIN ") {
                let decoded = Data(base64Encoded: String(line.dropFirst("AUTH PLAIN ".count))).map { String(decoding: $0, as: UTF8.self) }
                reply(decoded == "\u{0}samspil\u{0}hemmelig kode" ? "235 2.7.0 ok" : "535 5.7.8 no", context)
            } else if command.hasPrefix("MAIL FROM:") {
                reply("250 ok", context)
            } else if command.hasPrefix("RCPT TO:") {
                reply(command.contains(refusedDomain.uppercased()) ? "451 4.3.0 try later" : "250 ok", context)
            } else if command == "DATA" {
                data = []
                reply("354 go ahead", context)
            } else if command == "QUIT" {
                reply("221 bye", context)
                context.close(promise: nil)
            } else {
                reply("502 5.5.2 not implemented", context)
            }
        }

        func reply(_ text: String, _ context: ChannelHandlerContext) {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text + "\r\n")), promise: nil)
        }
    }
}
