import Foundation
import Synchronization
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
    /// The search page has its own search field, so the header's is left out there.
    var showsHeaderSearch = true
    /// A form on the page was refused: the title begins with "Fejl:", so the error is the first thing a
    /// screen reader says and the browser's tab shows it. (Heading and breadcrumb stay as they were.)
    var hasErrors = false
    /// Stylesheets of one area (`StaticAssets.files`) after the site's own: screen and print (`media`).
    var stylesheets: [(name: String, media: String?)] = []
    /// Scripts of one area (`StaticAssets.files`), loaded deferred: enhancements only, every page works without them.
    var scripts: [String] = []
}

/// The items of the main navigation.
enum NavItem: CaseIterable, Sendable {
    case home, themes, materials, types, audiences, topics, years, organisations, tools

    var label: String {
        switch self {
        case .home: "Forside"
        case .themes: "Temaer"
        case .materials: "Materialer"
        case .types: "Typer"
        case .audiences: "Målgrupper"
        case .topics: "Emner"
        case .years: "År"
        case .organisations: "Organisationer"
        case .tools: "Værktøjer"
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
        case .organisations: .directory(.list)
        case .tools: .tool(.list)
        }
    }
}

/// Facts about the site every page shows.
struct SiteInfo: Sendable {
    static let serviceName = "Samspil"
    static let tagline = "Viden om samarbejder og partnerskaber i den åbne skole"
    static let authority = "Skoletjenesten – videncenter for eksterne læringsmiljøer"

    /// Who is logged in, for the header; nil for everyone else (and then the page is the same for all).
    struct Viewer: Sendable {
        var name: String
        var csrfToken: String
        var isEditor: Bool
    }

    var publicURL: String
    var contactEmail: String
    var viewer: Viewer? = nil

    func absolute(_ path: String) -> String { publicURL + path }
}

/// The page shell: header with service name and responsible authority, navigation, breadcrumbs, footer.
enum PageLayout {
    static func render(_ meta: PageMeta, site: SiteInfo, @ComponentBuilder content: () -> Component) -> String {
        page(meta, site: site, content: content).string
    }

    /// The page as bytes, ready for a response.
    static func page(_ meta: PageMeta, site: SiteInfo, @ComponentBuilder content: () -> Component) -> HTMLOutput {
        let main = content()
        var html = HTMLOutput()
        html.raw("<!DOCTYPE html>")
        html.open("html", [("lang", meta.lang)])
        html.raw("<head><meta charset=\"UTF-8\"/><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>")
        html.open("title")
        html.text((meta.hasErrors ? "Fejl: " : "") + (meta.title == SiteInfo.serviceName ? meta.title : "\(meta.title) – \(SiteInfo.serviceName)"))
        html.close("title")
        html.open("link", [("rel", "stylesheet"), ("href", StaticAssets.href("samspil.css"))], selfClosing: true)
        html.open("link", [("rel", "stylesheet"), ("href", StaticAssets.href("print.css")), ("media", "print")], selfClosing: true)
        for sheet in meta.stylesheets {
            html.open("link", [("rel", "stylesheet"), ("href", StaticAssets.href(sheet.name))] + (sheet.media.map { [("media", $0)] } ?? []), selfClosing: true)
        }
        if let description = meta.description {
            html.open("meta", [("name", "description"), ("content", description)], selfClosing: true)
        }
        if let canonical = meta.canonical {
            html.open("link", [("rel", "canonical"), ("href", site.absolute(canonical))], selfClosing: true)
        }
        for feed in meta.feeds {
            html.open("link", [("rel", "alternate"), ("type", "application/atom+xml"), ("title", feed.label), ("href", feed.href)],
                      selfClosing: true)
        }
        for script in meta.scripts {
            html.open("script", [("src", StaticAssets.href(script)), ("defer", "defer")])
            html.close("script")
        }
        if let jsonLD = meta.jsonLD {
            html.raw("<script type=\"application/ld+json\">")
            html.scriptJSON(jsonLD)
            html.raw("</script>")
        }
        html.raw("</head><body>")
        let header = { (html: inout HTMLOutput) in
            SafeLink(text: "Gå til indhold", href: "#main", attributes: [("class", "skip-link")]).write(to: &html)
            SiteHeader(current: meta.nav, viewer: site.viewer, showsSearch: meta.showsHeaderSearch).write(to: &html)
        }
        if site.viewer == nil {
            html.append(fixedPart("header \(String(describing: meta.nav)) \(meta.showsHeaderSearch)", write: header))
        } else {
            header(&html)
        }
        Div {
            if !meta.breadcrumbs.isEmpty || meta.currentCrumb != nil {
                Breadcrumbs(crumbs: meta.breadcrumbs, current: meta.currentCrumb ?? meta.title)
            }
            Tag("main", [("id", "main"), ("class", "content"), ("tabindex", "-1")]) { main }
        }.class("container page").write(to: &html)
        html.append(fixedPart("footer \(site.contactEmail)") { SiteFooter(site: site).write(to: &$0) })
        html.raw("</body></html>")
        return html
    }

