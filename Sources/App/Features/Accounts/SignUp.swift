import Fluent
import Foundation
import SamspilCore
import SQLKit
import Vapor

/// Anyone can make an account: name, e-mail address and password (the same rules as everywhere), then a link
/// sent to the address proves it is theirs. Until then they can log in, but not register an organisation or ask
/// to join one (`Actor.verified`).
///
/// The answer does not tell whether the address already has an account: both cases hash the password, write
/// in one transaction and answer "check your mail"; the mail says either "confirm your address" or "you already
/// have an account" (with the way to a new password).
enum SignUpQueries {
    /// Sign-ups per client address per hour, and mails per e-mail address per hour (nobody can flood an inbox).
    static let perAddress = LoginThrottle(limit: 10, window: 3_600)
    static let perEmail = LoginThrottle(limit: 3, window: 3_600)
    static let linkValidity: TimeInterval = 3 * 86_400

    struct Form: Content {
        var name: String?
        var email: String?
        var password: String?
        var repeated: String?
        var _csrf: String?
    }

    enum Outcome: Equatable {
        /// Mail is on its way (to confirm, or to say the account exists).
        case mailed(email: String)
        /// Too many sign-ups from this client or for this address: seconds to wait.
        case wait(Int)
    }

    /// The problems of a sign-up form, in form order.
    static func problems(name: String, email: String, password: String, repeated: String) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if name.isEmpty { problems.append(FieldProblem(field: "name", message: "Skriv dit navn.")) }
        if name.count > 200 { problems.append(FieldProblem(field: "name", message: "Gør navnet kortere: det må højst have 200 tegn.")) }
        if let problem = TextRules.nulProblem(name) { problems.append(FieldProblem(field: "name", message: problem)) }
        problems += EmailAddress.problems(email)
        problems += PasswordPolicy.problems(password, common: CommonPasswords.all)
        if password != repeated { problems.append(FieldProblem(field: "repeated", message: "Skriv den samme adgangskode i begge felter.")) }
        return problems
    }

    static func signUp(
        name rawName: String, email rawEmail: String, password: String, repeated: String, address: String?, now: Date,
        publicURL: String, hashing: PasswordHashing, on db: any Database
    ) async throws -> Outcome {
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        let email = EmailAddress.normalise(rawEmail)
        let problems = problems(name: name, email: email, password: password, repeated: repeated)
        guard problems.isEmpty else { throw SamspilError.invalid(problems) }
        var keys = [("signup-mail:" + email, perEmail)]
        if let address { keys.append(("signup:" + address, perAddress)) }
        if case .wait(let seconds) = try await LoginFailureQueries.claim(keys, now: now, on: db) { return .wait(seconds) }
        // Hashed in both cases, so that an existing address takes as long as a new one.
        let passwordHash = try await hashing.hash(password)
        try await db.writeTransaction { tx in
            if let existing = try await AccountQueries.find(email: email, on: tx) {
                try await Outbox.enqueue(to: existing.email, subject: "Du har allerede en konto i Samspil", body: """
                    Hej \(existing.name)

                    Nogen (forhåbentlig dig) har prøvet at oprette en konto i Samspil med denne e-mailadresse,
                    men der findes allerede en. Log ind her:

                    \(publicURL + SitePath.login.href)

                    Har du glemt adgangskoden, kan du vælge en ny her:

                    \(publicURL + SitePath.forgotPassword.href)

                    Har du ikke prøvet at oprette en konto, kan du se bort fra denne mail.
                    """, now: now, on: tx)
                return
            }
            let user = UserModel()
            user.id = UUID()
            user.createdAt = now
            user.updatedAt = now
            user.email = email
            user.name = name
            user.passwordHash = passwordHash
            user.role = Role.member.rawValue
            user.passwordChangedAt = now
            user.emailVerifiedAt = nil
            try await user.create(on: tx)
            try await AuditLog.record(.accountSignUp, subject: email, by: try user.domain(), now: now, on: tx)
            try await sendVerification(user: user, now: now, publicURL: publicURL, on: tx)
        }
        return .mailed(email: email)
    }

    /// A new link to confirm the address (and its mail), unless three were sent in the last hour.
    static func resend(userID: UUID, now: Date, publicURL: String, on db: any Database) async throws -> Bool {
        try await db.writeTransaction { tx in
            guard let user = try await UserModel.find(userID, on: tx), user.emailVerifiedAt == nil else { return false }
            let recent = try await EmailVerificationModel.query(on: tx).filter(\.$user.$id == userID)
                .filter(\.$createdAt > now.addingTimeInterval(-3_600)).count()
            guard recent < perEmail.limit else { return false }
            try await sendVerification(user: user, now: now, publicURL: publicURL, on: tx)
            return true
        }
    }

    private static func sendVerification(user: UserModel, now: Date, publicURL: String, on tx: any Database) async throws {
        let token = SessionQueries.randomToken()
        let verification = EmailVerificationModel()
        verification.id = UUID()
        verification.createdAt = now
        verification.tokenHash = SessionQueries.hash(token)
        verification.expiresAt = now.addingTimeInterval(linkValidity)
        verification.$user.id = try user.requireID()
        try await verification.create(on: tx)
        let link = publicURL + SitePath.account(.verifyEmail).href + "?token=" + token
        try await Outbox.enqueue(to: user.email, subject: "Bekræft din e-mailadresse i Samspil", body: """
            Hej \(user.name)

            Tak, fordi du har oprettet en konto i Samspil. Bekræft, at e-mailadressen er din, med dette link:

            \(link)

            Linket virker i tre dage og kun én gang. Har du ikke oprettet en konto, kan du se bort fra denne mail.
            """, now: now, on: tx)
    }

    /// Uses the link: the address is verified and every open link of the account is used up. The account, or nil
    /// when the link is unknown, used or expired.
    static func verify(token: String, now: Date, on db: any Database) async throws -> Account? {
        guard SessionQueries.isPlausible(token) else { return nil }
        return try await db.writeTransaction { tx -> Account? in
            guard let link = try await EmailVerificationModel.query(on: tx).filter(\.$tokenHash == SessionQueries.hash(token))
                    .with(\.$user).first(),
                  link.usedAt == nil, link.expiresAt > now, link.user.disabledAt == nil else { return nil }
            // One conditional UPDATE takes the link only while it is still open: of two uses at once, one wins.
            struct Row: Decodable { let id: UUID }
            let used = try await (tx as! any SQLDatabase).raw("""
                UPDATE \(ident: EmailVerificationModel.schema) SET used_at = \(bind: now) \
                WHERE user_id = \(bind: link.$user.id) AND used_at IS NULL RETURNING id
                """).all(decoding: Row.self)
            guard used.contains(where: { $0.id == link.id }) else { return nil }
            let user = link.user
            if user.emailVerifiedAt == nil {
                user.emailVerifiedAt = now
                user.updatedAt = now
                try await user.save(on: tx)
                try await AuditLog.record(.accountVerify, subject: user.email, by: try user.domain(), now: now, on: tx)
            }
            return try user.domain()
        }
    }
}

