import SamspilCore

/// A material as a card in a list: type label, title with genre, teaser, credit line, reading time.
struct MaterialCardModel: Sendable {
    var href: String
    var typeLabel: String
    var genreLabel: String?
    var title: String
    var teaser: String
    var creditLine: String?
    var readingMinutes: Int?
    /// Set when the material is not in Danish: (language code, Danish note).
    var language: (code: String, note: String)?

    init(_ material: Material, vocabularies: Vocabularies) {
        href = SitePath.material(material.slug).href
        typeLabel = vocabularies.label(material.type, in: .materialType)
        genreLabel = material.genre?.label
        title = material.title
        teaser = material.teaser
        creditLine = material.credits.line(year: material.year)
        readingMinutes = material.effectiveReadingMinutes
        language = material.language == .danish ? nil : (material.language.rawValue, "På \(DanishText.midSentence(material.language.label))")
    }

}

/// A material in a list. Written directly rather than composed of components: a page lists twenty of them,
/// and this is most of a listing's HTML.
struct MaterialCard: Component {
    var card: MaterialCardModel
    /// h2 in a page's main list, h3 in a section.
    var headingLevel: Int = 2

    var body: Component { self }
    func write(to html: inout HTMLOutput) {
        html.open("article", class: "material-card")
        html.element("p", class: "material-type", text: card.typeLabel)
        let heading: StaticString = headingLevel == 3 ? "h3" : "h2"
        html.open(heading, class: "material-title")
        if let language = card.language {
            html.open("a", [("href", card.href), ("hreflang", language.code)])
        } else {
            html.open("a", [("href", card.href)])
        }
        if let genre = card.genreLabel {
            html.element("span", class: "genre", text: "\(genre):")
            html.raw(" ")
        }
        if let language = card.language {
            html.open("span", [("lang", language.code)])
            html.text(card.title)
            html.close("span")
        } else {
            html.text(card.title)
        }
        html.close("a")
        html.close(heading)
        if let language = card.language {
            html.open("p", [("class", "teaser"), ("lang", language.code)])
            html.text(card.teaser)
            html.close("p")
        } else {
            html.element("p", class: "teaser", text: card.teaser)
        }
        if let credit = card.creditLine { html.element("p", class: "credit-line", text: credit) }
        if let minutes = card.readingMinutes { html.element("p", class: "reading-time", text: "Læsetid \(minutes) min.") }
        if let language = card.language { html.element("p", class: "language-note", text: language.note) }
        html.close("article")
    }
}

struct MaterialList: Component {
    var cards: [MaterialCardModel]
    var headingLevel: Int = 2
    var compact = false

    var body: Component { self }
    func write(to html: inout HTMLOutput) {
        html.open("ul", class: compact ? "material-list compact" : "material-list")
        for card in cards {
            html.open("li")
            MaterialCard(card: card, headingLevel: headingLevel).write(to: &html)
            html.close("li")
        }
        html.close("ul")
    }
}

/// Page links for a paginated listing.
struct PaginationModel: Sendable, Equatable {
    /// The address of page 1, possibly with other query parameters; pages add `side=N`.
    var baseHref: String
    var current: Int
    var pageCount: Int
    var firstShown: Int
    var lastShown: Int
    var total: Int

    init<Item>(_ page: ResultPage<Item>, path: SitePath) {
        self.init(page, baseHref: path.href)
    }

    init<Item>(_ page: ResultPage<Item>, baseHref: String) {
        self.baseHref = baseHref
        current = page.request.number
        pageCount = page.pageCount
        total = page.total
        firstShown = page.items.isEmpty ? 0 : page.request.offset + 1
        lastShown = page.request.offset + page.items.count
    }

    /// Page numbers to link: the first, the last and two on each side of the current; 0 marks a gap.
    var visiblePages: [Int] {
        let wanted = Set([1, pageCount] + Array(max(1, current - 2)...min(pageCount, current + 2))).sorted()
        var pages: [Int] = []
        for number in wanted {
            if let last = pages.last, number > last + 1 { pages.append(0) }
            pages.append(number)
        }
        return pages
    }

    func href(page: Int) -> String {
        guard page > 1 else { return baseHref }
        return baseHref + (baseHref.contains("?") ? "&" : "?") + "side=\(page)"
    }
}

struct Pagination: Component {
    var model: PaginationModel

    var body: Component {
        ComponentGroup {
            if model.pageCount > 1 {
                Navigation { List {
                    if model.current > 1 {
                        ListItem { SafeLink(text: "Forrige", href: model.href(page: model.current - 1), attributes: [("rel", "prev")]) }
                    }
                    for number in model.visiblePages {
                        if number == 0 {
                            ListItem { Span("…").class("pagination-gap") }
                        } else {
                        ListItem {
                            if number == model.current {
                                SafeLink(text: "\(number)", href: model.href(page: number), attributes: [("aria-current", "page")])
                            } else {
                                SafeLink(text: "\(number)", href: model.href(page: number), attributes: [("aria-label", "Side \(number)")])
                            }
                        }
                        }
                    }
                    if model.current < model.pageCount {
                        ListItem { SafeLink(text: "Næste", href: model.href(page: model.current + 1), attributes: [("rel", "next")]) }
                    }
                } }.class("pagination").attribute(named: "aria-label", value: "Sidenavigation")
            }
            // Nothing to count when there is nothing: the page says so in its own words.
            if model.total > 0 {
                Paragraph("Viser \(model.firstShown)–\(model.lastShown) af \(model.total)").class("pagination-summary")
            }
        }
    }
}

/// A link with a count: "Publikationer (7)".
struct CountedLink: Sendable, Equatable {
    var label: String
    var href: String
    var count: Int
}

struct CountedLinkList: Component {
    var links: [CountedLink]

    var body: Component {
        List(links) { link in
            ListItem {
                SafeLink(text: link.label, href: link.href)
                Text(" ")
                Span("(\(link.count) \(link.count == 1 ? "materiale" : "materialer"))").class("count")
            }
        }.class("link-list")
    }
}

struct TagLinks: Component {
    var links: [(label: String, href: String)]

    var body: Component {
        List(links.indices) { index in
            ListItem { SafeLink(text: links[index].label, href: links[index].href, attributes: [("class", "tag")]) }
        }.class("tag-list")
    }
}
