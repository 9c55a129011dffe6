import Foundation
import SamspilCore
import SamspilSearch
import Vapor

/// The public pages of organisations: the directory, a profile, the municipalities and a municipality.
enum OrganisationPages {
    /// Parameters of `/organisationer`; `side` is the page number.
    static let directoryParameters: Set<String> = ["q", "kind", "municipality", "region", "side"]

    static func directory(_ req: Request) async throws -> Response {
        let page = try MaterialListing.pageNumber(req, allowed: directoryParameters)
        let codes = try await OrganisationQueries.codes(on: req.db)
        let parameters = req.url.queryItems.filter { $0.name != "side" }.map { ($0.name, $0.value ?? "") }
        var query = try OrganisationQuery.parse(parameters, municipalities: codes.municipalities, regions: codes.regions,
                                                names: directoryParameters.subtracting(["side"]))
        query.page = .page(number: page)
        let result = try await OrganisationQueries.directory(query, search: req.application.samspil.organisationSearch, on: req.db)
        if page > 1 && result.items.items.isEmpty { throw SamspilError.notFound("Side \(page) findes ikke.") }
        let canRegister = Permissions.allows(try await actor(req), .register)
        return respond(DirectoryView.render(DirectoryView.model(result, canRegister: canRegister), site: req.site), req)
    }

    static func profile(_ req: Request) async throws -> Response {
        let slug = req.parameters.get(SitePath.slug) ?? ""
        guard let profile = try await OrganisationQueries.profile(slug: slug, on: req.db), profile.organisation.kind != .municipality else {
            throw SamspilError.notFound("Organisationen \"\(slug)\" findes ikke.")
        }
        let actor = try await actor(req)
        let resource = OrganisationResource(id: profile.id, kind: profile.organisation.kind,
                                            municipalityCode: profile.organisation.municipalityCode, status: profile.organisation.status)
        // Not public yet: as if it did not exist, for anyone who may not see it.
        guard Permissions.allows(actor, .view, on: resource) else { throw SamspilError.notFound("Organisationen \"\(slug)\" findes ikke.") }
        let model = ProfileView.Model(profile: profile, canEdit: Permissions.allows(actor, .edit, on: resource),
                                      canApprove: Permissions.allows(actor, .approve, on: resource),
                                      canSeeMembers: Permissions.allows(actor, .viewMembers, on: resource),
                                      join: ProfileView.join(actor, resource, loggedIn: req.currentSession != nil),
                                      csrf: req.currentSession?.csrfToken,
                                      cases: try await CaseQueries.links(organisation: profile.id, on: req.db))
        return respond(ProfileView.render(model, site: req.site), req)
    }

    static func municipalities(_ req: Request) async throws -> Response {
        _ = try MaterialListing.pageNumber(req, allowed: [])
        let entries = try await OrganisationQueries.municipalities(on: req.db)
        return respond(MunicipalityViews.index(entries, site: req.site), req)
    }

    static func municipality(_ req: Request) async throws -> Response {
        _ = try MaterialListing.pageNumber(req, allowed: [])
        let slug = req.parameters.get(SitePath.slug) ?? ""
        guard let page = try await OrganisationQueries.municipality(slug: slug, on: req.db) else {
            throw SamspilError.notFound("Kommunen \"\(slug)\" findes ikke.")
        }
        return respond(MunicipalityViews.show(page, cases: try await CaseQueries.links(municipality: page.code, on: req.db), site: req.site), req)
    }

    /// The directory (filtered as the page is, all pages) as CSV for Excel or as JSON, for anyone.
    static func exportCSV(_ req: Request) async throws -> Response { try await export(req, json: false) }
    static func exportJSON(_ req: Request) async throws -> Response { try await export(req, json: true) }

    private static func export(_ req: Request, json: Bool) async throws -> Response {
        let codes = try await OrganisationQueries.codes(on: req.db)
        let parameters = req.url.queryItems.map { ($0.name, $0.value ?? "") }
        let query = try OrganisationQuery.parse(parameters, municipalities: codes.municipalities, regions: codes.regions,
                                                names: directoryParameters.subtracting(["side"]))
        let items = try await OrganisationTransfer.exported(query, search: req.application.samspil.organisationSearch, on: req.db)
        var headers = HTTPHeaders()
        if json {
            headers.contentType = .json
            let data = try OrganisationTransfer.json(items, labels: try await .load(on: req.db), site: req.site)
            return Response(status: .ok, headers: headers, body: .init(data: data))
        }
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"organisationer.csv\"")
        return Response(status: .ok, headers: headers, body: .init(data: OrganisationTransfer.csv(items)))
    }

    /// Who is asking, for `Permissions` (anonymous without a session).
    static func actor(_ req: Request) async throws -> Actor {
        try await MembershipQueries.actor(for: req.currentSession?.account, on: req.db)
    }

    /// Anonymous visitors get a public page (cached, the same for everyone); logged-in people a private one,
    /// since it may show what only they may do.
    private static func respond(_ html: HTMLOutput, _ req: Request) -> Response {
        req.currentSession == nil ? PageLayout.publicPage(html) : PageLayout.privateResponse(html.string)
    }
}

