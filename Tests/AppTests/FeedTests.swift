@testable import App
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import Vapor

/// Collects element names and text of an XML document; fails on malformed XML.
final class XMLOutline: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var namespaces: [String] = []
    var texts: [String: [String]] = [:]
    private var current = ""
    private var buffer = ""

    static func parse(_ text: String) -> XMLOutline? {
        let outline = XMLOutline()
        let parser = XMLParser(data: Data(text.utf8))
        parser.shouldProcessNamespaces = true
        parser.delegate = outline
        return parser.parse() ? outline : nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        elements.append(name)
        namespaces.append(namespaceURI ?? "")
        current = name
        buffer = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { buffer += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        texts[name, default: []].append(buffer)
        buffer = ""
    }
}

@Suite struct FeedTests {
    @Test(arguments: TestBackend.all)
    func atomFeedIsValidAndListsPublishedMaterials(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let response = try await app.get("/feed.atom")
            #expect(response.status == .ok)
            #expect(response.headers.first(name: .contentType) == "application/atom+xml; charset=utf-8")
            let outline = try #require(XMLOutline.parse(response.text), "feed is not well-formed XML")
            #expect(outline.elements.first == "feed")
            #expect(outline.namespaces.first == "http://www.w3.org/2005/Atom")
            #expect(outline.elements.filter { $0 == "entry" }.count == 11)
            #expect(outline.elements.filter { $0 == "id" }.count == 12)
            #expect(outline.elements.filter { $0 == "updated" }.count == 12)
            #expect(outline.texts["title"]?.contains("Fokus: Fire typer af partnerskaber") == true)
            #expect(outline.texts["id"]?.first == "http://samspil.test/feed.atom")
            // Newest year first when the change times are equal.
            let entryTitles = Array(outline.texts["title"]?.dropFirst() ?? [])
            #expect(entryTitles.prefix(4).allSatisfy { title in ["PLC", "Skole-virksomhed", "Model", "Behöver"].contains { title.contains($0) } })
        }
    }

    @Test func themeFeedAndUnknownTheme() async throws {
        try await withApp { app in
            let outline = try #require(XMLOutline.parse(try await app.get("/temaer/samarbejder-og-partnerskaber/feed.atom").text))
            #expect(outline.elements.filter { $0 == "entry" }.count == 11)
            #expect(try await app.get("/temaer/findes-ikke/feed.atom").status == .notFound)
        }
    }

    @Test func sitemapListsEveryPublicPage() async throws {
        try await withApp { app in
            let response = try await app.get("/sitemap.xml")
            #expect(response.status == .ok)
            let outline = try #require(XMLOutline.parse(response.text))
            let locations = Set(outline.texts["loc"] ?? [])
            #expect(locations.contains("http://samspil.test/"))
            #expect(locations.contains("http://samspil.test/temaer/samarbejder-og-partnerskaber"))
            #expect(locations.contains("http://samspil.test/materialer/fire-typer-af-partnerskaber"))
            #expect(locations.contains("http://samspil.test/typer/tjekliste"))
            #expect(locations.contains("http://samspil.test/aar/2016"))
            #expect(locations.filter { $0.contains("/materialer/") }.count == 11)
            let robots = try await app.get("/robots.txt").text
            #expect(robots.contains("Sitemap: http://samspil.test/sitemap.xml"))
        }
    }
}

/// Feed and sitemap timestamps are computed by arithmetic (`AtomFeed.timestamp`): the same text as Foundation's
/// ISO 8601 formatter over random moments from 1600 to 2400 (leap days, centuries, before 1970), and the edges.
@Test func timestampsMatchFoundationsFormatter() {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    var generator = SystemRandomNumberGenerator()
    var moments: [Double] = [0, -1, 86_399, 86_400, 951_782_400, 951_868_799, 4_107_542_399, -11_676_096_000, 1_790_000_000.75, -0.5]
    for _ in 0..<5_000 { moments.append(Double(Int64.random(in: -11_676_096_000...13_569_465_600, using: &generator))) }
    for moment in moments {
        let date = Date(timeIntervalSince1970: moment)
        let expected = formatter.string(from: Date(timeIntervalSince1970: moment.rounded(.down)))
        #expect(AtomFeed.timestamp(date) == expected, "\(moment)")
    }
}
