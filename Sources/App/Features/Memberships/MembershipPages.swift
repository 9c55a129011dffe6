import Foundation
import SamspilCore
import Vapor

/// The pages of membership: an organisation's members (and, for those who manage them, invitations, requests
/// and roles), asking to join, and taking an invitation.
enum MembershipPages {
    static func register(on app: Application) {
        let slug = SitePath.slugPlaceholder
        // An invitation can be read before logging in (it says who invites to what); taking it needs a login.
        app.get(SitePath.membership(.invitation).pattern, use: showInvitation)
        let members = app.grouped(RequireRole(role: .member))
        members.post(SitePath.membership(.invitation).pattern, use: acceptInvitation)
        members.get(SitePath.membership(.members(slug)).pattern, use: showMembers)
        members.get(SitePath.membership(.join(slug)).pattern, use: showJoin)
        members.post(SitePath.membership(.join(slug)).pattern, use: join)
        members.post(SitePath.membership(.invite(slug)).pattern, use: invite)
        members.post(SitePath.membership(.decide(slug)).pattern, use: decide)
        members.post(SitePath.membership(.giveRole(slug)).pattern, use: giveRole)
        members.post(SitePath.membership(.removeRole(slug)).pattern, use: removeRole)
    }

    struct Form: Content {
        var role: String?
        var message: String?
        var email: String?
        var member: UUID?
        var request: UUID?
        var answer: String?
        var token: String?
        var _csrf: String?
    }

    /// What a redirect back to the members page tells.
    enum Notice: String, CaseIterable {
        case invited = "inviteret", accepted = "godkendt", declined = "afvist", roleGiven = "rolle-givet", roleRemoved = "rolle-fjernet"

        var text: String {
            switch self {
            case .invited: "Invitationen er sendt."
            case .accepted: "Anmodningen er godkendt, og personen er nu medlem."
            case .declined: "Anmodningen er afvist."
            case .roleGiven: "Rollen er givet."
            case .roleRemoved: "Rollen er fjernet."
            }
        }
    }

    static func membersHref(_ slug: String, notice: Notice? = nil) -> String {
        SitePath.membership(.members(slug)).href + (notice.map { "?besked=" + $0.rawValue } ?? "")
    }

    private static func posted(_ req: Request) throws -> (Form, Account) {
        let form = req.postedForm(or: Form())
        try CSRF.verify(req, sent: form._csrf)
        return (form, try req.requireSession().account)
    }

    // MARK: members

    static func showMembers(_ req: Request) async throws -> Response {
        let model = try await membersModel(req, notice: req.query[String.self, at: "besked"].flatMap(Notice.init(rawValue:)))
        return PageLayout.privateResponse(MembersView.render(model, site: req.site))
    }

    private static func membersModel(_ req: Request, notice: Notice?) async throws -> MembersView.Model {
        let session = try req.requireSession()
        let slug = req.parameters.get(SitePath.slug) ?? ""
        let target = try await MembershipSaving.target(slug: slug, on: req.db)
        let actor = try await MembershipQueries.actor(for: session.account, on: req.db)
        try MembershipSaving.require(actor, .viewMembers, on: target)
        let manages = Permissions.allows(actor, .manageMembers, on: target.resource)
        let decides = Permissions.allows(actor, .decideJoinRequest, on: target.resource)
        let model = MembersView.Model(
            slug: slug, name: target.name, kind: target.stored.organisation.kind,
            members: try await MembershipQueries.forOrganisation(target.stored.id, on: req.db),
            requests: decides ? try await MembershipSaving.openRequests(target.stored.id, on: req.db) : [],
            manages: manages, decides: decides, me: session.account.id, csrf: session.csrfToken, notice: notice)
        return model
    }

    static func invite(_ req: Request) async throws -> Response {
        let (form, account) = try posted(req)
        let slug = req.parameters.get(SitePath.slug) ?? ""
        let context = req.application.samspil
        do {
            try await MembershipSaving.invite(account: account, slug: slug, email: form.email ?? "", role: form.role.flatMap(OrganisationRole.init(rawValue:)),
                                              now: context.clock(), publicURL: context.settings.publicURL, on: req.db)
        } catch SamspilError.invalid(let problems) {
            // The members page again, with the problems and what was typed.
            var model = try await membersModel(req, notice: nil)
            model.invitation = (email: form.email ?? "", role: form.role ?? "", errors: problems)
            return PageLayout.privateResponse(MembersView.render(model, site: req.site), status: .unprocessableEntity)
        }
        return req.redirect(to: membersHref(slug, notice: .invited), redirectType: .normal)
    }

