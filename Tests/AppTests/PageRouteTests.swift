@testable import App
import Foundation
import SamspilCore
import Testing
import Vapor

@Suite struct PageRouteTests {
    @Test func themePageShowsAllElevenMaterialsInTheSeedOrder() async throws {
        try await withApp { app in
            let response = try await app.get("/temaer/samarbejder-og-partnerskaber")
            #expect(response.status == .ok)
            #expect(response.headers.contentType == .html)
            let html = response.text
            #expect(html.contains("<h1>Samarbejder og partnerskaber</h1>"))
            #expect(html.contains("Om Skoletjenesten"))
            let titles = [
                "Fire typer af partnerskaber", "Roller og relationer i åben skole", "Behöver vi samarbete över organisationsgränser?",
                "Guide til det gode samarbejde", "Inspiration til partnerskaber i den åbne skole",
                "Opstart et skole-virksomhedssamarbejde i kommunen", "Publikationer om eksterne læringsmiljøer og åben skole",
                "Samarbejder og partnerskaber</a>", "Erfaringer fra støttede samarbejdsprojekter",
                "Skole-virksomhedssamarbejde med kommunal forankring", "PLC - sæt åben skole på dagsordenen",
            ]
            var position = try #require(html.range(of: "class=\"material-list\"")).upperBound
            for title in titles {
                let found = try #require(html.range(of: title, range: position..<html.endIndex), "\(title) missing or out of order")
                position = found.upperBound
            }
            #expect(html.components(separatedBy: "class=\"material-card\"").count - 1 == 11)
            #expect(html.contains("<span class=\"genre\">Fokus:</span> Fire typer af partnerskaber"))
            #expect(html.contains("Skrevet af Marie Damsgaard Andersen, Skoletjenesten - videncenter for eksterne læringsmiljøer, 2018."))
            #expect(html.contains("Udviklet af Jesse-Lee Costa Dollerup, Marlene Kramm &amp; Ea Stevns Matzon, Skoletjenesten Museum Vestsjælland, 2017."))
            #expect(html.contains("Læsetid 6 min."))
            #expect(html.contains("<p class=\"material-type\">Tjekliste</p>"))
            #expect(html.contains("<p class=\"material-type\">Liste</p>"))
            #expect(html.contains("lang=\"sv\""))
            #expect(html.contains("<link rel=\"canonical\" href=\"http://samspil.test/temaer/samarbejder-og-partnerskaber\"/>"))
        }
    }

    @Test func materialPageShowsMetadataVersionsRelatedAndJSONLD() async throws {
        try await withApp { app in
            let response = try await app.get("/materialer/samarbejder-og-partnerskaber")
            #expect(response.status == .ok)
            let html = response.text
            #expect(html.contains("<span class=\"genre\">Kortlægning:</span> Samarbejder og partnerskaber"))
            #expect(html.contains("Hent materialet"))
            #expect(html.contains("Kortlægningen"))
            #expect(html.contains("Pixi-udgaven"))
            #expect(html.components(separatedBy: "Ikke tilgængelig endnu").count - 1 == 2)
            #expect(html.contains("<dt>Udgiver</dt><dd>Nationalt Netværk af Skoletjenester</dd>"))
            #expect(html.contains("<dt>År</dt><dd><a href=\"/aar/2016\">2016</a></dd>"))
            #expect(html.contains("Relaterede materialer"))
            #expect(html.contains("href=\"/temaer/samarbejder-og-partnerskaber\""))
            let jsonLD = try #require(Self.jsonLD(in: html))
            #expect(jsonLD["@context"] as? String == "https://schema.org")
            #expect((jsonLD["@type"] as? [String])?.contains("LearningResource") == true)
            #expect(jsonLD["inLanguage"] as? String == "da")
            #expect(jsonLD["datePublished"] as? String == "2016")
            #expect((jsonLD["publisher"] as? [String: Any])?["name"] as? String == "Nationalt Netværk af Skoletjenester")
            #expect((jsonLD["author"] as? [[String: Any]])?.first?["name"] as? String == "Nationalt Netværk af Skoletjenester")
            #expect(jsonLD["timeRequired"] == nil, "no body and no entered reading time")
            #expect(html.contains("Materialet kan endnu ikke læses eller hentes her."))
            #expect(!html.contains("<dt>Læsetid</dt>"))
            #expect((jsonLD["audience"] as? [[String: Any]])?.count == 3)
        }
    }

    @Test func swedishMaterialIsMarkedAndHasItsReadingTime() async throws {
        try await withApp { app in
            let html = try await app.get("/materialer/behoever-vi-samarbete-oever-organisationsgraenser").text
            #expect(html.contains("<h1 lang=\"sv\">Behöver vi samarbete över organisationsgränser?</h1>"))
            #expect(html.contains("<dt>Læsetid</dt><dd>6 min.</dd>"))
            #expect(html.contains("<dt>Sprog</dt><dd>Svensk</dd>"))
            let jsonLD = try #require(Self.jsonLD(in: html))
            #expect(jsonLD["inLanguage"] as? String == "sv")
            #expect(jsonLD["timeRequired"] as? String == "PT6M")
            #expect((jsonLD["author"] as? [[String: Any]])?.first?["name"] as? String == "Marianne Bomgren")
        }
    }

