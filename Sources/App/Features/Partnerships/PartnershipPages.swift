import Fluent
import Foundation
import SamspilCore
import Vapor

/// The pages of a partnership: "Mine partnerskaber", the partnership itself (parties, life cycle, agreement,
/// activities, evaluations, comments), its agreement form and print, its activities with a month calendar, and
/// invitations for new parties. Every change goes through `PartnershipSaving`.
enum PartnershipPages {
    static func register(on app: Application) {
        let slug = SitePath.slugPlaceholder
        let members = app.grouped(RequireRole(role: .member))
        members.get(SitePath.partnership(.mine).pattern, use: mine)
        PartnershipCreation.register(on: members)
        members.get(SitePath.partnership(.invitation).pattern, use: showInvitation)
        members.post(SitePath.partnership(.invitation).pattern, use: acceptInvitation)
        PartnershipCalendar.register(on: app, members: members)
        CoordinatorList.register(on: members)
        CasePages.register(on: app, members: members)
        PartnershipFormAdmin.register(on: app)
        DocumentPages.register(on: members, app: app)
        NotificationPages.register(on: members)
        members.get(SitePath.partnership(.show(slug)).pattern, use: show)
        members.get(SitePath.partnership(.edit(slug)).pattern, use: edit)
        members.post(SitePath.partnership(.edit(slug)).pattern, use: update)
        members.post(SitePath.partnership(.transition(slug)).pattern, use: transition)
        members.post(SitePath.partnership(.parties(slug)).pattern, use: parties)
        members.get(SitePath.partnership(.agreement(slug)).pattern, use: agreement)
        members.post(SitePath.partnership(.agreement(slug)).pattern, use: saveAgreement)
        members.get(SitePath.partnership(.agreementPrint(slug)).pattern, use: printAgreement)
        members.post(SitePath.partnership(.accept(slug)).pattern, use: accept)
        members.get(SitePath.partnership(.activities(slug)).pattern, use: activities)
        members.post(SitePath.partnership(.activities(slug)).pattern, use: createActivity)
        members.get(SitePath.partnership(.activity(slug, ":activity")).pattern, use: activity)
        members.post(SitePath.partnership(.activity(slug, ":activity")).pattern, use: saveActivity)
        members.post(SitePath.partnership(.comment(slug)).pattern, use: comment)
        members.get(SitePath.partnership(.evaluation(slug, ":occasion")).pattern, use: evaluation)
        members.post(SitePath.partnership(.evaluation(slug, ":occasion")).pattern, use: evaluate)
    }

    /// What a redirect back to the partnership's page tells.
    enum Notice: String, CaseIterable {
        case created = "oprettet", updated = "gemt", stepped = "forloeb", partyAdded = "part", invited = "inviteret", agreementSaved = "aftale",
             accepted = "accepteret", agreed = "aftalt", activitySaved = "aktivitet", commented = "kommentar", evaluated = "evalueret",
             joined = "deltager", renewed = "fornyet", caseProposed = "eksempel-foreslaaet", caseConsented = "eksempel-samtykke",
             casePublished = "eksempel-offentligt", caseWithdrawn = "eksempel-tilbagetrukket", documentAdded = "dokument",
             documentRemoved = "dokument-fjernet"