    static func decide(_ req: Request) async throws -> Response {
        let (form, account) = try posted(req)
        let slug = req.parameters.get(SitePath.slug) ?? ""
        guard let request = form.request, let answer = form.answer, ["ja", "nej"].contains(answer) else {
            throw SamspilError.invalid([FieldProblem(field: "answer", message: "Vælg at godkende eller afvise anmodningen.")])
        }
        try await MembershipSaving.decide(account: account, slug: slug, requestID: request, accept: answer == "ja",
                                          now: req.application.samspil.clock(), on: req.db)
        return req.redirect(to: membersHref(slug, notice: answer == "ja" ? .accepted : .declined), redirectType: .normal)
    }

    static func giveRole(_ req: Request) async throws -> Response {
        let (form, account) = try posted(req)
        let slug = req.parameters.get(SitePath.slug) ?? ""
        guard let member = form.member else { throw SamspilError.notFound("Vælg et medlem.") }
        try await MembershipSaving.giveRole(account: account, slug: slug, member: member, role: form.role.flatMap(OrganisationRole.init(rawValue:)),
                                            now: req.application.samspil.clock(), on: req.db)
        return req.redirect(to: membersHref(slug, notice: .roleGiven), redirectType: .normal)
    }

    static func removeRole(_ req: Request) async throws -> Response {
        let (form, account) = try posted(req)
        let slug = req.parameters.get(SitePath.slug) ?? ""
        guard let member = form.member, let role = form.role.flatMap(OrganisationRole.init(rawValue:)) else {
            throw SamspilError.notFound("Vælg et medlem og en rolle.")
        }
        try await MembershipSaving.removeRole(account: account, slug: slug, member: member, role: role, now: req.application.samspil.clock(), on: req.db)
        return req.redirect(to: membersHref(slug, notice: .roleRemoved), redirectType: .normal)
    }

    // MARK: joining

    static func showJoin(_ req: Request) async throws -> Response {
        let session = try req.requireSession()
        let slug = req.parameters.get(SitePath.slug) ?? ""
        let target = try await MembershipSaving.target(slug: slug, on: req.db)
        try MembershipSaving.require(try await MembershipQueries.actor(for: session.account, on: req.db), .requestToJoin, on: target)
        return PageLayout.privateResponse(JoinView.render(JoinView.Model(slug: slug, name: target.name, kind: target.stored.organisation.kind,
                                                                         form: Form(), errors: [], sent: false, csrf: session.csrfToken), site: req.site))
    }

    static func join(_ req: Request) async throws -> Response {
        let (form, account) = try posted(req)
        let slug = req.parameters.get(SitePath.slug) ?? ""
        let target = try await MembershipSaving.target(slug: slug, on: req.db)
        var model = JoinView.Model(slug: slug, name: target.name, kind: target.stored.organisation.kind, form: form, errors: [], sent: false,
                                   csrf: try req.requireSession().csrfToken)
        let context = req.application.samspil
        do {
            try await MembershipSaving.requestToJoin(account: account, slug: slug, role: form.role.flatMap(OrganisationRole.init(rawValue:)),
                                                     message: form.message ?? "", now: context.clock(), publicURL: context.settings.publicURL, on: req.db)
            model.sent = true
            return PageLayout.privateResponse(JoinView.render(model, site: req.site))
        } catch SamspilError.invalid(let problems) {
            model.errors = problems
            return PageLayout.privateResponse(JoinView.render(model, site: req.site), status: .unprocessableEntity)
        }
    }

    // MARK: invitations

    static func showInvitation(_ req: Request) async throws -> Response {
        let token = req.query[String.self, at: "token"] ?? ""
        guard let invitation = try await MembershipSaving.invitation(token: token, now: req.application.samspil.clock(), on: req.db) else {
            throw MembershipSaving.expiredInvitation
        }
        let session = req.currentSession
        let here = SitePath.membership(.invitation).href + "?token=" + PercentEncoding.queryValue(token)
        return PageLayout.privateResponse(InvitationView.render(InvitationView.Model(
            token: token, organisation: invitation.target.name, role: invitation.role, email: invitation.email,
            loggedInAs: session?.account.email, csrf: session?.csrfToken, loginHref: SitePath.login(returningTo: here)),
            site: req.site))
    }

    static func acceptInvitation(_ req: Request) async throws -> Response {
        let (form, account) = try posted(req)
        _ = try await MembershipSaving.acceptInvitation(account: account, token: form.token ?? "", now: req.application.samspil.clock(), on: req.db)
        // The invitation confirmed the address, which the session holds: read it again.
        req.application.samspil.sessionCache.forgetAll()
        return req.redirect(to: MySpace.href(notice: .joined), redirectType: .normal)
    }
}

