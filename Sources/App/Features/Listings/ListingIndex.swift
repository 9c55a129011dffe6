import Fluent
import Plot
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
            let model = try await model(kind, on: req.db)
            return PageLayout.response(render(model, site: req.site))
        }
    }

    static func model(_ kind: MaterialListing.Kind, on db: any Database) async throws -> ListingIndexModel {
        let vocabularies = try await VocabularyQueries.load(on: db)
        func links(_ vocabulary: VocabularyKind, counts: [String: Int], path: (String) -> SitePath) -> [CountedLink] {
            vocabularies.terms(vocabulary).compactMap { term in
                counts[term.slug].map { CountedLink(label: vocabulary == .materialType ? term.displayPlural : term.label, href: path(term.slug).href, count: $0) }
            }
        }
        switch kind {
        case .type, .all:
            return ListingIndexModel(heading: "Typer", intro: "Materialerne ordnet efter type.", nav: .types,
                                     links: links(.materialType, counts: try await MaterialQueries.typeCounts(on: db), path: SitePath.type), canonical: SitePath.types.href)
        case .audience:
            return ListingIndexModel(heading: "Målgrupper", intro: "Hvem materialerne er skrevet til.", nav: .audiences,
                                     links: links(.audience, counts: try await MaterialQueries.termCounts(.audience, on: db), path: SitePath.audience), canonical: SitePath.audiences.href)
        case .topic:
            return ListingIndexModel(heading: "Emner", intro: "Hvad materialerne handler om.", nav: .topics,
                                     links: links(.topic, counts: try await MaterialQueries.termCounts(.topic, on: db), path: SitePath.topic), canonical: SitePath.topics.href)
        case .year:
            let years = try await MaterialQueries.yearCounts(on: db)
            return ListingIndexModel(heading: "År", intro: "Materialerne efter udgivelsesår.", nav: .years,
                                     links: years.map { CountedLink(label: String($0.year), href: SitePath.year(String($0.year)).href, count: $0.count) },
                                     canonical: SitePath.years.href)
        }
    }

    static func render(_ model: ListingIndexModel, site: SiteInfo) -> String {
        let meta = PageMeta(title: model.heading, description: model.intro, canonical: model.canonical,
                            breadcrumbs: [.init(label: "Forside", href: SitePath.home.href)], currentCrumb: model.heading, nav: model.nav)
        return PageLayout.render(meta, site: site) {
            H1(model.heading)
            Paragraph(model.intro).class("lead")
            CountedLinkList(links: model.links)
        }
    }
}
