import Fluent
import Foundation
import SamspilCore
import SQLKit

/// An organisation as stored: the domain value with its row's id, dates and revision.
struct StoredOrganisation: Sendable, Equatable {
    var id: UUID
    var organisation: Organisation
    var createdAt: Date
    var updatedAt: Date
    var revision: Int = 1
}

/// Writing organisations: rows and their subjects and grade levels. Callers (`OrganisationSaving`, the import,
/// the seed) check the rules and permissions, hold the transaction, record the audit entry and raise the
/// content revision; these functions only store.
enum OrganisationStore {
    /// Rows per INSERT statement: 26 columns × 400 stays well under both databases' limits on bound values.
    private static let batchSize = 400

    /// Inserts new organisations, a few hundred rows per statement (imports of thousands of rows). Plain SQL
    /// rather than Fluent's models: building a model per row was most of an import's time.
    static func insert(_ items: [(id: UUID, organisation: Organisation)], createdBy: UUID?, now: Date, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        var start = items.startIndex
        while start < items.endIndex {
            let chunk = items[start..<min(start + batchSize, items.endIndex)]
            start = chunk.endIndex
            var rows = sql.insert(into: OrganisationModel.schema).columns(organisationColumns)
            for item in chunk { rows = rows.values(values(of: item.organisation, id: item.id, createdBy: createdBy, now: now)) }
            try await rows.run()
            let terms = chunk.flatMap { termRows(of: $0.organisation, id: $0.id) }
            var termStart = terms.startIndex
            while termStart < terms.endIndex {
                let end = min(termStart + batchSize * 4, terms.endIndex)
                var insert = sql.insert(into: OrganisationTermModel.schema).columns(["id", "organisation_id", "kind", "term", "position"])
                for term in terms[termStart..<end] {
                    insert = insert.values([UUID(), term.$organisation.id, term.kind, term.term, term.position] as [any Encodable & Sendable])
                }
                try await insert.run()
                termStart = end
            }
        }
    }

    private static let organisationColumns = [
        "id", "created_at", "updated_at", "revision", "created_by", "slug", "kind", "name", "sort_name", "status", "municipality_code",
        "institution_number", "school_kind", "environment_kind", "other_kind", "street", "postcode", "town", "website", "phone", "email",
        "description", "accessibility", "latitude", "longitude",
    ]

    /// A row's values in the order of `organisationColumns` (the fields `OrganisationModel.apply` sets).
    private static func values(of organisation: Organisation, id: UUID, createdBy: UUID?, now: Date) -> [any Encodable & Sendable] {
        [
            id, now, now, 1, createdBy, organisation.slug, organisation.kind.rawValue, organisation.name, DanishSortKey.make(organisation.name),
            organisation.status.rawValue, organisation.municipalityCode, organisation.institutionNumber, organisation.schoolKind?.rawValue,
            organisation.environmentKind, organisation.otherKind, organisation.address.street, organisation.address.postcode,
            organisation.address.town, organisation.website, organisation.phone, organisation.email, organisation.description,
            organisation.accessibility, organisation.latitude, organisation.longitude,
        ]
    }

    /// Replaces the stored fields, subjects and grade levels of the organisation with id `id`.
    static func update(id: UUID, to organisation: Organisation, now: Date, on db: any Database) async throws {
        guard let row = try await OrganisationModel.find(id, on: db) else { throw SamspilError.notFound("Organisationen findes ikke.") }
        row.apply(organisation)
        row.updatedAt = now
        row.revision += 1
        try await row.save(on: db)
        try await OrganisationTermModel.query(on: db).filter(\.$organisation.$id == id).delete()
        let terms = termRows(of: organisation, id: id)
        if !terms.isEmpty { try await terms.create(on: db) }
    }

    static func setStatus(id: UUID, _ status: OrganisationStatus, now: Date, on db: any Database) async throws {
        try await OrganisationModel.query(on: db).filter(\.$id == id)
            .set(\.$status, to: status.rawValue).set(\.$updatedAt, to: now).update()
        try await (db as! any SQLDatabase).raw("UPDATE \(ident: OrganisationModel.schema) SET revision = revision + 1 WHERE id = \(bind: id)").run()
    }

