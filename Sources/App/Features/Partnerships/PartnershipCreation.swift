import Fluent
import Foundation
import SamspilCore
import Vapor

/// Starting a partnership in four steps (form, parties, purpose, period) without script: every step posts all
/// that was typed so far (earlier steps as hidden fields), is checked on its own fields, and comes back with the
/// input kept when something is wrong. The last step creates the partnership.
enum PartnershipCreation {
    static func register(on members: any RoutesBuilder) {
        members.get(SitePath.partnership(.new).pattern, use: show)
        members.post(SitePath.partnership(.new).pattern, use: submit)
    }

    enum Step: Int, CaseIterable {
        case form = 1, parties, purpose, period

        var title: String {
            switch self {
            case .form: "Form"
            case .parties: "Parter"
            case .purpose: "Formål"
            case .period: "Periode"
            }
        }

        /// The fields this step asks for.
        var fields: Set<String> {
            switch self {
            case .form: ["form"]
            case .parties: ["party", "role", "otherParty", "otherRole"]
            case .purpose: ["title", "summary", "purpose", "goals", "subjects", "gradeLevels"]
            case .period: ["schoolYears", "classesExpected", "pupilsExpected"]
            }
        }
    }

    /// Everything the steps post: the details, and the parties (the person's own organisation and, optionally,
    /// one more from the registry; more are added on the partnership's page).
    struct Input: Content {
        var step: Int?
        var back: String?
        var party: String?
        var role: String?
        var otherParty: String?
        var otherRole: String?
        var _csrf: String?
    }

    struct Model {
        var step: Step
        var input: Input
        var details: DetailsForm
        var forms: [PartnershipForm]
        var labels: PartnershipView.Labels
        var organisations: [(id: UUID, name: String)]
        var errors: [FieldProblem]
        var csrf: String
    }

    static func model(_ req: Request, step: Step, input: Input, details: DetailsForm, errors: [FieldProblem]) async throws -> Model {
        let session = try req.requireSession()
        let actor = try await MembershipQueries.actor(for: session.account, on: req.db)
        var organisations: [(id: UUID, name: String)] = []
        for entry in try await MembershipQueries.forUser(session.account.id, on: req.db)
        where Permissions.mayStartPartnership(actor, for: entry.organisationID) && !organisations.contains(where: { $0.id == entry.organisationID }) {
            organisations.append((entry.organisationID, entry.organisationName))
        }
        guard !organisations.isEmpty else {
            throw SamspilError.forbidden(actor.verified ? "Du skal være medlem af en skole, en kommune eller et læringsmiljø for at starte et partnerskab."
                                                         : SamspilError.unverifiedMessage)
        }
        return Model(step: step, input: input, details: details, forms: try await PartnershipQueries.forms(on: req.db),
                     labels: try await PartnershipView.Labels.load(on: req.db), organisations: organisations, errors: errors, csrf: session.csrfToken)
    }

    static func show(_ req: Request) async throws -> Response {
        let model = try await model(req, step: .form, input: Input(), details: DetailsForm(), errors: [])
        return PageLayout.privateResponse(PartnershipCreationView.render(model, site: req.site))
    }

    static func submit(_ req: Request) async throws -> Response {
        let session = try req.requireSession()
        let input = req.postedForm(or: Input())
        try CSRF.verify(req, sent: input._csrf)
        let details = (try? req.content.decode(DetailsForm.self)) ?? DetailsForm()
        let current = Step(rawValue: input.step ?? 1) ?? .form
        if input.back != nil, let previous = Step(rawValue: current.rawValue - 1) {
            return PageLayout.privateResponse(PartnershipCreationView.render(try await model(req, step: previous, input: input, details: details, errors: []), site: req.site))
        }
        // This step's problems: the rules' problems of its own fields, and the parties' for the parties step.
        let (partnership, readProblems) = details.partnership()
        var problems = (readProblems + (try await PartnershipSaving.problems(partnership, on: req.db)))
            .filter { problem in current.fields.contains { problem.field == $0 || problem.field.hasPrefix($0 + "[") } }
        var others: [(UUID, String)] = []
        if current == .parties || current == .period {
            problems += try await partyProblems(input, others: &others, on: req.db)
        }
        if !problems.isEmpty {
            let model = try await model(req, step: current, input: input, details: details, errors: problems)
            return PageLayout.privateResponse(PartnershipCreationView.render(model, site: req.site), status: .unprocessableEntity)
        }
        if let next = Step(rawValue: current.rawValue + 1) {
            return PageLayout.privateResponse(PartnershipCreationView.render(try await model(req, step: next, input: input, details: details, errors: []), site: req.site))
        }
        do {
            let stored = try await PartnershipSaving.create(partnership, party: UUID(uuidString: input.party ?? "") ?? UUID(), role: input.role ?? "",
                                                            others: others, by: session.account, now: req.application.samspil.clock(), on: req.db)
            return req.redirect(to: SitePath.partnership(.show(stored.slug)).href(notice: PartnershipPages.Notice.created), redirectType: .normal)
        } catch SamspilError.unprocessable(let problems) {
            // A rule of an earlier step (the form list changed meanwhile): back to the first step with a problem.
            let step = Step.allCases.first { step in problems.contains { problem in step.fields.contains { problem.field.hasPrefix($0) } } } ?? .form
            let model = try await model(req, step: step, input: input, details: details, errors: problems)
            return PageLayout.privateResponse(PartnershipCreationView.render(model, site: req.site), status: .unprocessableEntity)
        }
    }

