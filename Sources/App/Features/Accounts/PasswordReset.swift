import Fluent
import SQLKit
import Foundation
import SamspilCore
import SQLKit
import Vapor

/// "Forgot password": a single-use link that expires after an hour, sent through the outbox. The answer to a
/// request is the same whether the address has an account or not.
enum PasswordResetQueries {
    /// At most this many links per account per hour, so nobody can flood an inbox.
    static let perHour = 3

    /// Why a link is sent: a forgotten password (valid an hour), or a new account choosing its first one
    /// (valid three days).
    enum Purpose {
        case reset, invitation

        var validity: TimeInterval { self == .reset ? 3_600 : 3 * 86_400 }
    }

    /// Notes a request for a reset link: one insert, the same whether or not the address has an account, so
    /// neither the answer nor its timing tells. `processRequests` makes the link and its mail later.
    static func request(email: String, now: Date, on db: any Database) async throws {
        try await PasswordResetRequestModel(email: EmailAddress.normalise(email), at: now).create(on: db)
    }

    /// Turns waiting requests into links and mails (`serve` calls it every few seconds). Each request is taken
    /// (deleted) in the transaction that handles it, so however many processes run this, each is handled once.
    @discardableResult
    static func processRequests(now: Date, publicURL: String, limit: Int = 50, on db: any Database) async throws -> Int {
        let waiting = try await PasswordResetRequestModel.query(on: db).sort(\.$requestedAt).limit(limit).all(\.$id)
        var handled = 0
        for id in waiting.compactMap({ $0 }) {
            let taken = try await db.writeTransaction { tx -> Bool in
                struct Row: Decodable { let email: String }
                guard let row = try await (tx as! any SQLDatabase).raw("""
                    DELETE FROM \(ident: PasswordResetRequestModel.schema) WHERE id = \(bind: id) RETURNING email
                    """).first(decoding: Row.self) else { return false }
                try await sendLink(email: row.email, now: now, publicURL: publicURL, purpose: .reset, on: tx)
                return true
            }
            if taken { handled += 1 }
        }
        return handled
    }

    /// Creates a link and queues its mail, when the address belongs to an active account.
    static func sendLink(email: String, now: Date, publicURL: String, purpose: Purpose, on db: any Database) async throws {
        guard let user = try await AccountQueries.find(email: email, on: db), user.disabledAt == nil else { return }
        let userID = try user.requireID()
        let recent = try await PasswordResetModel.query(on: db).filter(\.$user.$id == userID)
            .filter(\.$createdAt > now.addingTimeInterval(-3_600)).count()
        guard recent < perHour else { return }
        let token = SessionQueries.randomToken()
        try await db.writeTransaction { tx in
            let reset = PasswordResetModel()
            reset.id = UUID()
            reset.createdAt = now
            reset.tokenHash = SessionQueries.hash(token)
            reset.expiresAt = now.addingTimeInterval(purpose.validity)
            reset.$user.id = userID
            try await reset.create(on: tx)
            let link = publicURL + SitePath.resetPassword.href + "?token=" + token
            switch purpose {
            case .reset:
                try await Outbox.enqueue(to: user.email, subject: "Nulstil din adgangskode til Samspil", body: """
                    Hej \(user.name)

                    Nogen (forhåbentlig dig) har bedt om at nulstille adgangskoden til din konto i Samspil.
                    Vælg en ny adgangskode her:

                    \(link)

                    Linket virker i en time og kun én gang. Har du ikke bedt om det, kan du se bort fra denne mail;
                    din adgangskode er uændret.
                    """, now: now, on: tx)
            case .invitation:
                try await Outbox.enqueue(to: user.email, subject: "Din konto i Samspil", body: """
                    Hej \(user.name)

                    Du har fået en konto i Samspil som \(DanishText.midSentence((Role(rawValue: user.role) ?? .editor).label)).
                    Vælg din adgangskode her:

                    \(link)

                    Linket virker i tre dage og kun én gang. Derefter logger du ind med din e-mailadresse og adgangskoden.
                    """, now: now, on: tx)
            }
        }
    }

