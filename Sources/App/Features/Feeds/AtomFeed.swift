import Foundation
import SamspilCore
import Vapor

/// Atom feeds of published materials, newest change first: all, and per theme.
enum AtomFeed {
    static let limit = 50

    static func all(_ req: Request) async throws -> Response {
        let context = req.application.samspil
        let recent = try await CatalogueQueries.recentlyUpdated(limit: limit, engine: context.searchEngine, on: req.db)
        let vocabularies = try await context.vocabularies.vocabularies(at: recent.vocabularyRevision, on: req.db)
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

    /// RFC 3339 in UTC to the second ("2026-11-29T15:00:00Z"), without Foundation's formatters.
    static func timestamp(_ date: Date) -> String {
        var bytes: [UInt8] = []
        timestamp(date, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The same, written digit by digit (a sitemap writes one per material), the date from the day number by
    /// arithmetic (the proleptic Gregorian calendar, as in Howard Hinnant's `civil_from_days`) rather than
    /// `gmtime_r`, which was a twentieth of a sitemap.
    static func timestamp(_ date: Date, into bytes: inout [UInt8]) {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) {
            bytes.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value / 10 % 10))
            bytes.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value % 10))
        }
        two(year / 100)
        two(year % 100)
        bytes.append(UInt8(ascii: "-"))
        two(month)
        bytes.append(UInt8(ascii: "-"))
        two(day)
        bytes.append(UInt8(ascii: "T"))
        two(secondOfDay / 3_600)
        bytes.append(UInt8(ascii: ":"))
        two(secondOfDay / 60 % 60)
        bytes.append(UInt8(ascii: ":"))
        two(secondOfDay % 60)
        bytes.append(UInt8(ascii: "Z"))
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
        var pages: [(String, Date?)] = [(SitePath.home.href, nil), (SitePath.themes.href, nil), (SitePath.materials.href, nil),
                                        (SitePath.types.href, nil), (SitePath.audiences.href, nil), (SitePath.topics.href, nil),
                                        (SitePath.years.href, nil), (SitePath.accessibility.href, nil), (SitePath.privacy.href, nil)]
        for theme in try await PublishedReads.themes(on: req.db) { pages.append((SitePath.theme(theme.slug).href, theme.updatedAt)) }
        // The listings that have materials: the facets of every published material.
        let (facets, addresses) = try await CatalogueQueries.sitemap(engine: req.application.samspil.searchEngine, on: req.db)
        for slug in facets.types.keys.sorted() { pages.append((SitePath.type(slug).href, nil)) }
        for slug in facets.audiences.keys.sorted() { pages.append((SitePath.audience(slug).href, nil)) }
        for slug in facets.topics.keys.sorted() { pages.append((SitePath.topic(slug).href, nil)) }
        for year in facets.years.keys.sorted(by: >) { pages.append((SitePath.year(String(year)).href, nil)) }
        let materials = addresses.prefix(50_000)
        var xml = HTMLOutput(capacity: 128 * (pages.count + materials.count) + 256)
        func entry(_ write: (inout HTMLOutput) -> Void, modified: Date?) {
            xml.raw("<url><loc>")
            write(&xml)
            xml.raw("</loc>")
            if let modified {
                xml.raw("<lastmod>")
                xml.timestamp(modified)
                xml.raw("</lastmod>")
            }
            xml.raw("</url>\n")
        }
        xml.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n")
        for (path, modified) in pages { entry({ $0.text(site.absolute(path)) }, modified: modified) }
        // Materials by far outnumber the rest: their addresses are put together here rather than by SitePath.
        let materialsPrefix = site.absolute(SitePath.materials.href) + "/"
        for material in materials {
            xml.raw("<url><loc>")
            xml.text(materialsPrefix)
            xml.pathComponent(material.slug)
            xml.raw("</loc><lastmod>")
            xml.raw(material.lastModified)
            xml.raw("</lastmod></url>\n")
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