    static func partyProblems(_ input: Input, others: inout [(UUID, String)], on db: any Database) async throws -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if UUID(uuidString: input.party ?? "") == nil { problems.append(FieldProblem(field: "party", message: "Vælg den organisation, du starter partnerskabet for.")) }
        problems += PartnershipSaving.roleProblems(input.role ?? "", field: "role")
        let other = (input.otherParty ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !other.isEmpty {
            let slug = try await OrganisationLookup.slug(for: other, on: db)
            if let found = try await OrganisationStore.find(slug: slug, on: db), found.organisation.status == .approved {
                if found.id.uuidString == input.party { problems.append(FieldProblem(field: "otherParty", message: "Vælg en anden organisation end din egen.")) }
                problems += PartnershipSaving.roleProblems(input.otherRole ?? "", field: "otherRole")
                others = [(found.id, input.otherRole ?? "")]
            } else {
                problems.append(FieldProblem(field: "otherParty", message: "\(DanishText.quoted(other)) findes ikke i registret. Lad feltet stå tomt, og invitér organisationen med e-mail fra partnerskabets side bagefter."))
            }
        }
        return problems
    }
}

enum PartnershipCreationView {
    static func render(_ model: PartnershipCreation.Model, site: SiteInfo) -> String {
        let meta = PartnershipShell.meta("Start et partnerskab", errors: !model.errors.isEmpty)
        let step = model.step
        let input = model.input
        let error = { PartnershipShell.error(model.errors, $0) }
        let steps = PartnershipCreation.Step.allCases
        return PageLayout.render(meta, site: site) {
            H1("Start et partnerskab")
            Tag("ol", [("class", "steps"), ("aria-label", "Trin")]) {
                for each in steps {
                    Tag("li", each == step ? [("aria-current", "step"), ("class", "current")] : [], text: "\(each.rawValue). \(each.title)")
                }
            }
            Tag("h2", text: "Trin \(step.rawValue) af \(steps.count): \(step.title)")
            if !model.errors.isEmpty {
                ErrorSummary(DetailsView.formProblems(model.errors), fieldOrder: ["form", "party", "role", "otherParty", "otherRole"] + DetailsView.fieldOrder)
            }
            PartnershipShell.postForm(SitePath.partnership(.new).href, csrf: model.csrf) {
                PartnershipShell.hidden("step", String(step.rawValue))
                // The other steps' input rides along, so nothing typed is lost between steps.
                hiddenDetails(model.details, except: step.fields)
                for (name, value) in [("party", input.party), ("role", input.role), ("otherParty", input.otherParty), ("otherRole", input.otherRole)]
                where !step.fields.contains(name) {
                    PartnershipShell.hidden(name, value ?? "")
                }
                switch step {
                case .form, .purpose, .period:
                    DetailsView.fields(model.details, forms: model.forms, labels: model.labels, errors: model.errors, only: step.fields)
                case .parties:
                    RadiosField(name: "party", legend: "Du starter partnerskabet for", selected: input.party ?? model.organisations[0].id.uuidString,
                                options: model.organisations.map { ($0.id.uuidString, $0.name) })
                    FormField(name: "role", label: "Din organisations rolle i partnerskabet", value: input.role ?? "", hint: "Fx Skole, Værtsmuseum eller Koordinerende kommune.",
                              error: error("role"))
                    FormField(name: "otherParty", label: "En anden part fra registret (valgfri)", value: input.otherParty ?? "",
                              hint: "Organisationens navn, som det står i registret. Flere parter – og parter, der ikke er registreret endnu – tilføjer du bagefter.",
                              error: error("otherParty"), required: false)
                    FormField(name: "otherRole", label: "Den anden parts rolle (valgfri)", value: input.otherRole ?? "", error: error("otherRole"), required: false)
                }
                // "Næste" first, so Enter in a field goes forward.
                Div {
                    Tag("button", [("type", "submit"), ("class", "button button-primary")], text: step == .period ? "Opret partnerskabet" : "Næste")
                    if step != .form { Tag("button", [("type", "submit"), ("class", "button"), ("name", "back"), ("value", "1")], text: "Tilbage") }
                }.class("button-row")
            }
        }
    }

    static func hiddenDetails(_ details: DetailsForm, except fields: Set<String>) -> Component {
        ComponentGroup {
            for (name, value) in [("form", details.form), ("title", details.title), ("summary", details.summary), ("purpose", details.purpose), ("goals", details.goals),
                                  ("schoolYears", details.schoolYears), ("classesExpected", details.classesExpected), ("pupilsExpected", details.pupilsExpected)]
            where !fields.contains(name) {
                PartnershipShell.hidden(name, value ?? "")
            }
            if !fields.contains("subjects") { for subject in details.subjects ?? [] { PartnershipShell.hidden("subjects[]", subject) } }
            if !fields.contains("gradeLevels") { for level in details.gradeLevels ?? [] { PartnershipShell.hidden("gradeLevels[]", level) } }
        }
    }
}
