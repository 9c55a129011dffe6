import Fluent
import Foundation
import SamspilCore
import Vapor

/// Partnerships published as cases: the public list and page (only the fields every party consented to), and the
/// form on the partnership's page where the parties propose and consent.
enum CasePages {
    static func register(on app: Application, members: any RoutesBuilder) {
        app.get(SitePath.partnership(.cases).pattern, use: list)
        app.get(SitePath.partnership(.publicCase(SitePath.slugPlaceholder)).pattern, use: show)
        members.post(SitePath.partnership(.publish(SitePath.slugPlaceholder)).pattern, use: publish)
    }

    static func respond(_ html: HTMLOutput, _ req: Request) -> Response {
        req.currentSession == nil ? PageLayout.publicPage(html) : PageLayout.privateResponse(html.string)
    }

    static func list(_ req: Request) async throws -> Response {
        _ = try MaterialListing.pageNumber(req, allowed: [])
        return respond(CaseViews.list(try await CaseQueries.links(on: req.db), site: req.site), req)
    }

    static func show(_ req: Request) async throws -> Response {
        _ = try MaterialListing.pageNumber(req, allowed: [])
        let slug = req.parameters.get(SitePath.slug) ?? ""
        guard let stored = try await CaseQueries.find(slug: slug, on: req.db) else {
            throw SamspilError.notFound("Eksemplet \"\(slug)\" findes ikke, eller parterne har ikke gjort det offentligt.")
        }
        let fields = Set(stored.caseFields)
        let forms = try await PartnershipQueries.forms(on: req.db)
        let activities = fields.contains(.activities) ? try await PartnershipQueries.activities(of: stored, on: req.db).filter { $0.activity.status == .held } : []
        let evaluations = fields.contains(.evaluation) ? try await PartnershipQueries.evaluations(stored.id, on: req.db).filter { $0.occasion == "periode" } : []
        let model = CaseViews.Model(stored: stored, fields: fields, formName: forms.first { $0.slug == stored.partnership.form }?.name ?? "",
                                    labels: try await PartnershipView.Labels.load(on: req.db), activities: activities,
                                    averages: CaseViews.averages(evaluations, questionnaire: .period))
        return respond(CaseViews.page(model, site: req.site), req)
    }

    static func publish(_ req: Request) async throws -> Response {
        let context = try await PartnershipPages.context(req)
        let fields = try req.content.decode(PublishForm.self)
        try CSRF.verify(req, sent: fields._csrf)
        let slug = context.stored.slug
        switch fields.what {
        case "foreslaa":
            try await PartnershipSaving.proposeCase(slug: slug, fields: (fields.fields ?? []).compactMap(CaseField.init(rawValue:)), by: context.session.account,
                                                    now: context.now, publicURL: context.publicURL, on: req.db)
            return PartnershipPages.back(req, slug, .caseProposed)
        case "samtykke", "traek-tilbage":
            guard let party = fields.party.flatMap(UUID.init(uuidString:)) else {
                throw SamspilError.invalid([FieldProblem(field: "party", message: "Vælg den part, du svarer for.")])
            }
            let published = try await PartnershipSaving.consentToCase(slug: slug, party: party, consent: fields.what == "samtykke", by: context.session.account,
                                                                      now: context.now, on: req.db)
            return PartnershipPages.back(req, slug, published ? .casePublished : fields.what == "samtykke" ? .caseConsented : .caseWithdrawn)
        default:
            throw SamspilError.invalid([FieldProblem(field: "what", message: "Vælg at foreslå, give samtykke eller trække det tilbage.")])
        }
    }

    struct PublishForm: Content {
        var what: String?
        var party: String?
        var fields: [String]?
        var _csrf: String?
    }
}

enum CaseViews {
    static let crumbs: [PageMeta.Crumb] = [.init(label: "Forside", href: SitePath.home.href)]

    static func list(_ links: [CaseQueries.Link], site: SiteInfo) -> HTMLOutput {
        var meta = PageMeta(title: "Eksempler på partnerskaber", description: "Partnerskaber mellem skoler, kommuner og eksterne læringsmiljøer, som parterne selv har valgt at vise.",
                            canonical: SitePath.partnership(.cases).href, breadcrumbs: crumbs)
        meta.stylesheets = PartnershipShell.stylesheets
        return PageLayout.page(meta, site: site) {
            H1("Eksempler på partnerskaber")
            Paragraph("Partnerskaber, som parterne selv har valgt at vise frem, så andre kan lære af dem.")
            if links.isEmpty { Paragraph("Der er ingen eksempler endnu.") }
            linkList(links)
        }
    }

