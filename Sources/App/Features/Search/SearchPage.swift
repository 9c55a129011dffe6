import Fluent
import Foundation
import SamspilCore
import SamspilSearch
import Vapor

/// `/soeg`: the search page. Works without JavaScript: the form and every facet are plain links and GETs.
struct SearchPageModel: Sendable {
    struct Hit: Sendable {
        var card: MaterialCardModel
        var title: [Snippet.Part]
        var snippet: [Snippet.Part]
        var language: String?
    }

    struct FacetOption: Sendable {
        var label: String
        var count: Int
        var href: String
        var selected: Bool
    }

    struct FacetGroup: Sendable {
        var title: String
        var options: [FacetOption]
    }

    var text: String
    var total: Int
    var hits: [Hit]
    var facets: [FacetGroup]
    var sortLinks: [(label: String, href: String, current: Bool)]
    var pagination: PaginationModel
    var suggestion: (text: String, href: String)?
    var activeFilters: [(label: String, removeHref: String)]
    /// No material has every word: the hits have this many of this many.
    var partial: PartialMatch? = nil
    /// Published partnership cases that match the words (first page only).
    var cases: [CaseQueries.Link] = []
}

enum SearchPage {
    /// Parameters the page accepts; `side` is the page number.
    static let parameterNames: Set<String> = ["q", "type", "audience", "topic", "year", "language", "sort", "side"]
    static let sorts: [MaterialSort] = [.relevance, .newest]

    static func handle(_ req: Request) async throws -> Response {
        let page = try MaterialListing.pageNumber(req, allowed: parameterNames)
        let context = req.application.samspil
        let parameters = req.url.queryItems.filter { $0.name != "side" }.map { (name: $0.name, value: $0.value ?? "") }
        func parse(_ vocabularies: Vocabularies) throws -> MaterialQuery {
            try MaterialQuery.parse(parameters, vocabularies: vocabularies, themes: [], names: parameterNames.subtracting(["side"]), sorts: sorts)
        }
        var query: MaterialQuery
        do {
            query = try parse(context.vocabularies.latest?.vocabularies ?? Vocabularies())
        } catch SamspilError.invalid {
            // This process's copy of the vocabularies may be older than a filter's term: look again.
            query = try parse(try await VocabularyQueries.load(on: req.db))
        }
        query.page = .page(number: page)
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await SearchQueries.search(query, engine: context.searchEngine, bodies: .readingTimeOnly, on: req.db)
        if page > 1 && result.hits.items.isEmpty { throw SamspilError.notFound("Side \(page) findes ikke.") }
        let vocabularies = try await context.vocabularies.vocabularies(at: result.vocabularyRevision, on: req.db)
        // The view model is made in the search step, as the API makes its response's values there; `render` is
        // writing the page, as the API's is writing its JSON (bench/pages compares the two).
        var model = model(result, vocabularies: vocabularies)
        if page == 1, let text = query.text, !text.isEmpty {
            model.cases = try await context.caseSearch.search(text, limit: 5, revision: try await trustedRevision(context, on: req.db), on: req.db)
        }
        let searched = clock.now
        let response = PageLayout.publicPage(render(model, site: req.site))
        response.headers.replaceOrAdd(name: "Server-Timing", value: ServerTiming.header(
            database: result.databaseTime, search: searched - start, render: clock.now - searched))
        return response
    }

    /// The content revision as this process may trust it (read under half a second ago), else read now.
    static func trustedRevision(_ context: SamspilContext, on db: any Database) async throws -> Int64 {
        let (trusted, reading) = context.pageCache.trustedRevision()
        if let trusted { return trusted }
        let revision = try await ContentRevision.current(on: db)
        context.pageCache.remember(revision, from: reading)
        return revision
    }

    /// The search address for a query (page 1).
    static func href(_ query: MaterialQuery) -> String {
        var items: [(String, String)] = []
        if let text = query.text, !text.isEmpty { items.append(("q", text)) }
        if let type = query.type { items.append(("type", type)) }
        if let audience = query.audience { items.append(("audience", audience)) }
        if let topic = query.topic { items.append(("topic", topic)) }
        if let year = query.year { items.append(("year", String(year))) }
        if let language = query.language { items.append(("language", language.rawValue)) }
        if query.sort != .relevance { items.append(("sort", query.sort.rawValue)) }
        guard !items.isEmpty else { return SitePath.search.href }
        let encoded = items.map { "\($0.0)=\(PercentEncoding.queryValue($0.1))" }
        return SitePath.search.href + "?" + encoded.joined(separator: "&")
    }

