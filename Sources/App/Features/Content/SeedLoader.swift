import Fluent
import Foundation
import SamspilCore

/// Loads the committed seed content and reference data into a new database, once.
///
/// Each seed set is recorded in `applied_seeds` in the same transaction that loads it, so a second
/// start adds nothing and never overwrites what editors have changed since.
enum SeedLoader {
    static let contentSeed = "content-v1"
    static let referenceSeed = "reference-v1"
    /// The 98 municipalities as organisations, made from the reference table (a set of its own, so databases
    /// whose reference data was loaded before organisations existed get them too).
    static let municipalitySeed = "municipality-organisations-v1"
    /// The seed page's four tools (issue 14); a set of its own, so databases made before tools existed get them.
    static let toolSeed = "tools-v1"

    /// Loads every seed set that has not been loaded; returns the names loaded now.
    @discardableResult
    static func loadIfNeeded(now: Date, on db: any Database, logger: Logger? = nil) async throws -> [String] {
        var loaded: [String] = []
        if try await apply(referenceSeed, now: now, on: db, load: { try await loadReferenceData(on: $0) }) {
            loaded.append(referenceSeed)
        }
        if try await apply(municipalitySeed, now: now, on: db, load: { try await OrganisationStore.createMunicipalities(now: now, on: $0) }) {
            loaded.append(municipalitySeed)
        }
        if try await apply(contentSeed, now: now, on: db, load: { tx in
            try await ContentTransfer.importDocument(try seedDocument(), now: now, on: tx)
        }) {
            loaded.append(contentSeed)
        }
        if try await apply(toolSeed, now: now, on: db, load: { try await ToolSaving.loadSeed(now: now, on: $0) }) {
            loaded.append(toolSeed)
        }
        for name in loaded { logger?.info("seed loaded", metadata: ["seed": .string(name)]) }
        return loaded
    }

    /// After an import of a full export: load reference data if missing, and never load the content seed. The tools are
    /// not in an export: the seed's are loaded (linked to the imported materials that have their slugs).
    static func markImported(now: Date, on db: any Database) async throws {
        try await loadReferenceIfNeeded(now: now, on: db)
        _ = try await apply(contentSeed, now: now, on: db, load: { _ in })
        _ = try await apply(toolSeed, now: now, on: db, load: { try await ToolSaving.loadSeed(now: now, on: $0) })
    }

    /// Reference data and the municipalities as organisations, if missing (what an organisation import needs).
    static func loadReferenceIfNeeded(now: Date, on db: any Database) async throws {
        _ = try await apply(referenceSeed, now: now, on: db, load: { try await loadReferenceData(on: $0) })
        _ = try await apply(municipalitySeed, now: now, on: db, load: { try await OrganisationStore.createMunicipalities(now: now, on: $0) })
    }

    static func seedDocument() throws -> ContentDocument {
        try ContentDocument.decode(try Data(contentsOf: AppResources.url("Seed/content.json")))
    }

    private static func apply(
        _ name: String, now: Date, on db: any Database, load: @escaping @Sendable (any Database) async throws -> Void
    ) async throws -> Bool {
        if try await AppliedSeedModel.query(on: db).filter(\.$name == name).first() != nil { return false }
        do {
            try await db.writeTransaction { tx in
                // Claim the seed first: a second process starting at the same time fails on the unique name
                // and rolls back instead of loading the seed twice.
                try await AppliedSeedModel(name: name, appliedAt: now).create(on: tx)
                try await load(tx)
            }
            return true
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return false
        }
    }

    static func loadReferenceData(on db: any Database) async throws {
        for row in try table("kommuner.csv") {
            let model = MunicipalityModel()
            model.code = row["kommunekode", default: ""]
            model.name = row["navn", default: ""]
            model.regionCode = row["regionskode", default: ""]
            model.region = row["region", default: ""]
            try await model.create(on: db)
        }
        for (position, row) in try table("fag.csv").enumerated() {
            let model = SubjectModel()
            model.slug = row["slug", default: ""]
            model.name = row["navn", default: ""]
            model.groupName = row["gruppe", default: ""]
            model.fromGrade = row["fra_klassetrin", default: ""]
            model.toGrade = row["til_klassetrin", default: ""]
            model.kind = row["art", default: ""]
            model.position = position
            try await model.create(on: db)
        }
        for (position, row) in try table("klassetrin.csv").enumerated() {
            let model = GradeLevelModel()
            model.code = row["kode", default: ""]
            model.name = row["navn", default: ""]
            model.stage = row["trin", default: ""]
            model.position = position
            try await model.create(on: db)
        }
        for (position, row) in try table("laeringsmiljoer.csv").enumerated() {
            let model = LearningEnvironmentKindModel()
            model.slug = row["slug", default: ""]
            model.name = row["navn", default: ""]
            model.position = position
            try await model.create(on: db)
        }
    }

    private static func table(_ file: String) throws -> [[String: String]] {
        let text = try String(contentsOf: AppResources.url("Reference/\(file)"), encoding: .utf8)
        return try CSVTable(parsing: text).rows
    }
}
