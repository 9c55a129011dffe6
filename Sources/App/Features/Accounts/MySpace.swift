import Foundation
import SamspilCore
import Vapor

/// "Min side": who the person is to Samspil, whether their address is confirmed, and the ways on from there.
enum MySpace {
    /// What a redirect back to the page tells.
    enum Notice: String, CaseIterable {
        case verificationSent = "bekraeftelse-sendt"
        case verificationNotSent = "bekraeftelse-ikke-sendt"
        case joined = "medlem"
        case proposed = "foreslaaet"

        var text: String {
            switch self {
            case .joined: "Du er nu medlem. Organisationen står herunder."
            case .proposed: "Du er logget ind. Din login-udbyder oplyste, hvor du arbejder, så vi har bedt skolen om at gøre dig til medlem. Anmodningen står herunder."
            case .verificationSent: "Vi har sendt et nyt link til din e-mailadresse."
            case .verificationNotSent: "Der er sendt tre links den seneste time. Brug et af dem, eller prøv igen senere."
            }
        }
    }

    static func href(notice: Notice? = nil) -> String {
        SitePath.account(.mySpace).href + (notice.map { "?besked=" + $0.rawValue } ?? "")
    }

    struct ViewModel {
        var account: Account
        var csrfToken: String
        var notice: Notice?
        var memberships: [MembershipQueries.Entry] = []
        /// Requests to join that wait for an answer: the organisation's name and the role asked for.
        var waiting: [(organisation: String, role: OrganisationRole)] = []
    }

    static func show(_ req: Request) async throws -> Response {
        let session = try req.requireSession()
        var model = ViewModel(account: session.account, csrfToken: session.csrfToken,
                              notice: req.query[String.self, at: "besked"].flatMap(Notice.init(rawValue:)))
        model.memberships = try await MembershipQueries.forUser(session.account.id, on: req.db)
        model.waiting = try await MembershipSaving.waitingRequests(of: session.account.id, on: req.db)
        return PageLayout.privateResponse(MySpaceView.render(model, site: req.site))
    }
}

enum MySpaceView {
    static func render(_ model: MySpace.ViewModel, site: SiteInfo) -> String {
        let account = model.account
        let meta = PageMeta(title: "Min side", canonical: nil, breadcrumbs: [.init(label: "Forside", href: SitePath.home.href)],
                            currentCrumb: "Min side")
        return PageLayout.render(meta, site: site) {
            H1("Min side")
            if let notice = model.notice {
                Tag("div", [("class", "alert"), ("role", "status")]) { Paragraph(notice.text) }
            }
            Tag("dl", [("class", "facts")]) {
                Tag("dt", text: "Navn")
                Tag("dd", text: account.name)
                Tag("dt", text: "E-mailadresse")
                Tag("dd", text: account.email + (account.emailVerified ? " (bekræftet)" : " (ikke bekræftet endnu)"))
                if account.role != .member {
                    Tag("dt", text: "Rolle i Samspil")
                    Tag("dd", text: account.role.label)
                }
            }
            if !account.emailVerified {
                Tag("section", [("class", "alert"), ("aria-labelledby", "bekraeft")]) {
                    Tag("h2", [("id", "bekraeft")], text: "Bekræft din e-mailadresse")
                    Paragraph("Følg linket i den mail, vi sendte, da du oprettede kontoen. Indtil da kan du ikke blive medlem af en organisation eller oprette en.")
                    Tag("form", [("class", "inline-form"), ("method", "post"), ("action", SitePath.account(.resendVerification).href)]) {
                        CSRFField(token: model.csrfToken)
                        Tag("button", [("type", "submit"), ("class", "button")], text: "Send linket igen")
                    }
                }
            }
            Tag("h2", text: "Mine organisationer")
            if model.memberships.isEmpty {
                Paragraph("Du er ikke medlem af nogen organisation endnu. Find din skole, kommune eller dit læringsmiljø, og bed om at blive medlem, eller bed en administrator om en invitation.")
            } else {
                // One entry per organisation, its roles together, with what they let the person do.
                let grouped = Dictionary(grouping: model.memberships, by: \.organisationID)
                let order = model.memberships.map(\.organisationID).reduce(into: [UUID]()) { if !$0.contains($1) { $0.append($1) } }
                List {
                    for id in order {
                        let entries = grouped[id] ?? []
                        let first = entries[0]
                        let roles = entries.map(\.role)
                        ListItem {
                            Text(first.organisationName + " (" + DanishText.midSentence(first.kind.label) + "): ")
                            Text(roles.map(\.label).joined(separator: ", "))
                            Text(". ")
                            Link(roles.contains(.administrator) ? "Medlemmer, invitationer og anmodninger" : "Se medlemmerne",
                                 url: SitePath.membership(.members(first.organisationSlug)).href)
                        }
                    }
                }
            }
            if !model.waiting.isEmpty {
                Tag("h3", text: "Venter på svar")
                List {
                    for request in model.waiting { ListItem { Text("\(request.organisation): \(request.role.label)") } }
                }
            }
            Tag("h2", text: "Det kan du")
            List {
                if account.role.includes(.editor) { ListItem { Link("Redaktion: materialer og temaer", url: SitePath.editorHome.href) } }
                ListItem { Link("Mine arbejdsark: værktøjer, I udfylder sammen", url: SitePath.tool(.worksheets).href) }
                ListItem { Link("Mine data", url: SitePath.myData.href) }
                ListItem { Link("Skift adgangskode (via et link på mail)", url: SitePath.forgotPassword.href) }
            }
            Tag("form", [("class", "inline-form"), ("method", "post"), ("action", SitePath.logout.href)]) {
                CSRFField(token: model.csrfToken)
                Tag("button", [("type", "submit"), ("class", "button")], text: "Log ud")
            }
        }
    }
}

/// The routes of a person's own pages.
enum AccountPages {
    static func register(on app: Application) {
        app.get(SitePath.account(.signUp).pattern, use: SignUpPages.show)
        app.post(SitePath.account(.signUp).pattern, use: SignUpPages.submit)
        app.get(SitePath.account(.verifyEmail).pattern, use: SignUpPages.verify)
        // Anyone logged in (deny by default: every route here needs a login).
        let members = app.grouped(RequireRole(role: .member))
        members.get(SitePath.account(.mySpace).pattern, use: MySpace.show)
        members.post(SitePath.account(.resendVerification).pattern, use: SignUpPages.resend)
        members.get(SitePath.myData.pattern, use: PersonalData.show)
        members.get(SitePath.myDataDownload.pattern, use: PersonalData.download)
        MembershipPages.register(on: app)
    }
}
