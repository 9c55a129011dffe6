import Fluent
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// This process's copies of rendered public pages, for visitors who are not logged in.
///
/// A page is kept with the content revision it was rendered at (read before rendering, so a save that lands
/// while it renders makes it out of date at once) and served only while the stored revision is still that one.
/// The process reads the stored revision again when half a second has passed since it last did, and before
/// the first page after any request of its own that may have changed something (every method but GET and
/// HEAD): a save is seen by the next request on the process that made it, and within a second on every other.
///
/// Only responses a handler marks as public pages are kept (`Response.markPublicPage`), only for requests
/// without a session cookie (a logged-in person's header is their own), and never a page with a form token.
final class PageCache: Sendable {
    struct Entry: Sendable {
        var revision: Int64
        var headers: HTTPHeaders
        var body: ByteBuffer
        var etag: String
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Keys in the order they were stored, for dropping the oldest when the budget is spent; a key may be
        /// here more than once (stored again) or no longer in `entries`.
        var order: [String] = []
        var orderStart = 0
        var bytes = 0
        /// The stored revision as last read, when, and at which count of this process's own writes.
        var revision: Int64?
        var readAt: NIODeadline = .distantPast
        var readAtWrites = 0
        var writes = 0
        var reading = false
    }

    /// How long a read of the stored revision is trusted, and how long others may go on using it while one
    /// request reads it again.
    static let freshFor = TimeAmount.milliseconds(500)
    static let staleAtMost = TimeAmount.milliseconds(1_000)

    let budget: Int
    private let state = NIOLockedValueBox(State())

    init(budgetBytes: Int) {
        budget = budgetBytes
    }

    var isEnabled: Bool { budget > 0 }

    /// A request of this process may have changed content: the next page reads the stored revision first.
    func noteWrite() {
        state.withLockedValue { $0.writes += 1 }
    }

    /// A reading of the stored revision: when it began, and at which count of this process's own writes.
    struct RevisionReading: Sendable {
        let at: NIODeadline
        let writes: Int
    }

    /// The stored revision if this process may trust its copy now (read under half a second ago, no write of
    /// its own since), without asking the database; and what a read of it must hand to `remember(_:from:)`.
    func trustedRevision() -> (revision: Int64?, reading: RevisionReading) {
        let now = NIODeadline.now()
        return state.withLockedValue { state in
            let fresh = state.readAtWrites == state.writes && now - state.readAt < Self.freshFor
            return (fresh ? state.revision : nil, RevisionReading(at: now, writes: state.writes))
        }
    }

    /// The stored revision as a read that began at `reading` found it.
    func remember(_ revision: Int64, from reading: RevisionReading) {
        remember(revision: revision, readAt: reading.at, writes: reading.writes)
    }

    /// The revision this process can trust now, or nil when it must read it from the database first.
    private func trustedRevision(now: NIODeadline) -> (revision: Int64?, writes: Int) {
        state.withLockedValue { state in
            guard let revision = state.revision, state.readAtWrites == state.writes else { return (nil, state.writes) }
            let age = now - state.readAt
            if age < Self.freshFor { return (revision, state.writes) }
            // Another request is reading it: use this one meanwhile, as long as it is not too old.
            if state.reading && age < Self.staleAtMost { return (revision, state.writes) }
            state.reading = true
            return (nil, state.writes)
        }
    }

    private func remember(revision: Int64, readAt: NIODeadline, writes: Int) {
        state.withLockedValue { state in
            state.reading = false
            guard readAt >= state.readAt else { return }
            state.revision = revision
            state.readAt = readAt
            state.readAtWrites = writes
        }
    }

    /// The current content revision: this process's copy while it can be trusted, else read from the database.
    func currentRevision(on db: any Database, eventLoop: any EventLoop) -> EventLoopFuture<Int64> {
        let now = NIODeadline.now()
        let trusted = trustedRevision(now: now)
        if let revision = trusted.revision { return eventLoop.makeSucceededFuture(revision) }
        return eventLoop.makeFutureWithTask {
            do {
                let revision = try await ContentRevision.current(on: db)
                self.remember(revision: revision, readAt: now, writes: trusted.writes)
                return revision
            } catch {
                self.state.withLockedValue { $0.reading = false }
                throw error
            }
        }
    }

    func entry(_ key: String, revision: Int64) -> Entry? {
        state.withLockedValue { state in
            guard let entry = state.entries[key], entry.revision == revision else { return nil }
            return entry
        }
    }

    func store(_ key: String, _ entry: Entry) {
        let size = entry.body.readableBytes + key.utf8.count + 256
        guard size <= budget / 4 else { return }
        state.withLockedValue { state in
            if let old = state.entries[key] { state.bytes -= old.body.readableBytes + key.utf8.count + 256 }
            // Pages of an older revision go first; then the oldest stored.
            if state.bytes + size > budget, let current = state.revision {
                for (oldKey, old) in state.entries where old.revision < current {
                    state.entries[oldKey] = nil
                    state.bytes -= old.body.readableBytes + oldKey.utf8.count + 256
                }
            }
            while state.bytes + size > budget, state.orderStart < state.order.count {
                let oldest = state.order[state.orderStart]
                state.orderStart += 1
                if let old = state.entries.removeValue(forKey: oldest) {
                    state.bytes -= old.body.readableBytes + oldest.utf8.count + 256
                }
            }
            if state.orderStart > 1_024, state.orderStart * 2 > state.order.count {
                state.order.removeFirst(state.orderStart)
                state.orderStart = 0
            }
            state.entries[key] = entry
            state.order.append(key)
            state.bytes += size
        }
    }

