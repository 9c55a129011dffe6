import Foundation
import NIOCore
import SamspilCore
import Vapor

/// Who is logged in, read once per request from the session cookie (only requests that carry one touch the
/// database, and those only when this process has no copy of the session from the last half second:
/// `SessionCache`), and the rules that follow from it.
///
/// Future-based rather than `AsyncMiddleware` (see `SecurityHeaders`), so that a request without a session
/// cookie (every API call, most page views) passes straight through.
struct CurrentAccountMiddleware: Middleware {
    let cache: SessionCache

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard request.method == .GET || request.method == .HEAD else {
            // A logout, a password change, a changed role: whatever this request did to sessions, the next
            // request of this process reads them again.
            return withSession(request, next: next).always { _ in cache.forgetAll() }
        }
        return withSession(request, next: next)
    }

    private func withSession(_ request: Request, next: any Responder) -> EventLoopFuture<Response> {
        let context = request.application.samspil
        guard let token = request.cookies[Cookies.session(context.settings)]?.string, SessionQueries.isPlausible(token) else {
            return next.respond(to: request)
        }
        let tokenHash = SessionQueries.hash(token)
        if let current = cache.current(tokenHash: tokenHash) {
            request.storage[CurrentSessionKey.self] = current
            return next.respond(to: request)
        }
        let generation = cache.generation
        let readAt = NIODeadline.now()
        return SessionQueries.find(tokenHash: tokenHash, now: context.clock(), lifetime: context.settings.sessionLifetime, on: request.db)
            .flatMap { current in
                if let current {
                    request.storage[CurrentSessionKey.self] = current
                    cache.store(current, tokenHash: tokenHash, readAt: readAt, generation: generation)
                }
                return next.respond(to: request)
            }
    }
}

private struct CurrentSessionKey: StorageKey {
    typealias Value = SessionQueries.Current
}

extension Request {
    /// The logged-in session, if any.
    var currentSession: SessionQueries.Current? { storage[CurrentSessionKey.self] }

    /// The session of a route behind `RequireRole`, which has already sent everyone else away.
    func requireSession() throws -> SessionQueries.Current {
        guard let session = currentSession else { throw Abort(.unauthorized) }
        return session
    }

    /// The posted form; a body that cannot be read counts as `empty` (which then fails its CSRF check).
    func postedForm<T: Content>(or empty: T) -> T {
        (try? content.decode(T.self)) ?? empty
    }

    /// The client's address, for throttling: the peer's address (a proxy in front is expected to be the only
    /// peer; `X-Forwarded-For` is not trusted, since anyone can send it).
    var clientAddress: String? { remoteAddress?.ipAddress }
}

/// Cookie names and settings. With HTTPS the names carry the `__Host-` prefix (only sent to this host, over
/// HTTPS, for the whole site).
enum Cookies {
    static func session(_ settings: AppSettings) -> String { settings.secureCookies ? "__Host-samspil-session" : "samspil-session" }
    static func csrf(_ settings: AppSettings) -> String { settings.secureCookies ? "__Host-samspil-csrf" : "samspil-csrf" }
    /// A single sign-on attempt's `state`, binding the provider's answer to the browser that left for it.
    static func signOn(_ settings: AppSettings) -> String { settings.secureCookies ? "__Host-samspil-sso" : "samspil-sso" }

    static func value(_ string: String, settings: AppSettings, maxAge: Int? = nil) -> HTTPCookies.Value {
        HTTPCookies.Value(string: string, maxAge: maxAge, path: "/", isSecure: settings.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }

    static func expired(settings: AppSettings) -> HTTPCookies.Value {
        HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/",
                          isSecure: settings.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }
}

/// Protection of every state-changing form: a token in the form that must match the session's (or, before
/// login, a cookie's: the double-submit pattern), and an `Origin` (or `Referer`) header from this site.
enum CSRF {
    static let field = "_csrf"

    /// A posted form's fields, with its token checked (403 otherwise).
    static func verifiedFields(_ req: Request) throws -> [String: String] {
        let fields = (try? req.content.decode([String: String].self)) ?? [:]
        try verify(req, sent: fields[field])
        return fields
    }

    /// The token the forms of this page must carry, and the cookie to set when an anonymous visitor has none.
    static func token(for request: Request) -> (token: String, cookie: HTTPCookies.Value?) {
        if let session = request.currentSession { return (session.csrfToken, nil) }
        let settings = request.application.samspil.settings
        if let existing = request.cookies[Cookies.csrf(settings)]?.string, existing.count >= 32, existing.count <= 100 {
            return (existing, nil)
        }
        let fresh = SessionQueries.randomToken()
        return (fresh, Cookies.value(fresh, settings: settings))
    }

    /// A page with a form for a visitor who may not be logged in: not cached, and carrying the CSRF cookie
    /// when `CSRF.token(for:)` made a new one.
    static func formPage(_ html: String, status: HTTPResponseStatus = .ok, cookie: HTTPCookies.Value?, on request: Request) -> Response {
        let response = PageLayout.privateResponse(html, status: status)
        if let cookie { response.cookies[Cookies.csrf(request.application.samspil.settings)] = cookie }
        return response
    }

    /// Throws `SamspilError.forbidden` unless the request came from a form of this site with the right token.
    static func verify(_ request: Request, sent: String?) throws {
        let settings = request.application.samspil.settings
        let refusal = SamspilError.forbidden("Formularen kunne ikke godkendes. Gå tilbage, genindlæs siden, og prøv igen.")
        let ownOrigin = origin(of: settings.publicURL)
        let claimed = request.headers.first(name: .origin).flatMap { $0 == "null" ? nil : $0 }
            ?? request.headers.first(name: .referer).flatMap(origin(of:))
        guard let claimed, ownOrigin != nil, origin(of: claimed) == ownOrigin else { throw refusal }
        let expected = request.currentSession?.csrfToken ?? request.cookies[Cookies.csrf(settings)]?.string
        guard let expected, let sent, constantTimeEquals(Array(expected.utf8), Array(sent.utf8)) else { throw refusal }
    }

    /// "scheme://host[:port]" of an absolute URL, lowercased.
    static func origin(of url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let host = components.host?.lowercased(), !host.isEmpty else { return nil }
        return components.port.map { "\(scheme)://\(host):\($0)" } ?? "\(scheme)://\(host)"
    }

    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}

/// Deny by default: a route group behind this needs a logged-in account with at least `role`. A visitor who
/// is not logged in is sent to the login page (pages) or gets 401 (API); the wrong role gets 403.
/// Future-based rather than `AsyncMiddleware` (see `SecurityHeaders`): it only looks at what
/// `CurrentAccountMiddleware` found.
struct RequireRole: Middleware {
    var role: Role

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard let session = request.currentSession else {
            if ErrorResponder.isAPI(request) { return request.eventLoop.makeFailedFuture(Abort(.unauthorized)) }
            let back = request.method == .GET ? request.url.path : SitePath.editorHome.href
            return request.eventLoop.makeSucceededFuture(
                request.redirect(to: SitePath.login(returningTo: back), redirectType: .normal))
        }
        guard session.account.role.includes(role) else {
            return request.eventLoop.makeFailedFuture(
                SamspilError.forbidden("Din konto (\(DanishText.midSentence(session.account.role.label))) har ikke adgang til denne side."))
        }
        return next.respond(to: request)
    }
}
