import Fluent
import Foundation
import SamspilCore
import Vapor

/// Registering, editing and approving organisations in the browser. `OrganisationSaving` checks permissions
/// and rules; these handlers turn forms into organisations and refusals into the form again, with Danish
/// messages per field and the input kept.
enum OrganisationForms {
    struct Form: Content {
        var kind: String?
        var name: String?
        var institutionNumber: String?
        var schoolKind: String?
        var environmentKind: String?
        var otherKind: String?
        var municipality: String?
        var street: String?
        var postcode: String?
        var town: String?
        var website: String?
        var phone: String?
        var email: String?
        var description: String?
        var accessibility: String?
        var latitude: String?
        var longitude: String?
        var subjects: [String]?
        var gradeLevels: [String]?
        var _csrf: String?
    }

    /// The reference data the form offers as choices.
    struct Choices: Sendable {
        var municipalities: [(value: String, label: String)]
        var environmentKinds: [(value: String, label: String)]
        var subjects: [(value: String, label: String)]
        var gradeLevels: [(value: String, label: String)]

        static func load(on db: any Database) async throws -> Choices {
            Choices(
                // Each name's sort key made once, not twice per comparison.
                municipalities: try await MunicipalityModel.query(on: db).all().map { (key: DanishSortKey.make($0.name), value: $0.code, label: $0.name) }
                    .sorted { $0.key < $1.key }.map { ($0.value, $0.label) },
                environmentKinds: try await LearningEnvironmentKindModel.query(on: db).sort(\.$position).all().map { ($0.slug, $0.name) },
                subjects: try await SubjectModel.query(on: db).sort(\.$position).all().map { ($0.slug, $0.name) },
                gradeLevels: try await GradeLevelModel.query(on: db).sort(\.$position).all().map { ($0.code, $0.name) }
            )
        }
    }

    struct ViewModel {
        /// nil: a new organisation; otherwise the stored one's slug and name (which heading and crumbs keep).
        var stored: (slug: String, name: String)?
        var kind: OrganisationKind
        var form: Form
        var choices: Choices
        var errors: [FieldProblem] = []
        var notice: String?
        var csrf: String
    }

    // MARK: register

    /// The kinds a person can register (municipalities are reference data).
    static let registrableKinds: [OrganisationKind] = [.school, .learningEnvironment, .other]

    /// Step one without `kind` (choose what to register; a GET form, so no script is needed), step two with it.
    static func new(_ req: Request) async throws -> Response {
        let session = try req.requireSession()
        guard Permissions.allows(try await OrganisationPages.actor(req), .register) else {
            throw SamspilError.forbidden("Din konto kan ikke registrere organisationer endnu. Bekræft din e-mailadresse først.")
        }
        let raw = req.query[String.self, at: "kind"]
        guard let raw, let kind = OrganisationKind(rawValue: raw), registrableKinds.contains(kind) else {
            let problems = raw == nil ? [] : [FieldProblem(field: "kind", message: "Vælg, hvad du vil registrere.")]
            return PageLayout.privateResponse(OrganisationFormViews.kindChoice(errors: problems, site: req.site),
                                              status: problems.isEmpty ? .ok : .unprocessableEntity)
        }
        let model = ViewModel(kind: kind, form: Form(kind: kind.rawValue), choices: try await Choices.load(on: req.db), csrf: session.csrfToken)
        return PageLayout.privateResponse(OrganisationFormViews.form(model, site: req.site))
    }