/// The crumbs and words the organisation pages share.
enum OrganisationViews {
    static let home = PageMeta.Crumb(label: "Forside", href: SitePath.home.href)
    static let directory = PageMeta.Crumb(label: "Organisationer", href: SitePath.directory(.list).href)
    static let municipalities = PageMeta.Crumb(label: "Kommuner", href: SitePath.directory(.municipalities).href)

    /// "Skole · Folkeskole", "Eksternt læringsmiljø · Kulturhistoriske museer", "Anden organisation · Netværk".
    static func kindLine(_ kind: OrganisationKind, detail: String?) -> String {
        [kind.label, detail].compactMap { $0 }.joined(separator: " · ")
    }

    /// A decimal in Danish writing (comma).
    static func decimal(_ value: Double) -> String {
        String(value).replacingOccurrences(of: ".", with: ",")
    }

    /// A list of organisations: name (linked), kind, municipality and town.
    struct SummaryList: Component {
        var items: [OrganisationSummary]
        var showsMunicipality = true

        var body: Component {
            List(items) { item in
                ListItem {
                    SafeLink(text: item.name, href: SitePath.directory(.organisation(item.slug)).href)
                    Span(" – " + ([item.detail ?? item.kind.label] + (showsMunicipality ? [item.municipality] : [item.town]).compactMap { $0 })
                        .joined(separator: ", ")).class("organisation-meta")
                }
            }.class("organisation-list")
        }
    }
}

enum DirectoryView {
    struct Model {
        var heading: String
        var items: [OrganisationSummary]
        var facets: [SearchPageModel.FacetGroup]
        var activeFilters: [(label: String, removeHref: String)]
        var pagination: PaginationModel
        var canonical: String
        var canRegister: Bool
        var total: Int
        /// The search text, "" without.
        var text: String
        /// The filters to keep when searching again (name, value).
        var hiddenFilters: [(name: String, value: String)]
        var partial: PartialMatch?
    }

    static func href(_ query: OrganisationQuery) -> String {
        var items: [(String, String)] = []
        if let text = query.text { items.append(("q", text)) }
        if let kind = query.kind { items.append(("kind", kind.rawValue)) }
        if let municipality = query.municipality { items.append(("municipality", municipality)) }
        if let region = query.region { items.append(("region", region)) }
        let base = SitePath.directory(.list).href
        return items.isEmpty ? base : base + "?" + items.map { "\($0)=\(PercentEncoding.queryValue($1))" }.joined(separator: "&")
    }

    static func model(_ page: DirectoryPage, canRegister: Bool) -> Model {
        var base = page.query
        base.page = PageRequest()
        func option(_ value: FacetValue, selected: Bool, set: (inout OrganisationQuery, String?) -> Void) -> SearchPageModel.FacetOption {
            var query = base
            set(&query, selected ? nil : value.value)
            return SearchPageModel.FacetOption(label: value.label, count: value.count, href: href(query), selected: selected)
        }
        let facets = [
            SearchPageModel.FacetGroup(title: "Slags", options: page.kinds.filter { $0.count > 0 || $0.value == base.kind?.rawValue }.map { value in
                option(value, selected: value.value == base.kind?.rawValue) { $0.kind = $1.flatMap(OrganisationKind.init(rawValue:)) }
            }),
            SearchPageModel.FacetGroup(title: "Region", options: page.regions.map { value in
                option(value, selected: value.value == base.region) { $0.region = $1 }
            }),
            SearchPageModel.FacetGroup(title: "Kommune", options: page.municipalities.map { value in
                option(value, selected: value.value == base.municipality) { $0.municipality = $1 }
            }),
        ].filter { !$0.options.isEmpty }
        var active: [(String, String)] = []
        if let text = base.text { var query = base; query.text = nil; active.append(("»\(text)«", href(query))) }
        if let kind = base.kind { var query = base; query.kind = nil; active.append((kind.pluralLabel, href(query))) }
        if let region = base.region {
            var query = base; query.region = nil
            active.append((page.regions.first { $0.value == region }?.label ?? region, href(query)))
        }
        if let municipality = base.municipality {
            var query = base; query.municipality = nil
            active.append((page.municipalities.first { $0.value == municipality }?.label ?? municipality, href(query)))
        }
        let path = href(base)
        return Model(heading: "Organisationer", items: page.items.items, facets: facets, activeFilters: active,
                     pagination: PaginationModel(page.items, baseHref: path), canonical: PaginationModel(page.items, baseHref: path).href(page: page.items.request.number),
                     canRegister: canRegister, total: page.items.total, text: base.text ?? "",
                     hiddenFilters: [("kind", base.kind?.rawValue), ("region", base.region), ("municipality", base.municipality)]
                        .compactMap { name, value in value.map { (name, $0) } },
                     partial: page.partial)
    }