    /// The still valid link of a token (unused and not expired), or nil.
    static func valid(token: String, now: Date, on db: any Database) async throws -> PasswordResetModel? {
        guard !token.isEmpty, token.count <= 100,
              let reset = try await PasswordResetModel.query(on: db).filter(\.$tokenHash == SessionQueries.hash(token)).with(\.$user).first(),
              reset.usedAt == nil, reset.expiresAt > now, reset.user.disabledAt == nil else { return nil }
        return reset
    }

    static let expired = SamspilError.invalid([FieldProblem(field: "token", message: "Linket er udløbet eller allerede brugt. Bed om et nyt.")])

    /// Sets the new password and uses up the link together with every other open link of the account (and ends
    /// the account's sessions): once a person has chosen a password, no older mail can change it again.
    static func redeem(token: String, password: String, now: Date, hashing: PasswordHashing, on db: any Database) async throws -> Account {
        guard let reset = try await valid(token: token, now: now, on: db) else { throw expired }
        let problems = PasswordPolicy.problems(password, common: CommonPasswords.all)
        guard problems.isEmpty else { throw SamspilError.invalid(problems) }
        let resetID = try reset.requireID()
        return try await db.writeTransaction { tx in
            // Used up first, in the same transaction, by one conditional UPDATE that takes this link only while it
            // is still open: of two redemptions at once (of this link or of another of the account's) one finds
            // it used and changes nothing, on SQLite (one writer) and PostgreSQL (the second waits for the row).
            struct Row: Decodable { let id: UUID }
            let used = try await (tx as! any SQLDatabase).raw("""
                UPDATE \(ident: PasswordResetModel.schema) SET used_at = \(bind: now) \
                WHERE user_id = \(bind: reset.$user.id) AND used_at IS NULL AND expires_at > \(bind: now) RETURNING id
                """).all(decoding: Row.self)
            guard used.contains(where: { $0.id == resetID }) else { throw expired }
            // The link came by mail to the address: it is theirs.
            try await (tx as! any SQLDatabase).raw("""
                UPDATE \(ident: UserModel.schema) SET email_verified_at = \(bind: now) \
                WHERE id = \(bind: reset.$user.id) AND email_verified_at IS NULL
                """).run()
            return try await AccountQueries.setPassword(email: reset.user.email, password: password, now: now, hashing: hashing, on: tx)
        }
    }
}

/// The pages: ask for a link, and choose a new password with it.
enum PasswordResetPages {
    struct Form: Content {
        var email: String?
        var token: String?
        var password: String?
        var repeated: String?
        var _csrf: String?
    }

    static func showRequest(_ req: Request) async throws -> Response {
        let (token, cookie) = CSRF.token(for: req)
        return CSRF.formPage(requestPage(email: "", error: nil, sent: false, csrf: token, site: req.site), cookie: cookie, on: req)
    }

    static func submitRequest(_ req: Request) async throws -> Response {
        let form = req.postedForm(or: Form())
        try CSRF.verify(req, sent: form._csrf)
        let (token, cookie) = CSRF.token(for: req)
        let email = EmailAddress.normalise(form.email ?? "")
        if let problem = EmailAddress.problems(email).first {
            return CSRF.formPage(requestPage(email: email, error: problem.message, sent: false, csrf: token, site: req.site),
                           status: .unprocessableEntity, cookie: cookie, on: req)
        }
        let context = req.application.samspil
        try await PasswordResetQueries.request(email: email, now: context.clock(), on: req.db)
        return CSRF.formPage(requestPage(email: email, error: nil, sent: true, csrf: token, site: req.site), cookie: cookie, on: req)
    }

    static func showReset(_ req: Request) async throws -> Response {
        let resetToken = req.query[String.self, at: "token"] ?? ""
        let (token, cookie) = CSRF.token(for: req)
        let isValid = try await PasswordResetQueries.valid(token: resetToken, now: req.application.samspil.clock(), on: req.db) != nil
        return CSRF.formPage(resetPage(token: resetToken, valid: isValid, errors: [], csrf: token, site: req.site),
                       status: isValid ? .ok : .notFound, cookie: cookie, on: req)
    }

