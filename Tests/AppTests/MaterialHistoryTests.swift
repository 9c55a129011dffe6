@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing
import Vapor
import VaporTesting

/// Revision history with a readable diff and restore, and the order of a material's versions, through the
/// real pages on both backends.
@Suite struct MaterialHistoryTests {
    typealias Browser = LoginTests.Browser
    static let slug = "zebrafinker-paa-skolebesoeg"

    static func edit(_ browser: Browser, _ changes: [String: String]) async throws -> TestingHTTPResponse {
        var fields = MaterialEditTests.fields(try await browser.csrfToken(on: "/redaktion/materialer/\(slug)"))
        fields["version"] = try await MaterialEditTests.version(browser, slug)
        for (key, value) in changes { fields[key] = value }
        return try await browser.post("/redaktion/materialer/\(slug)", fields)
    }

    @Test(arguments: TestBackend.all)
    func everySaveIsARevisionThatCanBeComparedAndRestored(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let browser = try await MaterialEditTests.editor(app)
            let token = try await browser.csrfToken(on: "/redaktion/materialer/ny")
            #expect(try await browser.post("/redaktion/materialer/ny", MaterialEditTests.fields(token)).status == .seeOther)
            #expect(try await Self.edit(browser, ["title": "Zebrafinker <i>på</i> besøg", "body": "## Om besøget\n\nFuglene kommer om aftenen."]).status == .seeOther)

            let list = try await browser.get("/redaktion/materialer/\(Self.slug)/historik")
            #expect(list.status == .ok)
            #expect(list.text.contains("Revision 2 (nuværende)") && list.text.contains("Revision 1") && list.text.contains("Oprettede materiale"))

            // The diff names the changed fields with the form's labels, marks the changed words (in words for screen
            // readers too), and escapes the text.
            let second = try await browser.get("/redaktion/materialer/\(Self.slug)/historik/2")
            #expect(second.status == .ok)
            #expect(second.text.contains("<h3>Titel</h3>") && second.text.contains("<h3>Tekst</h3>") && !second.text.contains("<h3>År</h3>"))
            #expect(second.text.contains("Ændringer i forhold til revision 1"))
            #expect(second.text.contains("Fuglene kommer om <del><span class=\"sr-only\">(fjernet: </span>morgenen<span class=\"sr-only\">)</span></del>"
                                         + "<ins><span class=\"sr-only\">(tilføjet: </span>aftenen<span class=\"sr-only\">)</span></ins>."))
            #expect(second.text.contains("Zebrafinker &lt;i&gt;på&lt;/i&gt; besøg") && !second.text.contains("<i>på</i>"))
            #expect(second.text.contains("Dette er den nuværende revision."))
            #expect(try await browser.get("/redaktion/materialer/\(Self.slug)/historik/9").status == .notFound)
            #expect(try await browser.get("/redaktion/materialer/\(Self.slug)/historik/x").status == .notFound)

            // Restoring revision 1 saves it as revision 3; a restore from a page that is out of date changes nothing.
            let first = try await browser.get("/redaktion/materialer/\(Self.slug)/historik/1")
            #expect(first.text.contains("Gendan revision 1"))
            let csrf = try await browser.csrfToken(on: "/redaktion/materialer/\(Self.slug)/historik/1")
            let stale = try await browser.post("/redaktion/materialer/\(Self.slug)/historik/1/gendan", ["_csrf": csrf, "version": "1"])
            #expect(stale.status == .conflict)
            #expect(try await MaterialQueries.find(slug: Self.slug, visibility: .all, on: app.db)?.title == "Zebrafinker <i>på</i> besøg")
            #expect(try await browser.post("/redaktion/materialer/\(Self.slug)/historik/1/gendan", ["version": "2"]).status == .forbidden)
            let restored = try await browser.post("/redaktion/materialer/\(Self.slug)/historik/1/gendan", ["_csrf": csrf, "version": "2"])
            #expect(restored.status == .seeOther)
            let material = try #require(try await MaterialQueries.find(slug: Self.slug, visibility: .all, on: app.db))
            #expect(material.title == "Zebrafinker på skolebesøg" && material.body.contains("om morgenen"))
            #expect(try await app.get("/api/v1/search?q=morgenen").text.contains(Self.slug))
            let after = try await browser.get("/redaktion/materialer/\(Self.slug)/historik").text
            #expect(after.contains("Revision 3 (nuværende)") && after.contains("Gendannede materiale"))

            // Other people cannot see the history.
            #expect(try await Browser(app).get("/redaktion/materialer/\(Self.slug)/historik").status == .seeOther)
            let anonymous = try await app.testing().sendRequest(.POST, "/redaktion/materialer/\(Self.slug)/historik/1/gendan")
            #expect(anonymous.headers.first(name: .location)?.hasPrefix("/log-ind") == true)
        }
    }

    /// A seeded (or imported) material has no history until someone saves it; that first save records the
    /// stored state first, as revision 1 ("indlæst"), so the history starts there and the first edit's diff
    /// shows that edit only. This needs no migration: it happens on databases of any age.
    @Test(arguments: TestBackend.all)
    func theSeededVersionIsTheFirstRevision(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let browser = try await MaterialEditTests.editor(app)
            let slug = "fire-typer-af-partnerskaber"
            let seeded = try #require(try await MaterialQueries.find(slug: slug, visibility: .all, on: app.db))
            #expect(try await browser.get("/redaktion/materialer/\(slug)/historik").text.contains("ingen revisioner"))

            // One word of the teaser changed, everything else posted as it was.
            let form = MaterialEdit.form(from: seeded)
            var fields = ["_csrf": try await browser.csrfToken(on: "/redaktion/materialer/\(slug)"),
                          "version": try await MaterialEditTests.version(browser, slug)]
            for (key, value) in [("title", form.title), ("genre", form.genre), ("type", form.type), ("teaser", form.teaser), ("body", form.body),
                                 ("creditKind", form.creditKind), ("persons", form.persons), ("organisation", form.organisation), ("year", form.year),
                                 ("language", form.language), ("readingMinutes", form.readingMinutes), ("status", form.status)] {
                fields[key] = value ?? ""
            }
            let words = seeded.teaser.split(separator: " ")
            let changedWord = String(words[1])
            let range = try #require(seeded.teaser.range(of: " \(changedWord) "))
            fields["teaser"] = seeded.teaser.replacingCharacters(in: range, with: " anderledes ")
            let pairs = fields.map { ($0.key, $0.value) } + (form.audiences ?? []).map { ("audiences[]", $0) } + (form.topics ?? []).map { ("topics[]", $0) }
            #expect(try await browser.post("/redaktion/materialer/\(slug)", pairs: pairs).status == .seeOther)

            let history = try await MaterialHistoryQueries.list(materialSlug: slug, on: app.db)
            #expect(history.map(\.revision) == [2, 1])
            #expect(history.map(\.action) == ["material.update", "material.load"])
            #expect(history[1].actor == MaterialSaving.loadedBy && history[1].savedAt == seeded.updatedAt)
            let list = try await browser.get("/redaktion/materialer/\(slug)/historik").text
            #expect(list.contains("Revision 1") && list.contains("Indlæst (startindhold eller import)") && list.contains("Revision 2 (nuværende)"))

            // Revision 1 shows the seeded content (not a diff in which every field is "added").
            let first = try await browser.get("/redaktion/materialer/\(slug)/historik/1").text
            #expect(first.contains("Indlæst ") && first.contains("<h2>Indhold</h2>") && !first.contains("<ins>") && first.contains(seeded.title))
            // Revision 2 shows the one changed word of the one changed field.
            let second = try await browser.get("/redaktion/materialer/\(slug)/historik/2").text
            #expect(second.contains("Ændringer i forhold til revision 1"))
            #expect(second.components(separatedBy: "<h3>").count == 2 && second.contains("<h3>\(MaterialField.teaser.label)</h3>"))
            #expect(second.contains("(fjernet: </span>\(changedWord)<") && second.contains("(tilføjet: </span>anderledes<"))
            #expect(second.components(separatedBy: "<del>").count == 2 && second.components(separatedBy: "<ins>").count == 2)

            // Restoring the seeded revision brings the seeded teaser back, as a new revision.
            let csrf = try await browser.csrfToken(on: "/redaktion/materialer/\(slug)/historik/1")
            #expect(try await browser.post("/redaktion/materialer/\(slug)/historik/1/gendan", ["_csrf": csrf, "version": "2"]).status == .seeOther)
            #expect(try await MaterialQueries.find(slug: slug, visibility: .all, on: app.db)?.teaser == seeded.teaser)
            #expect(try await MaterialHistoryQueries.list(materialSlug: slug, on: app.db).map(\.revision) == [3, 2, 1])
        }
    }

    /// A history kept before the loaded state was recorded starts at a later revision: its first revision shows
    /// its content and says the earlier ones were not kept.
    @Test func aHistoryWithoutItsBeginningShowsTheOldestRevisionsContent() throws {
        let material = Material(slug: "a", title: "Titel", type: "artikel", teaser: "Kort")
        let model = MaterialHistory.RevisionModel(
            material: material, entry: .init(revision: 2, savedAt: frozenNow, actor: "anna@skole.dk", action: "material.update"),
            previousRevision: nil, diff: MaterialDiff(from: nil, to: material),
            fields: MaterialDiff.fields(material).map { (field: $0.0, text: $0.1) }, currentRevision: 3, csrf: "x")
        let html = MaterialHistoryViews.revision(model, site: SnapshotTests.site)
        #expect(html.contains("Revisionerne før denne er ikke gemt") && html.contains("<dt>Kort beskrivelse</dt><dd>Kort</dd>") && !html.contains("<ins>"))
    }

    @Test(arguments: TestBackend.all)
    func versionsAreMovedAndRemoved(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let browser = try await MaterialEditTests.editor(app)
            let token = try await browser.csrfToken(on: "/redaktion/materialer/ny")
            #expect(try await browser.post("/redaktion/materialer/ny", MaterialEditTests.fields(token)).status == .seeOther)
            var material = try #require(try await MaterialQueries.find(slug: Self.slug, visibility: .all, on: app.db))
            material.versions = [
                MaterialVersion(kind: .full, label: "Første", availability: .link, url: "https://example.org/1"),
                MaterialVersion(kind: .pixi, label: "Anden", availability: .link, url: "https://example.org/2"),
            ]
            let account = try #require(try await AccountQueries.all(on: app.db).first)
            _ = try await MaterialSaving.update(material, startedFrom: nil, by: account, now: frozenNow, vocabularies: try await VocabularyQueries.load(on: app.db), on: app.db)

            func labels() async throws -> [String] {
                try #require(try await MaterialQueries.find(slug: Self.slug, visibility: .all, on: app.db)).versions.compactMap(\.label)
            }
            let page = try await browser.get("/redaktion/materialer/\(Self.slug)").text
            #expect(page.contains("aria-label=\"Flyt ned: Første") && page.contains("aria-label=\"Fjern: Anden"))
            let csrf = try await browser.csrfToken(on: "/redaktion/materialer/\(Self.slug)")
            let revision = try await MaterialEditTests.version(browser, Self.slug)
            #expect(try await browser.post("/redaktion/materialer/\(Self.slug)/udgaver", ["_csrf": csrf, "version": revision, "index": "0", "action": "down"]).status == .seeOther)
            #expect(try await labels() == ["Anden", "Første"])
            // The same form again is out of date: nothing changes.
            #expect(try await browser.post("/redaktion/materialer/\(Self.slug)/udgaver", ["_csrf": csrf, "version": revision, "index": "0", "action": "remove"]).status == .conflict)
            #expect(try await labels() == ["Anden", "Første"])
            let current = try await MaterialEditTests.version(browser, Self.slug)
            #expect(try await browser.post("/redaktion/materialer/\(Self.slug)/udgaver", ["_csrf": csrf, "version": current, "index": "5", "action": "remove"]).status == .notFound)
            #expect(try await browser.post("/redaktion/materialer/\(Self.slug)/udgaver", ["_csrf": csrf, "version": current, "index": "0", "action": "slet-alt"]).status == .badRequest)
            #expect(try await browser.post("/redaktion/materialer/\(Self.slug)/udgaver", ["_csrf": csrf, "version": current, "index": "0", "action": "remove"]).status == .seeOther)
            #expect(try await labels() == ["Første"])
            #expect(try await browser.get("/redaktion/materialer/\(Self.slug)/historik").text.contains("Revision 4 (nuværende)"))
        }
    }
}