    /// "3 organisationer.", and for a search no organisation matches in every word, that first.
    static func summary(total: Int, partial: PartialMatch?) -> String {
        let count = total == 1 ? "1 organisation" : "\(total) organisationer"
        guard let partial else { return total == 0 ? "Ingen organisationer fundet." : count + "." }
        return "Ingen organisationer matcher alle \(partial.of) ord. \(count) matcher \(partial.matched) af dem:"
    }

    static func render(_ model: Model, site: SiteInfo) -> HTMLOutput {
        let meta = PageMeta(
            title: model.pagination.current > 1 ? "\(model.heading), side \(model.pagination.current)" : model.heading,
            description: "Skoler, eksterne læringsmiljøer og andre organisationer i den åbne skole.", canonical: model.canonical,
            breadcrumbs: [OrganisationViews.home], currentCrumb: model.heading, nav: .organisations
        )
        return PageLayout.page(meta, site: site) {
            H1(model.heading)
            Paragraph("Skoler, eksterne læringsmiljøer og andre organisationer, der arbejder med åben skole.").class("lead")
            Paragraph {
                SafeLink(text: "alle 98 kommuner", href: SitePath.directory(.municipalities).href)
                Text(" · ")
                SafeLink(text: "Hent listen som regneark (CSV)", href: SitePath.directory(.csv).href)
                Text(" · ")
                SafeLink(text: "som JSON", href: SitePath.directory(.json).href)
            }
            Tag("form", [("class", "search-form"), ("role", "search"), ("action", SitePath.directory(.list).href), ("method", "get")]) {
                Tag("label", [("for", "directory-q")], text: "Søg i organisationerne")
                Paragraph("Navn, by, kommune, slags, fag eller ord fra beskrivelsen.").class("form-hint").id("directory-hint")
                Div {
                    VoidTag("input", [("type", "search"), ("id", "directory-q"), ("name", "q"), ("value", model.text),
                                      ("aria-describedby", "directory-hint"), ("maxlength", String(ParsedSearch.maxLength))])
                    for filter in model.hiddenFilters {
                        VoidTag("input", [("type", "hidden"), ("name", filter.name), ("value", filter.value)])
                    }
                    Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Søg")
                }.class("search-row")
            }
            if !model.activeFilters.isEmpty {
                List(model.activeFilters.indices) { index in
                    ListItem { SafeLink(text: "\(model.activeFilters[index].label) – fjern", href: model.activeFilters[index].removeHref, attributes: [("class", "tag")]) }
                }.class("active-filters").attribute(named: "aria-label", value: "Valgte filtre")
            }
            if model.total == 0 && model.activeFilters.isEmpty {
                Div {
                    Paragraph("Der er ingen organisationer i kataloget endnu.")
                    Paragraph {
                        Text("Skoler og læringsmiljøer kan ")
                        SafeLink(text: "registrere sig", href: SitePath.directory(.new).href)
                        Text(" (kræver login), og Samspils administratorer kan ")
                        SafeLink(text: "importere et regneark", href: SitePath.directory(.importFile).href)
                        Text(".")
                    }
                }.class("alert alert-info")
            } else {
                Div {
                    if !model.facets.isEmpty {
                        Tag("aside", [("class", "facets"), ("aria-label", "Afgræns listen")]) {
                            H2("Afgræns")
                            for group in model.facets {
                                Tag("section", [("class", "facet")]) {
                                    H3(group.title)
                                    FacetOptions(options: group.options)
                                }
                            }
                        }
                    }
                    Div {
                        Paragraph(DirectoryView.summary(total: model.total, partial: model.partial)).class("search-summary")
                            .attribute(named: "role", value: "status")
                        OrganisationViews.SummaryList(items: model.items)
                        Pagination(model: model.pagination)
                    }.class("search-main")
                }.class("search-layout")
            }
            if model.canRegister {
                Paragraph { SafeLink(text: "Registrér en skole, et læringsmiljø eller en anden organisation", href: SitePath.directory(.new).href,
                                     attributes: [("class", "button")]) }
            }
        }
    }
}