        var text: String {
            switch self {
            case .created: "Partnerskabet er oprettet. Invitér de andre parter, og skriv aftalen sammen."
            case .updated: "Oplysningerne er gemt."
            case .stepped: "Partnerskabets tilstand er ændret."
            case .partyAdded: "Parten er tilføjet. Dens kontaktpersoner har fået besked."
            case .invited: "Invitationen er sendt."
            case .agreementSaved: "Aftalen er gemt som en ny version. Hver part skal acceptere den."
            case .accepted: "Aftalen er accepteret for din part. Den er aftalt, når alle parter har accepteret."
            case .agreed: "Aftalen er accepteret af alle parter."
            case .activitySaved: "Aktiviteten er gemt."
            case .commented: "Kommentaren er sendt til parternes kontaktpersoner."
            case .evaluated: "Jeres svar er gemt."
            case .joined: "Din organisation er nu part i partnerskabet."
            case .renewed: "Partnerskabet er fornyet: dette er den nye periode, i dialog, med den seneste aftale som første version."
            case .caseProposed: "Forslaget er sendt til parterne. Eksemplet bliver offentligt, når alle parter har givet samtykke."
            case .caseConsented: "Samtykket er givet. Eksemplet bliver offentligt, når alle parter har givet deres."
            case .casePublished: "Alle parter har givet samtykke: partnerskabet vises nu som offentligt eksempel."
            case .caseWithdrawn: "Samtykket er trukket tilbage, og eksemplet er ikke længere offentligt."
            case .documentAdded: "Dokumentet er delt med partnerskabets parter."
            case .documentRemoved: "Dokumentet er fjernet."
            }
        }
    }

    struct Context {
        var session: SessionQueries.Current
        var actor: Actor
        var stored: StoredPartnership
        var now: Date
        var publicURL: String
    }

    /// The logged-in person and the partnership of the path, which they must be allowed to see (404 otherwise).
    static func context(_ req: Request) async throws -> Context {
        let session = try req.requireSession()
        // A form without its token is refused before anything is looked up (403, not 404, for any address).
        if req.method == .POST { try CSRF.verify(req, sent: try? req.content.get(String.self, at: CSRF.field)) }
        let actor = try await MembershipQueries.actor(for: session.account, on: req.db)
        let stored = try await PartnershipSaving.visible(slug: req.parameters.get(SitePath.slug) ?? "", actor: actor, on: req.db)
        return Context(session: session, actor: actor, stored: stored, now: req.application.samspil.clock(), publicURL: req.site.publicURL)
    }

    /// The posted form with its CSRF field checked.
    static func posted<T: Content>(_ req: Request, as type: T.Type, empty: T, csrf: KeyPath<T, String?>) throws -> T {
        let form = req.postedForm(or: empty)
        try CSRF.verify(req, sent: form[keyPath: csrf])
        return form
    }

    static func fields(_ req: Request) throws -> [String: String] { try CSRF.verifiedFields(req) }

    static func back(_ req: Request, _ slug: String, _ notice: Notice) -> Response {
        req.redirect(to: SitePath.partnership(.show(slug)).href(notice: notice), redirectType: .normal)
    }

    // MARK: lists

    static func mine(_ req: Request) async throws -> Response {
        let session = try req.requireSession()
        let actor = try await MembershipQueries.actor(for: session.account, on: req.db)
        let memberships = try await MembershipQueries.forUser(session.account.id, on: req.db)
        let municipalities = memberships.filter { $0.kind == .municipality && $0.role == .coordinator }.map { (name: $0.organisationName, slug: $0.organisationSlug) }
        let model = MinePartnershipsView.Model(
            partnerships: try await PartnershipQueries.forOrganisations(memberships.map(\.organisationID), on: req.db),
            forms: Dictionary(uniqueKeysWithValues: try await PartnershipQueries.forms(on: req.db).map { ($0.slug, $0.name) }),
            mayStart: memberships.contains { Permissions.mayStartPartnership(actor, for: $0.organisationID) },
            municipalities: municipalities)
        return PageLayout.privateResponse(MinePartnershipsView.render(model, site: req.site))
    }

    // MARK: the partnership

    static func show(_ req: Request) async throws -> Response {
        let context = try await context(req)
        let model = try await pageModel(context, notice: req.query[String.self, at: "besked"].flatMap(Notice.init(rawValue:)), on: req.db)
        return PageLayout.privateResponse(PartnershipView.render(model, site: req.site))
    }

