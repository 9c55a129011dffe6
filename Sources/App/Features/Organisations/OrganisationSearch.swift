import Fluent
import Foundation
import SamspilCore
import SamspilSearch
import SQLKit

/// Full-text search in the directory: a `RevisionIndex` of the approved organisations (the same analysis, index,
/// ranking and query expansion as the materials' search), and the directory's filters and facets over its hits.
struct OrganisationSearch: Sendable {
    /// How much a word counts in each field: a hit in the name counts most.
    enum Weight {
        static let name = 5
        static let kind = 2
        static let place = 2
        static let subjects = 2
        static let description = 1
    }

    /// What the search filters and counts facets on, per document number of the index.
    struct Document: Sendable {
        var id: UUID
        var kind: OrganisationKind
        var municipality: String?
        var municipalityName: String?
        var region: String?
        var regionName: String?
        var sortName: String
        var slug: String
    }

    typealias Snapshot = RevisionIndex<Document>.Snapshot

    /// The ranked, filtered hits of one search with its facet counts.
    struct Result: Sendable {
        /// Document ids in result order (score, then name).
        var ids: [UUID]
        var partial: PartialMatch?
        var kinds: [String: Int]
        var municipalities: [FacetValue]
        var regions: [FacetValue]
    }

    private let index = RevisionIndex<Document>(loader: { try await OrganisationSearch.load(on: $0) })

    /// The index as of the stored content revision.
    func current(on db: any Database) async throws -> Snapshot {
        try await index.current(on: db)
    }

    private struct Row: Decodable {
        let id: UUID
        let slug: String
        let kind: String
        let name: String
        let sort_name: String
        let municipality_code: String?
        let municipality_name: String?
        let region_code: String?
        let region: String?
        let town: String?
        let school_kind: String?
        let environment_kind: String?
        let other_kind: String?
        let description: String
    }

    private static func load(on db: any Database) async throws -> [RevisionIndex<Document>.Entry] {
        let sql = db as! any SQLDatabase
        let labels = try await OrganisationQueries.kindLabels(on: db)
        let subjectNames = Dictionary(try await SubjectModel.query(on: db).all().map { ($0.slug, $0.name) }, uniquingKeysWith: { first, _ in first })
        struct TermRow: Decodable { let organisation_id: UUID; let term: String }
        let subjects = Dictionary(grouping: try await sql.raw("""
            SELECT t.organisation_id, t.term FROM \(ident: OrganisationTermModel.schema) t \
            JOIN \(ident: OrganisationModel.schema) o ON o.id = t.organisation_id \
            WHERE t.kind = \(bind: OrganisationTermModel.Kind.subject.rawValue) AND o.status = \(bind: OrganisationStatus.approved.rawValue) \
            ORDER BY t.position
            """).all(decoding: TermRow.self), by: \.organisation_id)
        let rows = try await sql.raw("""
            SELECT o.id, o.slug, o.kind, o.name, o.sort_name, o.municipality_code, m.name AS municipality_name, m.region_code, m.region, \
            o.town, o.school_kind, o.environment_kind, o.other_kind, o.description \
            FROM \(ident: OrganisationModel.schema) o LEFT JOIN \(ident: MunicipalityModel.schema) m ON m.code = o.municipality_code \
            WHERE o.status = \(bind: OrganisationStatus.approved.rawValue) AND o.kind <> \(bind: OrganisationKind.municipality.rawValue) \
            ORDER BY o.sort_name, o.slug
            """).all(decoding: Row.self)
        return rows.map { row in
            let kind = OrganisationKind(rawValue: row.kind) ?? .other
            let detail = [row.school_kind.flatMap(SchoolKind.init(rawValue:))?.label, row.environment_kind.flatMap { labels[$0] }, row.other_kind]
                .compactMap { $0 }.joined(separator: " ")
            let fields: [(text: String, weight: Int)] = [
                (row.name, Weight.name),
                (kind.label + " " + detail, Weight.kind),
                ([row.town, row.municipality_name].compactMap { $0 }.joined(separator: " "), Weight.place),
                ((subjects[row.id] ?? []).map { subjectNames[$0.term] ?? $0.term }.joined(separator: " "), Weight.subjects),
                (Markdown.plainText(row.description), Weight.description),
            ]
            return (Document(id: row.id, kind: kind, municipality: row.municipality_code, municipalityName: row.municipality_name,
                             region: row.region_code, regionName: row.region, sortName: row.sort_name, slug: row.slug), fields)
        }
    }

    /// The organisations matching `text` and the query's filters, best first, with facet counts (each facet
    /// counted with the other filters, as the listing does).
    static func search(_ text: String, _ query: OrganisationQuery, in snapshot: Snapshot) -> Result {
        let (hits, partial) = RevisionIndex<Document>.hits(text, in: snapshot)
        let documents = snapshot.documents
        func passes(_ document: Document, kind: Bool = true, municipality: Bool = true, region: Bool = true) -> Bool {
            (!kind || query.kind == nil || document.kind == query.kind)
                && (!municipality || query.municipality == nil || document.municipality == query.municipality)
                && (!region || query.region == nil || document.region == query.region)
        }
        var kinds: [String: Int] = [:]
        var municipalities: [String: (label: String, count: Int)] = [:]
        var regions: [String: (label: String, count: Int)] = [:]
        var kept: [InvertedIndex.Hit] = []
        for hit in hits {
            let document = documents[hit.document]
            if passes(document, kind: false) { kinds[document.kind.rawValue, default: 0] += 1 }
            if passes(document, municipality: false), let code = document.municipality {
                municipalities[code, default: (document.municipalityName ?? code, 0)].count += 1
            }
            if passes(document, region: false), let code = document.region {
                regions[code, default: (document.regionName ?? code, 0)].count += 1
            }
            if passes(document) { kept.append(hit) }
        }
        // Best first; equal scores by name, then address, so every process and database gives one order.
        kept.sort { a, b in
            if a.score != b.score { return a.score > b.score }
            let x = documents[a.document], y = documents[b.document]
            return (x.sortName, x.slug) < (y.sortName, y.slug)
        }
        func facet(_ counts: [String: (label: String, count: Int)]) -> [FacetValue] {
            OrganisationQueries.inFacetOrder(counts.map { FacetValue(value: $0.key, label: $0.value.label, count: $0.value.count) })
        }
        return Result(ids: kept.map { documents[$0.document].id }, partial: partial, kinds: kinds,
                      municipalities: facet(municipalities), regions: facet(regions))
    }
}
