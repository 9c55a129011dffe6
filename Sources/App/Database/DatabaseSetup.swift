import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor

/// The database could not be opened or migrated; the description says why, without secrets.
public struct StartupError: Error, CustomStringConvertible {
    public var description: String
}

/// Connects the application to the database `DATABASE_URL` names, and prepares it.
enum DatabaseSetup {
    static func use(_ location: DatabaseLocation, on app: Application) throws {
        switch location {
        case .sqliteFile(let path):
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw StartupError(description: "Cannot create the database folder \(directory): \(error.localizedDescription)")
            }
            app.databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
        case .sqliteMemory:
            app.databases.use(.sqlite(.memory, sqlLogLevel: .trace), as: .sqlite)
        case .postgres(let url, let schema):
            var configuration = try SQLPostgresConfiguration(url: url)
            if let schema { configuration.searchPath = [schema] }
            app.databases.use(
                .postgres(configuration: configuration, maxConnectionsPerEventLoop: 4, sqlLogLevel: .trace),
                as: .psql
            )
        }
    }

    /// Makes the database ready: SQLite settings, the tests' PostgreSQL schema, then migrations.
    /// Errors say what failed, without internal details such as passwords.
    static func prepare(_ location: DatabaseLocation, on app: Application) async throws {
        do {
            switch location {
            case .sqliteFile, .sqliteMemory:
                try await configureSQLite(on: app)
            case .postgres(_, let schema?):
                try await (app.db as! any SQLDatabase).raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
            case .postgres:
                break
            }
        } catch {
            throw StartupError(description: "Cannot open the database (\(location.safeDescription)): \(String(reflecting: error))")
        }
        do {
            try await app.autoMigrate()
        } catch {
            throw StartupError(description: "Cannot migrate the database (\(location.safeDescription)): \(String(reflecting: error))")
        }
    }

    /// WAL mode (a property of the file) and full durability (a property of each connection), temporary
    /// tables and sorts in memory, and a 32 MB page cache per connection (the default is 2 MB), which the
    /// search index needs. Fluent's SQLite driver keeps one connection per event loop, so each is set.
    static func configureSQLite(on app: Application) async throws {
        for eventLoop in app.eventLoopGroup.makeIterator() {
            let db = app.databases.database(logger: app.logger, on: eventLoop)! as! any SQLDatabase
            try await db.raw("PRAGMA journal_mode = WAL").run()
            try await db.raw("PRAGMA synchronous = FULL").run()
            try await db.raw("PRAGMA temp_store = MEMORY").run()
            try await db.raw("PRAGMA cache_size = -32768").run()
        }
    }

    /// Whether the database answers, for `/readyz`.
    static func isReachable(_ db: any Database) async -> Bool {
        do {
            try await (db as! any SQLDatabase).raw("SELECT 1").run()
            return true
        } catch {
            return false
        }
    }
}
