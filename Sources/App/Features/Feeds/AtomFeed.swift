import Foundation
import SamspilCore
import Vapor

/// Atom feeds of published materials, newest change first: all, and per theme.
enum AtomFeed {
    static let limit = 50

    static func all(_ req: Request) async throws -> Response {
        let recent = try await PublishedReads.recentlyUpdated(limit: limit, on: req.db)
        let vocabularies = try await req.application.samspil.vocabularies.vocabularies(at: recent.vocabularyRevision, on: req.db)
        return response(render(title: "Samspil – nye materialer", selfPath: SitePath.feed.href, alternatePath: SitePath.materials.href,
                               materials: recent.materials, vocabularies: vocabularies, site: req.site))
    }

    static func theme(_ req: Request) async throws -> Response {
        let slug = req.parameters.get(SitePath.slug) ?? ""
        guard let page = try await PublishedReads.theme(slug: slug, on: req.db) else {
            throw SamspilError.notFound("Temaet \"\(slug)\" findes ikke.")
        }
        let materials = page.materials.sorted { ($0.updatedAt ?? .distantPast) > ($1.updatedAt ?? .distantPast) }
        let vocabularies = try await req.application.samspil.vocabularies.vocabularies(at: page.vocabularyRevision, on: req.db)
        return response(render(title: "Samspil – \(page.theme.title)", selfPath: SitePath.themeFeed(slug).href,
                               alternatePath: SitePath.theme(slug).href, materials: Array(materials.prefix(limit)),
                               vocabularies: vocabularies, site: req.site))
    }

    static func render(title: String, selfPath: String, alternatePath: String, materials: [Material],
                       vocabularies: Vocabularies, site: SiteInfo) -> String {
        let updated = materials.compactMap(\.updatedAt).max() ?? Date(timeIntervalSince1970: 0)
        var xml = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="da">
        <id>\(x(site.absolute(selfPath)))</id>
        <title>\(x(title))</title>
        <updated>\(timestamp(updated))</updated>
        <link rel="self" type="application/atom+xml" href="\(x(site.absolute(selfPath)))"/>
        <link rel="alternate" type="text/html" href="\(x(site.absolute(alternatePath)))"/>
        <author><name>\(x(SiteInfo.authority))</name></author>
        <generator>Samspil</generator>

        """
        for material in materials {
            let url = site.absolute(SitePath.material(material.slug).href)
            let authors = material.credits.persons.isEmpty ? [material.credits.organisation ?? SiteInfo.authority] : material.credits.persons
            xml += "<entry xml:lang=\"\(material.language.rawValue)\">\n"
            xml += "<id>\(x(url))</id>\n"
            xml += "<title>\(x(material.displayTitle))</title>\n"
            xml += "<link rel=\"alternate\" type=\"text/html\" href=\"\(x(url))\"/>\n"
            xml += "<updated>\(timestamp(material.updatedAt ?? updated))</updated>\n"
            if let created = material.createdAt { xml += "<published>\(timestamp(created))</published>\n" }
            for author in authors { xml += "<author><name>\(x(author))</name></author>\n" }
            xml += "<category term=\"\(x(material.type))\" label=\"\(x(vocabularies.label(material.type, in: .materialType)))\"/>\n"
            xml += "<summary type=\"text\">\(x(material.teaser))</summary>\n"
            xml += "</entry>\n"
        }
        return xml + "</feed>\n"
    }

    private static func x(_ text: String) -> String {
        // Characters XML 1.0 forbids are dropped; the rest is escaped.
        let allowed = text.unicodeScalars.filter { $0 == "\t" || $0 == "\n" || $0 == "\r" || $0.value >= 0x20 && $0.value != 0xFFFE && $0.value != 0xFFFF }
        return Markdown.escape(String(String.UnicodeScalarView(allowed)), quotes: true)
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    private static func response(_ xml: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/atom+xml; charset=utf-8")
        let response = Response(status: .ok, headers: headers, body: .init(buffer: ByteBuffer(string: xml)))
        response.markPublicPage()
        return response
    }
}

/// `sitemap.xml` and `robots.txt`.
enum SiteMapFile {
    static func sitemap(_ req: Request) async throws -> Response {
        let site = req.site
        var paths: [(String, Date?)] = [(SitePath.home.href, nil), (SitePath.themes.href, nil), (SitePath.materials.href, nil),
                                        (SitePath.types.href, nil), (SitePath.audiences.href, nil), (SitePath.topics.href, nil),
                                        (SitePath.years.href, nil), (SitePath.accessibility.href, nil), (SitePath.privacy.href, nil)]
        for theme in try await PublishedReads.themes(on: req.db) { paths.append((SitePath.theme(theme.slug).href, theme.updatedAt)) }
        // The listings that have materials: the facets of an empty search.
        let facets = try await SearchQueries.search(MaterialQuery(page: PageRequest(limit: 0)), engine: req.application.samspil.searchEngine,
                                                    on: req.db).facets
        for slug in facets.types.keys.sorted() { paths.append((SitePath.type(slug).href, nil)) }
        for slug in facets.audiences.keys.sorted() { paths.append((SitePath.audience(slug).href, nil)) }
        for slug in facets.topics.keys.sorted() { paths.append((SitePath.topic(slug).href, nil)) }
        for year in facets.years.keys.sorted(by: >) { paths.append((SitePath.year(String(year)).href, nil)) }
        for material in try await PublishedReads.materialAddresses(limit: 50_000, on: req.db) {
            paths.append((SitePath.material(material.slug).href, material.updatedAt))
        }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for (path, modified) in paths {
            xml += "<url><loc>\(Markdown.escape(site.absolute(path), quotes: true))</loc>"
            if let modified { xml += "<lastmod>\(AtomFeed.timestamp(modified))</lastmod>" }
            xml += "</url>\n"
        }
        xml += "</urlset>\n"
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/xml; charset=utf-8")
        let response = Response(status: .ok, headers: headers, body: .init(buffer: ByteBuffer(string: xml)))
        response.markPublicPage()
        return response
    }

    static func robots(_ req: Request) async throws -> String {
        "User-agent: *\nAllow: /\nSitemap: \(req.site.absolute(SitePath.sitemap.href))\n"
    }
}