enum ProfileView {
    struct Model {
        var profile: OrganisationProfile
        var canEdit: Bool
        var canApprove: Bool
        var canSeeMembers: Bool
        var join: Join
        var csrf: String?
        /// The partnerships it takes part in that are published as cases.
        var cases: [CaseQueries.Link] = []
    }

    /// What the profile offers someone who is not a member yet.
    enum Join: Equatable {
        case none
        /// "Bliv medlem": the request form.
        case request
        /// Anonymous: log in (or create an account) first.
        case logIn
        /// Logged in with an address not yet confirmed.
        case confirmAddress
    }

    static func join(_ actor: Actor, _ resource: OrganisationResource, loggedIn: Bool) -> Join {
        guard resource.status == .approved, actor.roles(in: resource.id).isEmpty else { return .none }
        if Permissions.allows(actor, .requestToJoin, on: resource) { return .request }
        if !loggedIn { return .logIn }
        return actor.verified ? .none : .confirmAddress
    }

    static func render(_ model: Model, site: SiteInfo) -> HTMLOutput {
        let profile = model.profile
        let organisation = profile.organisation
        let detail: String? = switch organisation.kind {
        case .school: organisation.schoolKind?.label
        case .learningEnvironment: profile.environmentKindName
        case .other: organisation.otherKind
        case .municipality: nil
        }
        let description = Markdown.plainText(organisation.description)
        let meta = PageMeta(
            title: organisation.name, description: description.isEmpty ? OrganisationViews.kindLine(organisation.kind, detail: detail) : description,
            canonical: organisation.status == .approved ? SitePath.directory(.organisation(organisation.slug)).href : nil,
            breadcrumbs: [OrganisationViews.home, OrganisationViews.directory], currentCrumb: organisation.name, nav: .organisations
        )
        var facts: [(label: String, value: Component)] = []
        if let name = profile.municipalityName {
            let value: Component = profile.municipalitySlug.map { SafeLink(text: name, href: SitePath.directory(.municipality($0)).href) } ?? Text(name)
            facts.append(("Kommune", value))
        }
        if let region = profile.region { facts.append(("Region", Text(region))) }
        if let address = organisation.address.line { facts.append(("Adresse", Text(address))) }
        if let number = organisation.institutionNumber { facts.append(("Institutionsnummer", Text(number))) }
        if let website = organisation.website { facts.append(("Hjemmeside", SafeLink(text: website, href: website))) }
        if let phone = organisation.phone { facts.append(("Telefon", SafeLink(text: phone, href: "tel:" + phone.filter { $0.isNumber || $0 == "+" }))) }
        if let email = organisation.email { facts.append(("E-mail", SafeLink(text: email, href: "mailto:" + email))) }
        if let latitude = organisation.latitude, let longitude = organisation.longitude {
            facts.append(("Koordinater", Text("\(OrganisationViews.decimal(latitude)) N, \(OrganisationViews.decimal(longitude)) Ø")))
        }
        return PageLayout.page(meta, site: site) {
            if organisation.status == .pending {
                Tag("div", [("class", "alert alert-warning"), ("role", "status")]) {
                    Paragraph("Afventer godkendelse: siden er ikke offentlig endnu. Kun organisationens medlemmer, koordinatorer i kommunen og Samspils administratorer kan se den.")
                }
            }
            Paragraph(OrganisationViews.kindLine(organisation.kind, detail: detail)).class("section-label")
            H1(organisation.name)
            if model.canEdit || model.canApprove || model.canSeeMembers || model.join != .none {
                Div {
                    if model.canSeeMembers {
                        SafeLink(text: "Medlemmer", href: SitePath.membership(.members(organisation.slug)).href, attributes: [("class", "button")])
                    }
                    switch model.join {
                    case .request:
                        SafeLink(text: "Bliv medlem", href: SitePath.membership(.join(organisation.slug)).href, attributes: [("class", "button")])
                    case .logIn:
                        SafeLink(text: "Log ind for at blive medlem",
                                 href: SitePath.login(returningTo: SitePath.membership(.join(organisation.slug)).href),
                                 attributes: [("class", "button")])
                    case .confirmAddress:
                        Paragraph("Bekræft din e-mailadresse (linket i mailen fra Samspil) for at kunne blive medlem.")
                    case .none:
                        ComponentGroup(members: [])
                    }
                    if model.canEdit {
                        SafeLink(text: "Redigér oplysningerne", href: SitePath.directory(.edit(organisation.slug)).href, attributes: [("class", "button")])
                    }
                    if model.canApprove, let csrf = model.csrf {
                        Tag("form", [("class", "inline-form"), ("method", "post"), ("action", SitePath.directory(.approve(organisation.slug)).href)]) {
                            CSRFField(token: csrf)
                            Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Godkend organisationen")
                        }
                    }
                }.class("actions")
            }
            if !organisation.description.isEmpty {
                Div { RawHTML(Markdown.html(organisation.description)) }.class("prose")
            }
            H2("Oplysninger")
            Tag("dl", [("class", "metadata-list")]) {
                for fact in facts {
                    Div {
                        Tag("dt", text: fact.label)
                        Tag("dd") { fact.value }
                    }
                }
            }
            if !profile.subjectNames.isEmpty {
                H2("Fag")
                List(profile.subjectNames) { name in ListItem { Text(name) } }.class("tag-list")
            }
            if !profile.gradeLevelNames.isEmpty {
                H2(organisation.kind == .school ? "Klassetrin på skolen" : "Klassetrin")
                List(profile.gradeLevelNames) { name in ListItem { Text(name) } }.class("tag-list")
            }
            if let accessibility = organisation.accessibility {
                H2("Tilgængelighed")
                Paragraph(accessibility)
            }
            if !profile.materials.isEmpty {
                H2("Materialer fra \(organisation.name)")
                List(profile.materials.indices) { index in
                    ListItem { SafeLink(text: profile.materials[index].title, href: SitePath.material(profile.materials[index].slug).href) }
                }.class("link-list")
            }
            CaseViews.section(model.cases)
        }
    }
}

