import SamspilCore
import Vapor

struct HomeModel: Sendable {
    var themes: [(title: String, href: String, intro: String)]
    var newest: [MaterialCardModel]
    var materialCount: Int
}

enum HomePage {
    static func handle(_ req: Request) async throws -> Response {
        let context = req.application.samspil
        let themes = try await PublishedReads.themes(on: req.db)
        let newest = try await SearchQueries.search(MaterialQuery(sort: .newest, page: PageRequest(limit: 3)), engine: context.searchEngine,
                                                    bodies: .readingTimeOnly, on: req.db)
        let vocabularies = try await context.vocabularies.vocabularies(at: newest.vocabularyRevision, on: req.db)
        let model = HomeModel(
            themes: themes.map { ($0.title, SitePath.theme($0.slug).href, Markdown.plainText($0.intro)) },
            newest: newest.hits.items.map { MaterialCardModel($0.material, vocabularies: vocabularies) },
            materialCount: newest.hits.total
        )
        return PageLayout.publicPage(render(model, site: req.site))
    }

    static func render(_ model: HomeModel, site: SiteInfo) -> HTMLOutput {
        let meta = PageMeta(
            title: SiteInfo.serviceName,
            description: "Viden, modeller og værktøjer til samarbejder mellem skoler, kommuner og eksterne læringsmiljøer.",
            canonical: SitePath.home.href, nav: .home,
            feeds: [.init(label: "Nye materialer", href: SitePath.feed.href)]
        )
        return PageLayout.page(meta, site: site) {
            Tag("section", [("class", "hero")]) {
                H1("Viden om samarbejder i den åbne skole")
                Paragraph("Samspil samler publikationer, artikler, modeller og værktøjer, der hjælper skoler, kommuner og eksterne læringsmiljøer med at indgå samarbejder og partnerskaber.")
                    .class("lead")
                Paragraph {
                    Link("Se alle \(model.materialCount) materialer", url: SitePath.materials.href).class("button button-primary")
                }
            }
            H2("Temaer")
            Div {
                for theme in model.themes {
                    Tag("section", [("class", "card")]) {
                        H3 { SafeLink(text: theme.title, href: theme.href) }
                        Paragraph(theme.intro)
                    }
                }
            }.class("card-grid")
            H2("Find materialer")
            Div {
                Tag("section", [("class", "card")]) {
                    H3 { Link("Find materialer efter type", url: SitePath.types.href) }
                    Paragraph("Publikationer, artikler, modeller, tjeklister og lister.")
                }
                Tag("section", [("class", "card")]) {
                    H3 { Link("Find materialer efter målgruppe", url: SitePath.audiences.href) }
                    Paragraph("Til skoler, kommuner, eksterne læringsmiljøer og PLC.")
                }
            }.class("card-grid")
            if !model.newest.isEmpty {
                H2("Nyeste materialer")
                MaterialList(cards: model.newest, headingLevel: 3)
            }
        }
    }
}
