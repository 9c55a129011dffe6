import Fluent
import Foundation
import SamspilCore
import SQLKit

/// One organisation in a list: what a directory line or a municipality's page shows.
struct OrganisationSummary: Sendable, Equatable {
    var slug: String
    var kind: OrganisationKind
    var name: String
    /// The kind in words: the kind of school or learning environment, or an other organisation's own words.
    var detail: String?
    var municipality: String?
    var town: String?
    var status: OrganisationStatus
}

/// A value of a facet, with how many organisations have it given the other active filters.
struct FacetValue: Sendable, Equatable {
    var value: String
    var label: String
    var count: Int
}

/// One page of the directory and its facets.
struct DirectoryPage: Sendable {
    var query: OrganisationQuery
    var items: ResultPage<OrganisationSummary>
    var kinds: [FacetValue]
    var municipalities: [FacetValue]
    var regions: [FacetValue]
    /// With search text that no organisation matches in every word: those matching the most words.
    var partial: PartialMatch? = nil
}

/// Everything an organisation's profile page shows.
struct OrganisationProfile: Sendable {
    var id: UUID
    var organisation: Organisation
    var municipalityName: String?
    var municipalitySlug: String?
    var region: String?
    var environmentKindName: String?
    var subjectNames: [String]
    var gradeLevelNames: [String]
    /// Published materials that name the organisation as publisher (slug, title), in title order.
    var materials: [(slug: String, title: String)]
}

/// A municipality's page: the municipality and its approved organisations, by kind.
struct MunicipalityPage: Sendable {
    var name: String
    var slug: String
    var code: String
    var region: String
    var groups: [(kind: OrganisationKind, items: [OrganisationSummary])]
}

/// A municipality in the list of all 98.
struct MunicipalityEntry: Sendable, Equatable {
    var code: String
    var name: String
    var slug: String
    var regionCode: String
    var region: String
    /// Approved schools, learning environments and others in it.
    var organisations: Int
}

/// Reading organisations for pages and the API. Static functions over a `Database`, testable without HTTP.
enum OrganisationQueries {
    private static let approved = OrganisationStatus.approved.rawValue