    static func model(_ result: SearchResult, vocabularies: Vocabularies) -> SearchPageModel {
        let query = result.query
        var first = query
        first.page = PageRequest()
        func toggled(_ change: (inout MaterialQuery) -> Void) -> String {
            var next = first
            change(&next)
            return href(next)
        }
        func options(_ counts: [String: Int], _ kind: VocabularyKind?, selected: String?, set: @escaping (inout MaterialQuery, String?) -> Void) -> [SearchPageModel.FacetOption] {
            let order: [String] = kind.map { vocabularies.terms($0).map(\.slug) } ?? counts.keys.sorted()
            return order.compactMap { key in
                guard let count = counts[key] else { return nil }
                let label = kind.map { vocabularies.label(key, in: $0) } ?? (Language(rawValue: key)?.label ?? key)
                let isSelected = selected == key
                return .init(label: label, count: count, href: toggled { set(&$0, isSelected ? nil : key) }, selected: isSelected)
            }
        }
        let years = result.facets.years.keys.sorted(by: >).map { year in
            SearchPageModel.FacetOption(label: String(year), count: result.facets.years[year]!,
                                        href: toggled { $0.year = query.year == year ? nil : year }, selected: query.year == year)
        }
        let facets: [SearchPageModel.FacetGroup] = [
            .init(title: "Type", options: options(result.facets.types, .materialType, selected: query.type) { $0.type = $1 }),
            .init(title: "Målgruppe", options: options(result.facets.audiences, .audience, selected: query.audience) { $0.audience = $1 }),
            .init(title: "Emne", options: options(result.facets.topics, .topic, selected: query.topic) { $0.topic = $1 }),
            .init(title: "År", options: years),
            .init(title: "Sprog", options: options(result.facets.languages, nil, selected: query.language?.rawValue) { $0.language = $1.flatMap(Language.init(rawValue:)) }),
        ].filter { !$0.options.isEmpty }
        var active: [(String, String)] = []
        if let type = query.type { active.append(("Type: \(vocabularies.label(type, in: .materialType))", toggled { $0.type = nil })) }
        if let audience = query.audience { active.append(("Målgruppe: \(vocabularies.label(audience, in: .audience))", toggled { $0.audience = nil })) }
        if let topic = query.topic { active.append(("Emne: \(vocabularies.label(topic, in: .topic))", toggled { $0.topic = nil })) }
        if let year = query.year { active.append(("År: \(year)", toggled { $0.year = nil })) }
        if let language = query.language { active.append(("Sprog: \(language.label)", toggled { $0.language = nil })) }
        let hasText = !(query.text ?? "").trimmingCharacters(in: .whitespaces).isEmpty
        let sortLinks = hasText ? [
            ("Bedste match", toggled { $0.sort = .relevance }, query.sort == .relevance),
            ("Nyeste", toggled { $0.sort = .newest }, query.sort == .newest),
        ] : []
        return SearchPageModel(
            text: query.text ?? "",
            total: result.hits.total,
            hits: result.hits.items.map { hit in
                SearchPageModel.Hit(
                    card: MaterialCardModel(hit.material, vocabularies: vocabularies),
                    title: hit.title?.parts ?? [Snippet.Part(hit.material.title, highlighted: false)],
                    snippet: hit.snippet?.parts ?? [Snippet.Part(hit.material.teaser, highlighted: false)],
                    language: hit.material.language == .danish ? nil : hit.material.language.rawValue
                )
            },
            facets: facets,
            sortLinks: sortLinks,
            pagination: PaginationModel(result.hits, baseHref: href(first)),
            suggestion: result.suggestion.map { text in (text, toggled { $0.text = text }) },
            activeFilters: active,
            partial: result.partial
        )
    }

    static func render(_ model: SearchPageModel, site: SiteInfo) -> HTMLOutput {
        let heading = model.text.isEmpty ? "Søg i materialerne" : "Søgeresultater"
        var meta = PageMeta(title: model.text.isEmpty ? heading : "Søgning: \(model.text)",
                            description: "Søg i videncenterets materialer om åben skole.", canonical: nil,
                            breadcrumbs: [.init(label: "Forside", href: SitePath.home.href)], currentCrumb: "Søg")
        meta.showsHeaderSearch = false
        return PageLayout.page(meta, site: site) { SearchResultsView(model: model, heading: heading) }
    }
}

/// The search page's content, written directly: most of it changes with every query, and the search page is
/// measured against the API's JSON of the same results.
struct SearchResultsView: Component {
    var model: SearchPageModel
    var heading: String

