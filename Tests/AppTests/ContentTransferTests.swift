@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing

@Suite struct ContentTransferTests {
    @Test(arguments: TestBackend.all)
    func exportImportRoundTripLosesNothing(backend: TestBackend) async throws {
        var exported = Data()
        try await withApp(backend) { app in
            var extra = TestContent.material("ekstra", title: "Ekstra æøå", year: nil)
            extra.type = "artikel"
            extra.audiences = ["skoler"]
            extra.topics = ["samarbejde"]
            extra.language = .english
            extra.readingMinutes = 12
            extra.genre = .inspiration
            extra.versions = [MaterialVersion(kind: .other, label: "Engelsk", availability: .link, url: "https://example.org/x")]
            extra.status = .draft
            try await MaterialQueries.save(extra, now: frozenNow, on: app.db)
            exported = try await exportContent(on: app)
        }
        try await withApp(backend, seed: false) { app in
            let report = try await importContent(exported, on: app)
            #expect(report.materials == 12)
            #expect(report.themes == 1)
            let again = try await exportContent(on: app)
            #expect(String(decoding: again, as: UTF8.self) == String(decoding: exported, as: UTF8.self))
            // An import marks the content seed as applied: a later start adds nothing.
            #expect(try await SeedLoader.loadIfNeeded(now: frozenNow, on: app.db).isEmpty)
        }
        let document = try ContentDocument.decode(exported)
        #expect(document.materials.count == 12)
        #expect(document.themes.first?.materials.count == 11)
    }

    @Test(arguments: TestBackend.all)
    func aBadFileIsRejectedWholeAndChangesNothing(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            var document = try await ContentTransfer.export(on: app.db)
            document.materials[0].title = "Skulle ikke gemmes"
            var broken = document.materials[1]
            broken.slug = "ny-men-ugyldig"
            broken.year = 3000
            broken.audiences = ["findes-ikke"]
            document.materials.append(broken)
            let data = try ContentDocument.encoder().encode(document)
            do {
                _ = try await importContent(data, on: app)
                Issue.record("the import should have been refused")
            } catch let error as ContentImportError {
                #expect(error.lines.contains { $0.contains("materials[11] (ny-men-ugyldig)") && $0.contains("year") })
                #expect(error.lines.contains { $0.contains("materials[11] (ny-men-ugyldig)") && $0.contains("audiences[0]") })
            }
            #expect(try await MaterialModel.query(on: app.db).count() == 11)
            #expect(try await MaterialQueries.find(slug: document.materials[0].slug, on: app.db)?.title != "Skulle ikke gemmes")
        }
    }

    /// A file with mistakes of JSON type in one record and broken rules in another is refused with all of them.
    @Test(arguments: TestBackend.all)
    func anImportNamesEveryProblemAtOnce(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let exported = try await exportContent(on: app)
            var file = try #require(try JSONSerialization.jsonObject(with: exported) as? [String: Any])
            var materials = try #require(file["materials"] as? [[String: Any]])
            let (first, second) = (try #require(materials[0]["slug"] as? String), try #require(materials[1]["slug"] as? String))
            materials[0]["year"] = "abc"
            materials[0]["title"] = 123
            materials[1]["audiences"] = ["findes-ikke"]
            materials[1]["readingMinutes"] = 0
            file["materials"] = materials
            do {
                _ = try await importContent(try JSONSerialization.data(withJSONObject: file), on: app)
                Issue.record("the import should have been refused")
            } catch let error as ContentImportError {
                #expect(error.lines == [
                    "materials[0] (\(first)), title: Har en forkert type (forventede en tekst).",
                    "materials[0] (\(first)), year: Har en forkert type (forventede et heltal).",
                    "materials[1] (\(second)), readingMinutes: Skriv en læsetid mellem 1 og 600 minutter.",
                    "materials[1] (\(second)), audiences[0]: Vælg målgrupper fra listen – „findes-ikke“ findes ikke.",
                ])
            }
            #expect(try await exportContent(on: app) == exported)
        }
    }

    /// The export is written in pieces, the materials a batch at a time, and together they are the document
    /// as it was written whole before (materials read through Fluent's models, encoded at once).
    @Test(arguments: TestBackend.all)
    func theExportIsStreamedInBatchesAsTheWholeDocument(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            var draft = TestContent.material("kladde", title: "Kladde / æøå \"citat\"", year: nil)
            draft.status = .draft
            draft.versions = [MaterialVersion(kind: .pixi, availability: .file, fileName: "a.pdf", contentType: "application/pdf")]
            try await MaterialQueries.save(draft, now: frozenNow, on: app.db)
            // The same title under another slug: batches that end between the two must not skip or repeat one.
            var twin = draft
            twin.slug = "kladde-2"
            try await MaterialQueries.save(twin, now: frozenNow, on: app.db)

            let materials = try await MaterialModel.query(on: app.db).sort(\.$sortTitle).sort(\.$slug)
                .with(\.$persons).with(\.$terms).with(\.$versions).all().map { $0.domain() }
            #expect(materials.count == 13)
            let whole = ContentDocument(vocabularies: try await VocabularyQueries.load(on: app.db), materials: materials,
                                        themes: try await ThemeQueries.all(visibility: .all, on: app.db))
            let expected = try ContentDocument.encoder().encode(whole)

            actor Pieces { var all: [Data] = []; func add(_ piece: Data) { all.append(piece) } }
            for (batchSize, batches) in [(1, 13), (5, 3), (13, 1), (500, 1)] {
                let pieces = Pieces()
                try await ContentTransfer.export(on: app.db, batchSize: batchSize) { await pieces.add($0) }
                let streamed = await pieces.all
                #expect(streamed.count == 2 + batches, "start, \(batches) batches of up to \(batchSize), finish")
                #expect(String(decoding: streamed.reduce(Data(), +), as: UTF8.self) == String(decoding: expected, as: UTF8.self),
                        "batches of \(batchSize)")
            }
            #expect(try await exportContent(on: app) == expected)
        }
    }

    struct Interrupted: Error {}

    @Test(arguments: TestBackend.all)
    func aFailureMidwayRollsBackEverything(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            var document = try await ContentTransfer.export(on: app.db)
            for index in document.materials.indices { document.materials[index].title = "Midt i importen \(index)" }
            document.themes = [Theme(slug: "nyt-tema", title: "Nyt", materials: [document.materials[0].slug])]
            let data = try ContentDocument.encoder().encode(document)
            // The import is valid; it is interrupted after the fifth material has been written.
            await #expect(throws: Interrupted.self) {
                _ = try await importContent(data, on: app, progress: { done, _ in if done == 5 { throw Interrupted() } })
            }
            #expect(try await ThemeModel.query(on: app.db).filter(\.$slug == "nyt-tema").count() == 0)
            #expect(try await MaterialModel.query(on: app.db).filter(\.$title ~~ "Midt i importen").count() == 0)
            #expect(try await MaterialModel.query(on: app.db).count() == 11)
        }
    }

    @Test func notJSONIsRefusedWithAMessage() async throws {
        try await withApp(.sqlite, seed: false) { app in
            do {
                _ = try await importContent(Data("{ikke json".utf8), on: app)
                Issue.record("expected a refusal")
            } catch let error as ContentImportError {
                #expect(error.lines.count == 1)
                #expect(error.lines[0].contains("JSON"))
            }
        }
    }
}