    static func pageModel(_ context: Context, notice: Notice?, on db: any Database) async throws -> PartnershipView.Model {
        let stored = context.stored
        let actor = context.actor
        let current = try await PartnershipQueries.version(stored.id, number: stored.agreementVersion, on: db)
        let forms = try await PartnershipQueries.forms(on: db)
        return PartnershipView.Model(
            stored: stored, formName: forms.first { $0.slug == stored.partnership.form }?.name ?? stored.partnership.form,
            labels: try await PartnershipView.Labels.load(on: db),
            events: try await PartnershipQueries.events(stored.id, on: db),
            agreement: current, acceptances: try await PartnershipQueries.acceptances(stored.id, on: db),
            activities: try await PartnershipQueries.activities(of: stored, on: db),
            comments: try await PartnershipQueries.comments(stored.id, on: db),
            documents: try await PartnershipQueries.documents(stored.id, on: db),
            worksheets: try await WorksheetQueries.summaries("w.partnership_id = \(bind: stored.id)", on: db),
            evaluations: try await PartnershipQueries.evaluations(stored.id, on: db),
            transitions: PartnershipRules.available(actor, from: stored.state, on: stored.resource),
            mayPropose: Permissions.allows(actor, .transition, on: stored.resource) && PartnershipRules.caseRefusal(state: stored.state) == nil,
            mayWork: Permissions.allows(actor, .work, on: stored.resource) && !stored.state.isClosed,
            decidesFor: stored.parties.filter { Permissions.allows(actor, .decideForParty, on: stored.resource, party: $0.organisationID) }.map(\.organisationID),
            evaluatesFor: stored.parties.filter { Permissions.allows(actor, .evaluateForParty, on: stored.resource, party: $0.organisationID) }.map(\.organisationID),
            csrf: context.session.csrfToken, notice: notice)
    }

    static func transition(_ req: Request) async throws -> Response {
        let context = try await context(req)
        let form = try fields(req)
        guard let transition = form["step"].flatMap(PartnershipTransition.init(rawValue:)) else {
            throw SamspilError.invalid([FieldProblem(field: "step", message: "Vælg, hvad der skal ske med partnerskabet.")])
        }
        let result = try await PartnershipSaving.transition(slug: context.stored.slug, transition, comment: form["comment"] ?? "",
                                                            by: context.session.account, now: context.now, publicURL: context.publicURL, on: req.db)
        return back(req, result.slug, transition == .renew ? .renewed : .stepped)
    }

    // MARK: details

    static func edit(_ req: Request) async throws -> Response {
        let context = try await context(req)
        try PartnershipSaving.require(context.actor, .work, on: context.stored)
        let model = try await DetailsForm.model(context.stored.partnership, req: req, csrf: context.session.csrfToken, errors: [],
                                                action: SitePath.partnership(.edit(context.stored.slug)).href, revision: context.stored.revision)
        return PageLayout.privateResponse(DetailsView.render(model, title: "Ret \(context.stored.partnership.title)", partnership: context.stored, site: req.site))
    }

    static func update(_ req: Request) async throws -> Response {
        let context = try await context(req)
        let form = try posted(req, as: DetailsForm.self, empty: DetailsForm(), csrf: \._csrf)
        let (partnership, problems) = form.partnership()
        do {
            guard problems.isEmpty else { throw SamspilError.unprocessable(problems) }
            _ = try await PartnershipSaving.update(slug: context.stored.slug, to: partnership, expectedRevision: form.revision,
                                                   by: context.session.account, now: context.now, on: req.db)
        } catch SamspilError.unprocessable(let found), SamspilError.invalid(let found) {
            let model = try await DetailsForm.model(partnership, req: req, csrf: context.session.csrfToken, errors: problems.isEmpty ? found : problems,
                                                    action: SitePath.partnership(.edit(context.stored.slug)).href, revision: form.revision ?? context.stored.revision)
            return PageLayout.privateResponse(DetailsView.render(model, title: "Ret \(context.stored.partnership.title)", partnership: context.stored, site: req.site),
                                              status: .unprocessableEntity)
        } catch SamspilError.stale {
            var model = try await DetailsForm.model(partnership, req: req, csrf: context.session.csrfToken, errors: [],
                                                    action: SitePath.partnership(.edit(context.stored.slug)).href, revision: context.stored.revision)
            model.conflict = "En anden har gemt ændringer, siden du åbnede formularen. Din tekst står herunder og er ikke gemt: tjek partnerskabets side, og gem igen, hvis din version skal gælde."
            return PageLayout.privateResponse(DetailsView.render(model, title: "Ret \(context.stored.partnership.title)", partnership: context.stored, site: req.site), status: .conflict)
        }
        return back(req, context.stored.slug, .updated)
    }

