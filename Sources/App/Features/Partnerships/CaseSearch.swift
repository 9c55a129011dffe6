import Fluent
import Foundation
import SamspilCore
import SQLKit

/// Search in the published cases, beside the materials on the search page: a `RevisionIndex` of every published
/// partnership, made only of the fields its parties consented to show (never the rest of the partnership).
struct CaseSearch: Sendable {
    enum Weight {
        static let title = 5
        static let parties = 3
        static let subjects = 2
        static let text = 1
    }

    struct Document: Sendable {
        var slug: String
        var title: String
        var parties: [String]
        var publishedAt: Date
    }

    private let index = RevisionIndex<Document>(loader: { try await CaseSearch.load(on: $0) })

    private static func load(on db: any Database) async throws -> [RevisionIndex<Document>.Entry] {
        let rows = try await PartnershipModel.query(on: db).filter(\.$publishedAt != nil).sort(\.$publishedAt, .descending).sort(\.$slug).all()
        let labels = try await PartnershipView.Labels.load(on: db)
        let subjects = Dictionary(labels.subjects.map { ($0.value, $0.label) }, uniquingKeysWith: { first, _ in first })
        let grades = Dictionary(labels.gradeLevels.map { ($0.value, $0.label) }, uniquingKeysWith: { first, _ in first })
        var entries: [RevisionIndex<Document>.Entry] = []
        for row in rows {
            guard let stored = try? await PartnershipQueries.stored(row, on: db), let publishedAt = row.publishedAt else { continue }
            let shown = Set(stored.caseFields)
            let p = stored.partnership
            var fields: [(text: String, weight: Int)] = [(p.title, Weight.title)]
            if shown.contains(.parties) { fields.append((stored.parties.map { "\($0.name) \($0.role)" }.joined(separator: " "), Weight.parties)) }
            if shown.contains(.subjectsAndGrades) {
                fields.append(((p.subjects.map { subjects[$0] ?? $0 } + p.gradeLevels.map { grades[$0] ?? $0 }).joined(separator: " "), Weight.subjects))
            }
            if shown.contains(.summary) { fields.append((p.summary, Weight.text)) }
            if shown.contains(.purpose) { fields.append((p.purpose, Weight.text)) }
            if shown.contains(.goals) { fields.append((p.goals, Weight.text)) }
            entries.append((Document(slug: stored.slug, title: p.title, parties: shown.contains(.parties) ? stored.parties.map(\.name) : [],
                                     publishedAt: publishedAt), fields))
        }
        return entries
    }

    /// The best `limit` cases for `text` as of `revision` (a content revision just read or trusted).
    func search(_ text: String, limit: Int, revision: Int64, on db: any Database) async throws -> [CaseQueries.Link] {
        let snapshot = try await index.current(revision: revision, on: db)
        let (hits, _) = RevisionIndex<Document>.hits(text, in: snapshot)
        let documents = snapshot.documents
        return hits.sorted { a, b in
            if a.score != b.score { return a.score > b.score }
            return documents[a.document].slug < documents[b.document].slug
        }.prefix(limit).map { hit in
            let document = documents[hit.document]
            return CaseQueries.Link(slug: document.slug, title: document.title, parties: document.parties)
        }
    }
}
