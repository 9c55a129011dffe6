@testable import App
import Foundation
import SamspilCore
import Testing
import Vapor

/// Text that tries to become markup, stored in every field, must come out as text everywhere.
@Suite struct HostileTextTests {
    static let hostile = #"<script>alert("x")</script>"'><img src=x onerror=alert(1)>&amp;</title></script>"#

    static func hostileMaterial() -> Material {
        Material(
            slug: "fjendtlig", title: "T " + hostile, genre: .fokus, type: "artikel", teaser: "Teaser " + hostile,
            body: "Brød " + hostile + "\n\n[link](javascript:alert(1)) [ok](https://a.dk/\"><script>alert(2)</script>)",
            credits: Credits(kind: .written, persons: ["P " + hostile], organisation: "O " + hostile), year: 2020,
            language: .english, audiences: ["skoler"], topics: ["samarbejde"],
            versions: [MaterialVersion(kind: .full, label: "V " + hostile, availability: .link,
                                       url: "https://a.dk/\"><script>alert(3)</script>")]
        )
    }

    func assertEscaped(_ text: String, _ where_: String) {
        #expect(!text.contains("<script>alert"), "\(where_) contains a live script tag")
        #expect(!text.contains("<img src=x"), "\(where_) contains a live img tag")
        #expect(!text.contains("'><img"), "\(where_) lets a quote end an attribute")
        #expect(!text.contains("\"><script"), "\(where_) lets a quote end an attribute")
        #expect(!text.contains("\"><img"), "\(where_) lets a quote end an attribute")
        #expect(!text.contains("javascript:alert"), "\(where_) contains a javascript: link")
    }

    @Test(arguments: TestBackend.all)
    func hostileTextIsEscapedEverywhere(backend: TestBackend) async throws {
        try await withApp(backend, seed: false) { app in
            try await VocabularyQueries.merge(TestContent.vocabularies, on: app.db)
            try await MaterialQueries.save(Self.hostileMaterial(), now: frozenNow, on: app.db)
            try await ThemeQueries.save(Theme(slug: "tema", title: "Tema " + Self.hostile, section: "S " + Self.hostile,
                                              intro: "Intro " + Self.hostile, materials: ["fjendtlig"]), now: frozenNow, on: app.db)
            for path in ["/materialer/fjendtlig", "/temaer/tema", "/temaer", "/", "/materialer", "/typer/artikel", "/aar/2020",
                         "/maalgrupper/skoler", "/emner/samarbejde", "/feed.atom", "/temaer/tema/feed.atom", "/sitemap.xml"] {
                let response = try await app.get(path)
                #expect(response.status == .ok, "\(path)")
                assertEscaped(response.text, path)
                if path != "/sitemap.xml" {
                    #expect(response.text.contains("alert"), "\(path) should still show the text, escaped")
                }
            }
            // JSON-LD keeps the exact text, and nothing in it can close the script element.
            let html = try await app.get("/materialer/fjendtlig").text
            let start = try #require(html.range(of: "<script type=\"application/ld+json\">"))
            let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
            let jsonLD = try #require(PageRouteTests.jsonLD(in: html))
            #expect(jsonLD["headline"] as? String == "T " + Self.hostile)
            #expect(!html[start.upperBound..<end.lowerBound].contains("<"))
            // The API returns the text as JSON strings, unchanged.
            let api = try await app.get("/api/v1/materials/fjendtlig")
            #expect(api.headers.contentType == .json)
            let material = try JSONDecoder.api.decode(MaterialDTO.self, from: Data(api.text.utf8))
            #expect(material.title == "T " + Self.hostile)
            #expect(material.credits.persons == ["P " + Self.hostile])
        }
    }

    @Test func hostileInputInTheURLNeverGivesA500() async throws {
        try await withApp { app in
            for path in ["/materialer/%3Cscript%3E", "/materialer/%FF%FE", "/typer/%22%3E%3Cimg", "/materialer?side=%3Cscript%3E",
                         "/api/v1/materials?type=%3Cscript%3E", "/api/v1/materials?%FF=1", "/api/v1/materials/" + String(repeating: "a", count: 5000),
                         "/aar/99999999999999999999999", "/materialer?side=99999999999999999999"] {
                let response = try await app.get(path)
                #expect(response.status.code < 500, "\(path)")
                assertEscaped(response.text, path)
            }
        }
    }
}

/// U+0000 in any text a person sends is refused with a Danish message, never a 500 (PostgreSQL cannot store it).
@Suite struct NulCharacterTests {
    @Test(arguments: TestBackend.all)
    func theNullCharacterIsRefusedEverywhere(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let editor = try await MaterialEditTests.editor(app)
            let token = try await editor.csrfToken(on: "/redaktion/materialer/ny")
            var fields = MaterialEditTests.fields(token)
            fields["body"] = "Tekst\u{0}med nul"
            let refused = try await editor.post("/redaktion/materialer/ny", fields)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("nul-tegn"))
            let themeToken = try await editor.csrfToken(on: "/redaktion/temaer/ny")
            let theme = try await editor.post("/redaktion/temaer/ny", ["_csrf": themeToken, "title": "Tema\u{0}", "intro": "", "status": "draft"])
            #expect(theme.status == .unprocessableEntity && theme.text.contains("nul-tegn"))
            let login = LoginTests.Browser(app)
            let loginToken = try await login.csrfToken(on: "/log-ind")
            #expect(try await login.post("/log-ind", ["email": "a\u{0}@skole.dk", "password": "x", "_csrf": loginToken]).status == .unprocessableEntity)
            let reset = try await login.post("/glemt-adgangskode", ["email": "a\u{0}@skole.dk", "_csrf": loginToken])
            #expect(reset.status == .unprocessableEntity)
        }
    }
}
