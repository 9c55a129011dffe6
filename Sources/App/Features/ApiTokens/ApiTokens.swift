import Fluent
import Foundation
import SamspilCore
import Vapor

/// Personal API tokens: an editor creates one in the browser (shown once), uses it as
/// `Authorization: Bearer <token>` for the write API, and revokes it there. The database keeps only the
/// token's SHA-256. A token acts as its owner: a disabled or deleted account's tokens stop working at once.
enum ApiTokenQueries {
    static let prefix = "samspil_"
    static let nameMaxLength = 100

    struct Listed: Sendable, Equatable {
        var id: UUID
        var name: String
        var prefix: String
        var createdAt: Date
        var lastUsedAt: Date?
    }

    /// Creates a token for `userID`; returns the token itself, which is never stored.
    static func create(name: String, userID: UUID, now: Date, on db: any Database) async throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { throw SamspilError.unprocessable([FieldProblem(field: "name", message: "Giv nøglen et navn, så du kan kende den igen.")]) }
        if trimmed.count > nameMaxLength { throw SamspilError.unprocessable([FieldProblem(field: "name", message: "Gør navnet kortere: det må højst have \(nameMaxLength) tegn.")]) }
        let token = prefix + SessionQueries.randomToken()
        let model = ApiTokenModel()
        model.id = UUID()
        model.createdAt = now
        model.name = trimmed
        model.tokenHash = SessionQueries.hash(token)
        model.prefix = String(token.prefix(prefix.count + 6))
        model.$user.id = userID
        try await model.create(on: db)
        return token
    }

    static func list(userID: UUID, on db: any Database) async throws -> [Listed] {
        try await ApiTokenModel.query(on: db).filter(\.$user.$id == userID).sort(\.$createdAt, .descending).all().map {
            Listed(id: try $0.requireID(), name: $0.name, prefix: $0.prefix, createdAt: $0.createdAt, lastUsedAt: $0.lastUsedAt)
        }
    }

    /// Revokes one of the user's own tokens; returns its name, or nil when the user has no such token.
    static func revoke(id: UUID, userID: UUID, on db: any Database) async throws -> String? {
        guard let model = try await ApiTokenModel.query(on: db).filter(\.$id == id).filter(\.$user.$id == userID).first() else { return nil }
        try await model.delete(on: db)
        return model.name
    }

    /// The account a token acts for; nil when the token is unknown or the account disabled. Marks the token
    /// as used (at most once a minute, to spare writes).
    static func account(token: String, now: Date, on db: any Database) async throws -> Account? {
        guard token.hasPrefix(prefix), token.count <= 100,
              let model = try await ApiTokenModel.query(on: db).filter(\.$tokenHash == SessionQueries.hash(token)).with(\.$user).first(),
              model.user.disabledAt == nil
        else { return nil }
        if model.lastUsedAt.map({ now.timeIntervalSince($0) >= 60 }) ?? true {
            model.lastUsedAt = now
            try await model.save(on: db)
        }
        return try model.user.domain()
    }
}

/// Deny by default for the write API: a valid personal token of an account with at least `role`, or 401
/// (with `WWW-Authenticate`); the wrong role gets 403. Cookies do not count here, so the API needs no CSRF
/// protection: a browser never adds the token by itself.
struct RequireApiToken: AsyncMiddleware {
    var role: Role

    /// No valid token: 401, telling the client how to authenticate.
    static let unauthorized = Abort(.unauthorized, headers: ["WWW-Authenticate": "Bearer realm=\"samspil\""])

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let token = request.headers.bearerAuthorization?.token,
              let account = try await ApiTokenQueries.account(token: token, now: request.application.samspil.clock(), on: request.db)
        else { throw Self.unauthorized }
        guard account.role.includes(role) else {
            throw SamspilError.forbidden("Kontoen bag nøglen (\(DanishText.midSentence(account.role.label))) har ikke adgang til dette.")
        }
        request.storage[ApiAccountKey.self] = account
        return try await next.respond(to: request)
    }
}

private struct ApiAccountKey: StorageKey {
    typealias Value = Account
}

extension Request {
    /// The account of a request behind `RequireApiToken`.
    func requireApiAccount() throws -> Account {
        guard let account = storage[ApiAccountKey.self] else { throw Abort(.unauthorized) }
        return account
    }
}

/// `/redaktion/api-noegler`: the user's own tokens, a form to make one, and a button to revoke each.
enum ApiTokenPages {
    struct Form: Content {
        var name: String?
        var id: String?
        var _csrf: String?
    }

    struct ViewModel {
        var tokens: [ApiTokenQueries.Listed]
        var csrf: String
        var name = ""
        var errors: [FieldProblem] = []
        /// A token just made, shown this once.
        var created: String?
        var notice: String?
    }