    @Test(arguments: [
        ("/", "Viden om samarbejder i den åbne skole"),
        ("/temaer", "Samarbejder og partnerskaber"),
        ("/materialer", "Alle materialer"),
        ("/typer", "Publikationer"),
        ("/typer/publikation", "Publikationer"),
        ("/typer/tjekliste", "Opstart et skole-virksomhedssamarbejde i kommunen"),
        ("/maalgrupper", "PLC (pædagogiske læringscentre)"),
        ("/maalgrupper/plc", "PLC - sæt åben skole på dagsordenen"),
        ("/emner", "Partnerskaber"),
        ("/emner/partnerskaber", "Fire typer af partnerskaber"),
        ("/aar", "2016"),
        ("/aar/2017", "Inspiration til partnerskaber i den åbne skole"),
        ("/tilgaengelighed", "Tilgængelighedserklæring"),
        ("/privatliv", "Privatliv og cookies"),
        ("/organisationer", "Der er ingen organisationer i kataloget endnu."),
        ("/kommuner", "Region Syddanmark"),
        ("/kommuner/koebenhavn", "København Kommune"),
    ])
    func everyPageAnswers(path: String, content: String) async throws {
        try await withApp { app in
            let response = try await app.get(path)
            #expect(response.status == .ok, "\(path)")
            #expect(response.headers.contentType == .html)
            #expect(response.text.contains(content), "\(path) lacks \(content)")
            #expect(response.text.hasPrefix("<!DOCTYPE html><html lang=\"da\">"))
            #expect(response.text.contains("Tilgængelighedserklæring"))
            #expect(response.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
            #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
        }
    }

    @Test func listingsPaginate() async throws {
        try await withApp { app in
            for index in 0..<25 {
                var material = TestContent.material(String(format: "ekstra-%02d", index), title: "Ekstra \(index)", year: 2020)
                material.type = "publikation"
                material.audiences = ["skoler"]
                material.topics = ["partnerskaber"]
                try await MaterialQueries.save(material, now: frozenNow, on: app.db)
            }
            let first = try await app.get("/materialer").text
            #expect(first.contains("Viser 1–20 af 36"))
            #expect(first.contains("<a href=\"/materialer?side=2\" rel=\"next\">Næste</a>"))
            let second = try await app.get("/materialer?side=2")
            #expect(second.status == .ok)
            #expect(second.text.contains("Viser 21–36 af 36"))
            #expect(second.text.contains("rel=\"prev\""))
            #expect(try await app.get("/materialer?side=3").status == .notFound)
        }
    }

    @Test(arguments: ["/findes-ikke", "/materialer/findes-ikke", "/temaer/findes-ikke", "/typer/findes-ikke", "/aar/1800", "/aar/abc",
                      "/organisationer/findes-ikke", "/kommuner/findes-ikke"])
    func unknownPagesGiveAHelpful404(path: String) async throws {
        try await withApp { app in
            let response = try await app.get(path)
            #expect(response.status == .notFound)
            #expect(response.headers.contentType == .html)
            #expect(response.text.contains("Fejl 404"))
            #expect(response.text.contains("Alle materialer"))
        }
    }

    @Test(arguments: ["/materialer?side=abc", "/materialer?side=0", "/materialer?side=-1", "/typer/publikation?foo=bar",
                      "/organisationer?foo=bar", "/organisationer?region=1", "/kommuner?side=2"])
    func badQueryGivesADanish400Page(path: String) async throws {
        try await withApp { app in
            let response = try await app.get(path)
            #expect(response.status == .badRequest)
            #expect(response.text.contains("Ugyldig forespørgsel"))
            #expect(response.text.contains("class=\"alert alert-error\""))
        }
    }

    /// Pages link each stylesheet at an address with a hash of its content, kept by browsers for a year; the plain
    /// address serves the same bytes but must be asked for again.
    @Test func stylesheetsAreServedByTheAppAtAddressesThatNeverChange() async throws {
        try await withApp(seed: false) { app in
            let page = try await app.get("/tilgaengelighed").text
            for name in ["samspil", "print"] {
                let match = try #require(page.firstMatch(of: try Regex("/assets/\(name)\\.[0-9a-f]{10}\\.css")), "\(name) linked by hash")
                let versioned = try await app.get(String(page[match.range]))
                #expect(versioned.status == .ok)
                #expect(versioned.headers.first(name: .contentType) == "text/css; charset=utf-8")
                #expect(versioned.headers.first(name: .cacheControl) == "public, max-age=31536000, immutable")
                let plain = try await app.get("/assets/\(name).css")
                #expect(plain.status == .ok)
                #expect(plain.headers.first(name: .cacheControl) == "no-cache")
                #expect(plain.text == versioned.text && plain.text.count > 500)
            }
            #expect(try await app.get("/assets/samspil.0000000000.css").status == .notFound)
        }
    }

    @Test func healthAndReadiness() async throws {
        try await withApp(seed: false) { app in
            #expect(try await app.get("/healthz").status == .ok)
            let ready = try await app.get("/readyz")
            #expect(ready.status == .ok)
            #expect(ready.text.contains("\"ok\""))
        }
    }

    static func jsonLD(in html: String) -> [String: Any]? {
        guard let start = html.range(of: "<script type=\"application/ld+json\">"),
              let end = html.range(of: "</script>", range: start.upperBound..<html.endIndex) else { return nil }
        let json = String(html[start.upperBound..<end.lowerBound])
        return (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any]
    }
}