enum MembersView {
    struct Model {
        var slug: String
        var name: String
        var kind: OrganisationKind
        var members: [MembershipQueries.Member]
        var requests: [MembershipSaving.OpenRequest]
        var manages: Bool
        var decides: Bool
        var me: UUID
        var csrf: String
        var notice: MembershipPages.Notice?
        /// The invitation form as sent, when it was refused.
        var invitation: (email: String, role: String, errors: [FieldProblem]) = ("", "", [])
    }

    static func render(_ model: Model, site: SiteInfo) -> String {
        var meta = PageMeta(title: "Medlemmer af \(model.name)", canonical: nil,
                            breadcrumbs: [.init(label: "Forside", href: SitePath.home.href), .init(label: "Min side", href: SitePath.account(.mySpace).href)],
                            currentCrumb: "Medlemmer")
        meta.hasErrors = !model.invitation.errors.isEmpty
        let roleOptions = model.kind.roles.map { (value: $0.rawValue, label: $0.label) }
        // One row per person, their roles together.
        var people: [(id: UUID, name: String, email: String, roles: [OrganisationRole])] = []
        for member in model.members {
            if let index = people.firstIndex(where: { $0.id == member.userID }) { people[index].roles.append(member.role) }
            else { people.append((member.userID, member.name, member.email, [member.role])) }
        }
        return PageLayout.render(meta, site: site) {
            H1("Medlemmer af \(model.name)")
            if !model.invitation.errors.isEmpty { ErrorSummary(model.invitation.errors, fieldOrder: ["email", "role"]) }
            if let notice = model.notice { Tag("div", [("class", "alert"), ("role", "status")]) { Paragraph(notice.text) } }
            if model.decides {
                Tag("h2", text: "Anmodninger om medlemskab")
                if model.requests.isEmpty { Paragraph("Ingen venter på svar.") }
                for request in model.requests {
                    Tag("div", [("class", "request")]) {
                        Paragraph("\(request.name) (\(request.email)) vil gerne være \(DanishText.midSentence(request.role.label)).")
                        if !request.message.isEmpty { Tag("blockquote", text: request.message) }
                        for (answer, label, style) in [("ja", "Godkend", "button button-primary button-small"), ("nej", "Afvis", "button button-warning button-small")] {
                            Tag("form", [("class", "inline-form"), ("method", "post"), ("action", SitePath.membership(.decide(model.slug)).href)]) {
                                CSRFField(token: model.csrf)
                                VoidTag("input", [("type", "hidden"), ("name", "request"), ("value", request.id.uuidString)])
                                VoidTag("input", [("type", "hidden"), ("name", "answer"), ("value", answer)])
                                Tag("button", [("type", "submit"), ("class", style)], text: "\(label) \(request.name)")
                            }
                        }
                    }
                }
            }
            DataTable(caption: "Medlemmer", headings: model.manages ? ["Navn", "E-mailadresse", "Roller", "Giv rolle"] : ["Navn", "E-mailadresse", "Roller"],
                      rows: people.map { person in
                let roles: [Component] = person.roles.map { role in
                    model.manages
                        ? Tag("form", [("class", "inline-form"), ("method", "post"), ("action", SitePath.membership(.removeRole(model.slug)).href)]) {
                            CSRFField(token: model.csrf)
                            VoidTag("input", [("type", "hidden"), ("name", "member"), ("value", person.id.uuidString)])
                            VoidTag("input", [("type", "hidden"), ("name", "role"), ("value", role.rawValue)])
                            Text(role.label + " ")
                            Tag("button", [("type", "submit"), ("class", "link-button"), ("aria-label", "Fjern rollen \(role.label) fra \(person.name)")], text: "Fjern")
                        }
                        : Tag("span", text: role.label)
                }
                var row: [Component] = [Text(person.name), Text(person.email), ComponentGroup(members: roles)]
                if model.manages {
                    let id = "rolle-" + person.id.uuidString.prefix(8).lowercased()
                    row.append(Tag("form", [("class", "inline-form"), ("method", "post"), ("action", SitePath.membership(.giveRole(model.slug)).href)]) {
                        CSRFField(token: model.csrf)
                        VoidTag("input", [("type", "hidden"), ("name", "member"), ("value", person.id.uuidString)])
                        Tag("label", [("for", id), ("class", "sr-only")], text: "Rolle til \(person.name)")
                        Tag("select", [("id", id), ("name", "role")]) {
                            for option in roleOptions { Tag("option", [("value", option.value)], text: option.label) }
                        }
                        Tag("button", [("type", "submit"), ("class", "button button-small")], text: "Giv rolle")
                    })
                }
                return row
            })
            if model.manages {
                Tag("h2", text: "Invitér en person")
                Paragraph("Personen får en mail med et link, der virker i syv dage og kun én gang.")
                Tag("form", [("class", "form"), ("method", "post"), ("action", SitePath.membership(.invite(model.slug)).href), ("novalidate", "novalidate")]) {
                    CSRFField(token: model.csrf)
                    FormField(name: "email", label: "E-mailadresse", type: "email", value: model.invitation.email,
                              error: model.invitation.errors.first { $0.field == "email" }?.message, autocomplete: "off")
                    SelectField(name: "role", label: "Rolle", selected: model.invitation.role.isEmpty ? model.kind.roles.first?.rawValue ?? "" : model.invitation.role,
                                error: model.invitation.errors.first { $0.field == "role" }?.message, options: roleOptions)
                    Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Send invitation")
                }
            }
        }
    }
}

