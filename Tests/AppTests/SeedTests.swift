@testable import App
import Fluent
import Foundation
import Vapor
import SQLKit
import SamspilCore
import Testing

@Suite struct SeedTests {
    /// The seed page's text with non-breaking and repeated spaces folded, as the scrape has them.
    static func seedText() throws -> String {
        let raw = try TestFiles.fixture("samarbejder-og-partnerskaber.txt")
        let folded = raw.replacingOccurrences(of: "\u{00A0}", with: " ")
            .split(whereSeparator: { $0 == " " }).joined(separator: " ")
        // The scrape glued type labels to the next word ("publikationProjekterne"); unglue them, as the seed README says.
        let glued = try NSRegularExpression(pattern: "(publikation|artikel|tjekliste|liste)(?=[A-ZÆØÅ“])")
        return glued.stringByReplacingMatches(in: folded, range: NSRange(folded.startIndex..., in: folded), withTemplate: "")
    }

    static let expected: [(type: String, year: Int)] = [
        ("publikation", 2018), ("model", 2019), ("artikel", 2019), ("publikation", 2016), ("publikation", 2017),
        ("tjekliste", 2018), ("publikation", 2018), ("publikation", 2016), ("publikation", 2016), ("publikation", 2019),
        ("liste", 2019),
    ]

    @Test(arguments: TestBackend.all)
    func seedMatchesTheSeedPage(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let text = try Self.seedText()
            let theme = try await ThemeQueries.require(slug: "samarbejder-og-partnerskaber", on: app.db)
            let materials = try await ThemeQueries.materials(of: theme, on: app.db)
            #expect(materials.count == 11)
            #expect(text.contains(theme.intro))
            var lastPosition = text.startIndex
            for (index, material) in materials.enumerated() {
                // Titles appear in the seed's order, with their genre prefix.
                let range = try #require(text.range(of: material.displayTitle, range: lastPosition..<text.endIndex),
                                         "title \(index + 1) \(material.displayTitle) not found in order")
                lastPosition = range.upperBound
                #expect(material.type == Self.expected[index].type, "type of \(material.slug)")
                #expect(material.year == Self.expected[index].year, "year of \(material.slug)")
                // The credit line (persons, organisation, year) is the page's own.
                let line = try #require(material.credits.line(year: material.year))
                let credited = line.drop(while: { $0 != " " }).dropFirst().drop(while: { $0 != " " })
                #expect(text.contains("af" + credited), "credits of \(material.slug): \(line)")
                #expect(text.contains(material.teaser), "teaser of \(material.slug)")
            }
            let swedish = materials[2]
            #expect(swedish.language == .swedish)
            #expect(swedish.readingMinutes == 6)
            #expect(swedish.credits.persons == ["Marianne Bomgren"])
            for mapping in [materials[7], materials[8]] {
                #expect(mapping.genre == .kortlaegning)
                #expect(mapping.versions.map(\.kind) == [.full, .pixi])
                #expect(mapping.versions.allSatisfy { $0.availability == .unavailable })
            }
            #expect(materials[4].credits.persons == ["Jesse-Lee Costa Dollerup", "Marlene Kramm", "Ea Stevns Matzon"])
            #expect(materials[10].audiences.contains("plc"))
            #expect(!text.isEmpty)
        }
    }

    @Test(arguments: TestBackend.all)
    func seedLoadsOnceAndKeepsEditorsChanges(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            var material = try await MaterialQueries.require(slug: "fire-typer-af-partnerskaber", on: app.db)
            material.title = "Fire typer – redigeret"
            try await MaterialQueries.save(material, now: frozenNow, on: app.db)
            let loadedAgain = try await SeedLoader.loadIfNeeded(now: frozenNow, on: app.db)
            #expect(loadedAgain.isEmpty)
            #expect(try await MaterialModel.query(on: app.db).count() == 11)
            #expect(try await MunicipalityModel.query(on: app.db).count() == 98)
            #expect(try await MaterialQueries.require(slug: "fire-typer-af-partnerskaber", on: app.db).title == "Fire typer – redigeret")
        }
    }

    @Test(arguments: TestBackend.all)
    func referenceDataIsLoaded(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let copenhagen = try #require(try await MunicipalityModel.query(on: app.db).filter(\.$code == "0101").first())
            #expect(copenhagen.name == "København")
            #expect(copenhagen.region == "Region Hovedstaden")
            #expect(try await SubjectModel.query(on: app.db).count() == 28)
            #expect(try await GradeLevelModel.query(on: app.db).count() == 13)
            #expect(try await LearningEnvironmentKindModel.query(on: app.db).filter(\.$slug == "kunst-design-arkitektur").first()?.name
                    == "Kunst, design og arkitektur")
        }
    }
}

@Suite struct SQLiteFileTests {
    @Test func fileDatabaseRunsInWALModeWithFullSync() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("samspil-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        do {
            try configure(app, settings: AppSettings(database: .sqliteFile(path: path)), clock: { frozenNow })
            try await prepareDatabase(app)
            struct Mode: Decodable { let journal_mode: String }
            struct Sync: Decodable { let synchronous: Int }
            for eventLoop in app.eventLoopGroup.makeIterator() {
                let db = app.databases.database(logger: app.logger, on: eventLoop)! as! any SQLDatabase
                #expect(try await db.raw("PRAGMA journal_mode").first(decoding: Mode.self)?.journal_mode == "wal")
                #expect(try await db.raw("PRAGMA synchronous").first(decoding: Sync.self)?.synchronous == 2)
            }
            #expect(try await MaterialModel.query(on: app.db).count() == 11)
        } catch {
            try await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    @Test func databaseURLParsing() throws {
        #expect(try DatabaseLocation.parse(nil) == .sqliteFile(path: "data/samspil.sqlite"))
        #expect(try DatabaseLocation.parse("sqlite:///var/lib/samspil/db.sqlite") == .sqliteFile(path: "/var/lib/samspil/db.sqlite"))
        #expect(try DatabaseLocation.parse("postgres://u:p@h/db") == .postgres(url: "postgres://u:p@h/db", schema: nil))
        #expect(throws: (any Error).self) { try DatabaseLocation.parse("sqlite://relative.sqlite") }
        #expect(throws: (any Error).self) { try DatabaseLocation.parse("mysql://x") }
        #expect(!DatabaseLocation.postgres(url: "postgres://user:secret@db.example:5432/samspil", schema: nil).safeDescription.contains("secret"))
    }

    @Test func unusableDatabaseLocationsGiveClearStartupErrors() async throws {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .critical
        #expect(throws: StartupError.self) {
            try configure(app, settings: AppSettings(database: .sqliteFile(path: "/proc/samspil/none.sqlite")), clock: { frozenNow })
        }
        try await app.asyncShutdown()

        // A folder where the database file should be: opening fails at start-up, with the reason.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("samspil-dir-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let second = try await Application.make(.testing)
        second.logger.logLevel = .critical
        try configure(second, settings: AppSettings(database: .sqliteFile(path: folder)), clock: { frozenNow })
        await #expect(throws: StartupError.self) { try await prepareDatabase(second) }
        try await second.asyncShutdown()
    }
}