/// The pages: the sign-up form, the link from the mail.
enum SignUpPages {
    static func show(_ req: Request) async throws -> Response {
        if req.currentSession != nil { return req.redirect(to: SitePath.account(.mySpace).href, redirectType: .normal) }
        let (token, cookie) = CSRF.token(for: req)
        return CSRF.formPage(SignUpViews.form(SignUpQueries.Form(), errors: [], csrf: token, site: req.site), cookie: cookie, on: req)
    }

    static func submit(_ req: Request) async throws -> Response {
        let form = req.postedForm(or: SignUpQueries.Form())
        try CSRF.verify(req, sent: form._csrf)
        let (token, cookie) = CSRF.token(for: req)
        let context = req.application.samspil
        do {
            let outcome = try await SignUpQueries.signUp(
                name: form.name ?? "", email: form.email ?? "", password: form.password ?? "", repeated: form.repeated ?? "",
                address: req.clientAddress, now: context.clock(), publicURL: context.settings.publicURL,
                hashing: context.passwordHashing, on: req.db)
            switch outcome {
            case .mailed(let email):
                return CSRF.formPage(SignUpViews.sent(email: email, site: req.site), cookie: cookie, on: req)
            case .wait(let seconds):
                var kept = form
                (kept.password, kept.repeated) = (nil, nil)
                let message = "Der er oprettet for mange konti herfra eller med denne adresse. Prøv igen om \(LoginPage.minutes(seconds))."
                let response = CSRF.formPage(SignUpViews.form(kept, errors: [], notice: message, csrf: token, site: req.site),
                                             status: .tooManyRequests, cookie: cookie, on: req)
                response.headers.replaceOrAdd(name: .retryAfter, value: String(seconds))
                return response
            }
        } catch SamspilError.invalid(let problems) {
            var kept = form
            (kept.password, kept.repeated) = (nil, nil)
            return CSRF.formPage(SignUpViews.form(kept, errors: problems, csrf: token, site: req.site),
                                 status: .unprocessableEntity, cookie: cookie, on: req)
        }
    }

    static func verify(_ req: Request) async throws -> Response {
        let token = req.query[String.self, at: "token"] ?? ""
        let context = req.application.samspil
        let account = try await SignUpQueries.verify(token: token, now: context.clock(), on: req.db)
        // A logged-in person's own session holds whether they are verified: read it again.
        context.sessionCache.forgetAll()
        let html = SignUpViews.verified(account != nil, loggedIn: req.currentSession != nil, site: req.site)
        return PageLayout.privateResponse(html, status: account == nil ? .notFound : .ok)
    }