    /// The directory: approved schools, learning environments and others, filtered and paged, with facet counts
    /// (each counted with the other active filters). With search text, the organisations `search` finds, best
    /// first; without, all in name order.
    static func directory(_ query: OrganisationQuery, search: OrganisationSearch, on db: any Database) async throws -> DirectoryPage {
        let sql = db as! any SQLDatabase
        let labels = try await kindLabels(on: db)
        if let text = query.text {
            let found = OrganisationSearch.search(text, query, in: try await search.current(on: db))
            let ids = Array(found.ids.dropFirst(query.page.offset).prefix(query.page.limit))
            var byID: [UUID: OrganisationSummary] = [:]
            if !ids.isEmpty {
                for row in try await sql.raw("SELECT o.id, " + summaryColumns + " FROM \(ident: OrganisationModel.schema) o LEFT JOIN "
                    + "\(ident: MunicipalityModel.schema) m ON m.code = o.municipality_code WHERE o.id IN (\(binds: ids))").all() {
                    byID[try row.decode(column: "id", as: UUID.self)] = try summary(row, labels: labels)
                }
            }
            return DirectoryPage(
                query: query,
                items: ResultPage(items: ids.compactMap { byID[$0] }, total: found.ids.count, request: query.page),
                kinds: OrganisationQuery.directoryKinds.map { FacetValue(value: $0.rawValue, label: $0.pluralLabel, count: found.kinds[$0.rawValue] ?? 0) },
                municipalities: found.municipalities, regions: found.regions, partial: found.partial
            )
        }
        func conditions(kind: Bool = true, municipality: Bool = true, region: Bool = true) -> SQLQueryString {
            var condition: SQLQueryString = "o.status = \(bind: approved) AND o.kind <> \(bind: OrganisationKind.municipality.rawValue)"
            if kind, let value = query.kind { condition = condition + " AND o.kind = \(bind: value.rawValue)" }
            if municipality, let value = query.municipality { condition = condition + " AND o.municipality_code = \(bind: value)" }
            if region, let value = query.region { condition = condition + " AND m.region_code = \(bind: value)" }
            return condition
        }
        let from: SQLQueryString = "FROM \(ident: OrganisationModel.schema) o LEFT JOIN \(ident: MunicipalityModel.schema) m ON m.code = o.municipality_code"
        struct Count: Decodable { let count: Int }
        let total = try await sql.raw("SELECT COUNT(*) AS count " + from + " WHERE " + conditions()).first(decoding: Count.self)?.count ?? 0
        let rows = try await sql.raw("SELECT " + summaryColumns + " " + from + " WHERE " + conditions()
            + " ORDER BY o.sort_name, o.slug LIMIT \(bind: query.page.limit) OFFSET \(bind: query.page.offset)").all()
        let kindRows = try await sql.raw("SELECT o.kind AS key, o.kind AS label, COUNT(*) AS count " + from + " WHERE "
            + conditions(kind: false) + " GROUP BY o.kind").all(decoding: GroupRow.self)
        let municipalityRows = try await sql.raw("SELECT o.municipality_code AS key, m.name AS label, COUNT(*) AS count " + from + " WHERE "
            + conditions(municipality: false) + " AND o.municipality_code IS NOT NULL GROUP BY o.municipality_code, m.name").all(decoding: GroupRow.self)
        let regionRows = try await sql.raw("SELECT m.region_code AS key, m.region AS label, COUNT(*) AS count " + from + " WHERE "
            + conditions(region: false) + " AND m.region_code IS NOT NULL GROUP BY m.region_code, m.region").all(decoding: GroupRow.self)
        let kindCounts = Dictionary(kindRows.compactMap { row in row.key.map { ($0, row.count) } }, uniquingKeysWith: +)
        return DirectoryPage(
            query: query,
            items: ResultPage(items: try rows.map { try summary($0, labels: labels) }, total: total, request: query.page),
            kinds: OrganisationQuery.directoryKinds.map { FacetValue(value: $0.rawValue, label: $0.pluralLabel, count: kindCounts[$0.rawValue] ?? 0) },
            municipalities: facet(municipalityRows),
            regions: facet(regionRows)
        )
    }

    private struct GroupRow: Decodable { let key: String?; let label: String?; let count: Int }

    private static func facet(_ rows: [GroupRow]) -> [FacetValue] {
        inFacetOrder(rows.compactMap { row in row.key.map { FacetValue(value: $0, label: row.label ?? $0, count: row.count) } })
    }

    /// A facet's values as the directory lists them: by label, in Danish order.
    static func inFacetOrder(_ values: [FacetValue]) -> [FacetValue] {
        values.sorted { DanishSortKey.make($0.label) < DanishSortKey.make($1.label) }
    }

    private static let summaryColumns: SQLQueryString = """
        o.slug, o.kind, o.name, o.status, o.town, o.school_kind, o.environment_kind, o.other_kind, m.name AS municipality_name
        """

    private static func summary(_ row: any SQLRow, labels: [String: String]) throws -> OrganisationSummary {
        let kind = OrganisationKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .other
        let detail: String?
        switch kind {
        case .school: detail = try row.optional("school_kind", as: String.self).flatMap(SchoolKind.init(rawValue:))?.label
        case .learningEnvironment: detail = try row.optional("environment_kind", as: String.self).flatMap { labels[$0] }
        case .other: detail = try row.optional("other_kind", as: String.self)
        case .municipality: detail = nil
        }
        return OrganisationSummary(
            slug: try row.decode(column: "slug", as: String.self), kind: kind, name: try row.decode(column: "name", as: String.self),
            detail: detail, municipality: try row.optional("municipality_name", as: String.self), town: try row.optional("town", as: String.self),
            status: OrganisationStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending
        )
    }

    /// Names of the kinds of learning environments by slug.
    static func kindLabels(on db: any Database) async throws -> [String: String] {
        Dictionary(try await LearningEnvironmentKindModel.query(on: db).all().map { ($0.slug, $0.name) }, uniquingKeysWith: { first, _ in first })
    }