    // MARK: parties

    static func parties(_ req: Request) async throws -> Response {
        let context = try await context(req)
        let form = try fields(req)
        let slug = context.stored.slug
        do {
            if form["what"] == "inviter" {
                try await PartnershipSaving.inviteParty(slug: slug, email: form["inviteEmail"] ?? "", organisationName: form["inviteName"] ?? "",
                                                        role: form["inviteRole"] ?? "", by: context.session.account, now: context.now,
                                                        publicURL: context.publicURL, on: req.db)
                return back(req, slug, .invited)
            }
            let organisation = try await OrganisationLookup.slug(for: form["organisation"] ?? "", on: req.db)
            try await PartnershipSaving.addParty(slug: slug, organisation: organisation, role: form["partyRole"] ?? "", by: context.session.account,
                                                 now: context.now, publicURL: context.publicURL, on: req.db)
            return back(req, slug, .partyAdded)
        } catch SamspilError.invalid(let problems) {
            var model = try await pageModel(context, notice: nil, on: req.db)
            model.partyForm = (form, problems)
            return PageLayout.privateResponse(PartnershipView.render(model, site: req.site), status: .unprocessableEntity)
        }
    }

    static func showInvitation(_ req: Request) async throws -> Response {
        let session = try req.requireSession()
        let token = req.query[String.self, at: "token"] ?? ""
        guard let invitation = try await PartnershipSaving.invitation(token: token, now: req.application.samspil.clock(), on: req.db) else {
            throw PartnershipSaving.expiredInvitation
        }
        let actor = try await MembershipQueries.actor(for: session.account, on: req.db)
        let memberships = try await MembershipQueries.forUser(session.account.id, on: req.db)
        let model = PartnershipInvitationView.Model(
            token: token, invitation: invitation,
            organisations: memberships.filter { Permissions.partyDeciders.contains($0.role) && actor.verified }
                .reduce(into: [(UUID, String)]()) { list, entry in
                    if !list.contains(where: { $0.0 == entry.organisationID }) { list.append((entry.organisationID, entry.organisationName)) }
                },
            csrf: session.csrfToken)
        return PageLayout.privateResponse(PartnershipInvitationView.render(model, site: req.site))
    }

    static func acceptInvitation(_ req: Request) async throws -> Response {
        let session = try req.requireSession()
        let form = try fields(req)
        let stored = try await PartnershipSaving.acceptInvitation(
            token: form["token"] ?? "", organisation: form["organisation"].flatMap(UUID.init(uuidString:)), by: session.account,
            now: req.application.samspil.clock(), publicURL: req.site.publicURL, on: req.db)
        return back(req, stored.slug, .joined)
    }

    // MARK: the agreement

    static func agreement(_ req: Request) async throws -> Response {
        let context = try await context(req)
        try PartnershipSaving.require(context.actor, .work, on: context.stored)
        let current = try await PartnershipQueries.version(context.stored.id, number: context.stored.agreementVersion, on: req.db)
        let model = AgreementFormView.Model(stored: context.stored, form: AgreementForm(current?.agreement ?? Agreement(), parties: context.stored.parties),
                                            basedOn: context.stored.agreementVersion, errors: [], newer: nil, csrf: context.session.csrfToken)
        return PageLayout.privateResponse(AgreementFormView.render(model, site: req.site))
    }

