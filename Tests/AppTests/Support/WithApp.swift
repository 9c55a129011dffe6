@testable import App
import Fluent
import Foundation
import SQLKit
import SamspilCore
import Testing
import Vapor
import VaporTesting

/// The storage backends every storage test runs against.
enum TestBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// SQLite always; PostgreSQL when `POSTGRES_TEST_URL` is set, or when `SAMSPIL_REQUIRE_POSTGRES=1`
    /// (then a missing URL fails the tests instead of skipping PostgreSQL).
    static var all: [TestBackend] {
        let environment = ProcessInfo.processInfo.environment
        let wanted = environment["POSTGRES_TEST_URL"] != nil || environment["SAMSPIL_REQUIRE_POSTGRES"] == "1"
        return wanted ? [.sqlite, .postgres] : [.sqlite]
    }
}

struct MissingPostgres: Error, CustomStringConvertible {
    var description: String { "SAMSPIL_REQUIRE_POSTGRES=1 but POSTGRES_TEST_URL is not set; run the tests with scripts/test" }
}

/// The frozen clock of all tests.
let frozenNow = Date(timeIntervalSince1970: 1_790_000_000)

/// Runs `body` with a fully configured application (the real `configure`), migrated and — unless `seed` is
/// false — seeded, on a database of its own: an in-memory SQLite database, or a fresh PostgreSQL schema.
func withApp(
    _ backend: TestBackend = .sqlite, seed: Bool = true, publicURL: String = "http://samspil.test",
    settings change: (inout AppSettings) -> Void = { _ in }, _ body: (Application) async throws -> Void
) async throws {
    try await withApps(backend, count: 1, seed: seed, publicURL: publicURL, settings: change) { try await body($0[0]) }
}

/// Like `withApp`, with `count` applications sharing one database, as separate app processes do: a
/// temporary SQLite file, or one fresh PostgreSQL schema. Each has its own caches and connection pool.
/// `sqliteFile` makes a single application use a file too, as `serve` does (WAL, connections that wait for each
/// other's locks).
func withApps(
    _ backend: TestBackend = .sqlite, count: Int, seed: Bool = true, publicURL: String = "http://samspil.test",
    sqliteFile: Bool = false, settings change: (inout AppSettings) -> Void = { _ in }, _ body: ([Application]) async throws -> Void
) async throws {
    let location: DatabaseLocation
    var schema: String?
    var file: URL?
    switch backend {
    case .sqlite where count == 1 && !sqliteFile:
        location = .sqliteMemory
    case .sqlite:
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("samspil-test-\(UUID().uuidString).sqlite")
        file = url
        location = .sqliteFile(path: url.path)
    case .postgres:
        guard let url = ProcessInfo.processInfo.environment["POSTGRES_TEST_URL"] else { throw MissingPostgres() }
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        schema = name
        location = .postgres(url: url, schema: name)
    }
    var apps: [Application] = []
    do {
        for _ in 0..<count {
            let app = try await Application.make(.testing)
            app.logger.logLevel = .warning
            apps.append(app)
            var settings = AppSettings(database: location, publicURL: publicURL, loadSeed: seed, bcryptCost: 4)
            change(&settings)
            try configure(app, settings: settings, clock: { frozenNow })
            try await prepareDatabase(app)
        }
        try await body(apps)
    } catch {
        try await cleanUp(apps, schema: schema, file: file)
        throw error
    }
    try await cleanUp(apps, schema: schema, file: file)
}

private func cleanUp(_ apps: [Application], schema: String?, file: URL?) async throws {
    if let schema, let app = apps.first {
        try? await (app.db as! any SQLDatabase).raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
    }
    for app in apps { try await app.asyncShutdown() }
    if let file {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file.path + suffix) }
    }
}

extension Application {
    /// Sends a request through the whole middleware stack.
    func get(_ path: String, headers: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        try await testing().sendRequest(.GET, path, headers: headers)
    }
}

extension TestingHTTPResponse {
    var text: String { body.getString(at: body.readerIndex, length: body.readableBytes) ?? "" }

    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }
}

/// Files committed under `Tests/AppTests/Fixtures` and `__Snapshots__`.
enum TestFiles {
    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: Bundle.module.bundleURL.appendingPathComponent("Fixtures/\(name)"), encoding: .utf8)
    }
}
