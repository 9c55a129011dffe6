import Fluent
import Foundation
import SamspilCore
import SQLKit
import Vapor

/// A municipality's partnerships for its coordinators (and site administrators): those its schools take part
/// in, or the municipality itself. Filtered by state, form, school year and kind of learning environment;
/// a page of 50 at a time, or all as CSV for Excel.
enum CoordinatorList {
    static func register(on members: any RoutesBuilder) {
        let slug = SitePath.slugPlaceholder
        members.get(SitePath.partnership(.municipality(slug)).pattern, use: show)
        members.get(SitePath.partnership(.municipalityCSV(slug)).pattern, use: csv)
    }

    static let pageSize = 50

    struct Filter: Sendable, Equatable {
        var state: PartnershipState?
        var form: String?
        var schoolYear: String?
        var environmentKind: String?
        var page = 1

        /// From the query string; an unknown value is refused with the parameter's name (400).
        static func parse(_ items: [URLQueryItem], forms: Set<String>, environmentKinds: Set<String>) throws -> Filter {
            var filter = Filter()
            var problems: [FieldProblem] = []
            for item in items {
                let value = item.value ?? ""
                if value.isEmpty { continue }
                switch item.name {
                case "tilstand":
                    filter.state = PartnershipState(rawValue: value)
                    if filter.state == nil { problems.append(FieldProblem(field: "tilstand", message: "Vælg en tilstand fra listen.")) }
                case "form":
                    if forms.contains(value) { filter.form = value } else { problems.append(FieldProblem(field: "form", message: "Vælg en form fra listen.")) }
                case "skoleaar":
                    if PartnershipRules.isSchoolYear(value) { filter.schoolYear = value } else {
                        problems.append(FieldProblem(field: "skoleaar", message: "Skriv skoleåret som 2026/27."))
                    }
                case "laeringsmiljoe":
                    if environmentKinds.contains(value) { filter.environmentKind = value } else {
                        problems.append(FieldProblem(field: "laeringsmiljoe", message: "Vælg en slags læringsmiljø fra listen."))
                    }
                case "side":
                    guard let page = Int(value), (1...100_000).contains(page) else {
                        problems.append(FieldProblem(field: "side", message: "Skal være et sidetal fra 1."))
                        continue
                    }
                    filter.page = page
                default:
                    problems.append(FieldProblem(field: item.name, message: "Er ikke en kendt parameter her."))
                }
            }
            if !problems.isEmpty { throw SamspilError.invalid(problems) }
            return filter
        }

        /// The query string of the filter (without the page), for links and the CSV.
        var query: String {
            let pairs: [(String, String?)] = [("tilstand", state?.rawValue), ("form", form), ("skoleaar", schoolYear), ("laeringsmiljoe", environmentKind)]
            let text = pairs.compactMap { name, value in value.map { "\(name)=\(PercentEncoding.queryValue($0))" } }.joined(separator: "&")
            return text.isEmpty ? "" : "?" + text
        }
    }

    struct Row: Sendable, Equatable {
        var id: UUID
        var slug: String
        var title: String
        var state: PartnershipState
        var form: String
        var schoolYears: String
        var updatedAt: Date
        var parties: [(name: String, kind: OrganisationKind)] = []
        var activities = 0
        var held = 0
        var pupils = 0

        static func == (lhs: Row, rhs: Row) -> Bool { lhs.id == rhs.id && lhs.updatedAt == rhs.updatedAt }
    }

