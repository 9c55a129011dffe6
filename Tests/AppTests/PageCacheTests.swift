@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing
import Vapor
import VaporTesting

/// Public pages kept by each process, validators and conditional requests, and never a stale or personal copy.
@Suite struct PageCacheTests {
    typealias Browser = LoginTests.Browser

    static let publicPages = ["/", "/temaer", "/temaer/samarbejder-og-partnerskaber", "/materialer", "/materialer/fire-typer-af-partnerskaber",
                              "/typer", "/maalgrupper/kommuner", "/aar/2019", "/soeg?q=samarbejde", "/feed.atom", "/sitemap.xml",
                              "/tilgaengelighed"]

    /// Every public page carries an ETag and answers `If-None-Match` with 304, with the cache on and off.
    @Test(arguments: [32, 0])
    func publicPagesAnswerConditionalRequests(cacheMegabytes: Int) async throws {
        try await withApp(settings: { $0.pageCacheMegabytes = cacheMegabytes }) { app in
            for path in Self.publicPages {
                let first = try await app.get(path)
                #expect(first.status == .ok, "\(path)")
                let etag = try #require(first.headers.first(name: .eTag), "\(path) has no ETag")
                #expect(first.headers.first(name: .cacheControl) == "no-cache", "\(path)")
                let again = try await app.get(path)
                #expect(again.text == first.text && again.headers.first(name: .eTag) == etag, "\(path) is the same page twice")
                let conditional = try await app.get(path, headers: ["If-None-Match": etag])
                #expect(conditional.status == .notModified, "\(path)")
                #expect(conditional.body.readableBytes == 0)
                #expect(try await app.get(path, headers: ["If-None-Match": "\"anden\""]).status == .ok)
            }
            // Forms with a token are never public pages.
            let login = try await app.get("/log-ind")
            #expect(login.headers.first(name: .eTag) == nil && login.headers.first(name: .cacheControl) == "no-store")
        }
    }

    /// An editor's save shows on the next request of the same process.
    @Test(arguments: TestBackend.all)
    func aSaveShowsOnTheNextRequest(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let editor = try await MaterialEditTests.editor(app)
            let token = try await editor.csrfToken(on: "/redaktion/materialer/ny")
            #expect(try await editor.post("/redaktion/materialer/ny", MaterialEditTests.fields(token)).status == .seeOther)
            let pages = ["/materialer/zebrafinker-paa-skolebesoeg", "/materialer", "/aar/2025", "/soeg?q=zebrafinker", "/feed.atom", "/"]
            for path in pages {
                // (The search page marks the word searched for: compare the rest of the title.)
                #expect(try await app.get(path).text.contains("på skolebesøg"), "\(path) before")
                #expect(try await app.get(path).text.contains("på skolebesøg"), "\(path) before, from the cache")
            }
            var edit = MaterialEditTests.fields(try await editor.csrfToken(on: "/redaktion/materialer/zebrafinker-paa-skolebesoeg"),
                                                title: "Zebrafinker i skolegården")
            edit["version"] = try await MaterialEditTests.version(editor, "zebrafinker-paa-skolebesoeg")
            #expect(try await editor.post("/redaktion/materialer/zebrafinker-paa-skolebesoeg", edit).status == .seeOther)
            for path in pages {
                let page = try await app.get(path).text
                #expect(page.contains("i skolegården") && !page.contains("på skolebesøg"), "\(path) after")
            }
        }
    }

    /// Another process's save shows here within a second (PostgreSQL: the production setup with several processes).
    @Test(arguments: TestBackend.all)
    func anotherProcessSaveShowsWithinASecond(backend: TestBackend) async throws {
        try await withApps(backend, count: 2) { apps in
            let (reader, writer) = (apps[0], apps[1])
            let path = "/materialer/fire-typer-af-partnerskaber"
            #expect(try await reader.get(path).text.contains("Fire typer af partnerskaber"))
            #expect(try await reader.get(path).text.contains("Fire typer af partnerskaber"), "now from the cache")
            var material = try await MaterialQueries.require(slug: "fire-typer-af-partnerskaber", on: writer.db)
            material.title = "Fem typer af partnerskaber"
            try await MaterialQueries.save(material, now: frozenNow, on: writer.db)
            let clock = ContinuousClock()
            let saved = clock.now
            var seenAfter: Duration?
            while clock.now - saved < .seconds(3) {
                if try await reader.get(path).text.contains("Fem typer af partnerskaber") {
                    seenAfter = clock.now - saved
                    break
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            let seen = try #require(seenAfter, "the other process never showed the save")
            #expect(seen < .seconds(1), "shown after \(seen)")
        }
    }

    /// A logged-in person's header (name, their form token) is never kept for anyone else, and a logged-in
    /// person never gets the anonymous copy.
    @Test func nothingPersonalIsServedFromTheCache() async throws {
        try await LoginTests.withAccounts(.sqlite) { app in
            try await MaterialQueries.save(TestContent.material("robotter", title: "Robotter på biblioteket", year: 2024), now: frozenNow, on: app.db)
            let editor = Browser(app)
            _ = try await editor.logIn("redaktor@skole.dk")
            let csrf = try await editor.csrfToken(on: "/redaktion")
            for path in ["/materialer/robotter", "/materialer", "/"] {
                let personal = try await editor.get(path)
                #expect(personal.text.contains("Logget ind som") && personal.text.contains(csrf), "\(path): the editor's header")
                #expect(personal.headers.first(name: .cacheControl) == "private, no-cache")
                let anonymous = try await app.get(path)
                #expect(!anonymous.text.contains("Logget ind som") && !anonymous.text.contains(csrf), "\(path): nobody else's")
                #expect(anonymous.text.contains("Log ind"))
                let again = try await editor.get(path)
                #expect(again.text.contains("Logget ind som"), "\(path): the editor never gets the anonymous copy")
                // A cookie that is no session's is not logged in, and not a reason to be served someone's copy either.
                let stranger = try await app.get(path, headers: ["Cookie": "samspil-session=ukendt"])
                #expect(!stranger.text.contains("Logget ind som") && stranger.text.contains("Log ind"))
            }
        }
    }

    /// The cache keeps within its budget, dropping the oldest pages first.
    @Test func theCacheKeepsWithinItsBudget() {
        let cache = PageCache(budgetBytes: 64 * 1024)
        let page = ByteBuffer(repeating: UInt8(ascii: "x"), count: 10 * 1024)
        for index in 0..<20 {
            cache.store("/side/\(index)", PageCache.Entry(revision: 1, headers: [:], body: page, etag: "\"\(index)\""))
        }
        let kept = (0..<20).filter { cache.entry("/side/\($0)", revision: 1) != nil }
        #expect(kept.count >= 4 && kept.count <= 6, "\(kept)")
        #expect(kept == Array((20 - kept.count)..<20), "the newest stay: \(kept)")
        #expect(cache.entry("/side/19", revision: 2) == nil, "a page of another revision is not current")
    }
}
