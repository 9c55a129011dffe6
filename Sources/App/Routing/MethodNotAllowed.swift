import Vapor

/// Answers `405 Method Not Allowed` with `Allow` (RFC 9110 §15.5.6) where Vapor would answer 404: a request
/// whose path exists, but not with its method (`TRACE`, `OPTIONS`, `PUT` on a page…). Goes through the error
/// machinery like any refusal, so the API gets problem+json and pages a Danish page.
///
/// The methods a path accepts are found with a router built the way Vapor's `DefaultResponder` builds its own
/// (the method as the first component, empty constants dropped, the same case option), asked once per
/// registered method: so a path counts as existing exactly when Vapor would route it under that method, and
/// nothing is listed twice. `HEAD` is allowed wherever `GET` is, because Vapor answers it with the GET route.
/// `OPTIONS` is not implemented: nothing here needs it (no CORS), so it is refused like any other method.
struct MethodNotAllowed: Middleware {
    private let table: Table

    /// Built from `routes` as they are now: call it after every route is registered.
    init(routes: Vapor.Routes) {
        table = Table(routes: routes)
    }

    /// Future-based rather than `AsyncMiddleware` (see `SecurityHeaders`).
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).flatMapErrorThrowing { error in
            // Only Vapor's own "no route" reaches here as RouteNotFound; a handler's 404 is a SamspilError.
            guard error is RouteNotFound else { throw error }
            let allowed = table.methods(for: request.url.path)
            guard !allowed.isEmpty else { throw error }
            throw Abort(.methodNotAllowed, headers: ["Allow": allowed.joined(separator: ", ")])
        }
    }

    /// The methods each path accepts. A class only to hold the router, which RoutingKit does not mark
    /// `Sendable`: it is filled in `init` and only read afterwards (`route(path:parameters:)` changes nothing).
    final class Table: @unchecked Sendable {
        private let router: TrieRouter<HTTPMethod>
        private let methods: [HTTPMethod]

        /// The order of `Allow`: the usual methods first, any others after them by name.
        private static let order: [HTTPMethod] = [.GET, .HEAD, .POST, .PUT, .PATCH, .DELETE]

        init(routes: Vapor.Routes) {
            router = TrieRouter(HTTPMethod.self, options: routes.caseInsensitive ? [.caseInsensitive] : [])
            var registered = Set<String>()
            var methods: [HTTPMethod] = []
            for route in routes.all {
                let path = route.path.filter { if case .constant(let name) = $0 { !name.isEmpty } else { true } }
                router.register(route.method, at: [.constant(route.method.rawValue)] + path)
                if registered.insert(route.method.rawValue).inserted { methods.append(route.method) }
            }
            self.methods = methods
        }

        /// The methods `path` (as in the request line, like Vapor splits it) accepts, in `Allow` order; empty
        /// when no route has the path.
        func methods(for path: String) -> [String] {
            let components = path.split(separator: "/").map(String.init)
            var parameters = Parameters()
            var allowed = Set(methods.filter { router.route(path: [$0.rawValue] + components, parameters: &parameters) != nil }.map(\.rawValue))
            if allowed.contains(HTTPMethod.GET.rawValue) { allowed.insert(HTTPMethod.HEAD.rawValue) }
            let usual = Self.order.map(\.rawValue).filter { allowed.contains($0) }
            return usual + allowed.subtracting(usual).sorted()
        }
    }
}