    static func saveAgreement(_ req: Request) async throws -> Response {
        let context = try await context(req)
        let fields = try fields(req)
        let form = AgreementForm(fields: fields, parties: context.stored.parties)
        let basedOn = Int(fields["basedOn"] ?? "") ?? 0
        var model = AgreementFormView.Model(stored: context.stored, form: form, basedOn: basedOn, errors: form.problems, newer: nil, csrf: context.session.csrfToken)
        do {
            guard form.problems.isEmpty else { throw SamspilError.unprocessable(form.problems) }
            try await PartnershipSaving.saveAgreement(slug: context.stored.slug, form.agreement, basedOn: basedOn, by: context.session.account,
                                                      now: context.now, publicURL: context.publicURL, on: req.db)
        } catch SamspilError.unprocessable(let problems) {
            model.errors = problems
            return PageLayout.privateResponse(AgreementFormView.render(model, site: req.site), status: .unprocessableEntity)
        } catch SamspilError.stale {
            // Someone saved a version in between: show theirs beside this person's text, which is kept in the form;
            // saving again (now based on the newest) makes it the next version.
            let fresh = try await PartnershipQueries.find(id: context.stored.id, on: req.db) ?? context.stored
            model.newer = try await PartnershipQueries.version(fresh.id, number: fresh.agreementVersion, on: req.db)
            model.basedOn = fresh.agreementVersion
            return PageLayout.privateResponse(AgreementFormView.render(model, site: req.site), status: .conflict)
        }
        return back(req, context.stored.slug, .agreementSaved)
    }

    static func printAgreement(_ req: Request) async throws -> Response {
        let context = try await context(req)
        let number = req.query[Int.self, at: "version"] ?? context.stored.agreementVersion
        guard let version = try await PartnershipQueries.version(context.stored.id, number: number, on: req.db) else {
            throw SamspilError.notFound("Partnerskabet har ingen aftale i version \(number) endnu.")
        }
        let forms = try await PartnershipQueries.forms(on: req.db)
        let model = AgreementPrintView.Model(stored: context.stored, formName: forms.first { $0.slug == context.stored.partnership.form }?.name ?? "",
                                             version: version, acceptances: try await PartnershipQueries.acceptances(context.stored.id, on: req.db)
                                                .filter { $0.version == number },
                                             address: req.site.absolute(SitePath.partnership(.show(context.stored.slug)).href), printedAt: context.now)
        return PageLayout.privateResponse(AgreementPrintView.render(model, site: req.site))
    }

    static func accept(_ req: Request) async throws -> Response {
        let context = try await context(req)
        let form = try fields(req)
        guard let party = form["party"].flatMap(UUID.init(uuidString:)), let version = form["version"].flatMap({ Int($0) }) else {
            throw SamspilError.invalid([FieldProblem(field: "party", message: "Vælg den part, du accepterer aftalen for.")])
        }
        let everyone = try await PartnershipSaving.accept(slug: context.stored.slug, version: version, party: party, by: context.session.account,
                                                          now: context.now, publicURL: context.publicURL, on: req.db)
        return back(req, context.stored.slug, everyone ? .agreed : .accepted)
    }

    // MARK: activities

    static func activities(_ req: Request) async throws -> Response {
        let context = try await context(req)
        let month = req.query[String.self, at: "maaned"].flatMap(MonthCalendar.Month.init(text:))
        let activities = try await PartnershipQueries.activities(of: context.stored, on: req.db)
        let model = ActivitiesView.Model(
            stored: context.stored, activities: activities,
            month: month ?? MonthCalendar.Month(containing: activities.first { $0.activity.startsAt >= context.now }?.activity.startsAt ?? context.now),
            form: ActivityForm(), errors: [], mayWork: Permissions.allows(context.actor, .work, on: context.stored.resource) && !context.stored.state.isClosed,
            labels: try await PartnershipView.Labels.load(on: req.db), csrf: context.session.csrfToken)
        return PageLayout.privateResponse(ActivitiesView.render(model, site: req.site))
    }