    static func linkList(_ links: [CaseQueries.Link]) -> Component {
        Tag("ul", [("class", "link-list")]) {
            for link in links {
                Tag("li") {
                    Link(link.title, url: SitePath.partnership(.publicCase(link.slug)).href)
                    if !link.parties.isEmpty { Text(" – " + link.parties.joined(separator: ", ")) }
                }
            }
        }
    }

    /// A section for the organisation and municipality pages; nothing when there are no cases.
    static func section(_ links: [CaseQueries.Link]) -> Component {
        guard !links.isEmpty else { return ComponentGroup(members: []) }
        return Tag("section", [("aria-labelledby", "eksempler")]) {
            Tag("h2", [("id", "eksempler")], text: "Eksempler på partnerskaber")
            linkList(links)
        }
    }

    struct Model {
        var stored: StoredPartnership
        var fields: Set<CaseField>
        var formName: String
        var labels: PartnershipView.Labels
        var activities: [PartnershipQueries.StoredActivity]
        var averages: [(question: String, average: String, answers: Int)]
    }

    /// Each scale question's average over the parties' answers, "4,5 af 5".
    static func averages(_ evaluations: [PartnershipQueries.Evaluation], questionnaire: Questionnaire) -> [(question: String, average: String, answers: Int)] {
        questionnaire.questions.filter { $0.kind == .scale }.compactMap { question in
            let values = evaluations.compactMap { $0.answers[question.id].flatMap { Int($0) } }
            guard !values.isEmpty else { return nil }
            let tenths = (values.reduce(0, +) * 10 + values.count / 2) / values.count
            return (question.text, "\(tenths / 10)\(tenths % 10 == 0 ? "" : ",\(tenths % 10)") af \(question.steps ?? 5)", values.count)
        }
    }

    static func page(_ model: Model, site: SiteInfo) -> HTMLOutput {
        let stored = model.stored
        let p = stored.partnership
        let fields = model.fields
        let label = { (list: [(value: String, label: String)], value: String) in list.first { $0.value == value }?.label ?? value }
        var meta = PageMeta(title: p.title, description: fields.contains(.summary) && !p.summary.isEmpty ? p.summary : "Et eksempel på et partnerskab i den åbne skole.",
                            canonical: SitePath.partnership(.publicCase(stored.slug)).href,
                            breadcrumbs: crumbs + [.init(label: "Eksempler på partnerskaber", href: SitePath.partnership(.cases).href)])
        meta.stylesheets = PartnershipShell.stylesheets
        return PageLayout.page(meta, site: site) {
            Paragraph("Eksempel på et partnerskab").class("kicker")
            H1(p.title)
            Paragraph("\(model.formName) · Skoleår \(p.schoolYears.joined(separator: ", "))")
            if fields.contains(.summary), !p.summary.isEmpty { Paragraph(p.summary).class("lead") }
            Tag("dl", [("class", "facts")]) {
                if fields.contains(.purpose), !p.purpose.isEmpty { Tag("dt", text: "Formål"); Tag("dd") { PartnershipShell.paragraphs(p.purpose) } }
                if fields.contains(.goals), !p.goals.isEmpty { Tag("dt", text: "Mål"); Tag("dd") { PartnershipShell.paragraphs(p.goals) } }
                if fields.contains(.subjectsAndGrades) {
                    if !p.subjects.isEmpty { Tag("dt", text: "Fag"); Tag("dd", text: p.subjects.map { label(model.labels.subjects, $0) }.joined(separator: ", ")) }
                    if !p.gradeLevels.isEmpty { Tag("dt", text: "Klassetrin"); Tag("dd", text: p.gradeLevels.map { label(model.labels.gradeLevels, $0) }.joined(separator: ", ")) }
                    if let pupils = p.pupilsExpected { Tag("dt", text: "Forventede elever"); Tag("dd", text: DanishText.number(pupils)) }
                }
            }
            if fields.contains(.parties) {
                Tag("h2", text: "Parter")
                Tag("ul") {
                    for party in stored.parties {
                        Tag("li") { Link(party.name, url: SitePath.directory(.organisation(party.slug)).href); Text(" – \(party.role)") }
                    }
                }
            }
            if fields.contains(.activities), !model.activities.isEmpty {
                Tag("h2", text: "Gennemførte aktiviteter")
                Tag("ul") {
                    for item in model.activities {
                        Tag("li", text: "\(DanishDate.dateTime(item.activity.startsAt)): \(item.activity.title)\(item.activity.place.isEmpty ? "" : ", \(item.activity.place)")")
                    }
                }
            }
            if fields.contains(.evaluation), !model.averages.isEmpty {
                Tag("h2", text: "Evaluering")
                DataTable(caption: "Parternes svar i gennemsnit", headings: ["Spørgsmål", "Gennemsnit", "Svar"],
                          rows: model.averages.map { [Text($0.question), Text($0.average), Text(String($0.answers))] })
            }
        }
    }
}
