import Foundation
import SamspilCore
import Vapor

/// Logging in and out. Handlers: parse the form → check CSRF and throttling → verify → start or end the
/// session → redirect or render the form again with the user's input and a Danish message.
enum LoginPage {
    struct Form: Content {
        var email: String?
        var password: String?
        var naeste: String?
        var _csrf: String?
    }

    struct ViewModel {
        var email = ""
        var next: String
        var csrfToken: String
        var error: String?
        var fieldErrors: [(field: String, message: String)] = []
        var passwordChanged = false
        /// Single sign-on buttons: label and address.
        var providers: [(label: String, href: String)] = []
    }

    /// The login page's single sign-on buttons, each leading back to `next` afterwards.
    static func providers(_ req: Request, next: String? = nil) -> [(label: String, href: String)] {
        req.application.samspil.settings.signOnProviders.map { provider in
            let path = SitePath.account(.signOnStart(provider.id)).href
            return (provider.label, next.map { path + "?naeste=" + PercentEncoding.queryValue($0) } ?? path)
        }
    }

    static func show(_ req: Request) async throws -> Response {
        let next = safeNext(req.query[String.self, at: "naeste"])
        if req.currentSession != nil { return req.redirect(to: next, redirectType: .normal) }
        let (token, cookie) = CSRF.token(for: req)
        var model = ViewModel(next: next, csrfToken: token)
        model.passwordChanged = req.query[String.self, at: "nulstillet"] == "1"
        model.providers = providers(req, next: next)
        return render(model, site: req.site, setting: cookie, on: req)
    }

    static func submit(_ req: Request) async throws -> Response {
        let form = req.postedForm(or: Form())
        try CSRF.verify(req, sent: form._csrf)
        let context = req.application.samspil
        let now = context.clock()
        let email = EmailAddress.normalise(form.email ?? "")
        let password = form.password ?? ""
        let next = safeNext(form.naeste)
        let (token, cookie) = CSRF.token(for: req)
        var model = ViewModel(email: email, next: next, csrfToken: token)
        model.providers = providers(req, next: next)
        if email.isEmpty { model.fieldErrors.append(("email", "Skriv din e-mailadresse.")) }
        // No account's address holds control characters, and PostgreSQL could not even count an attempt with U+0000.
        else if email.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            model.fieldErrors.append(("email", "Skriv en gyldig e-mailadresse, fx navn@skole.dk."))
        }
        if password.isEmpty { model.fieldErrors.append(("password", "Skriv din adgangskode.")) }
        if !model.fieldErrors.isEmpty {
            return render(model, site: req.site, status: .unprocessableEntity, setting: cookie, on: req)
        }
        let attempt: [UUID]
        switch try await LoginFailureQueries.claim(email: email, address: req.clientAddress, now: now, on: req.db) {
        case .wait(let seconds):
            model.error = "Der har været for mange forkerte forsøg. Vent \(minutes(seconds)), og prøv igen."
            return tooMany(model, retryAfter: seconds, cookie: cookie, on: req)
        case .counted(let ids):
            attempt = ids
        }
        let account: Account?
        do {
            account = try await AccountQueries.verify(email: email, password: password, hashing: PasswordHashing(req.application), on: req.db)
        } catch SamspilError.busy(let message, let seconds) {
            // Not checked, so not counted against the account.
            try await LoginFailureQueries.release(attempt, on: req.db)
            model.error = message
            return tooMany(model, retryAfter: seconds, cookie: cookie, on: req)
        }
        guard let account else {
            // The attempt stays counted. The same message whether the address is unknown, the password wrong
            // or the account disabled.
            model.error = "E-mailadressen eller adgangskoden er forkert."
            return render(model, site: req.site, status: .unprocessableEntity, setting: cookie, on: req)
        }
        try await LoginFailureQueries.succeeded(email: email, attempt: attempt, on: req.db)
        return try await logIn(account, req, redirectTo: next)
    }

    /// Starts a session for `account` (with a password or single sign-on) and goes on to `next`. Always a new
    /// session: any token the browser had before logging in is worthless now.
    static func logIn(_ account: Account, _ req: Request, redirectTo next: String) async throws -> Response {
        let context = req.application.samspil
        if let old = req.currentSession { try await SessionQueries.end(sessionID: old.sessionID, on: req.db) }
        let started = try await SessionQueries.start(userID: account.id, now: context.clock(), on: req.db)
        let response = req.redirect(to: next, redirectType: .normal)
        response.cookies[Cookies.session(context.settings)] = Cookies.value(started.token, settings: context.settings)
        response.cookies[Cookies.csrf(context.settings)] = Cookies.expired(settings: context.settings)
        return response
    }

    static func logout(_ req: Request) async throws -> Response {
        let form = req.postedForm(or: Form())
        try CSRF.verify(req, sent: form._csrf)
        if let session = req.currentSession { try await SessionQueries.end(sessionID: session.sessionID, on: req.db) }
        let response = req.redirect(to: SitePath.home.href, redirectType: .normal)
        response.cookies[Cookies.session(req.application.samspil.settings)] = Cookies.expired(settings: req.application.samspil.settings)
        return response
    }

    private static func tooMany(_ model: ViewModel, retryAfter seconds: Int, cookie: HTTPCookies.Value?, on req: Request) -> Response {
        let response = render(model, site: req.site, status: .tooManyRequests, setting: cookie, on: req)
        response.headers.replaceOrAdd(name: .retryAfter, value: String(seconds))
        return response
    }

    /// Only paths of this site ("/…", not "//host…"), so the login cannot send anyone elsewhere.
    static func safeNext(_ value: String?) -> String {
        guard let value, value.hasPrefix("/"), !value.hasPrefix("//"), !value.hasPrefix("/\\"), value.count < 500,
              !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            return SitePath.account(.mySpace).href
        }
        return value
    }

    static func minutes(_ seconds: Int) -> String {
        let minutes = max(1, (seconds + 59) / 60)
        return minutes == 1 ? "et minut" : "\(minutes) minutter"
    }

    static func render(_ model: ViewModel, site: SiteInfo, status: HTTPResponseStatus = .ok,
                       setting cookie: HTTPCookies.Value?, on req: Request) -> Response {
        CSRF.formPage(LoginView.render(model, site: site), status: status, cookie: cookie, on: req)
    }
}

