import SamspilCore
import Vapor

/// The one error middleware: a Danish page for browsers, `application/problem+json` under `/api/`.
/// Internal error text is logged, never shown.
struct ErrorResponder: Middleware {
    /// Future-based rather than `AsyncMiddleware` (see `SecurityHeaders`).
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).recover { error in Self.response(for: error, request: request) }
    }

    struct Described: Sendable {
        var status: HTTPResponseStatus
        var title: String
        var detail: String
        var problems: [FieldProblem]
    }

    static func describe(_ error: any Error) -> Described {
        switch error {
        case let error as SamspilError:
            switch error {
            case .notFound(let message):
                return Described(status: .notFound, title: "Siden findes ikke", detail: message, problems: [])
            case .invalid(let problems):
                return Described(status: .badRequest, title: "Ugyldig forespørgsel", detail: "Forespørgslen indeholder fejl.", problems: problems)
            case .conflict(let message):
                return Described(status: .conflict, title: "Konflikt", detail: message, problems: [])
            case .forbidden(let message):
                return Described(status: .forbidden, title: title(for: .forbidden), detail: message, problems: [])
            case .unprocessable(let problems):
                return Described(status: .unprocessableEntity, title: "Indholdet er ikke gyldigt", detail: "Indholdet indeholder fejl.", problems: problems)
            case .stale(let message):
                return Described(status: .preconditionFailed, title: "Ændret i mellemtiden", detail: message, problems: [])
            case .busy(let message, _):
                return Described(status: .tooManyRequests, title: title(for: .tooManyRequests), detail: message, problems: [])
            }
        case let abort as any AbortError:
            return Described(status: abort.status, title: title(for: abort.status), detail: detail(for: abort.status), problems: [])
        case is DecodingError:
            return Described(status: .badRequest, title: "Ugyldig forespørgsel", detail: "Indholdet kunne ikke læses.", problems: [])
        default:
            return Described(status: .internalServerError, title: title(for: .internalServerError), detail: detail(for: .internalServerError), problems: [])
        }
    }

    static func response(for error: any Error, request: Request) -> Response {
        let described = describe(error)
        if described.status == .internalServerError {
            request.logger.error("request failed", metadata: ["error": .string(String(reflecting: error))])
        } else {
            request.logger.debug("request refused", metadata: ["status": .stringConvertible(described.status.code)])
        }
        let response: Response
        if isAPI(request) {
            let problem = ProblemDTO(
                type: "about:blank", title: described.title, status: Int(described.status.code), detail: described.detail,
                errors: described.problems.isEmpty ? nil : described.problems.map { .init(field: $0.field, message: $0.message) }
            )
            let body = (try? JSONEncoder().encode(problem)) ?? Data()
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: "application/problem+json; charset=utf-8")
            response = Response(status: described.status, headers: headers, body: .init(data: body))
        } else {
            response = PageLayout.response(ErrorPage.render(described, site: request.site), status: described.status)
        }
        if let refusal = error as? SamspilError, case .busy(_, let seconds) = refusal {
            response.headers.replaceOrAdd(name: .retryAfter, value: String(seconds))
        }
        if let abort = error as? any AbortError {
            for (name, value) in abort.headers where name.lowercased() != "content-type" && name.lowercased() != "content-length" {
                response.headers.replaceOrAdd(name: name, value: value)
            }
        }
        return response
    }

    static func isAPI(_ request: Request) -> Bool {
        request.url.path.hasPrefix("/api/")
    }

    static func title(for status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: "Ugyldig forespørgsel"
        case 401: "Login kræves"
        case 404: "Siden findes ikke"
        case 403: "Adgang nægtet"
        case 405: "Metoden er ikke tilladt"
        case 413: "Forespørgslen er for stor"
        case 414: "Adressen er for lang"
        case 429: "For mange forespørgsler"
        case 400..<500: "Forespørgslen kunne ikke gennemføres"
        default: "Der opstod en fejl"
        }
    }

    static func detail(for status: HTTPResponseStatus) -> String {
        switch status.code {
        case 401: "Send en personlig API-nøgle i headeren Authorization: Bearer <nøgle>. Nøgler oprettes under Redaktion → API-nøgler."
        case 404: "Vi kunne ikke finde den side, du leder efter."
        case 405: "Adressen kan ikke bruges sådan."
        case 413: "Det, du sendte, er større end tilladt."
        case 429: "Der har været for mange forsøg. Vent lidt, og prøv igen."
        case 400..<500: "Forespørgslen kunne ikke gennemføres. Kontrollér adressen og prøv igen."
        default: "Der skete en fejl hos os. Prøv igen om lidt. Fejlen er registreret."
        }
    }
}

enum ErrorPage {
    static func render(_ described: ErrorResponder.Described, site: SiteInfo) -> String {
        let meta = PageMeta(title: described.title, canonical: nil)
        return PageLayout.render(meta, site: site) {
            Tag("section", [("class", "error-page")]) {
                Paragraph("Fejl \(described.status.code)").class("error-code")
                H1(described.title)
                Paragraph(described.detail)
                if !described.problems.isEmpty {
                    Div {
                        List(described.problems.indices) { index in
                            ListItem(described.problems[index].description)
                        }
                    }.class("alert alert-error")
                }
                if described.status.code < 500 {
                    Paragraph(described.status == .notFound ? "Måske kan du finde det her:" : "Du kan gå videre herfra:")
                    List {
                        ListItem { Link("Forsiden", url: SitePath.home.href) }
                        ListItem { Link("Alle materialer", url: SitePath.materials.href) }
                        ListItem { Link("Temaer", url: SitePath.themes.href) }
                        ListItem { Link("Materialer efter type", url: SitePath.types.href) }
                    }.class("link-list")
                }
            }
        }
    }
}
