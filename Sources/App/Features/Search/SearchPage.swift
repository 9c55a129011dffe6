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
        let result = try await SearchQueries.search(query, engine: context.searchEngine, on: req.db)
        if page > 1 && result.hits.items.isEmpty { throw SamspilError.notFound("Side \(page) findes ikke.") }
        let vocabularies = try await context.vocabularies.vocabularies(at: result.vocabularyRevision, on: req.db)
        let searched = clock.now
        let response = PageLayout.publicPage(render(model(result, vocabularies: vocabularies), site: req.site))
        response.headers.replaceOrAdd(name: "Server-Timing", value: ServerTiming.header(
            database: result.databaseTime, search: searched - start, render: clock.now - searched))
        return response
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
            activeFilters: active
        )
    }

    static func render(_ model: SearchPageModel, site: SiteInfo) -> String {
        let heading = model.text.isEmpty ? "Søg i materialerne" : "Søgeresultater"
        var meta = PageMeta(title: model.text.isEmpty ? heading : "Søgning: \(model.text)",
                            description: "Søg i videncenterets materialer om åben skole.", canonical: nil,
                            breadcrumbs: [.init(label: "Forside", href: SitePath.home.href)], currentCrumb: "Søg")
        meta.showsHeaderSearch = false
        return PageLayout.render(meta, site: site) {
            H1(heading)
            Tag("form", [("class", "search-form"), ("role", "search"), ("action", SitePath.search.href), ("method", "get")]) {
                Tag("label", [("for", "search-q")], text: "Søgeord")
                // The quotation marks are what to type (straight ones), so the example is code, not a quotation.
                Tag("p", [("id", "search-hint"), ("class", "form-hint")]) {
                    Text("Skriv et eller flere ord. Sæt anførselstegn om en frase, fx ")
                    Tag("code", text: "\"åben skole\"")
                    Text(".")
                }
                Div {
                    VoidTag("input", [("type", "search"), ("id", "search-q"), ("name", "q"), ("value", model.text),
                                      ("aria-describedby", "search-hint"), ("maxlength", String(ParsedSearch.maxLength))])
                    Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Søg")
                }.class("search-row")
            }
            if let suggestion = model.suggestion {
                Div {
                    Paragraph {
                        Text("Mente du ")
                        SafeLink(text: suggestion.text, href: suggestion.href)
                        Text("?")
                    }
                }.class("alert alert-info")
            }
            Tag("p", [("class", "search-summary"), ("role", "status")],
                text: model.total == 0 ? "Ingen materialer fundet." : (model.total == 1 ? "1 materiale fundet." : "\(model.total) materialer fundet."))
            if !model.activeFilters.isEmpty {
                Tag("ul", [("class", "active-filters"), ("aria-label", "Valgte filtre")]) {
                    for filter in model.activeFilters {
                        ListItem { SafeLink(text: "\(filter.label) – fjern", href: filter.removeHref, attributes: [("class", "tag")]) }
                    }
                }
            }
            Div {
                if !model.facets.isEmpty {
                    Tag("aside", [("class", "facets"), ("aria-label", "Afgræns søgningen")]) {
                        H2("Afgræns")
                        for group in model.facets {
                            Tag("section", [("class", "facet")]) {
                                H3(group.title)
                                List(group.options.indices) { index in
                                    let option = group.options[index]
                                    return ListItem {
                                        SafeLink(text: "\(option.label) (\(option.count))", href: option.href,
                                                 attributes: option.selected ? [("aria-current", "true"), ("class", "selected")] : [])
                                    }
                                }
                            }
                        }
                    }
                }
                Div {
                    if !model.sortLinks.isEmpty {
                        Tag("p", [("class", "sort-links")]) {
                            Text("Sortér: ")
                            for link in model.sortLinks {
                                if link.current {
                                    Tag("strong", [("aria-current", "true")], text: link.label)
                                } else {
                                    SafeLink(text: link.label, href: link.href)
                                }
                                Text(" ")
                            }
                        }
                    }
                    List(model.hits.indices) { index in
                        SearchHitItem(hit: model.hits[index])
                    }.class("material-list search-results")
                    Pagination(model: model.pagination)
                }.class("search-main")
            }.class("search-layout")
        }
    }
}

struct HighlightedText: Component {
    var parts: [Snippet.Part]

    var body: Component {
        ComponentGroup(members: parts.map { part -> Component in
            part.highlighted ? Tag("mark", text: part.text) : Text(part.text)
        })
    }
}

struct SearchHitItem: Component {
    var hit: SearchPageModel.Hit

    var body: Component {
        ListItem {
            Article {
                Paragraph(hit.card.typeLabel).class("material-type")
                H2 {
                    Tag("a", [("href", hit.card.href)] + (hit.language.map { [("hreflang", $0)] } ?? [])) {
                        if let genre = hit.card.genreLabel {
                            Span("\(genre):").class("genre")
                            Text(" ")
                        }
                        Tag("span", hit.language.map { [("lang", $0)] } ?? []) { HighlightedText(parts: hit.title) }
                    }
                }.class("material-title")
                Tag("p", [("class", "teaser snippet")] + (hit.language.map { [("lang", $0)] } ?? [])) {
                    HighlightedText(parts: hit.snippet)
                }
                if let credit = hit.card.creditLine {
                    Paragraph(credit).class("credit-line")
                }
            }.class("material-card")
        }
    }
}