    static func submitReset(_ req: Request) async throws -> Response {
        let form = req.postedForm(or: Form())
        try CSRF.verify(req, sent: form._csrf)
        let (token, cookie) = CSRF.token(for: req)
        let resetToken = form.token ?? ""
        let password = form.password ?? ""
        if password != (form.repeated ?? "") {
            return CSRF.formPage(resetPage(token: resetToken, valid: true, errors: [("repeated", "Skriv den samme adgangskode i begge felter.")], csrf: token, site: req.site),
                           status: .unprocessableEntity, cookie: cookie, on: req)
        }
        do {
            _ = try await PasswordResetQueries.redeem(token: resetToken, password: password, now: req.application.samspil.clock(),
                                                      hashing: PasswordHashing(req.application), on: req.db)
        } catch SamspilError.invalid(let problems) {
            let expired = problems.contains { $0.field == "token" }
            return CSRF.formPage(resetPage(token: resetToken, valid: !expired, errors: problems.map { ($0.field, $0.message) }, csrf: token, site: req.site),
                           status: .unprocessableEntity, cookie: cookie, on: req)
        }
        return req.redirect(to: SitePath.login.href + "?nulstillet=1", redirectType: .normal)
    }

    static func requestPage(email: String, error: String?, sent: Bool, csrf: String, site: SiteInfo) -> String {
        var meta = PageMeta(title: "Glemt adgangskode", canonical: SitePath.forgotPassword.href,
                            breadcrumbs: [.init(label: "Forside", href: SitePath.home.href), .init(label: "Log ind", href: SitePath.login.href)],
                            currentCrumb: "Glemt adgangskode")
        meta.hasErrors = error != nil
        return PageLayout.render(meta, site: site) {
            H1("Glemt adgangskode")
            if sent {
                Tag("div", [("class", "alert"), ("role", "status")]) {
                    Paragraph("Hvis der findes en konto med adressen \(email), har vi sendt en mail med et link til at vælge en ny adgangskode. Linket virker i en time og kun én gang.")
                }
            } else {
                Paragraph("Skriv e-mailadressen på din konto, så sender vi et link, du kan vælge en ny adgangskode med.")
                if let error { ErrorSummary(errors: [("email", error)]) }
                Tag("form", [("class", "form"), ("method", "post"), ("action", SitePath.forgotPassword.href), ("novalidate", "novalidate")]) {
                    CSRFField(token: csrf)
                    FormField(name: "email", label: "E-mailadresse", type: "email", value: email, error: error, autocomplete: "username")
                    Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Send link")
                }
            }
        }
    }

    static func resetPage(token: String, valid: Bool, errors: [(field: String, message: String)], csrf: String, site: SiteInfo) -> String {
        var meta = PageMeta(title: "Vælg ny adgangskode", canonical: nil,
                            breadcrumbs: [.init(label: "Forside", href: SitePath.home.href), .init(label: "Log ind", href: SitePath.login.href)],
                            currentCrumb: "Vælg ny adgangskode")
        meta.hasErrors = !errors.isEmpty
        return PageLayout.render(meta, site: site) {
            H1("Vælg ny adgangskode")
            if !valid {
                ErrorAlert {
                    Paragraph("Linket er udløbet eller allerede brugt.")
                }
                Paragraph { Link("Bed om et nyt link", url: SitePath.forgotPassword.href) }
            } else {
                if !errors.isEmpty { ErrorSummary(errors: errors, fieldOrder: ["password", "repeated"]) }
                Tag("form", [("class", "form"), ("method", "post"), ("action", SitePath.resetPassword.href), ("novalidate", "novalidate")]) {
                    CSRFField(token: csrf)
                    VoidTag("input", [("type", "hidden"), ("name", "token"), ("value", token)])
                    FormField(name: "password", label: "Ny adgangskode", type: "password",
                              hint: "Mindst 8 tegn. Flere ord i træk er nemme at huske og svære at gætte.",
                              error: errors.first { $0.field == "password" }?.message, autocomplete: "new-password")
                    FormField(name: "repeated", label: "Gentag den nye adgangskode", type: "password",
                              error: errors.first { $0.field == "repeated" }?.message, autocomplete: "new-password")
                    Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Gem ny adgangskode")
                }
            }
        }
    }
}
