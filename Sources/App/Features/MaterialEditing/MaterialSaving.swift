import Fluent
import Foundation
import SamspilCore
import SQLKit

/// The one way people change materials, from the pages and from the API alike: validation by
/// `MaterialRules`, the change and its search entry, a revision in the material's history and an entry in
/// the audit log, all in one transaction.
enum MaterialSaving {
    /// Creates a material. Throws `.unprocessable` when it breaks the rules, `.conflict` when its slug is taken.
    /// Returns its first revision.
    @discardableResult
    static func create(
        _ material: Material, by actor: Account, now: Date, vocabularies: Vocabularies, on db: any Database,
        alsoIn: @escaping @Sendable (any Database) async throws -> Void = { _ in }
    ) async throws -> Int {
        try validate(material, vocabularies: vocabularies)
        var toSave = material
        toSave.createdAt = nil
        toSave.updatedAt = nil
        let saving = toSave
        let taken = SamspilError.conflict("Adressen \"\(saving.slug)\" bruges allerede af et andet materiale.")
        do {
            return try await db.writeTransaction { tx in
                guard try await claim(slug: saving.slug, revision: nil, on: tx) == nil else { throw taken }
                let id = try await MaterialQueries.save(saving, now: now, vocabularies: vocabularies, on: tx)
                try await alsoIn(tx)
                let revision = try await MaterialQueries.revision(slug: saving.slug, on: tx) ?? 1
                try await record(saving, id: id, revision: revision, action: .materialCreate, by: actor, now: now, on: tx)
                return revision
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Two creates of one slug at the same moment (PostgreSQL): the unique index lets one through.
            throw taken
        }
    }

    /// Saves `material` over the stored material with the same slug, if that is still at revision
    /// `startedFrom` (nil: whichever revision is current when the row is locked). Returns the new revision, or
    /// nil when someone saved in between (then nothing is written). `alsoIn` runs in the same transaction
    /// (e.g. storing a file). Callers pass the revision they read *before* the material they changed, so a
    /// save in between is never overwritten.
    static func update(
        _ material: Material, startedFrom: Int?, action: AuditLog.Action = .materialUpdate, by actor: Account, now: Date,
        vocabularies: Vocabularies, on db: any Database, alsoIn: @escaping @Sendable (any Database) async throws -> Void = { _ in }
    ) async throws -> Int? {
        try validate(material, vocabularies: vocabularies)
        var toSave = material
        toSave.updatedAt = nil
        let saving = toSave
        return try await db.writeTransaction { tx -> Int? in
            guard let current = try await claimExisting(slug: saving.slug, revision: startedFrom, on: tx) else { return nil }
            try await keepStoredState(slug: saving.slug, revision: current, now: now, on: tx)
            try await alsoIn(tx)
            let id = try await MaterialQueries.save(saving, now: now, vocabularies: vocabularies, on: tx)
            let revision = try await MaterialQueries.revision(slug: saving.slug, on: tx) ?? 1
            try await record(saving, id: id, revision: revision, action: action, by: actor, now: now, on: tx)
            return revision
        }
    }

    /// Deletes a material if it is still at revision `expected` (nil: any); throws `.stale` otherwise.
    static func delete(slug: String, expected: Int? = nil, by actor: Account, now: Date, on db: any Database) async throws {
        try await db.writeTransaction { tx in
            guard try await claimExisting(slug: slug, revision: expected, on: tx) != nil else { throw stale(slug) }
            try await MaterialQueries.delete(slug: slug, on: tx)
            try await AuditLog.record(.materialDelete, subject: slug, by: actor, now: now, on: tx)
        }
    }

    static func validate(_ material: Material, vocabularies: Vocabularies) throws {
        let problems = MaterialRules.problems(material, vocabularies: vocabularies)
        if !problems.isEmpty { throw SamspilError.unprocessable(problems) }
    }

    /// Claims the edit: locks the material's row if its revision is still `revision` (nil: any) and returns
    /// that revision (the save then raises it); nil when there is no such row. It is the transaction's first
    /// statement and a write, so SQLite makes the transaction a writer at once (a read first would make a
    /// concurrent save fail with "database is locked" instead of waiting), and PostgreSQL makes a second
    /// claim wait for the row and re-check the condition after the first commits: of two concurrent saves
    /// from the same revision exactly one wins.
    private static func claim(slug: String, revision: Int?, on db: any Database) async throws -> Int? {
        struct Row: Decodable { let revision: Int }
        let condition: SQLQueryString = revision.map { "AND revision = \(bind: $0)" } ?? ""
        return try await (db as! any SQLDatabase).raw("""
            UPDATE \(ident: MaterialModel.schema) SET revision = revision WHERE slug = \(bind: slug) \(condition) RETURNING revision
            """).first(decoding: Row.self)?.revision
    }

    /// `claim` for a material that must exist: its current revision, nil when it is at another revision than
    /// `revision`, `.notFound` when it is gone.
    private static func claimExisting(slug: String, revision: Int?, on db: any Database) async throws -> Int? {
        if let current = try await claim(slug: slug, revision: revision, on: db) { return current }
        guard try await MaterialQueries.revision(slug: slug, on: db) != nil else {
            throw SamspilError.notFound("Materialet \"\(slug)\" findes ikke.")
        }
        return nil
    }

    /// Who the history names for a revision that no person saved: the material as the seed or an import left it.
    static let loadedBy = "Samspil"

    /// Before a person's save: if the stored material's revision is not in its history (it came from the seed
    /// or an import, or was stored before the history existed), records it first, as it is, with the action
    /// `materialLoad` and the time it was stored. So the history begins with what was there, and the diff of
    /// the first edit after a load shows that edit only. Needs no migration: a database of any age gets the
    /// revision at its material's next save.
    private static func keepStoredState(slug: String, revision: Int, now: Date, on db: any Database) async throws {
        guard let row = try await MaterialModel.query(on: db).filter(\.$slug == slug).first() else { return }
        let id = try row.requireID()
        let kept = try await MaterialRevisionModel.query(on: db).filter(\.$material.$id == id).filter(\.$revision == revision).count()
        guard kept == 0, let stored = try await MaterialQueries.find(slug: slug, visibility: .all, on: db) else { return }
        try await insertRevision(stored, id: id, revision: revision, action: .materialLoad, actor: loadedBy,
                                 savedAt: stored.updatedAt ?? now, on: db)
    }

    /// A change (API, with `If-Match`) based on a revision that is no longer the current one.
    static func stale(_ slug: String) -> SamspilError {
        .stale("Materialet \"\(slug)\" er ændret, siden du hentede det. Hent det igen (GET), og send den nye ETag i If-Match.")
    }

    private static func record(
        _ material: Material, id: UUID, revision: Int, action: AuditLog.Action, by actor: Account, now: Date, on db: any Database
    ) async throws {
        var snapshot = material
        snapshot.updatedAt = now
        try await insertRevision(snapshot, id: id, revision: revision, action: action, actor: actor.email, savedAt: now, on: db)
        try await AuditLog.record(action, subject: material.slug, by: actor, now: now, on: db)
    }

    private static func insertRevision(
        _ snapshot: Material, id: UUID, revision: Int, action: AuditLog.Action, actor: String, savedAt: Date, on db: any Database
    ) async throws {
        let entry = MaterialRevisionModel()
        entry.id = UUID()
        entry.savedAt = savedAt
        entry.revision = revision
        entry.actor = actor
        entry.action = action.rawValue
        entry.snapshot = String(decoding: try ContentDocument.encoder().encode(snapshot), as: UTF8.self)
        entry.$material.id = id
        try await entry.create(on: db)
    }
}