    static func create(_ req: Request) async throws -> Response {
        let session = try req.requireSession()
        let form = req.postedForm(or: Form())
        try CSRF.verify(req, sent: form._csrf)
        guard let kind = form.kind.flatMap(OrganisationKind.init(rawValue:)), registrableKinds.contains(kind) else {
            return PageLayout.privateResponse(OrganisationFormViews.kindChoice(errors: [FieldProblem(field: "kind", message: "Vælg, hvad du vil registrere.")],
                                                                               site: req.site), status: .unprocessableEntity)
        }
        let (organisation, parseProblems) = parse(form, kind: kind, slug: "organisation")
        do {
            if !parseProblems.isEmpty {
                // Report the rules' problems with the unreadable fields' own messages, all at once.
                try await OrganisationSaving.validateAll(organisation, extra: parseProblems, on: req.db)
            }
            let stored = try await OrganisationSaving.register(organisation, by: session.account, now: req.application.samspil.clock(), on: req.db)
            return req.redirect(to: SitePath.directory(.organisation(stored.organisation.slug)).href, redirectType: .normal)
        } catch SamspilError.unprocessable(let problems) {
            let model = ViewModel(kind: kind, form: form, choices: try await Choices.load(on: req.db), errors: problems, csrf: session.csrfToken)
            return PageLayout.privateResponse(OrganisationFormViews.form(model, site: req.site), status: .unprocessableEntity)
        }
    }

    // MARK: edit

    static func edit(_ req: Request) async throws -> Response {
        let session = try req.requireSession()
        let stored = try await requireEditable(req)
        let model = ViewModel(stored: (stored.organisation.slug, stored.organisation.name), kind: stored.organisation.kind, form: form(from: stored.organisation),
                              choices: try await Choices.load(on: req.db), notice: req.query[String.self, at: "besked"] == "gemt" ? "Ændringerne er gemt." : nil,
                              csrf: session.csrfToken)
        return PageLayout.privateResponse(OrganisationFormViews.form(model, site: req.site))
    }

    static func update(_ req: Request) async throws -> Response {
        let session = try req.requireSession()
        var form = req.postedForm(or: Form())
        try CSRF.verify(req, sent: form._csrf)
        let stored = try await requireEditable(req)
        form.kind = stored.organisation.kind.rawValue
        var (organisation, parseProblems) = parse(form, kind: stored.organisation.kind, slug: stored.organisation.slug)
        organisation.status = stored.organisation.status
        do {
            if !parseProblems.isEmpty { try await OrganisationSaving.validateAll(organisation, extra: parseProblems, on: req.db) }
            try await OrganisationSaving.update(organisation, by: session.account, now: req.application.samspil.clock(), on: req.db)
            return req.redirect(to: SitePath.directory(.edit(stored.organisation.slug)).href + "?besked=gemt", redirectType: .normal)
        } catch SamspilError.unprocessable(let problems) {
            let model = ViewModel(stored: (stored.organisation.slug, stored.organisation.name), kind: stored.organisation.kind, form: form,
                                  choices: try await Choices.load(on: req.db), errors: problems, csrf: session.csrfToken)
            return PageLayout.privateResponse(OrganisationFormViews.form(model, site: req.site), status: .unprocessableEntity)
        }
    }

    /// The organisation of the path, if this person may edit it: 404 if they may not even see it, 403 if they
    /// may see but not edit it.
    private static func requireEditable(_ req: Request) async throws -> StoredOrganisation {
        let slug = req.parameters.get(SitePath.slug) ?? ""
        let actor = try await OrganisationPages.actor(req)
        guard let stored = try await OrganisationStore.find(slug: slug, on: req.db), stored.organisation.kind != .municipality,
              Permissions.allows(actor, .view, on: stored.resource) else {
            throw SamspilError.notFound("Organisationen \"\(slug)\" findes ikke.")
        }
        guard Permissions.allows(actor, .edit, on: stored.resource) else {
            throw SamspilError.forbidden("Kun organisationens administratorer kan ændre den.")
        }
        return stored
    }

    // MARK: approve

    /// Organisations waiting for approval that this person may approve (a site administrator: all; a
    /// coordinator: those in their municipalities).
    static func pending(_ req: Request) async throws -> Response {
        let session = try req.requireSession()
        let actor = try await OrganisationPages.actor(req)
        let waiting = try await OrganisationQueries.pending(on: req.db).filter { Permissions.allows(actor, .approve, on: $0.resource) }.map(\.summary)
        let notice = req.query[String.self, at: "besked"] == "godkendt" ? "Organisationen er godkendt og er nu offentlig." : nil
        return PageLayout.privateResponse(OrganisationFormViews.pending(waiting, notice: notice, csrf: session.csrfToken, site: req.site))
    }