    /// A term named twice (a hand-made form or file) is stored once: the table has one row per term.
    private static func termRows(of organisation: Organisation, id: UUID) -> [OrganisationTermModel] {
        func once(_ terms: [String]) -> [String] {
            var seen = Set<String>()
            return terms.filter { seen.insert($0).inserted }
        }
        return once(organisation.subjects).enumerated().map { OrganisationTermModel(organisationID: id, kind: .subject, term: $1, position: $0) }
            + once(organisation.gradeLevels).enumerated().map { OrganisationTermModel(organisationID: id, kind: .grade, term: $1, position: $0) }
    }

    static func find(slug: String, on db: any Database) async throws -> StoredOrganisation? {
        try await OrganisationModel.query(on: db).filter(\.$slug == slug).with(\.$terms).first().map(stored)
    }

    static func find(id: UUID, on db: any Database) async throws -> StoredOrganisation? {
        try await OrganisationModel.query(on: db).filter(\.$id == id).with(\.$terms).first().map(stored)
    }

    /// Organisations by slug, in the order of `slugs` (a page of the directory).
    static func find(slugs: [String], on db: any Database) async throws -> [StoredOrganisation] {
        guard !slugs.isEmpty else { return [] }
        let rows = try await OrganisationModel.query(on: db).filter(\.$slug ~~ slugs).with(\.$terms).all()
        let bySlug = Dictionary(try rows.map { ($0.slug, try stored($0)) }, uniquingKeysWith: { first, _ in first })
        return slugs.compactMap { bySlug[$0] }
    }

    static func stored(_ row: OrganisationModel) throws -> StoredOrganisation {
        StoredOrganisation(id: try row.requireID(), organisation: row.domain(), createdAt: row.createdAt, updatedAt: row.updatedAt, revision: row.revision)
    }

    /// Slugs the organisation pages use for themselves (`/organisationer/ny`, `/organisationer/import` …).
    static let reservedSlugs: Set<String> = Slug.reserved.union(["godkendelse", "import"])

    /// A slug for a new organisation that no other has: the name's, then with -2, -3 …
    static func freeSlug(for name: String, on db: any Database) async throws -> String {
        let base = Slug.stem(for: name, fallback: "organisation", reserved: reservedSlugs)
        return Slug.firstFree(base, taken: Set(try await OrganisationModel.query(on: db).filter(\.$slug =~ base).all(\.$slug)))
    }

    /// The 98 municipalities as organisations of kind `kommune` (approved, read-only), made from the
    /// `municipalities` reference table; adds only those not there yet, so it can run any number of times.
    static func createMunicipalities(now: Date, on db: any Database) async throws {
        let existing = Set(try await OrganisationModel.query(on: db).filter(\.$kind == OrganisationKind.municipality.rawValue)
            .all(\.$municipalityCode).compactMap { $0 })
        let missing = try await MunicipalityModel.query(on: db).sort(\.$code).all().filter { !existing.contains($0.code) }
        let items = missing.map { municipality in
            (id: UUID(), organisation: Organisation(slug: Slug.make(from: municipality.name), kind: .municipality, name: municipality.name,
                                                    status: .approved, municipalityCode: municipality.code))
        }
        guard !items.isEmpty else { return }
        try await insert(items, createdBy: nil, now: now, on: db)
        try await ContentRevision.bump(on: db)
    }

    /// What `OrganisationRules` checks against, from the reference tables.
    static func reference(on db: any Database) async throws -> OrganisationReference {
        OrganisationReference(
            municipalityCodes: Set(try await MunicipalityModel.query(on: db).all(\.$code)),
            environmentKinds: Set(try await LearningEnvironmentKindModel.query(on: db).all(\.$slug)),
            subjects: Set(try await SubjectModel.query(on: db).all(\.$slug)),
            gradeLevels: Set(try await GradeLevelModel.query(on: db).all(\.$code))
        )
    }
}
