import Fluent
import Foundation
import SamspilCore
import SQLKit

/// Every change to a tool, from the editors' form, the import and the API alike: `ToolRules` decide, then one write
/// transaction claims the tool's row (raising its revision), writes a new version, the audit entry, and raises the
/// content revision (the tool's page and its material's page change).
enum ToolSaving {
    static func problems(_ definition: ToolDefinition, on db: any Database) async throws -> [FieldProblem] {
        let references = try await ToolQueries.references(on: db)
        return ToolRules.problems(definition, materials: references.materials, audiences: references.audiences)
    }

    /// A new tool as version 1.
    static func create(_ definition: ToolDefinition, status: PublicationStatus, by account: Account, now: Date, on db: any Database) async throws -> StoredTool {
        var problems = try await problems(definition, on: db)
        if try await ToolModel.query(on: db).filter(\.$slug == definition.slug).count() > 0 {
            problems.append(FieldProblem(field: "slug", message: "Adressen \(DanishText.quoted(definition.slug)) bruges af et andet værktøj. Vælg en anden."))
        }
        guard problems.isEmpty else { throw SamspilError.unprocessable(problems) }
        let id = UUID()
        do {
            try await db.writeTransaction { tx in
                try await insert(id, definition, status: status, now: now, on: tx)
                try await insertVersion(id, number: 1, definition, authorEmail: account.email, authorName: account.shownName, now: now, on: tx)
                try await AuditLog.record(.toolCreate, subject: definition.slug, by: account, now: now, on: tx)
                try await ContentRevision.bump(on: tx)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw SamspilError.unprocessable([FieldProblem(field: "slug", message: "Adressen \(DanishText.quoted(definition.slug)) bruges af et andet værktøj. Vælg en anden.")])
        }
        guard let stored = try await ToolQueries.find(id: id, on: db) else { throw SamspilError.notFound("Værktøjet blev ikke gemt.") }
        return stored
    }

    /// A new version of the tool of `slug`, based on `expectedRevision` (a change saved in between is refused with
    /// `.stale`). The slug stays.
    static func update(slug: String, to definition: ToolDefinition, status: PublicationStatus, expectedRevision: Int?, by account: Account,
                       now: Date, on db: any Database) async throws -> StoredTool {
        guard let stored = try await ToolQueries.find(slug: slug, on: db) else { throw notFound(slug) }
        var renamed = definition
        renamed.slug = stored.slug
        let definition = renamed
        let problems = try await problems(definition, on: db)
        guard problems.isEmpty else { throw SamspilError.unprocessable(problems) }
        try await db.writeTransaction { tx in
            let condition: SQLQueryString = expectedRevision.map { " AND revision = \(bind: $0)" } ?? ""
            struct Claimed: Decodable { let version: Int }
            guard let claimed = try await (tx as! any SQLDatabase).raw("""
                UPDATE \(ident: ToolModel.schema) SET revision = revision + 1, version = version + 1, title = \(bind: definition.title), \
                material_slug = \(bind: definition.material), status = \(bind: status.rawValue), updated_at = \(bind: now) WHERE id = \(bind: stored.id)
                """ + condition + " RETURNING version").first(decoding: Claimed.self) else {
                throw stale(slug)
            }
            try await insertVersion(stored.id, number: claimed.version, definition, authorEmail: account.email, authorName: account.shownName, now: now, on: tx)
            try await AuditLog.record(.toolUpdate, subject: slug, by: account, now: now, on: tx)
            try await ContentRevision.bump(on: tx)
        }
        guard let saved = try await ToolQueries.find(id: stored.id, on: db) else { throw notFound(slug) }
        return saved
    }

    /// The seed's tools (`Resources/Seed/tools.json`), loaded once with the seed content (`SeedLoader`; like the seed's
    /// materials, with no audit entry — their first version names Samspil as its author), each checked
    /// against the rules like an editor's; a material or audience the database does not have (a database whose content
    /// came from an import instead of the seed) is left out rather than refusing the tool.
    static func loadSeed(now: Date, on tx: any Database) async throws {
        let references = try await ToolQueries.references(on: tx)
        for var definition in try seedTools() {
            if let material = definition.material, !references.materials.contains(material) { definition.material = nil }
            definition.audiences = definition.audiences.filter(references.audiences.contains)
            let problems = ToolRules.problems(definition, materials: references.materials, audiences: references.audiences)
            guard problems.isEmpty else {
                throw SamspilError.unprocessable(problems.map { FieldProblem(field: "\(definition.slug).\($0.field)", message: $0.message) })
            }
            guard try await ToolModel.query(on: tx).filter(\.$slug == definition.slug).count() == 0 else { continue }
            let id = UUID()
            try await insert(id, definition, status: .published, now: now, on: tx)
            try await insertVersion(id, number: 1, definition, authorEmail: MaterialSaving.loadedBy, authorName: MaterialSaving.loadedBy, now: now, on: tx)
        }
        try await ContentRevision.bump(on: tx)
    }

    static func seedTools() throws -> [ToolDefinition] {
        try JSONDecoder().decode([ToolDefinition].self, from: AppResources.data("Seed/tools.json"))
    }

    private static func insert(_ id: UUID, _ definition: ToolDefinition, status: PublicationStatus, now: Date, on tx: any Database) async throws {
        let row = ToolModel()
        row.id = id
        row.slug = definition.slug
        row.title = definition.title
        row.materialSlug = definition.material
        row.status = status.rawValue
        row.version = 1
        row.revision = 1
        row.createdAt = now
        row.updatedAt = now
        try await row.create(on: tx)
    }

    private static func insertVersion(_ tool: UUID, number: Int, _ definition: ToolDefinition, authorEmail: String, authorName: String, now: Date,
                                      on tx: any Database) async throws {
        let version = ToolVersionModel()
        version.id = UUID()
        version.$tool.id = tool
        version.number = number
        version.definition = try ToolQueries.encode(definition)
        version.createdAt = now
        version.authorEmail = authorEmail
        version.authorName = authorName
        try await version.create(on: tx)
    }

    static func notFound(_ slug: String) -> SamspilError { .notFound("Værktøjet \"\(slug)\" findes ikke.") }

    static func stale(_ slug: String) -> SamspilError {
        .stale("Værktøjet \"\(slug)\" er ændret af en anden, siden du hentede det. Hent det igen, og ret i den nye version.")
    }
}
