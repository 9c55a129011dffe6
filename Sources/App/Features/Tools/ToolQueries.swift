import Fluent
import Foundation
import SamspilCore
import SQLKit
import Synchronization

/// A tool as stored: its row and the definition of its newest version.
struct StoredTool: Sendable {
    var id: UUID
    var slug: String
    var status: PublicationStatus
    var version: Int
    var revision: Int
    var definition: ToolDefinition
    var createdAt: Date
    var updatedAt: Date
}

/// Reading tools and their versions.
enum ToolQueries {
    static func decode(_ json: String) throws -> ToolDefinition {
        try JSONDecoder().decode(ToolDefinition.self, from: Data(json.utf8))
    }

    static func encode(_ definition: ToolDefinition) throws -> String { try StoredJSON.text(definition) }

    private struct Row: Decodable {
        let id: UUID
        let slug: String
        let status: String
        let version: Int
        let revision: Int
        let definition: String
        let created_at: Date
        let updated_at: Date
    }

    private static func select(_ condition: SQLQueryString, on db: any Database) async throws -> [StoredTool] {
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT t.id, t.slug, t.status, t.version, t.revision, v.definition, t.created_at, t.updated_at \
            FROM \(ident: ToolModel.schema) t JOIN \(ident: ToolVersionModel.schema) v ON v.tool_id = t.id AND v.number = t.version \
            WHERE 
            """ + condition + " ORDER BY t.title, t.slug").all(decoding: Row.self)
        return try rows.map {
            StoredTool(id: $0.id, slug: $0.slug, status: PublicationStatus(rawValue: $0.status) ?? .draft, version: $0.version,
                       revision: $0.revision, definition: try decode($0.definition), createdAt: $0.created_at, updatedAt: $0.updated_at)
        }
    }

    static func find(slug: String, on db: any Database) async throws -> StoredTool? {
        try await select("t.slug = \(bind: slug)", on: db).first
    }

    static func find(id: UUID, on db: any Database) async throws -> StoredTool? {
        try await select("t.id = \(bind: id)", on: db).first
    }

    /// Published tools by title (everyone's list), or every tool (the editors').
    static func all(includingDrafts: Bool, on db: any Database) async throws -> [StoredTool] {
        try await select(includingDrafts ? "1 = 1" : "t.status = \(bind: PublicationStatus.published.rawValue)", on: db)
    }

    /// Versions decoded in this process. A version is never changed once written (a change is a new version), so a
    /// copy is never stale; every save of an answer needs its worksheet's version, and decoding it each time was a
    /// good part of a save's time (bench/worksheets).
    private static let versionCache = Mutex<[String: ToolDefinition]>([:])
    private static let versionCacheLimit = 500

    /// One version's definition.
    static func definition(_ tool: UUID, version: Int, on db: any Database) async throws -> ToolDefinition? {
        let key = "\(tool.uuidString) \(version)"
        if let cached = versionCache.withLock({ $0[key] }) { return cached }
        guard let row = try await ToolVersionModel.query(on: db).filter(\.$tool.$id == tool).filter(\.$number == version).first() else { return nil }
        let definition = try decode(row.definition)
        versionCache.withLock { cache in
            if cache.count >= versionCacheLimit { cache.removeAll() }
            cache[key] = definition
        }
        return definition
    }

    struct Version: Sendable {
        var number: Int
        var createdAt: Date
        var authorName: String
    }

    /// Every version, newest first.
    static func versions(_ tool: UUID, on db: any Database) async throws -> [Version] {
        try await ToolVersionModel.query(on: db).filter(\.$tool.$id == tool).sort(\.$number, .descending).all()
            .map { Version(number: $0.number, createdAt: $0.createdAt, authorName: $0.authorName) }
    }

    /// What a definition may name: the materials' slugs and the audiences' vocabulary.
    static func references(on db: any Database) async throws -> (materials: Set<String>, audiences: Set<String>) {
        let materials = try await MaterialModel.query(on: db).all(\.$slug)
        let audiences = try await VocabularyQueries.load(on: db).audiences.map(\.slug)
        return (Set(materials), Set(audiences))
    }
}