    /// An organisation's profile, whatever its status (the caller asks `Permissions` whether it may be seen).
    static func profile(slug: String, on db: any Database) async throws -> OrganisationProfile? {
        guard let stored = try await OrganisationStore.find(slug: slug, on: db) else { return nil }
        let organisation = stored.organisation
        var municipality: MunicipalityModel?
        var municipalitySlug: String?
        if let code = organisation.municipalityCode {
            municipality = try await MunicipalityModel.query(on: db).filter(\.$code == code).first()
            municipalitySlug = try await OrganisationModel.query(on: db).filter(\.$kind == OrganisationKind.municipality.rawValue)
                .filter(\.$municipalityCode == code).first()?.slug
        }
        let subjects = Dictionary(try await SubjectModel.query(on: db).all().map { ($0.slug, $0.name) }, uniquingKeysWith: { first, _ in first })
        let grades = Dictionary(try await GradeLevelModel.query(on: db).all().map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
        var environmentKind: String?
        if let kind = organisation.environmentKind { environmentKind = try await kindLabels(on: db)[kind] }
        struct MaterialRow: Decodable { let slug: String; let title: String }
        let materials = try await (db as! any SQLDatabase).raw("""
            SELECT slug, title FROM \(ident: MaterialModel.schema) WHERE organisation_id = \(bind: stored.id) \
            AND status = \(bind: PublicationStatus.published.rawValue) ORDER BY sort_title, slug
            """).all(decoding: MaterialRow.self)
        return OrganisationProfile(
            id: stored.id, organisation: organisation, municipalityName: municipality?.name, municipalitySlug: municipalitySlug,
            region: municipality?.region, environmentKindName: environmentKind,
            subjectNames: organisation.subjects.map { subjects[$0] ?? $0 }, gradeLevelNames: organisation.gradeLevels.map { grades[$0] ?? $0 },
            materials: materials.map { ($0.slug, $0.title) }
        )
    }

    /// A municipality's page by its slug; nil when no municipality has it.
    static func municipality(slug: String, on db: any Database) async throws -> MunicipalityPage? {
        guard let row = try await OrganisationModel.query(on: db).filter(\.$slug == slug)
                .filter(\.$kind == OrganisationKind.municipality.rawValue).first(),
              let code = row.municipalityCode,
              let municipality = try await MunicipalityModel.query(on: db).filter(\.$code == code).first() else { return nil }
        let labels = try await kindLabels(on: db)
        let rows = try await (db as! any SQLDatabase).raw("SELECT " + summaryColumns + """
             FROM \(ident: OrganisationModel.schema) o LEFT JOIN \(ident: MunicipalityModel.schema) m ON m.code = o.municipality_code \
            WHERE o.municipality_code = \(bind: code) AND o.status = \(bind: approved) AND o.kind <> \(bind: OrganisationKind.municipality.rawValue) \
            ORDER BY o.sort_name, o.slug
            """).all()
        let items = try rows.map { try summary($0, labels: labels) }
        return MunicipalityPage(
            name: municipality.name, slug: slug, code: code, region: municipality.region,
            groups: OrganisationQuery.directoryKinds.map { kind in (kind, items.filter { $0.kind == kind }) }
        )
    }

    /// All 98 municipalities with their number of approved organisations, in name order.
    static func municipalities(on db: any Database) async throws -> [MunicipalityEntry] {
        struct Row: Decodable {
            let code: String; let name: String; let slug: String; let region_code: String; let region: String; let count: Int
        }
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT m.code, m.name, k.slug, m.region_code, m.region, \
            (SELECT COUNT(*) FROM \(ident: OrganisationModel.schema) o WHERE o.municipality_code = m.code \
             AND o.status = \(bind: approved) AND o.kind <> \(bind: OrganisationKind.municipality.rawValue)) AS count \
            FROM \(ident: MunicipalityModel.schema) m JOIN \(ident: OrganisationModel.schema) k \
            ON k.municipality_code = m.code AND k.kind = \(bind: OrganisationKind.municipality.rawValue)
            """).all(decoding: Row.self)
        return rows.map { MunicipalityEntry(code: $0.code, name: $0.name, slug: $0.slug, regionCode: $0.region_code, region: $0.region, organisations: $0.count) }
            .sorted { DanishSortKey.make($0.name) < DanishSortKey.make($1.name) }
    }

    /// Organisations waiting for approval, with what `Permissions` needs to decide who may approve each.
    static func pending(on db: any Database) async throws -> [(summary: OrganisationSummary, resource: OrganisationResource)] {
        let labels = try await kindLabels(on: db)
        let rows = try await (db as! any SQLDatabase).raw("SELECT o.id, o.municipality_code, " + summaryColumns + """
             FROM \(ident: OrganisationModel.schema) o LEFT JOIN \(ident: MunicipalityModel.schema) m ON m.code = o.municipality_code \
            WHERE o.status = \(bind: OrganisationStatus.pending.rawValue) ORDER BY o.sort_name, o.slug
            """).all()
        return try rows.map { row in
            let summary = try summary(row, labels: labels)
            return (summary, OrganisationResource(id: try row.decode(column: "id", as: UUID.self), kind: summary.kind,
                                                  municipalityCode: try row.optional("municipality_code", as: String.self), status: summary.status))
        }
    }

    /// The approved publishers of the materials with these slugs: material slug → (slug, name).
    static func publishers(ofMaterials slugs: [String], on db: any Database) async throws -> [String: (slug: String, name: String)] {
        guard !slugs.isEmpty else { return [:] }
        struct Row: Decodable { let material: String; let slug: String; let name: String }
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT m.slug AS material, o.slug, o.name FROM \(ident: MaterialModel.schema) m \
            JOIN \(ident: OrganisationModel.schema) o ON o.id = m.organisation_id \
            WHERE m.slug IN (\(binds: slugs)) AND o.status = \(bind: approved)
            """).all(decoding: Row.self)
        return Dictionary(rows.map { ($0.material, ($0.slug, $0.name)) }, uniquingKeysWith: { first, _ in first })
    }

