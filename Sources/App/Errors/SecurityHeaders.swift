import Vapor

/// Headers every response carries. No inline script is allowed; JSON-LD data blocks are not scripts.
///
/// A plain (future-based) middleware, like `ErrorResponder` and `CurrentAccountMiddleware`: Vapor runs every
/// `AsyncMiddleware` in a task of its own, bridged to and from futures, on every request.
struct SecurityHeaders: Middleware {
    static let contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).map { response in
            response.headers.replaceOrAdd(name: "Content-Security-Policy", value: Self.contentSecurityPolicy)
            response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
            response.headers.replaceOrAdd(name: "Referrer-Policy", value: "strict-origin-when-cross-origin")
            response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
            // Served over HTTPS (what the secure-cookie setting says): browsers should never use plain HTTP again.
            if request.application.samspil.settings.secureCookies {
                response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains")
            }
            return response
        }
    }
}