    static func createActivity(_ req: Request) async throws -> Response {
        let context = try await context(req)
        let form = try posted(req, as: ActivityForm.self, empty: ActivityForm(), csrf: \._csrf)
        do {
            let activity = try form.activity()
            try await PartnershipSaving.saveActivity(slug: context.stored.slug, id: nil, activity, expectedRevision: nil, by: context.session.account,
                                                     now: context.now, on: req.db)
        } catch SamspilError.unprocessable(let problems), SamspilError.invalid(let problems) {
            let activities = try await PartnershipQueries.activities(of: context.stored, on: req.db)
            let model = ActivitiesView.Model(stored: context.stored, activities: activities, month: MonthCalendar.Month(containing: context.now),
                                             form: form, errors: problems, mayWork: true, labels: try await PartnershipView.Labels.load(on: req.db),
                                             csrf: context.session.csrfToken)
            return PageLayout.privateResponse(ActivitiesView.render(model, site: req.site), status: .unprocessableEntity)
        }
        return req.redirect(to: SitePath.partnership(.activities(context.stored.slug)).href, redirectType: .normal)
    }

    static func storedActivity(_ req: Request, _ context: Context) async throws -> PartnershipQueries.StoredActivity {
        let id = req.parameters.get("activity").flatMap(UUID.init(uuidString:))
        guard let found = try await PartnershipQueries.activities(of: context.stored, on: req.db).first(where: { $0.id == id }) else {
            throw SamspilError.notFound("Aktiviteten findes ikke i partnerskabet.")
        }
        return found
    }

    static func activity(_ req: Request) async throws -> Response {
        let context = try await context(req)
        try PartnershipSaving.require(context.actor, .work, on: context.stored)
        let stored = try await storedActivity(req, context)
        let model = ActivityEditView.Model(stored: context.stored, activity: stored, form: ActivityForm(stored.activity, revision: stored.revision),
                                           errors: [], newer: nil, labels: try await PartnershipView.Labels.load(on: req.db), csrf: context.session.csrfToken)
        return PageLayout.privateResponse(ActivityEditView.render(model, site: req.site))
    }

    static func saveActivity(_ req: Request) async throws -> Response {
        let context = try await context(req)
        let stored = try await storedActivity(req, context)
        let form = try posted(req, as: ActivityForm.self, empty: ActivityForm(), csrf: \._csrf)
        var model = ActivityEditView.Model(stored: context.stored, activity: stored, form: form, errors: [], newer: nil,
                                           labels: try await PartnershipView.Labels.load(on: req.db), csrf: context.session.csrfToken)
        do {
            try await PartnershipSaving.saveActivity(slug: context.stored.slug, id: stored.id, try form.activity(), expectedRevision: form.revision,
                                                     by: context.session.account, now: context.now, on: req.db)
        } catch SamspilError.unprocessable(let problems), SamspilError.invalid(let problems) {
            model.errors = problems
            return PageLayout.privateResponse(ActivityEditView.render(model, site: req.site), status: .unprocessableEntity)
        } catch SamspilError.stale {
            // The activity as the other person saved it, beside this person's input; saving again overwrites it.
            model.newer = stored
            model.form.revision = stored.revision
            return PageLayout.privateResponse(ActivityEditView.render(model, site: req.site), status: .conflict)
        }
        return back(req, context.stored.slug, .activitySaved)
    }

    // MARK: comments and evaluation

    static func comment(_ req: Request) async throws -> Response {
        let context = try await context(req)
        let form = try fields(req)
        do {
            try await PartnershipSaving.comment(slug: context.stored.slug, body: form["body"] ?? "", by: context.session.account, now: context.now,
                                                publicURL: context.publicURL, on: req.db)
        } catch SamspilError.invalid(let problems) {
            var model = try await pageModel(context, notice: nil, on: req.db)
            model.commentForm = (form["body"] ?? "", problems)
            return PageLayout.privateResponse(PartnershipView.render(model, site: req.site), status: .unprocessableEntity)
        }
        return req.redirect(to: SitePath.partnership(.show(context.stored.slug)).href(notice: Notice.commented) + "#kommentarer", redirectType: .normal)
    }