enum JoinView {
    struct Model {
        var slug: String
        var name: String
        var kind: OrganisationKind
        var form: MembershipPages.Form
        var errors: [FieldProblem]
        var sent: Bool
        var csrf: String
    }

    static func render(_ model: Model, site: SiteInfo) -> String {
        var meta = PageMeta(title: "Bliv medlem af \(model.name)", canonical: nil,
                            breadcrumbs: [.init(label: "Forside", href: SitePath.home.href), .init(label: "Min side", href: SitePath.account(.mySpace).href)],
                            currentCrumb: "Bliv medlem")
        meta.hasErrors = !model.errors.isEmpty
        let roles = model.kind.roles.filter { $0 != .administrator }
        return PageLayout.render(meta, site: site) {
            H1("Bliv medlem af \(model.name)")
            if model.sent {
                Tag("div", [("class", "alert"), ("role", "status")]) {
                    Paragraph("Din anmodning er sendt. Du får besked på mail, når den er besvaret.")
                }
                Paragraph { Link("Til Min side", url: SitePath.account(.mySpace).href) }
            } else {
                Paragraph("Organisationens administratorer svarer på din anmodning\(model.kind == .school ? " (for en skole også kommunens koordinatorer)" : "").")
                if !model.errors.isEmpty { ErrorSummary(model.errors, fieldOrder: ["role", "message"]) }
                Tag("form", [("class", "form"), ("method", "post"), ("action", SitePath.membership(.join(model.slug)).href), ("novalidate", "novalidate")]) {
                    CSRFField(token: model.csrf)
                    SelectField(name: "role", label: "Din rolle", selected: model.form.role ?? roles.first?.rawValue ?? "",
                                error: model.errors.first { $0.field == "role" }?.message, options: roles.map { ($0.rawValue, $0.label) })
                    TextAreaField(name: "message", label: "Besked (valgfri)", value: model.form.message ?? "",
                                  hint: "Fx hvilken afdeling eller hvilke klasser du arbejder med.", error: model.errors.first { $0.field == "message" }?.message)
                    Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Send anmodning")
                }
            }
        }
    }
}

enum InvitationView {
    struct Model {
        var token: String
        var organisation: String
        var role: OrganisationRole
        var email: String
        var loggedInAs: String?
        var csrf: String?
        var loginHref: String
    }

    static func render(_ model: Model, site: SiteInfo) -> String {
        let meta = PageMeta(title: "Invitation til \(model.organisation)", canonical: nil,
                            breadcrumbs: [.init(label: "Forside", href: SitePath.home.href)], currentCrumb: "Invitation")
        return PageLayout.render(meta, site: site) {
            H1("Invitation til \(model.organisation)")
            Paragraph("Du er inviteret til at blive medlem af \(model.organisation) som \(DanishText.midSentence(model.role.label)). Invitationen er sendt til \(model.email).")
            if let loggedInAs = model.loggedInAs, let csrf = model.csrf {
                if loggedInAs == model.email {
                    Tag("form", [("class", "inline-form"), ("method", "post"), ("action", SitePath.membership(.invitation).href)]) {
                        CSRFField(token: csrf)
                        VoidTag("input", [("type", "hidden"), ("name", "token"), ("value", model.token)])
                        Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Tag imod invitationen")
                    }
                } else {
                    ErrorAlert { Paragraph("Du er logget ind som \(loggedInAs). Log ud, og log ind med \(model.email) for at tage imod invitationen.") }
                }
            } else {
                Paragraph {
                    Link("Log ind", url: model.loginHref)
                    Text(" med \(model.email), eller ")
                    Link("opret en konto", url: SitePath.account(.signUp).href)
                    Text(" med den adresse og åbn linket i mailen igen.")
                }
            }
        }
    }
}
