import Fluent
import SamspilCore
import Vapor

/// The index pages of the listings: all types, audiences, topics or years, with counts.
struct ListingIndexModel: Sendable {
    var heading: String
    var intro: String
    var nav: NavItem
    var links: [CountedLink]
    var canonical: String
}

enum ListingIndex {
    static func handler(_ kind: MaterialListing.Kind) -> @Sendable (Request) async throws -> Response {
        { req in
            _ = try MaterialListing.pageNumber(req)
            let model = try await model(kind, engine: req.application.samspil.searchEngine,
                                        vocabularies: req.application.samspil.vocabularies, on: req.db)
            return PageLayout.publicPage(render(model, site: req.site))
        }
    }

    /// The counts are the facets of an empty search (every published material), counted in memory.
    static func model(_ kind: MaterialListing.Kind, engine: SearchEngine, vocabularies cache: VocabularyCache,
                      on db: any Database) async throws -> ListingIndexModel {
        let result = try await SearchQueries.search(MaterialQuery(page: PageRequest(limit: 0)), engine: engine, on: db)
        let vocabularies = try await cache.vocabularies(at: result.vocabularyRevision, on: db)
        func links(_ vocabulary: VocabularyKind, counts: [String: Int], path: (String) -> SitePath) -> [CountedLink] {
            vocabularies.terms(vocabulary).compactMap { term in
                counts[term.slug].map { CountedLink(label: vocabulary == .materialType ? term.displayPlural : term.label, href: path(term.slug).href, count: $0) }
            }
        }
        switch kind {
        case .type, .all:
            return ListingIndexModel(heading: "Typer", intro: "Materialerne ordnet efter type.", nav: .types,
                                     links: links(.materialType, counts: result.facets.types, path: SitePath.type), canonical: SitePath.types.href)
        case .audience:
            return ListingIndexModel(heading: "Målgrupper", intro: "Hvem materialerne er skrevet til.", nav: .audiences,
                                     links: links(.audience, counts: result.facets.audiences, path: SitePath.audience), canonical: SitePath.audiences.href)
        case .topic:
            return ListingIndexModel(heading: "Emner", intro: "Hvad materialerne handler om.", nav: .topics,
                                     links: links(.topic, counts: result.facets.topics, path: SitePath.topic), canonical: SitePath.topics.href)
        case .year:
            let years = result.facets.years.sorted { $0.key > $1.key }
            return ListingIndexModel(heading: "År", intro: "Materialerne efter udgivelsesår.", nav: .years,
                                     links: years.map { CountedLink(label: String($0.key), href: SitePath.year(String($0.key)).href, count: $0.value) },
                                     canonical: SitePath.years.href)
        }
    }

    static func render(_ model: ListingIndexModel, site: SiteInfo) -> HTMLOutput {
        let meta = PageMeta(title: model.heading, description: model.intro, canonical: model.canonical,
                            breadcrumbs: [.init(label: "Forside", href: SitePath.home.href)], currentCrumb: model.heading, nav: model.nav)
        return PageLayout.page(meta, site: site) {
            H1(model.heading)
            Paragraph(model.intro).class("lead")
            CountedLinkList(links: model.links)
        }
    }
}
