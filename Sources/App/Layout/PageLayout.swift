import Foundation
import Plot
import Vapor

/// What the page shell needs to know about a page.
struct PageMeta: Sendable {
    struct Crumb: Sendable {
        var label: String
        var href: String
    }

    var title: String
    var description: String?
    /// Canonical path of the page; `nil` for error pages.
    var canonical: String?
    /// Ancestors of the page, from the front page; the page itself is added last.
    var breadcrumbs: [Crumb] = []
    var currentCrumb: String? = nil
    var nav: NavItem?
    var feeds: [Crumb] = []
    /// JSON-LD (already valid JSON) for the page.
    var jsonLD: String? = nil
    var lang: String = "da"
}

/// The items of the main navigation.
enum NavItem: CaseIterable, Sendable {
    case home, themes, materials, types, audiences, topics, years

    var label: String {
        switch self {
        case .home: "Forside"
        case .themes: "Temaer"
        case .materials: "Materialer"
        case .types: "Typer"
        case .audiences: "Målgrupper"
        case .topics: "Emner"
        case .years: "År"
        }
    }

    var path: SitePath {
        switch self {
        case .home: .home
        case .themes: .themes
        case .materials: .materials
        case .types: .types
        case .audiences: .audiences
        case .topics: .topics
        case .years: .years
        }
    }
}

/// Facts about the site every page shows.
struct SiteInfo: Sendable {
    static let serviceName = "Samspil"
    static let tagline = "Viden om samarbejder og partnerskaber i den åbne skole"
    static let authority = "Skoletjenesten – videncenter for eksterne læringsmiljøer"

    var publicURL: String
    var contactEmail: String

    func absolute(_ path: String) -> String { publicURL + path }
}

/// The page shell: header with service name and responsible authority, navigation, breadcrumbs, footer.
enum PageLayout {
    static func render(_ meta: PageMeta, site: SiteInfo, @ComponentBuilder content: () -> Component) -> String {
        let main = content()
        var head: [Node<HTML.HeadContext>] = [
            .meta(.charset(.utf8)),
            .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
            .element(named: "title", text: meta.title == SiteInfo.serviceName ? meta.title : "\(meta.title) – \(SiteInfo.serviceName)"),
            .link(.rel(.stylesheet), .href(SitePath.stylesheet.href)),
            .link(.rel(.stylesheet), .href(SitePath.printStylesheet.href), .attribute(named: "media", value: "print")),
        ]
        if let description = meta.description {
            head.append(.meta(.name("description"), .content(HTMLEscaping.attributeValue(description))))
        }
        if let canonical = meta.canonical {
            head.append(.link(.rel(.canonical), .href(HTMLEscaping.attributeValue(site.absolute(canonical)))))
        }
        for feed in meta.feeds {
            head.append(.link(
                .rel(.alternate), .type("application/atom+xml"),
                .attribute(named: "title", value: HTMLEscaping.attributeValue(feed.label)), .href(feed.href)
            ))
        }
        if let jsonLD = meta.jsonLD {
            head.append(.raw("<script type=\"application/ld+json\">\(HTMLEscaping.scriptJSON(jsonLD))</script>"))
        }
        let html = HTML(
            .attribute(named: "lang", value: HTMLEscaping.attributeValue(meta.lang)),
            .head(.group(head)),
            .body(
                .component(SafeLink(text: "Gå til indhold", href: "#main", attributes: [("class", "skip-link")])),
                .component(SiteHeader(current: meta.nav)),
                .component(Div {
                    if !meta.breadcrumbs.isEmpty || meta.currentCrumb != nil {
                        Breadcrumbs(crumbs: meta.breadcrumbs, current: meta.currentCrumb ?? meta.title)
                    }
                    Tag("main", [("id", "main"), ("class", "content"), ("tabindex", "-1")]) { main }
                }.class("container page")),
                .component(SiteFooter(site: site))
            )
        )
        return html.render()
    }

    /// An HTML response that no cache keeps (pages of logged-in users, and forms).
    static func privateResponse(_ html: String, status: HTTPResponseStatus = .ok) -> Response {
        let response = response(html, status: status)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// An HTML response with the right content type.
    static func response(_ html: String, status: HTTPResponseStatus = .ok) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: status, headers: headers, body: .init(string: html))
    }
}

struct SiteHeader: Component {
    var current: NavItem?

    var body: Component {
        Header {
            Div {
                Div { Paragraph(SiteInfo.authority).class("authority") }.class("container")
            }.class("portal-header")
            Div {
                Div {
                    Div {
                        Link(SiteInfo.serviceName, url: SitePath.home.href).class("service-name")
                        Paragraph(SiteInfo.tagline).class("service-tagline")
                    }.class("service-identity")
                    Tag("form", [("class", "header-search"), ("role", "search"), ("action", SitePath.search.href), ("method", "get")]) {
                        Tag("label", [("for", "header-q"), ("class", "sr-only")], text: "Søg i materialerne")
                        VoidTag("input", [("type", "search"), ("id", "header-q"), ("name", "q"), ("placeholder", "Søg i materialerne")])
                        Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Søg")
                    }
                }.class("container")
            }.class("solution-header")
            Navigation {
                Div {
                    List(NavItem.allCases) { item in
                        ListItem {
                            if item == current {
                                SafeLink(text: item.label, href: item.path.href, attributes: [("aria-current", "page")])
                            } else {
                                Link(item.label, url: item.path.href)
                            }
                        }
                    }
                }.class("container")
            }.class("main-nav").attribute(named: "aria-label", value: "Hovedmenu")
        }.class("site-header")
    }
}

struct Breadcrumbs: Component {
    var crumbs: [PageMeta.Crumb]
    var current: String

    var body: Component {
        Navigation {
            Tag("ol") {
                for crumb in crumbs {
                    ListItem { Link(crumb.label, url: crumb.href) }
                }
                ListItem { Tag("span", [("aria-current", "page")], text: current) }
            }
        }.class("breadcrumbs").attribute(named: "aria-label", value: "Brødkrumme")
    }
}

struct SiteFooter: Component {
    var site: SiteInfo

    var body: Component {
        Footer {
            Div {
                Div {
                    Tag("section") {
                        H2("Kontakt")
                        Tag("address") {
                            Text("Skoletjenesten – videncenter for eksterne læringsmiljøer")
                            Node<HTML.BodyContext>.br()
                            SafeLink(text: site.contactEmail, href: "mailto:\(site.contactEmail)")
                        }
                    }
                    Tag("section") {
                        H2("Om siden")
                        List {
                            ListItem { Link("Tilgængelighedserklæring", url: SitePath.accessibility.href) }
                            ListItem { Link("Privatliv og cookies", url: SitePath.privacy.href) }
                        }
                    }
                    Tag("section") {
                        H2("Data")
                        List {
                            ListItem { Link("API (OpenAPI)", url: SitePath.api(.openAPI).href) }
                            ListItem { Link("Atom-feed med nye materialer", url: SitePath.feed.href) }
                            ListItem { Link("Sitemap", url: SitePath.sitemap.href) }
                        }
                    }
                }.class("footer-columns")
                Paragraph("Samspil samler viden, værktøjer og erfaringer om samarbejder mellem skoler, kommuner og eksterne læringsmiljøer.")
                    .class("footer-note")
            }.class("container")
        }.class("site-footer")
    }
}