    /// The WHERE condition of a municipality's partnerships (table alias `p`) with the filter.
    static func condition(code: String, _ filter: Filter) -> SQLQueryString {
        let parties = PartnershipPartyModel.schema, organisations = OrganisationModel.schema
        var sql: SQLQueryString = """
            p.id IN (SELECT pp.partnership_id FROM \(ident: parties) pp JOIN \(ident: organisations) o ON o.id = pp.organisation_id \
            WHERE o.municipality_code = \(bind: code) AND o.kind IN (\(bind: OrganisationKind.school.rawValue), \(bind: OrganisationKind.municipality.rawValue)))
            """
        if let state = filter.state { sql = sql + " AND p.state = \(bind: state.rawValue)" }
        if let form = filter.form { sql = sql + " AND p.form = \(bind: form)" }
        if let year = filter.schoolYear { sql = sql + " AND (',' || p.school_years || ',') LIKE \(bind: "%," + year + ",%")" }
        if let kind = filter.environmentKind {
            sql = sql + """
                 AND p.id IN (SELECT pp.partnership_id FROM \(ident: parties) pp JOIN \(ident: organisations) o ON o.id = pp.organisation_id \
                WHERE o.environment_kind = \(bind: kind))
                """
        }
        return sql
    }

    /// One page (`limit` nil: all) of the municipality's partnerships, newest change first, with their parties and
    /// activity counts, and the number of all that match.
    static func rows(code: String, _ filter: Filter, limit: Int?, on db: any Database) async throws -> (rows: [Row], total: Int) {
        let sql = db as! any SQLDatabase
        struct Found: Decodable { let id: UUID; let slug: String; let title: String; let state: String; let form: String; let school_years: String; let updated_at: Date }
        struct Count: Decodable { let n: Int }
        // Newest change first; `id` descending too, so both databases read the (updated_at, id) index backwards. A page
        // sorts only the ids, then reads its 50 rows (bench/partnerships: half the time of sorting whole rows).
        let order: SQLQueryString = " ORDER BY p.updated_at DESC, p.id DESC"
        let columns: SQLQueryString = "SELECT p.id, p.slug, p.title, p.state, p.form, p.school_years, p.updated_at FROM \(ident: PartnershipModel.schema) p"
        let found: [Found]
        if let limit {
            found = try await sql.raw(columns + """
                 JOIN (SELECT p.id AS page_id FROM \(ident: PartnershipModel.schema) p WHERE \(condition(code: code, filter))
                """ + order + " LIMIT \(bind: limit) OFFSET \(bind: (filter.page - 1) * limit)) page ON page.page_id = p.id" + order).all(decoding: Found.self)
        } else {
            found = try await sql.raw(columns + " WHERE \(condition(code: code, filter))" + order).all(decoding: Found.self)
        }
        let total = limit == nil || (filter.page == 1 && found.count < (limit ?? 0)) ? found.count
            : try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: PartnershipModel.schema) p WHERE \(condition(code: code, filter))").first(decoding: Count.self)?.n ?? 0
        var rows = found.map { Row(id: $0.id, slug: $0.slug, title: $0.title, state: PartnershipState(rawValue: $0.state) ?? .idea, form: $0.form,
                                   schoolYears: $0.school_years.replacingOccurrences(of: ",", with: ", "), updatedAt: $0.updated_at) }
        guard !rows.isEmpty else { return ([], total) }
        // Parties and activity counts of these partnerships: by id for a page, by the same condition for all.
        let which: SQLQueryString = limit == nil
            ? "partnership_id IN (SELECT p.id FROM \(ident: PartnershipModel.schema) p WHERE \(condition(code: code, filter)))"
            : "partnership_id IN (\(binds: rows.map(\.id)))"
        struct Party: Decodable { let partnership_id: UUID; let name: String; let kind: String }
        let parties = try await sql.raw("""
            SELECT pp.partnership_id, o.name, o.kind FROM \(ident: PartnershipPartyModel.schema) pp \
            JOIN \(ident: OrganisationModel.schema) o ON o.id = pp.organisation_id WHERE pp.\(which) ORDER BY pp.partnership_id, pp.position
            """).all(decoding: Party.self)
        struct Counts: Decodable { let partnership_id: UUID; let activities: Int; let held: Int?; let pupils: Int? }
        let counts = try await sql.raw("""
            SELECT partnership_id, COUNT(*) AS activities, \
            CAST(SUM(CASE WHEN status = \(bind: ActivityStatus.held.rawValue) THEN 1 ELSE 0 END) AS BIGINT) AS held, \
            CAST(SUM(CASE WHEN status = \(bind: ActivityStatus.held.rawValue) THEN COALESCE(pupils, 0) ELSE 0 END) AS BIGINT) AS pupils \
            FROM \(ident: PartnershipActivityModel.schema) WHERE \(which) GROUP BY partnership_id
            """).all(decoding: Counts.self)
        let index = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1.id, $0) })
        for party in parties { if let i = index[party.partnership_id] { rows[i].parties.append((party.name, OrganisationKind(rawValue: party.kind) ?? .other)) } }
        for count in counts {
            if let i = index[count.partnership_id] {
                rows[i].activities = count.activities
                rows[i].held = count.held ?? 0
                rows[i].pupils = count.pupils ?? 0
            }
        }
        return (rows, total)
    }

    struct Target {
        var code: String
        var name: String
        var slug: String
        var forms: [PartnershipForm]
        var environmentKinds: [(value: String, label: String)]
        var filter: Filter
    }

    /// The municipality of the path (404 if there is none) if the person is one of its coordinators or a site
    /// administrator (403 with `refusal` otherwise); also the tools' overview of the municipality's worksheets asks this.
    static func coordinated(_ req: Request, refusal: String) async throws -> (code: String, name: String, actor: Actor) {
        let session = try req.requireSession()
        let slug = req.parameters.get(SitePath.slug) ?? ""
        guard let found = try await OrganisationStore.find(slug: slug, on: req.db), found.organisation.kind == .municipality,
              let code = found.organisation.municipalityCode else {
            throw SamspilError.notFound("Kommunen \"\(slug)\" findes ikke.")
        }
        let actor = try await MembershipQueries.actor(for: session.account, on: req.db)
        guard Permissions.mayListPartnerships(actor, municipality: code) else { throw SamspilError.forbidden(refusal) }
        return (code, found.organisation.name, actor)
    }

    static func target(_ req: Request) async throws -> Target {
        let slug = req.parameters.get(SitePath.slug) ?? ""
        let municipality = try await coordinated(req, refusal: "Kun kommunens koordinatorer kan se listen over kommunens partnerskaber.")
        let forms = try await PartnershipQueries.forms(on: req.db)
        let kinds = try await LearningEnvironmentKindModel.query(on: req.db).sort(\.$position).all().map { (value: $0.slug, label: $0.name) }
        let filter = try Filter.parse(req.url.queryItems, forms: Set(forms.map(\.slug)), environmentKinds: Set(kinds.map(\.value)))
        return Target(code: municipality.code, name: municipality.name, slug: slug, forms: forms, environmentKinds: kinds, filter: filter)
    }

    static func show(_ req: Request) async throws -> Response {
        let target = try await target(req)
        let (rows, total) = try await rows(code: target.code, target.filter, limit: pageSize, on: req.db)
        return PageLayout.privateResponse(CoordinatorListView.render(.init(target: target, rows: rows, total: total), site: req.site))
    }

    static let csvHeader = ["Titel", "Tilstand", "Form", "Skoleår", "Parter", "Skoler", "Læringsmiljøer", "Aktiviteter", "Gennemførte aktiviteter",
                            "Elever i gennemførte aktiviteter", "Senest ændret", "Adresse"]

    static func csv(_ req: Request) async throws -> Response {
        let target = try await target(req)
        let (rows, _) = try await rows(code: target.code, target.filter, limit: nil, on: req.db)
        let forms = Dictionary(uniqueKeysWithValues: target.forms.map { ($0.slug, $0.name) })
        var text = "\u{FEFF}" + csvHeader.map { SpreadsheetText.cell($0) }.joined(separator: ";") + "\r\n"
        text.reserveCapacity(rows.count * 300)
        let formatter = ISO8601DateFormatter()
        for row in rows {
            let cells = [row.title, row.state.label, forms[row.form] ?? row.form, row.schoolYears, row.parties.map(\.name).joined(separator: ", "),
                         row.parties.filter { $0.kind == .school }.map(\.name).joined(separator: ", "),
                         row.parties.filter { $0.kind == .learningEnvironment }.map(\.name).joined(separator: ", "),
                         String(row.activities), String(row.held), String(row.pupils), formatter.string(from: row.updatedAt),
                         req.site.absolute(SitePath.partnership(.show(row.slug)).href)]
            text += cells.map { SpreadsheetText.cell($0) }.joined(separator: ";") + "\r\n"
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"partnerskaber-\(target.slug).csv\"")
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }
}