enum LoginView {
    static func render(_ model: LoginPage.ViewModel, site: SiteInfo) -> String {
        var meta = PageMeta(title: "Log ind", description: "Log ind i Samspil.", canonical: SitePath.login.href,
                            breadcrumbs: [.init(label: "Forside", href: SitePath.home.href)], currentCrumb: "Log ind")
        meta.hasErrors = !model.fieldErrors.isEmpty || model.error != nil
        return PageLayout.render(meta, site: site) {
            H1("Log ind")
            if model.passwordChanged {
                Tag("div", [("class", "alert"), ("role", "status")]) { Paragraph("Din adgangskode er skiftet. Log ind med den nye.") }
            }
            Paragraph("Alle kan læse materialerne uden at logge ind. Med en konto arbejder du sammen med din skole, kommune eller dit læringsmiljø.")
            if !model.fieldErrors.isEmpty {
                ErrorSummary(errors: model.fieldErrors, fieldOrder: ["email", "password"])
            } else if let error = model.error {
                ErrorAlert { Paragraph(error) }
            }
            if !model.providers.isEmpty {
                Tag("section", [("class", "sign-on"), ("aria-labelledby", "sign-on-heading")]) {
                    Tag("h2", [("id", "sign-on-heading")], text: "Log ind med")
                    Div {
                        for provider in model.providers { SafeLink(text: provider.label, href: provider.href, attributes: [("class", "button")]) }
                    }.class("actions")
                }
                H2("Eller log ind med e-mail og adgangskode")
            }
            Tag("form", [("class", "form"), ("method", "post"), ("action", SitePath.login.href), ("novalidate", "novalidate")]) {
                CSRFField(token: model.csrfToken)
                VoidTag("input", [("type", "hidden"), ("name", "naeste"), ("value", model.next)])
                FormField(name: "email", label: "E-mailadresse", type: "email", value: model.email,
                          error: model.fieldErrors.first { $0.field == "email" }?.message, autocomplete: "username")
                FormField(name: "password", label: "Adgangskode", type: "password",
                          error: model.fieldErrors.first { $0.field == "password" }?.message, autocomplete: "current-password")
                Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Log ind")
            }
            Paragraph { Link("Glemt adgangskode?", url: SitePath.forgotPassword.href) }
            Paragraph {
                Text("Ingen konto? ")
                Link("Opret en konto", url: SitePath.account(.signUp).href)
            }
        }
    }
}