    static func resend(_ req: Request) async throws -> Response {
        struct Form: Content { var _csrf: String? }
        let session = try req.requireSession()
        try CSRF.verify(req, sent: req.postedForm(or: Form())._csrf)
        let context = req.application.samspil
        let sent = try await SignUpQueries.resend(userID: session.account.id, now: context.clock(), publicURL: context.settings.publicURL, on: req.db)
        return req.redirect(to: MySpace.href(notice: sent ? .verificationSent : .verificationNotSent), redirectType: .normal)
    }
}

enum SignUpViews {
    static let fieldOrder = ["name", "email", "password", "repeated"]

    static func form(_ form: SignUpQueries.Form, errors: [FieldProblem], notice: String? = nil, csrf: String, site: SiteInfo) -> String {
        var meta = PageMeta(title: "Opret konto", description: "Opret en konto i Samspil som lærer, leder, koordinator eller formidler.",
                            canonical: SitePath.account(.signUp).href,
                            breadcrumbs: [.init(label: "Forside", href: SitePath.home.href)], currentCrumb: "Opret konto")
        meta.hasErrors = !errors.isEmpty || notice != nil
        func error(_ field: String) -> String? { errors.first { $0.field == field }?.message }
        return PageLayout.render(meta, site: site) {
            H1("Opret konto")
            Paragraph("Med en konto kan du blive medlem af din skole, kommune eller dit læringsmiljø og arbejde sammen med andre i Samspil. Alle kan læse materialerne uden konto.")
            if !errors.isEmpty { ErrorSummary(errors, fieldOrder: fieldOrder) }
            if let notice { ErrorAlert { Paragraph(notice) } }
            Tag("form", [("class", "form"), ("method", "post"), ("action", SitePath.account(.signUp).href), ("novalidate", "novalidate")]) {
                CSRFField(token: csrf)
                FormField(name: "name", label: "Navn", value: form.name ?? "", error: error("name"), autocomplete: "name")
                FormField(name: "email", label: "E-mailadresse", type: "email", value: form.email ?? "",
                          hint: "Vi sender et link til adressen, som du bekræfter den med.", error: error("email"), autocomplete: "email")
                FormField(name: "password", label: "Adgangskode", type: "password",
                          hint: "Mindst 8 tegn. Flere ord i træk er nemme at huske og svære at gætte.",
                          error: error("password"), autocomplete: "new-password")
                FormField(name: "repeated", label: "Gentag adgangskoden", type: "password", error: error("repeated"), autocomplete: "new-password")
                Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Opret konto")
            }
            Paragraph {
                Text("Har du allerede en konto? ")
                Link("Log ind", url: SitePath.login.href)
            }
        }
    }

    static func sent(email: String, site: SiteInfo) -> String {
        let meta = PageMeta(title: "Tjek din e-mail", canonical: nil, breadcrumbs: [.init(label: "Forside", href: SitePath.home.href)],
                            currentCrumb: "Opret konto")
        return PageLayout.render(meta, site: site) {
            H1("Tjek din e-mail")
            Tag("div", [("class", "alert"), ("role", "status")]) {
                Paragraph("Vi har sendt en mail til \(email). Følg linket i den for at bekræfte adressen. Linket virker i tre dage.")
            }
            Paragraph("Har du allerede en konto med adressen, står der i mailen, hvordan du logger ind.")
            Paragraph { Link("Log ind", url: SitePath.login.href) }
        }
    }

    static func verified(_ verified: Bool, loggedIn: Bool, site: SiteInfo) -> String {
        let title = verified ? "E-mailadressen er bekræftet" : "Linket virker ikke"
        var meta = PageMeta(title: title, canonical: nil, breadcrumbs: [.init(label: "Forside", href: SitePath.home.href)], currentCrumb: title)
        meta.hasErrors = !verified
        return PageLayout.render(meta, site: site) {
            H1(title)
            if verified {
                Tag("div", [("class", "alert"), ("role", "status")]) { Paragraph("Tak. Din konto er klar.") }
                Paragraph { Link(loggedIn ? "Gå til Min side" : "Log ind", url: loggedIn ? SitePath.account(.mySpace).href : SitePath.login.href) }
            } else {
                ErrorAlert { Paragraph("Linket er udløbet, allerede brugt eller forkert kopieret.") }
                Paragraph("Log ind og bed om et nyt link på Min side.")
                Paragraph { Link("Log ind", url: SitePath.login.href) }
            }
        }
    }
}