enum CoordinatorListView {
    struct Model {
        var target: CoordinatorList.Target
        var rows: [CoordinatorList.Row]
        var total: Int
    }

    static func render(_ model: Model, site: SiteInfo) -> String {
        let target = model.target
        let meta = PartnershipShell.meta("Partnerskaber i \(target.name)")
        let here = SitePath.partnership(.municipality(target.slug)).href
        let forms = Dictionary(uniqueKeysWithValues: target.forms.map { ($0.slug, $0.name) })
        let pages = max(1, (model.total + CoordinatorList.pageSize - 1) / CoordinatorList.pageSize)
        return PageLayout.render(meta, site: site) {
            H1("Partnerskaber i \(target.name)")
            Paragraph("Partnerskaber, som kommunens skoler eller kommunen selv er parter i. Som koordinator kan du læse dem, men ikke ændre dem.")
            Tag("form", [("class", "filters"), ("method", "get"), ("action", here)]) {
                SelectField(name: "tilstand", label: "Tilstand", selected: target.filter.state?.rawValue ?? "",
                            options: [("", "Alle")] + PartnershipState.allCases.map { ($0.rawValue, $0.label) })
                SelectField(name: "form", label: "Form", selected: target.filter.form ?? "", options: [("", "Alle")] + target.forms.map { ($0.slug, $0.name) })
                FormField(name: "skoleaar", label: "Skoleår", value: target.filter.schoolYear ?? "", hint: "Fx 2026/27.", required: false)
                SelectField(name: "laeringsmiljoe", label: "Slags læringsmiljø", selected: target.filter.environmentKind ?? "",
                            options: [("", "Alle")] + target.environmentKinds)
                Tag("button", [("type", "submit"), ("class", "button")], text: "Vis")
            }
            Paragraph {
                Text(model.total == 1 ? "1 partnerskab. " : "\(DanishText.number(model.total)) partnerskaber. ")
                SafeLink(text: "Hent dem alle som regneark (CSV)", href: SitePath.partnership(.municipalityCSV(target.slug)).href + target.filter.query)
            }
            if !model.rows.isEmpty {
                DataTable(caption: "Partnerskaber i \(target.name)", headings: ["Partnerskab", "Tilstand", "Form", "Skoleår", "Parter", "Aktiviteter"], rows: model.rows.map { row in
                    [Link(row.title, url: SitePath.partnership(.show(row.slug)).href), PartnershipShell.stateBadge(row.state), Text(forms[row.form] ?? row.form),
                     Text(row.schoolYears), Text(row.parties.map(\.name).joined(separator: ", ")), Text("\(row.activities) (\(row.held) \(row.held == 1 ? "gennemført" : "gennemførte"))")]
                })
            }
            if pages > 1 {
                Tag("nav", [("aria-label", "Sider"), ("class", "pagination")]) {
                    if target.filter.page > 1 {
                        Link("Forrige side", url: here + (target.filter.query.isEmpty ? "?" : target.filter.query + "&") + "side=\(target.filter.page - 1)")
                    }
                    Text(" Side \(target.filter.page) af \(pages) ")
                    if target.filter.page < pages {
                        Link("Næste side", url: here + (target.filter.query.isEmpty ? "?" : target.filter.query + "&") + "side=\(target.filter.page + 1)")
                    }
                }
            }
        }
    }
}