    /// The parts of the shell that are the same on every page of a kind (the header for visitors who are not
    /// logged in, per menu item; the footer), written once per process.
    private static let fixedParts = Mutex<[String: [UInt8]]>([:])

    private static func fixedPart(_ key: String, write: (inout HTMLOutput) -> Void) -> [UInt8] {
        if let bytes = fixedParts.withLock({ $0[key] }) { return bytes }
        var part = HTMLOutput(capacity: 4_096)
        write(&part)
        fixedParts.withLock { $0[key] = part.bytes }
        return part.bytes
    }

    /// A public page: the same for every visitor who is not logged in (`PageCacheMiddleware` may keep it).
    static func publicPage(_ html: HTMLOutput) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        let response = Response(status: .ok, headers: headers, body: .init(buffer: ByteBuffer(bytes: html.bytes)))
        response.markPublicPage()
        return response
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
    var viewer: SiteInfo.Viewer?
    var showsSearch = true

    var body: Component {
        Header {
            Div {
                Div {
                    Paragraph(SiteInfo.authority).class("authority")
                    AccountLinks(viewer: viewer)
                }.class("container portal-row")
            }.class("portal-header")
            Div {
                Div {
                    Div {
                        Link(SiteInfo.serviceName, url: SitePath.home.href).class("service-name")
                        Paragraph(SiteInfo.tagline).class("service-tagline")
                    }.class("service-identity")
                    if showsSearch {
                        Tag("form", [("class", "header-search"), ("role", "search"), ("action", SitePath.search.href), ("method", "get")]) {
                            Tag("label", [("for", "header-q"), ("class", "sr-only")], text: "Søg i materialerne")
                            VoidTag("input", [("type", "search"), ("id", "header-q"), ("name", "q"), ("placeholder", "Søg i materialerne")])
                            Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Søg")
                        }
                    }
                }.class("container")
            }.class("solution-header")
            // On a narrow screen the menu is folded into "Menu" (a details element: no script needed); on a wide
            // one it is a row of links. Only one of the two lists is displayed, so only one is read aloud.
            Navigation {
                Div {
                    Tag("details", [("class", "menu-narrow")]) {
                        Tag("summary", text: "Menu")
                        menu
                    }
                    menu.class("menu-wide")
                }.class("container")
            }.class("main-nav").attribute(named: "aria-label", value: "Hovedmenu")
        }.class("site-header")
    }

    private var menu: Component {
        List(NavItem.allCases) { item in
            ListItem {
                if item == current {
                    SafeLink(text: item.label, href: item.path.href, attributes: [("aria-current", "page")])
                } else {
                    Link(item.label, url: item.path.href)
                }
            }
        }
    }
}

/// The header's corner: "Log ind" and "Opret konto" for everyone, or who is logged in with their way in and out.
struct AccountLinks: Component {
    var viewer: SiteInfo.Viewer?

    var body: Component {
        Div {
            if let viewer {
                Span("Logget ind som \(viewer.name)").class("account-name")
                Link("Min side", url: SitePath.account(.mySpace).href)
                if viewer.isEditor { Link("Redaktion", url: SitePath.editorHome.href) }
                Tag("form", [("class", "inline-form"), ("method", "post"), ("action", SitePath.logout.href)]) {
                    CSRFField(token: viewer.csrfToken)
                    Tag("button", [("type", "submit"), ("class", "link-button")], text: "Log ud")
                }
            } else {
                Link("Log ind", url: SitePath.login.href)
                Link("Opret konto", url: SitePath.account(.signUp).href)
            }
        }.class("account-links")
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
                            VoidTag("br")
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
