import SamspilCore
import Vapor

/// A theme page: the introduction and the theme's materials in the theme's order.
struct ThemeShowModel: Sendable {
    var slug: String
    var title: String
    var section: String?
    var introHTML: String
    var introText: String
    var cards: [MaterialCardModel]
    /// An editor's preview (any status): a notice instead of the canonical address and feed.
    var isPreview = false

    init(theme: Theme, materials: [Material], vocabularies: Vocabularies) {
        slug = theme.slug
        title = theme.title
        section = theme.section
        introHTML = Markdown.html(theme.intro)
        introText = Markdown.plainText(theme.intro)
        cards = materials.map { MaterialCardModel($0, vocabularies: vocabularies) }
    }
}

enum ThemeShow {
    static func handle(_ req: Request) async throws -> Response {
        _ = try MaterialListing.pageNumber(req)
        let slug = req.parameters.get(SitePath.slug) ?? ""
        guard let page = try await PublishedReads.theme(slug: slug, on: req.db) else {
            throw SamspilError.notFound("Temaet \"\(slug)\" findes ikke.")
        }
        let vocabularies = try await req.application.samspil.vocabularies.vocabularies(at: page.vocabularyRevision, on: req.db)
        return PageLayout.publicPage(render(ThemeShowModel(theme: page.theme, materials: page.materials, vocabularies: vocabularies), site: req.site))
    }

    static func render(_ model: ThemeShowModel, site: SiteInfo) -> HTMLOutput {
        let meta = PageMeta(
            title: model.title,
            description: model.introText,
            canonical: model.isPreview ? nil : SitePath.theme(model.slug).href,
            breadcrumbs: [.init(label: "Forside", href: SitePath.home.href), .init(label: "Temaer", href: SitePath.themes.href)],
            currentCrumb: model.title,
            nav: .themes,
            feeds: model.isPreview ? [] : [.init(label: "\(model.title) – nye materialer", href: SitePath.themeFeed(model.slug).href)]
        )
        return PageLayout.page(meta, site: site) {
            if model.isPreview {
                Tag("div", [("class", "alert alert-warning"), ("role", "status")]) {
                    Paragraph {
                        Text("Forhåndsvisning: sådan ser temaet ud for læserne, når det er udgivet. Kun udgivne materialer vises. ")
                        SafeLink(text: "Tilbage til redigering", href: SitePath.editTheme(model.slug).href)
                    }
                }
            }
            if let section = model.section {
                Paragraph(section).class("section-label")
            }
            H1(model.title)
            Div { RawHTML(model.introHTML) }.class("lead prose")
            if model.cards.isEmpty {
                Div { Paragraph("Temaet har endnu ingen materialer.") }.class("alert alert-info")
            } else {
                H2("Materialer i temaet")
                MaterialList(cards: model.cards, headingLevel: 3)
            }
            Paragraph {
                Link("Abonnér på nye materialer i temaet (Atom-feed)", url: SitePath.themeFeed(model.slug).href)
            }
        }
    }
}

/// All theme pages.
enum ThemeIndex {
    static func handle(_ req: Request) async throws -> Response {
        _ = try MaterialListing.pageNumber(req)
        let themes = try await PublishedReads.themes(on: req.db)
        return PageLayout.publicPage(render(themes.map { ($0.title, SitePath.theme($0.slug).href, Markdown.plainText($0.intro), $0.materialCount) }, site: req.site))
    }

    static func render(_ themes: [(title: String, href: String, intro: String, count: Int)], site: SiteInfo) -> HTMLOutput {
        let meta = PageMeta(title: "Temaer", description: "Temasider med materialer om åben skole.", canonical: SitePath.themes.href,
                            breadcrumbs: [.init(label: "Forside", href: SitePath.home.href)], currentCrumb: "Temaer", nav: .themes)
        return PageLayout.page(meta, site: site) {
            H1("Temaer")
            Paragraph("Temasiderne samler materialer om et emne i en bestemt rækkefølge.").class("lead")
            Div {
                for theme in themes {
                    Tag("section", [("class", "card")]) {
                        H2 { SafeLink(text: theme.title, href: theme.href) }
                        Paragraph(theme.intro)
                        Paragraph("\(theme.count) materialer").class("count")
                    }
                }
            }.class("card-grid")
        }
    }
}
