import Foundation
import SamspilCore
import Vapor

/// What the `samspil` command line calls: thin wrappers over `ContentTransfer` and `DatabaseSetup`.

/// Migrates without loading any seed.
public func migrateDatabase(_ app: Application) async throws {
    try await DatabaseSetup.prepare(app.samspil.settings.database, on: app)
}

/// A refused import: one line per problem, naming the record and the field.
public struct ContentImportError: Error, Sendable {
    public var lines: [String]
}

public struct ContentImportReport: Sendable {
    public var materials: Int
    public var themes: Int
    public var terms: Int
}

/// Imports an export file. The reference data is loaded if missing, and the content seed is marked as
/// applied, so a later `serve` does not add seed materials that the imported content left out.
public func importContent(
    _ data: Data, on app: Application, progress: (@Sendable (Int, Int) async throws -> Void)? = nil
) async throws -> ContentImportReport {
    // Read field by field: problems of JSON types are reported with the broken rules, all at once.
    let reading = ContentDocument.read(data)
    guard let document = reading.document else { throw ContentImportError(lines: reading.problems.map(\.description)) }
    do {
        let now = app.samspil.clock()
        let report = try await ContentTransfer.importDocument(document, reading: reading, now: now, on: app.db, progress: progress)
        try await SeedLoader.markImported(now: now, on: app.db)
        return ContentImportReport(materials: report.materials, themes: report.themes, terms: report.terms)
    } catch let error as SamspilError {
        if case .invalid(let problems) = error { throw ContentImportError(lines: problems.map(\.description)) }
        throw ContentImportError(lines: [error.message])
    }
}

/// All content as pretty-printed JSON, handed to `write` in pieces as the materials are read, a batch at a
/// time: an export of any size needs the memory of one batch.
public func exportContent(on app: Application, to write: @escaping @Sendable (Data) async throws -> Void) async throws {
    try await ContentTransfer.export(on: app.db, to: write)
}

/// All content as pretty-printed JSON, in one piece.
public func exportContent(on app: Application) async throws -> Data {
    let collected = CollectedData()
    try await exportContent(on: app) { await collected.append($0) }
    return await collected.data
}

private actor CollectedData {
    private(set) var data = Data()
    func append(_ piece: Data) { data.append(piece) }
}
