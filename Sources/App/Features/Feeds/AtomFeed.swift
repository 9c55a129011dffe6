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
        // Written with the pages' output, whose escaping also drops what XML 1.0 forbids.
        var xml = HTMLOutput()
        func element(_ name: StaticString, _ text: String) {
            xml.open(name)
            xml.text(text)
            xml.close(name)
            xml.raw("\n")
        }
        func link(_ rel: StaticString, _ type: StaticString, _ href: String) {
            xml.raw("<link rel=\"")
            xml.raw(rel)
            xml.raw("\" type=\"")
            xml.raw(type)
            xml.raw("\" href=\"")
            xml.attributeValue(href)
            xml.raw("\"/>\n")
        }
        xml.raw("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"da\">\n")
        element("id", site.absolute(selfPath))
        element("title", title)
        element("updated", timestamp(updated))
        link("self", "application/atom+xml", site.absolute(selfPath))
        link("alternate", "text/html", site.absolute(alternatePath))
        xml.raw("<author>")
        element("name", SiteInfo.authority)
        xml.raw("</author>\n<generator>Samspil</generator>\n\n")
        for material in materials {
            let url = site.absolute(SitePath.material(material.slug).href)
            let authors = material.credits.persons.isEmpty ? [material.credits.organisation ?? SiteInfo.authority] : material.credits.persons
            xml.raw("<entry xml:lang=\"")
            xml.attributeValue(material.language.rawValue)
            xml.raw("\">\n")
            element("id", url)
            element("title", material.displayTitle)
            link("alternate", "text/html", url)
            element("updated", timestamp(material.updatedAt ?? updated))
            if let created = material.createdAt { element("published", timestamp(created)) }
            for author in authors {
                xml.raw("<author>")
                element("name", author)
                xml.raw("</author>\n")
            }
            xml.raw("<category term=\"")
            xml.attributeValue(material.type)
            xml.raw("\" label=\"")
            xml.attributeValue(vocabularies.label(material.type, in: .materialType))
            xml.raw("\"/>\n<summary type=\"text\">")
            xml.text(material.teaser)
            xml.raw("</summary>\n</entry>\n")
        }
        xml.raw("</feed>\n")
        return xml.string
    }

    /// RFC 3339 in UTC to the second ("2026-11-29T15:00:00Z"), without Foundation's formatters (a sitemap writes
    /// one per material).
    static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : String(value) }
        let year = String(parts.tm_year + 1900)
        return "\(String(repeating: "0", count: max(0, 4 - year.count)))\(year)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
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
        var xml = HTMLOutput(capacity: 128 * paths.count + 256)
        xml.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n")
        for (path, modified) in paths {
            xml.raw("<url><loc>")
            xml.text(site.absolute(path))
            xml.raw("</loc>")
            if let modified {
                xml.raw("<lastmod>")
                xml.raw(AtomFeed.timestamp(modified))
                xml.raw("</lastmod>")
            }
            xml.raw("</url>\n")
        }
        xml.raw("</urlset>\n")
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/xml; charset=utf-8")
        let response = Response(status: .ok, headers: headers, body: .init(buffer: ByteBuffer(bytes: xml.bytes)))
        response.markPublicPage()
        return response
    }

    static func robots(_ req: Request) async throws -> String {
        "User-agent: *\nAllow: /\nSitemap: \(req.site.absolute(SitePath.sitemap.href))\n"
    }
}