    var body: Component { self }
    func write(to html: inout HTMLOutput) {
        html.element("h1", text: heading)
        html.raw("<form class=\"search-form\" role=\"search\" action=\"")
        html.attributeValue(SitePath.search.href)
        // The quotation marks are what to type (straight ones), so the example is code, not a quotation.
        html.raw("\" method=\"get\"><label for=\"search-q\">Søgeord</label><p id=\"search-hint\" class=\"form-hint\">")
        html.raw("Skriv et eller flere ord. Sæt anførselstegn om en frase, fx <code>&quot;åben skole&quot;</code>.</p>")
        html.raw("<div class=\"search-row\"><input type=\"search\" id=\"search-q\" name=\"q\" value=\"")
        html.attributeValue(model.text)
        html.raw("\" aria-describedby=\"search-hint\" maxlength=\"")
        html.raw(String(ParsedSearch.maxLength))
        html.raw("\"/><button type=\"submit\" class=\"button button-primary\">Søg</button></div></form>")
        if let suggestion = model.suggestion {
            html.raw("<div class=\"alert alert-info\"><p>Mente du ")
            SafeLink(text: suggestion.text, href: suggestion.href).write(to: &html)
            html.raw("?</p></div>")
        }
        html.raw("<p class=\"search-summary\" role=\"status\">")
        if let partial = model.partial {
            // Said first, in the same status message, so nobody takes these for hits of every word.
            html.text("Ingen materialer indeholder alle \(partial.of) ord. ")
            html.text(model.total == 1 ? "1 materiale indeholder" : "\(model.total) materialer indeholder")
            html.text(" \(partial.matched) af dem:")
        } else {
            html.text(model.total == 0 ? "Ingen materialer fundet." : (model.total == 1 ? "1 materiale fundet." : "\(model.total) materialer fundet."))
        }
        html.raw("</p>")
        if !model.activeFilters.isEmpty {
            html.raw("<ul class=\"active-filters\" aria-label=\"Valgte filtre\">")
            for filter in model.activeFilters {
                html.raw("<li>")
                SafeLink(text: "\(filter.label) – fjern", href: filter.removeHref, attributes: [("class", "tag")]).write(to: &html)
                html.raw("</li>")
            }
            html.raw("</ul>")
        }
        html.raw("<div class=\"search-layout\">")
        if !model.facets.isEmpty {
            html.raw("<aside class=\"facets\" aria-label=\"Afgræns søgningen\"><h2>Afgræns</h2>")
            for group in model.facets {
                html.raw("<section class=\"facet\">")
                html.element("h3", text: group.title)
                FacetOptions(options: group.options).write(to: &html)
                html.raw("</section>")
            }
            html.raw("</aside>")
        }
        html.raw("<div class=\"search-main\">")
        if !model.sortLinks.isEmpty {
            html.raw("<p class=\"sort-links\">Sortér: ")
            for link in model.sortLinks {
                if link.current {
                    html.raw("<strong aria-current=\"true\">")
                    html.text(link.label)
                    html.raw("</strong>")
                } else {
                    SafeLink(text: link.label, href: link.href).write(to: &html)
                }
                html.raw(" ")
            }
            html.raw("</p>")
        }
        if !model.cases.isEmpty {
            html.raw("<section class=\"case-hits\" aria-labelledby=\"case-hits\"><h2 id=\"case-hits\">Eksempler på partnerskaber</h2>")
            CaseViews.linkList(model.cases).write(to: &html)
            html.raw("</section>")
        }
        html.raw("<ul class=\"material-list search-results\">")
        for hit in model.hits { SearchHitItem(hit: hit).write(to: &html) }
        html.raw("</ul>")
        Pagination(model: model.pagination).write(to: &html)
        html.raw("</div></div>")
    }
}

struct HighlightedText: Component {
    var parts: [Snippet.Part]

    var body: Component { self }
    func write(to html: inout HTMLOutput) {
        for part in parts {
            if part.highlighted {
                html.open("mark")
                html.text(part.text)
                html.close("mark")
            } else {
                html.text(part.text)
            }
        }
    }
}

/// A result. Written directly, as `MaterialCard` is: a page holds twenty.
struct SearchHitItem: Component {
    var hit: SearchPageModel.Hit

    var body: Component { self }
    func write(to html: inout HTMLOutput) {
        html.open("li")
        html.open("article", class: "material-card")
        html.element("p", class: "material-type", text: hit.card.typeLabel)
        html.open("h2", class: "material-title")
        if let language = hit.language {
            html.open("a", [("href", hit.card.href), ("hreflang", language)])
        } else {
            html.open("a", [("href", hit.card.href)])
        }
        if let genre = hit.card.genreLabel {
            html.element("span", class: "genre", text: "\(genre):")
            html.raw(" ")
        }
        if let language = hit.language { html.open("span", [("lang", language)]) } else { html.open("span") }
        HighlightedText(parts: hit.title).write(to: &html)
        html.close("span")
        html.close("a")
        html.close("h2")
        if let language = hit.language {
            html.open("p", [("class", "teaser snippet"), ("lang", language)])
        } else {
            html.open("p", class: "teaser snippet")
        }
        HighlightedText(parts: hit.snippet).write(to: &html)
        html.close("p")
        if let credit = hit.card.creditLine { html.element("p", class: "credit-line", text: credit) }
        html.close("article")
        html.close("li")
    }
}

/// The options of one facet, as links. Written directly: a search page has dozens.
struct FacetOptions: Component {
    var options: [SearchPageModel.FacetOption]

    var body: Component { self }
    func write(to html: inout HTMLOutput) {
        html.open("ul")
        for option in options {
            html.open("li")
            if option.selected {
                html.open("a", [("href", option.href), ("aria-current", "true"), ("class", "selected")])
            } else {
                html.open("a", [("href", option.href)])
            }
            html.text("\(option.label) (\(option.count))")
            html.close("a")
            html.close("li")
        }
        html.close("ul")
    }
}
