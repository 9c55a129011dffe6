import SamspilCore
import Vapor

/// Paginated listings of published materials: all, or by type, audience, topic or year.
struct MaterialListingModel: Sendable {
    var heading: String
    var intro: String
    var parent: PageMeta.Crumb?
    var nav: NavItem
    var cards: [MaterialCardModel]
    var pagination: PaginationModel
    var canonical: String
}

enum MaterialListing {
    enum Kind: Sendable {
        case all, type, audience, topic, year

        /// The vocabulary a listing's slug names a term of.
        var vocabulary: VocabularyKind? {
            switch self {
            case .type: .materialType
            case .audience: .audience
            case .topic: .topic
            case .all, .year: nil
            }
        }
    }

    static func handler(_ kind: Kind) -> @Sendable (Request) async throws -> Response {
        { req in try await handle(kind, req) }
    }

    /// A listing is an empty search with one filter: the in-memory index sorts and pages it, and the page's
    /// materials come from the index's records in one statement (see `SearchQueries`).
    static func handle(_ kind: Kind, _ req: Request) async throws -> Response {
        let page = try pageNumber(req)
        let slug = req.parameters.get(SitePath.slug) ?? ""
        let cache = req.application.samspil.vocabularies
        var vocabularies = cache.latest?.vocabularies ?? Vocabularies()
        if let vocabulary = kind.vocabulary, vocabularies.term(slug, in: vocabulary) == nil {
            // This process's copy may be older than a new term: look again before saying it does not exist.
            vocabularies = try await VocabularyQueries.load(on: req.db)
        }
        var query = MaterialQuery(sort: kind == .all || kind == .year ? .title : .newest, page: .page(number: page))
        switch kind {
        case .all: break
        case .type: query.type = try term(slug, .materialType, "Typen", in: vocabularies).slug
        case .audience: query.audience = try term(slug, .audience, "Målgruppen", in: vocabularies).slug
        case .topic: query.topic = try term(slug, .topic, "Emnet", in: vocabularies).slug
        case .year:
            guard let year = Int(slug), MaterialRules.yearRange.contains(year) else {
                throw SamspilError.notFound("Årstallet \"\(slug)\" findes ikke.")
            }
            query.year = year
        }
        let result = try await SearchQueries.search(query, engine: req.application.samspil.searchEngine, bodies: .readingTimeOnly, on: req.db)
        if page > 1 && result.hits.items.isEmpty { throw SamspilError.notFound("Side \(page) findes ikke.") }
        if kind == .year && result.hits.total == 0 { throw SamspilError.notFound("Der er ingen materialer fra \(slug).") }
        vocabularies = try await cache.vocabularies(at: result.vocabularyRevision, on: req.db)
        let heading: String, intro: String, path: SitePath, parent: PageMeta.Crumb?, nav: NavItem
        switch kind {
        case .all:
            (heading, intro, path, parent, nav) = ("Alle materialer", "Publikationer, artikler, modeller og værktøjer fra videncenteret, sorteret efter titel.", .materials, nil, .materials)
        case .type:
            let type = try term(slug, .materialType, "Typen", in: vocabularies)
            (heading, intro, path, parent, nav) = (type.displayPlural, "Materialer af typen \(DanishText.midSentence(type.label)), nyeste først.", .type(slug), .init(label: "Typer", href: SitePath.types.href), .types)
        case .audience:
            let audience = try term(slug, .audience, "Målgruppen", in: vocabularies)
            (heading, intro, path, parent, nav) = ("Til \(DanishText.midSentence(audience.label))", "Materialer for målgruppen \(DanishText.midSentence(audience.label)), nyeste først.", .audience(slug), .init(label: "Målgrupper", href: SitePath.audiences.href), .audiences)
        case .topic:
            let topic = try term(slug, .topic, "Emnet", in: vocabularies)
            (heading, intro, path, parent, nav) = (topic.label, "Materialer om \(DanishText.midSentence(topic.label)), nyeste først.", .topic(slug), .init(label: "Emner", href: SitePath.topics.href), .topics)
        case .year:
            (heading, intro, path, parent, nav) = ("Materialer fra \(slug)", "Materialer udgivet i \(slug), sorteret efter titel.", .year(slug), .init(label: "År", href: SitePath.years.href), .years)
        }
        let materials = ResultPage(items: result.hits.items.map(\.material), total: result.hits.total, request: result.hits.request)
        let model = MaterialListingModel(
            heading: heading, intro: intro, parent: parent, nav: nav,
            cards: materials.items.map { MaterialCardModel($0, vocabularies: vocabularies) },
            pagination: PaginationModel(materials, path: path), canonical: path.href(page: page)
        )
        return PageLayout.publicPage(render(model, site: req.site))
    }

    private static func term(_ slug: String, _ vocabulary: VocabularyKind, _ what: String, in vocabularies: Vocabularies) throws -> VocabularyTerm {
        guard let term = vocabularies.term(slug, in: vocabulary) else { throw SamspilError.notFound("\(what) \"\(slug)\" findes ikke.") }
        return term
    }

    /// `?side=N`, 1 when absent. Anything else than a whole number from 1 is a bad request.
    static func pageNumber(_ req: Request, allowed: Set<String> = ["side"]) throws -> Int {
        if let unknown = req.url.queryItems.first(where: { !allowed.contains($0.name) }) {
            throw SamspilError.invalid([FieldProblem(field: unknown.name, message: "er ikke en kendt parameter på denne side.")])
        }
        guard let raw = req.url.queryItems.first(where: { $0.name == "side" })?.value else { return 1 }
        guard let number = Int(raw), number >= 1, number <= 100_000 else {
            throw SamspilError.invalid([FieldProblem(field: "side", message: "Sidetallet skal være et helt tal fra 1.")])
        }
        return number
    }

    static func render(_ model: MaterialListingModel, site: SiteInfo) -> HTMLOutput {
        var crumbs: [PageMeta.Crumb] = [.init(label: "Forside", href: SitePath.home.href)]
        if let parent = model.parent { crumbs.append(parent) }
        let meta = PageMeta(
            title: model.pagination.current > 1 ? "\(model.heading), side \(model.pagination.current)" : model.heading,
            description: model.intro, canonical: model.canonical, breadcrumbs: crumbs, currentCrumb: model.heading, nav: model.nav
        )
        return PageLayout.page(meta, site: site) {
            H1(model.heading)
            Paragraph(model.intro).class("lead")
            if model.cards.isEmpty {
                Paragraph("Der er ingen udgivne materialer her endnu.")
            } else {
                MaterialList(cards: model.cards)
            }
            Pagination(model: model.pagination)
        }
    }
}

extension URI {
    /// Query items, decoded. Invalid percent-encoding yields the raw text.
    var queryItems: [URLQueryItem] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let plusDecoded = text.replacingOccurrences(of: "+", with: " ")
                return plusDecoded.removingPercentEncoding ?? plusDecoded
            }
            return URLQueryItem(name: decode(parts[0]), value: parts.count > 1 ? decode(parts[1]) : "")
        }
    }
}
