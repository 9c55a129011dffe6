import Foundation
import SamspilCore
import Vapor

/// Administrators add accounts in the browser: the new user gets a mail with a link to choose a password
/// (nobody else ever knows it), and administrators can disable and enable accounts.
enum UserAdmin {
    struct Form: Content {
        var email: String?
        var name: String?
        var role: String?
        var _csrf: String?
    }

    static func new(_ req: Request) async throws -> Response {
        PageLayout.privateResponse(UserAdminViews.form(Form(role: Role.editor.rawValue), errors: [], csrf: try req.requireSession().csrfToken, site: req.site))
    }

    static func create(_ req: Request) async throws -> Response {
        let form = req.postedForm(or: Form())
        try CSRF.verify(req, sent: form._csrf)
        let context = req.application.samspil
        let now = context.clock()
        do {
            // A random password nobody sees; the invitation link replaces it.
            let account = try await AccountQueries.create(
                email: form.email ?? "", name: form.name, password: SessionQueries.randomToken(),
                role: Role(rawValue: form.role ?? "") ?? .editor, now: now, hashing: PasswordHashing(req.application), on: req.db)
            try await PasswordResetQueries.sendLink(email: account.email, now: now, publicURL: context.settings.publicURL, purpose: .invitation, on: req.db)
            try await AuditLog.record(.userCreate, subject: account.email, by: try req.requireSession().account, now: now, on: req.db)
        } catch SamspilError.invalid(let problems) {
            return PageLayout.privateResponse(UserAdminViews.form(form, errors: problems, csrf: try req.requireSession().csrfToken, site: req.site), status: .unprocessableEntity)
        } catch SamspilError.conflict {
            let message = "Skriv en anden e-mailadresse – der findes allerede en konto med \(EmailAddress.normalise(form.email ?? ""))."
            return PageLayout.privateResponse(UserAdminViews.form(form, errors: [FieldProblem(field: "email", message: message)], csrf: try req.requireSession().csrfToken, site: req.site),
                                     status: .conflict)
        }
        return req.redirect(to: SitePath.users.href, redirectType: .normal)
    }
}

extension UserAdmin {
    struct StatusForm: Content {
        var email: String?
        var _csrf: String?
    }

    /// Disables or enables an account (not one's own). Disabling ends its sessions at once.
    static func setDisabled(_ disabled: Bool) -> @Sendable (Request) async throws -> Response {
        { req in
            let form = req.postedForm(or: StatusForm())
            try CSRF.verify(req, sent: form._csrf)
            let actor = try req.requireSession().account
            let email = EmailAddress.normalise(form.email ?? "")
            guard email != actor.email else { throw SamspilError.forbidden("Du kan ikke spærre din egen konto.") }
            let now = req.application.samspil.clock()
            let account = disabled
                ? try await AccountQueries.disable(email: email, now: now, on: req.db)
                : try await AccountQueries.enable(email: email, now: now, on: req.db)
            try await AuditLog.record(disabled ? .userDisable : .userEnable, subject: account.email, by: actor, now: now, on: req.db)
            return req.redirect(to: SitePath.users.href, redirectType: .normal)
        }
    }
}

/// Disabling or enabling one account from the list.
struct AccountStatusForm: Component {
    var email: String
    var disabled: Bool
    var csrf: String

    var body: Component {
        Tag("form", [("class", "inline-form"), ("method", "post"), ("action", disabled ? SitePath.enableUser.href : SitePath.disableUser.href)]) {
            CSRFField(token: csrf)
            VoidTag("input", [("type", "hidden"), ("name", "email"), ("value", email)])
            Tag("button", [("type", "submit"), ("class", "button button-secondary button-small")], text: disabled ? "Åbn \(email)" : "Spær \(email)")
        }
    }
}

enum UserAdminViews {
    /// The form's fields, top to bottom.
    static let fieldOrder = ["email", "name", "role"]

    static func form(_ form: UserAdmin.Form, errors: [FieldProblem], csrf: String, site: SiteInfo) -> String {
        var meta = PageMeta(title: "Ny bruger", canonical: nil,
                            breadcrumbs: MaterialEditViews.crumbs() + [.init(label: "Brugere", href: SitePath.users.href)], currentCrumb: "Ny bruger")
        meta.hasErrors = !errors.isEmpty
        func error(_ field: String) -> String? { errors.first { $0.field == field }?.message }
        return PageLayout.render(meta, site: site) {
            H1("Ny bruger")
            Paragraph("Den nye bruger får en mail med et link til at vælge sin adgangskode. Linket virker i tre dage.")
            if !errors.isEmpty { ErrorSummary(errors, fieldOrder: fieldOrder) }
            Tag("form", [("class", "form"), ("method", "post"), ("action", SitePath.newUser.href), ("novalidate", "novalidate")]) {
                CSRFField(token: csrf)
                FormField(name: "email", label: "E-mailadresse", type: "email", value: form.email ?? "", error: error("email"))
                FormField(name: "name", label: "Navn (valgfrit)", value: form.name ?? "", error: error("name"), required: false)
                RadiosField(name: "role", legend: "Rolle", selected: form.role ?? Role.editor.rawValue,
                            options: [(Role.editor.rawValue, "Redaktør – vedligeholder materialer"),
                                      (Role.administrator.rawValue, "Administrator – også brugere")])
                Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Opret og send mail")
            }
        }
    }
}