    static func show(_ req: Request) async throws -> Response {
        let session = try req.requireSession()
        let model = ViewModel(tokens: try await ApiTokenQueries.list(userID: session.account.id, on: req.db), csrf: session.csrfToken,
                              notice: req.query[String.self, at: "besked"] == "tilbagekaldt" ? "Nøglen er tilbagekaldt og virker ikke længere." : nil)
        return PageLayout.privateResponse(ApiTokenViews.page(model, site: req.site))
    }

    static func create(_ req: Request) async throws -> Response {
        let form = req.postedForm(or: Form())
        try CSRF.verify(req, sent: form._csrf)
        let session = try req.requireSession()
        let now = req.application.samspil.clock()
        var model = ViewModel(tokens: [], csrf: session.csrfToken, name: form.name ?? "")
        do {
            let name = form.name ?? ""
            model.created = try await req.db.writeTransaction { tx in
                let token = try await ApiTokenQueries.create(name: name, userID: session.account.id, now: now, on: tx)
                try await AuditLog.record(.tokenCreate, subject: name.trimmingCharacters(in: .whitespacesAndNewlines), by: session.account, now: now, on: tx)
                return token
            }
            model.name = ""
        } catch SamspilError.unprocessable(let problems) {
            model.errors = problems
        }
        model.tokens = try await ApiTokenQueries.list(userID: session.account.id, on: req.db)
        return PageLayout.privateResponse(ApiTokenViews.page(model, site: req.site), status: model.errors.isEmpty ? .ok : .unprocessableEntity)
    }

    static func revoke(_ req: Request) async throws -> Response {
        let form = req.postedForm(or: Form())
        try CSRF.verify(req, sent: form._csrf)
        let session = try req.requireSession()
        let now = req.application.samspil.clock()
        guard let id = form.id.flatMap(UUID.init(uuidString:)) else { throw SamspilError.notFound("Nøglen findes ikke.") }
        try await req.db.writeTransaction { tx in
            guard let name = try await ApiTokenQueries.revoke(id: id, userID: session.account.id, on: tx) else {
                throw SamspilError.notFound("Nøglen findes ikke.")
            }
            try await AuditLog.record(.tokenRevoke, subject: name, by: session.account, now: now, on: tx)
        }
        return req.redirect(to: SitePath.apiTokens.href + "?besked=tilbagekaldt", redirectType: .normal)
    }
}

enum ApiTokenViews {
    static func page(_ model: ApiTokenPages.ViewModel, site: SiteInfo) -> String {
        var meta = PageMeta(title: "API-nøgler", canonical: nil, breadcrumbs: MaterialEditViews.crumbs(), currentCrumb: "API-nøgler")
        meta.hasErrors = !model.errors.isEmpty
        return PageLayout.render(meta, site: site) {
            H1("API-nøgler")
            Paragraph("Med en personlig API-nøgle kan et program oprette, ændre og slette materialer gennem API'et med dine rettigheder. Send nøglen i headeren Authorization: Bearer <nøgle>. Se API-beskrivelsen i openapi.json.")
            if let notice = model.notice { Paragraph(notice).class("notice") }
            if let created = model.created {
                Div {
                    H2("Din nye nøgle")
                    Paragraph("Kopiér nøglen nu. Den vises kun denne ene gang; vi gemmer den ikke.")
                    Tag("p") { Tag("code", [("class", "token")], text: created) }
                }.class("notice")
            }
            if !model.errors.isEmpty { ErrorSummary(model.errors, fieldOrder: ["name"]) }
            H2("Ny nøgle")
            Tag("form", [("class", "form"), ("method", "post"), ("action", SitePath.apiTokens.href), ("novalidate", "novalidate")]) {
                CSRFField(token: model.csrf)
                FormField(name: "name", label: "Navn", value: model.name, hint: "Hvad nøglen bruges til, fx „Import fra regneark“.",
                          error: model.errors.first { $0.field == "name" }?.message)
                Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Opret nøgle")
            }
            H2("Dine nøgler")
            if model.tokens.isEmpty {
                Paragraph("Du har ingen API-nøgler.")
            } else {
                DataTable(caption: "Dine personlige API-nøgler", headings: ["Navn", "Begynder med", "Oprettet", "Sidst brugt", "Tilbagekald"],
                          rows: model.tokens.map { token in
                    [Text(token.name), Tag("code", text: token.prefix + "…"), Text(DanishDate.dateTime(token.createdAt)),
                     Text(token.lastUsedAt.map(DanishDate.dateTime) ?? "Aldrig"), RevokeTokenForm(id: token.id, name: token.name, csrf: model.csrf)]
                })
            }
        }
    }
}

struct RevokeTokenForm: Component {
    var id: UUID
    var name: String
    var csrf: String

    var body: Component {
        Tag("form", [("class", "inline-form"), ("method", "post"), ("action", SitePath.revokeApiToken.href)]) {
            CSRFField(token: csrf)
            VoidTag("input", [("type", "hidden"), ("name", "id"), ("value", id.uuidString)])
            Tag("button", [("type", "submit"), ("class", "button button-warning button-small")], text: "Tilbagekald \(name)")
        }
    }
}