    /// The slug of the organisation a material names (whatever its status), for the editor's form.
    static func publisherSlug(ofMaterial slug: String, on db: any Database) async throws -> String? {
        struct Row: Decodable { let slug: String }
        return try await (db as! any SQLDatabase).raw("""
            SELECT o.slug FROM \(ident: MaterialModel.schema) m JOIN \(ident: OrganisationModel.schema) o ON o.id = m.organisation_id \
            WHERE m.slug = \(bind: slug)
            """).first(decoding: Row.self)?.slug
    }

    /// The id of the organisation an editor names as a material's publisher: an approved school, learning
    /// environment or other organisation. Throws `.unprocessable` for the field `publisher` otherwise.
    static func publisherID(slug: String, on db: any Database) async throws -> UUID {
        guard let row = try await OrganisationModel.query(on: db).filter(\.$slug == slug).filter(\.$status == approved)
                .filter(\.$kind != OrganisationKind.municipality.rawValue).first(), let id = row.id else {
            throw SamspilError.unprocessable([FieldProblem(field: "publisher",
                message: "Skriv adressen på en godkendt organisation i kataloget, fx demo-museet – \(DanishText.quoted(slug)) findes ikke.")])
        }
        return id
    }

    /// Sets (nil: clears) the organisation a material names; inside the material's save.
    static func setPublisher(_ organisationID: UUID?, ofMaterial slug: String, on db: any Database) async throws {
        try await (db as! any SQLDatabase).update(MaterialModel.schema).set("organisation_id", to: organisationID).where("slug", .equal, slug).run()
    }

    /// Known municipality and region codes, for checking filters.
    static func codes(on db: any Database) async throws -> (municipalities: Set<String>, regions: Set<String>) {
        let all = try await MunicipalityModel.query(on: db).all()
        return (Set(all.map(\.code)), Set(all.map(\.regionCode)))
    }
}

extension StoredOrganisation {
    /// What `Permissions` decides on.
    var resource: OrganisationResource {
        OrganisationResource(id: id, kind: organisation.kind, municipalityCode: organisation.municipalityCode, status: organisation.status)
    }
}