enum MunicipalityViews {
    static func index(_ entries: [MunicipalityEntry], site: SiteInfo) -> HTMLOutput {
        let meta = PageMeta(title: "Kommuner", description: "Danmarks 98 kommuner og deres skoler og læringsmiljøer, efter region.",
                            canonical: SitePath.directory(.municipalities).href, breadcrumbs: [OrganisationViews.home, OrganisationViews.directory],
                            currentCrumb: "Kommuner", nav: .organisations)
        let regions = Dictionary(grouping: entries, by: \.region).sorted { $0.key < $1.key }
        return PageLayout.page(meta, site: site) {
            H1("Kommuner")
            Paragraph("Danmarks 98 kommuner efter region, med antallet af skoler, læringsmiljøer og andre organisationer i kataloget.").class("lead")
            for (region, municipalities) in regions {
                H2(region)
                List(municipalities) { entry in
                    ListItem {
                        SafeLink(text: entry.name, href: SitePath.directory(.municipality(entry.slug)).href)
                        Text(" ")
                        Span("(\(entry.organisations) \(entry.organisations == 1 ? "organisation" : "organisationer"))").class("count")
                    }
                }.class("link-list municipality-list")
            }
        }
    }

    static func show(_ page: MunicipalityPage, cases: [CaseQueries.Link] = [], site: SiteInfo) -> HTMLOutput {
        let meta = PageMeta(title: "\(page.name) Kommune", description: "Skoler og eksterne læringsmiljøer i \(page.name) Kommune, \(page.region).",
                            canonical: SitePath.directory(.municipality(page.slug)).href,
                            breadcrumbs: [OrganisationViews.home, OrganisationViews.municipalities], currentCrumb: page.name, nav: .organisations)
        let empty = page.groups.allSatisfy(\.items.isEmpty)
        return PageLayout.page(meta, site: site) {
            Paragraph("Kommune · \(page.region)").class("section-label")
            H1("\(page.name) Kommune")
            Tag("dl", [("class", "metadata-list")]) {
                Div { Tag("dt", text: "Kommunekode"); Tag("dd", text: page.code) }
                Div { Tag("dt", text: "Region"); Tag("dd", text: page.region) }
            }
            if empty {
                Paragraph("Der er ingen godkendte skoler eller læringsmiljøer i kommunen i kataloget endnu.")
            }
            for group in page.groups where !group.items.isEmpty {
                H2("\(group.kind.pluralLabel) (\(group.items.count))")
                OrganisationViews.SummaryList(items: group.items, showsMunicipality: false)
            }
            Paragraph {
                SafeLink(text: "Se kommunens organisationer i kataloget", href: DirectoryView.href(OrganisationQuery(municipality: page.code)))
            }
            CaseViews.section(cases)
        }
    }
}