    static func approve(_ req: Request) async throws -> Response {
        let session = try req.requireSession()
        struct Posted: Content { var _csrf: String? }
        try CSRF.verify(req, sent: req.postedForm(or: Posted())._csrf)
        let slug = req.parameters.get(SitePath.slug) ?? ""
        try await OrganisationSaving.approve(slug: slug, by: session.account, now: req.application.samspil.clock(), on: req.db)
        return req.redirect(to: SitePath.directory(.pending).href + "?besked=godkendt", redirectType: .normal)
    }

    // MARK: helpers

    static func form(from organisation: Organisation) -> Form {
        Form(kind: organisation.kind.rawValue, name: organisation.name, institutionNumber: organisation.institutionNumber,
             schoolKind: organisation.schoolKind?.rawValue, environmentKind: organisation.environmentKind, otherKind: organisation.otherKind,
             municipality: organisation.municipalityCode, street: organisation.address.street, postcode: organisation.address.postcode,
             town: organisation.address.town, website: organisation.website, phone: organisation.phone, email: organisation.email,
             description: organisation.description, accessibility: organisation.accessibility,
             latitude: organisation.latitude.map(OrganisationViews.decimal), longitude: organisation.longitude.map(OrganisationViews.decimal),
             subjects: organisation.subjects, gradeLevels: organisation.gradeLevels)
    }

    /// The organisation a form describes, and problems with fields that cannot be read at all (a latitude that is
    /// not a number). Empty texts are nil; fields the kind does not have are dropped.
    static func parse(_ form: Form, kind: OrganisationKind, slug: String) -> (Organisation, [FieldProblem]) {
        func text(_ value: String?) -> String? {
            let trimmed = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        }
        var problems: [FieldProblem] = []
        func coordinate(_ value: String?, field: String, example: String) -> Double? {
            guard let raw = text(value) else { return nil }
            guard let number = Double(raw.replacingOccurrences(of: ",", with: ".")), number.isFinite else {
                problems.append(FieldProblem(field: field, message: "Skriv et tal, fx \(example)."))
                return nil
            }
            return number
        }
        var organisation = Organisation(slug: slug, kind: kind, name: text(form.name) ?? "", status: .pending, municipalityCode: text(form.municipality))
        organisation.address = PostalAddress(street: text(form.street), postcode: text(form.postcode), town: text(form.town))
        organisation.website = text(form.website)
        organisation.phone = text(form.phone)
        organisation.email = text(form.email).map(EmailAddress.normalise)
        switch kind {
        case .school:
            organisation.institutionNumber = text(form.institutionNumber)
            organisation.schoolKind = text(form.schoolKind).flatMap(SchoolKind.init(rawValue:))
            organisation.gradeLevels = form.gradeLevels ?? []
        case .learningEnvironment:
            organisation.environmentKind = text(form.environmentKind)
            organisation.description = Markdown.normalisingLineBreaks(form.description ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            organisation.subjects = form.subjects ?? []
            organisation.gradeLevels = form.gradeLevels ?? []
            organisation.accessibility = text(form.accessibility)
            organisation.latitude = coordinate(form.latitude, field: "latitude", example: "55,6761")
            organisation.longitude = coordinate(form.longitude, field: "longitude", example: "12,5683")
        case .other:
            organisation.otherKind = text(form.otherKind)
            organisation.description = Markdown.normalisingLineBreaks(form.description ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        case .municipality:
            break
        }
        return (organisation, problems)
    }
}

/// Deny by default: a route group behind this needs a logged-in account (any role); `Permissions` decides the
/// rest in each handler. A visitor who is not logged in is sent to the login page.
struct RequireAccount: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard request.currentSession != nil else {
            let back = request.method == .GET ? request.url.path : SitePath.directory(.list).href
            return request.eventLoop.makeSucceededFuture(
                request.redirect(to: SitePath.login(returningTo: back), redirectType: .normal))
        }
        return next.respond(to: request)
    }
}