    /// A strong validator of a page's bytes: a 128-bit hash of them, the same in every process. Not
    /// cryptographic (nothing is kept secret or signed with it; SHA-256 of a 100 KB sitemap was a tenth of
    /// rendering it): two 64-bit lanes of multiply-and-rotate over eight bytes at a time, and the length.
    static func etag(of body: ByteBuffer) -> String {
        let (a, b) = body.withUnsafeReadableBytes { bytes -> (UInt64, UInt64) in
            var a: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
            var b: UInt64 = 0xC2B2_AE3D_27D4_EB4F
            var index = 0
            func mix(_ word: UInt64) {
                a = (a ^ word) &* 0xFF51_AFD7_ED55_8CCD
                a = (a << 31) | (a >> 33)
                b = (b ^ word) &* 0xC4CE_B9FE_1A85_EC53
                b = (b << 29) | (b >> 35)
            }
            while index + 8 <= bytes.count {
                mix(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                index += 8
            }
            var tail: UInt64 = 0
            for offset in index..<bytes.count { tail |= UInt64(bytes[offset]) << UInt64(8 * (offset - index)) }
            mix(tail ^ 0x8000_0000_0000_0000)
            // A final avalanche so that every input bit reaches every output bit.
            func finish(_ x: UInt64) -> UInt64 {
                var x = x
                x ^= x >> 33; x &*= 0xFF51_AFD7_ED55_8CCD
                x ^= x >> 33; x &*= 0xC4CE_B9FE_1A85_EC53
                return x ^ (x >> 33)
            }
            return (finish(a ^ b), finish(b &+ a))
        }
        func hex(_ value: UInt64) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: 16 - text.count) + text
        }
        return "\"" + hex(a) + hex(b) + "\""
    }
}

extension Response {
    private struct PublicPageKey: StorageKey {
        typealias Value = Bool
    }

    /// Marks a response as a public page: the same for every visitor who is not logged in, so it may be kept
    /// by the page cache and answered with `304` when the browser's copy is current.
    func markPublicPage() {
        storage[PublicPageKey.self] = true
    }

    var isPublicPage: Bool { storage[PublicPageKey.self] ?? false }
}

/// Serves public pages from `PageCache`, gives every public page an `ETag` and answers `If-None-Match` with
/// `304`. With the cache turned off (`SAMSPIL_PAGE_CACHE_MB=0`) pages are rendered every time but still carry
/// their `ETag`.
///
/// Future-based rather than `AsyncMiddleware` (see `SecurityHeaders`): a page served from the cache should cost
/// no more than a lookup.
struct PageCacheMiddleware: Middleware {
    let cache: PageCache

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard request.method == .GET else {
            if request.method == .HEAD { return next.respond(to: request) }
            // Whatever this request changed, the next page of this process must see it.
            return next.respond(to: request).always { _ in cache.noteWrite() }
        }
        let settings = request.application.samspil.settings
        let personal = request.cookies[Cookies.session(settings)] != nil
        guard cache.isEnabled, !personal else {
            return next.respond(to: request).map { response in
                if response.isPublicPage { Self.finish(response, etag: Self.etag(of: response), personal: personal, request: request) }
                return response
            }
        }
        let key = request.url.string
        return cache.currentRevision(on: request.db, eventLoop: request.eventLoop).flatMap { revision in
            if let entry = cache.entry(key, revision: revision) {
                return request.eventLoop.makeSucceededFuture(Self.cached(entry, request: request))
            }
            return next.respond(to: request).map { response in
                guard response.isPublicPage else { return response }
                let etag = Self.etag(of: response)
                if response.status == .ok, let body = response.body.buffer {
                    var headers = response.headers
                    // The time it took to render this copy says nothing about serving it again.
                    headers.remove(name: "Server-Timing")
                    headers.replaceOrAdd(name: .eTag, value: etag)
                    headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
                    cache.store(key, PageCache.Entry(revision: revision, headers: headers, body: body, etag: etag))
                }
                Self.finish(response, etag: etag, personal: false, request: request)
                return response
            }
        }
    }

    private static func etag(of response: Response) -> String {
        PageCache.etag(of: response.body.buffer ?? ByteBuffer())
    }

    /// Browsers must ask again before using their copy (`no-cache`); a logged-in person's copy is theirs only.
    private static func finish(_ response: Response, etag: String, personal: Bool, request: Request) {
        response.headers.replaceOrAdd(name: .eTag, value: etag)
        response.headers.replaceOrAdd(name: .cacheControl, value: personal ? "private, no-cache" : "no-cache")
        if response.status == .ok, matches(request, etag: etag) {
            response.status = .notModified
            response.body = .empty
        }
    }

    private static func cached(_ entry: PageCache.Entry, request: Request) -> Response {
        if matches(request, etag: entry.etag) {
            var headers = HTTPHeaders()
            headers.add(name: .eTag, value: entry.etag)
            headers.add(name: .cacheControl, value: "no-cache")
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: entry.headers, body: .init(buffer: entry.body))
    }

    /// Whether `If-None-Match` names this validator (or `*`).
    static func matches(_ request: Request, etag: String) -> Bool {
        guard let header = request.headers.first(name: .ifNoneMatch) else { return false }
        return header.split(separator: ",").contains { candidate in
            let value = candidate.trimmingCharacters(in: .whitespaces)
            return value == "*" || value == etag || value == "W/" + etag
        }
    }
}