    static func evaluationModel(_ req: Request, _ context: Context, answers: [String: String], party: UUID?, errors: [FieldProblem]) async throws -> EvaluationView.Model {
        let occasion = req.parameters.get("occasion") ?? ""
        var title = "Evaluering af perioden"
        var questionnaire = Questionnaire.period
        if occasion != "periode" {
            let id = UUID(uuidString: occasion)
            guard let activity = try await PartnershipQueries.activities(of: context.stored, on: req.db).first(where: { $0.id == id }) else {
                throw SamspilError.notFound("Aktiviteten findes ikke i partnerskabet.")
            }
            title = "Evaluering af \(activity.activity.title) (\(DanishDate.dateTime(activity.activity.startsAt)))"
            questionnaire = .activity
        }
        let parties = context.stored.parties.filter { Permissions.allows(context.actor, .evaluateForParty, on: context.stored.resource, party: $0.organisationID) }
        guard !parties.isEmpty else { try PartnershipSaving.require(context.actor, .evaluateForParty, on: context.stored, party: nil); throw Abort(.forbidden) }
        let chosen = party ?? parties[0].organisationID
        var answers = answers
        if answers.isEmpty, let existing = try await PartnershipQueries.evaluations(context.stored.id, on: req.db)
            .first(where: { $0.occasion == occasion && $0.organisationID == chosen }) {
            answers = existing.answers
        }
        return EvaluationView.Model(stored: context.stored, occasion: occasion, title: title, questionnaire: questionnaire,
                                    parties: parties.map { ($0.organisationID, $0.name) }, party: chosen, answers: answers, errors: errors,
                                    csrf: context.session.csrfToken)
    }

    static func evaluation(_ req: Request) async throws -> Response {
        let context = try await context(req)
        let model = try await evaluationModel(req, context, answers: [:], party: req.query[UUID.self, at: "part"], errors: [])
        return PageLayout.privateResponse(EvaluationView.render(model, site: req.site))
    }

    static func evaluate(_ req: Request) async throws -> Response {
        let context = try await context(req)
        var form = try fields(req)
        let party = form.removeValue(forKey: "party").flatMap(UUID.init(uuidString:))
        form.removeValue(forKey: CSRF.field)
        let answers = form.filter { $0.key.hasPrefix("q-") }.reduce(into: [String: String]()) { $0[String($1.key.dropFirst(2))] = $1.value }
        do {
            guard let party else { throw SamspilError.invalid([FieldProblem(field: "party", message: "Vælg den part, du svarer for.")]) }
            try await PartnershipSaving.evaluate(slug: context.stored.slug, occasion: req.parameters.get("occasion") ?? "", party: party, answers: answers,
                                                 by: context.session.account, now: context.now, on: req.db)
        } catch SamspilError.invalid(let problems) {
            let model = try await evaluationModel(req, context, answers: answers, party: party, errors: problems)
            return PageLayout.privateResponse(EvaluationView.render(model, site: req.site), status: .unprocessableEntity)
        }
        return req.redirect(to: SitePath.partnership(.show(context.stored.slug)).href(notice: Notice.evaluated) + "#evaluering", redirectType: .normal)
    }
}

/// Finding an organisation from what a person typed: its slug, or its exact name.
enum OrganisationLookup {
    static func slug(for text: String, on db: any Database) async throws -> String {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return "" }
        if try await OrganisationStore.find(slug: text, on: db) != nil { return text }
        let byName = try await OrganisationModel.query(on: db).filter(\.$name == text).filter(\.$status == OrganisationStatus.approved.rawValue).all()
        return byName.count == 1 ? byName[0].slug : text
    }
}