/// The editors' start page (more comes with the editorial workflow).
enum EditorHome {
    // Synchronous: nothing to wait for, so Vapor runs it without a task of its own.
    static func show(_ req: Request) throws -> Response {
        let session = try req.requireSession()
        let meta = PageMeta(title: "Redaktion", canonical: nil, breadcrumbs: [.init(label: "Forside", href: SitePath.home.href)],
                            currentCrumb: "Redaktion")
        return PageLayout.privateResponse(PageLayout.render(meta, site: req.site) {
            H1("Redaktion")
            Paragraph("Du er logget ind som \(session.account.name) (\(session.account.email)), \(DanishText.midSentence(session.account.role.label)).")
            List {
                ListItem { Link("Materialer", url: SitePath.editMaterials.href) }
                ListItem { Link("Temaer", url: SitePath.editThemes.href) }
                ListItem { Link("Værktøjer", url: SitePath.tool(.edit).href) }
                ListItem { Link("API-nøgler", url: SitePath.apiTokens.href) }
                ListItem { Link("Mine data", url: SitePath.myData.href) }
                if session.account.role.includes(.administrator) {
                    ListItem { Link("Brugere", url: SitePath.users.href) }
                    ListItem { Link("Ændringslog", url: SitePath.auditLog.href) }
                    ListItem { Link("Partnerskabsformer", url: SitePath.partnership(.forms).href) }
                }
            }
            Tag("form", [("class", "inline-form"), ("method", "post"), ("action", SitePath.logout.href)]) {
                CSRFField(token: session.csrfToken)
                Tag("button", [("type", "submit"), ("class", "button")], text: "Log ud")
            }
        })
    }
}

/// Deleting a user from the list: a box to tick and a button, per row.
struct DeleteUserForm: Component {
    var email: String
    var csrf: String

    var body: Component {
        let id = "slet-" + SessionQueries.hash(email).prefix(12)
        return Tag("form", [("class", "inline-form"), ("method", "post"), ("action", SitePath.deleteUser.href)]) {
            CSRFField(token: csrf)
            VoidTag("input", [("type", "hidden"), ("name", "email"), ("value", email)])
            VoidTag("input", [("type", "checkbox"), ("id", id), ("name", "confirm"), ("value", "ja")])
            Tag("label", [("for", id)], text: "Ja, slet \(email)")
            Text(" ")
            Tag("button", [("type", "submit"), ("class", "button button-warning button-small")], text: "Slet")
        }
    }
}

/// Administrators: the accounts (managed from the command line for now: `samspil user …`).
enum UserIndex {
    static func show(_ req: Request) async throws -> Response {
        let accounts = try await AccountQueries.all(on: req.db)
        let session = try req.requireSession()
        let (csrf, me) = (session.csrfToken, session.account)
        var meta = PageMeta(title: "Brugere", canonical: nil,
                            breadcrumbs: [.init(label: "Forside", href: SitePath.home.href), .init(label: "Redaktion", href: SitePath.editorHome.href)],
                            currentCrumb: "Brugere")
        let unconfirmed = req.query[String.self, at: "fejl"] == "bekraeft"
        meta.hasErrors = unconfirmed
        return PageLayout.privateResponse(PageLayout.render(meta, site: req.site) {
            H1("Brugere")
            if unconfirmed {
                ErrorAlert { Paragraph("Sæt kryds ud for brugeren for at bekræfte sletningen. Intet er slettet.") }
            }
            Paragraph { SafeLink(text: "Ny bruger", href: SitePath.newUser.href, attributes: [("class", "button button-primary")]) }
            DataTable(caption: "Konti med adgang til redaktionen", headings: ["E-mailadresse", "Navn", "Rolle", "Status", "Slet"],
                      rows: accounts.map { account in
                [Text(account.email), Text(account.name), Text(account.role.label),
                 ComponentGroup(members: [Text(account.disabled ? "Spærret " : "Aktiv "),
                                          account.email == me.email ? Text("") : AccountStatusForm(email: account.email, disabled: account.disabled, csrf: csrf)]),
                 account.email == me.email ? Text("–") : DeleteUserForm(email: account.email, csrf: csrf)]
            })
        })
    }
}