/// Saves that really run at the same time on one database (an SQLite file, or PostgreSQL with two app
/// instances): of those that start from the same revision exactly one is written, the others are told so,
/// and none fails with a database error ("database is locked" on SQLite if a transaction read before it wrote).
@Suite struct ConcurrentSaveTests {
    @Test(arguments: TestBackend.all)
    func ofManySavesFromOneRevisionExactlyOneWins(backend: TestBackend) async throws {
        try await withApps(backend, count: 2) { apps in
            let slug = "fire-typer-af-partnerskaber"
            let account = try await AccountQueries.create(email: "redaktor@skole.dk", password: LoginTests.password, role: .editor, now: frozenNow,
                                                          hashing: PasswordHashing(apps[0]), on: apps[0].db)
            let (material, revision) = try await MaterialQueries.requireWithRevision(slug: slug, on: apps[0].db)
            let vocabularies = try await VocabularyQueries.load(on: apps[0].db)
            let outcomes = try await withThrowingTaskGroup(of: Int?.self) { group in
                // All through one instance: its connections (one per event loop) share one SQLite thread pool, as
                // in one `serve` process. (Two instances in one test process would also share that pool, which two
                // processes never do, and SQLite's waiting writers could then hold every thread of it.)
                for attempt in 0..<8 {
                    let app = backend == .sqlite ? apps[0] : apps[attempt % 2]
                    var changed = material
                    changed.title = "Fire typer – udgave \(attempt)"
                    let toSave = changed
                    group.addTask {
                        try await MaterialSaving.update(toSave, startedFrom: revision, by: account, now: frozenNow, vocabularies: vocabularies, on: app.db)
                    }
                }
                return try await group.reduce(into: [Int?]()) { $0.append($1) }
            }
            #expect(outcomes.compactMap { $0 } == [revision + 1])
            #expect(try await MaterialQueries.revision(slug: slug, on: apps[1].db) == revision + 1)
            // The seeded state (recorded by the winner, once) and the winning save.
            #expect(try await MaterialHistoryQueries.list(materialSlug: slug, on: apps[1].db).map(\.action) == ["material.update", "material.load"])
        }
    }

    /// Any write transaction that reads before it writes (most do) survives concurrent writers on SQLite.
    @Test func readThenWriteTransactionsWaitTheirTurn() async throws {
        try await withApps(.sqlite, count: 2, seed: false) { apps in
            let app = apps[0]
            let account = try await AccountQueries.create(email: "redaktor@skole.dk", password: LoginTests.password, role: .editor, now: frozenNow,
                                                          hashing: PasswordHashing(app), on: app.db)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for attempt in 0..<12 {
                    group.addTask {
                        try await app.db.writeTransaction { tx in
                            _ = try await AuditEventModel.query(on: tx).count()
                            try await AuditLog.record(.themeUpdate, subject: "tema-\(attempt)", by: account, now: frozenNow, on: tx)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await AuditEventModel.query(on: app.db).count() == 12)
        }
    }
}
