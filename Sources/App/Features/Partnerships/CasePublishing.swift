import Fluent
import Foundation
import SamspilCore
import SQLKit

/// Publishing a partnership as a case: a party's decider proposes which fields the public page shows, each party
/// consents to that proposal through one of its deciders, and the case is public once every party has; a new
/// proposal, a withdrawn consent or a new party takes it down again. Every change raises the content revision in
/// its transaction, so public pages, their caches and search follow at once.
extension PartnershipSaving {
    static func proposeCase(slug: String, fields: [CaseField], by account: Account, now: Date, publicURL: String, on db: any Database) async throws {
        let actor = try await MembershipQueries.actor(for: account, on: db)
        let stored = try await visible(slug: slug, actor: actor, on: db)
        try require(actor, .transition, on: stored)
        if let refusal = PartnershipRules.caseRefusal(state: stored.state) { throw refusal }
        guard !fields.isEmpty else {
            throw SamspilError.invalid([FieldProblem(field: "fields", message: "Vælg mindst én oplysning, eksemplet skal vise ud over titel, form og skoleår.")])
        }
        try await db.writeTransaction { tx in
            let claimed = try await claim(stored.id, now: now, on: tx)
            if let refusal = PartnershipRules.caseRefusal(state: PartnershipState(rawValue: claimed.state) ?? .idea) { throw refusal }
            let sql = tx as! any SQLDatabase
            let text = CaseField.allCases.filter(fields.contains).map(\.rawValue).joined(separator: ",")
            try await sql.raw("""
                UPDATE \(ident: PartnershipModel.schema) SET case_fields = \(bind: text), published_at = NULL WHERE id = \(bind: stored.id)
                """).run()
            try await sql.raw("UPDATE \(ident: PartnershipPartyModel.schema) SET publish_consent_at = NULL WHERE partnership_id = \(bind: stored.id)").run()
            if stored.publishedAt != nil { try await ContentRevision.bump(on: tx) }
            try await record("eksempel", on: stored.id, comment: "foreslog at vise partnerskabet som eksempel", by: account, now: now, on: tx)
            try await AuditLog.record(.partnershipPublish, subject: "\(slug): forslag", by: account, now: now, on: tx)
            try await notify(stored, subject: "forslag om at vise partnerskabet som eksempel", text: """
                \(name(account)) foreslår at vise partnerskabet som et offentligt eksempel i Samspil med disse oplysninger:
                \(fields.map { "- " + $0.label }.joined(separator: "\n"))

                Det bliver først offentligt, når alle parter har givet samtykke.
                """, except: account, now: now, publicURL: publicURL, on: tx)
        }
    }

    /// A party's consent to the proposal (or its withdrawal). Returns whether the case is now published.
    @discardableResult
    static func consentToCase(slug: String, party organisation: UUID, consent: Bool, by account: Account, now: Date, on db: any Database) async throws -> Bool {
        let actor = try await MembershipQueries.actor(for: account, on: db)
        let stored = try await visible(slug: slug, actor: actor, on: db)
        try require(actor, .decideForParty, on: stored, party: organisation)
        guard let party = stored.party(organisation) else { throw SamspilError.notFound("Organisationen er ikke part i partnerskabet.") }
        return try await db.writeTransaction { tx in
            _ = try await claim(stored.id, now: now, on: tx)
            let sql = tx as! any SQLDatabase
            struct Row: Decodable { let case_fields: String; let published_at: Date?; let state: String }
            guard let row = try await sql.raw("""
                SELECT case_fields, published_at, state FROM \(ident: PartnershipModel.schema) WHERE id = \(bind: stored.id)
                """).first(decoding: Row.self) else { throw SamspilError.notFound("Partnerskabet findes ikke.") }
            guard !row.case_fields.isEmpty else {
                throw SamspilError.conflict("Ingen har foreslået at vise partnerskabet som eksempel endnu.")
            }
            if consent, let refusal = PartnershipRules.caseRefusal(state: PartnershipState(rawValue: row.state) ?? .idea) { throw refusal }
            try await sql.raw("""
                UPDATE \(ident: PartnershipPartyModel.schema) SET publish_consent_at = \(bind: consent ? now : nil) \
                WHERE partnership_id = \(bind: stored.id) AND organisation_id = \(bind: organisation)
                """).run()
            struct Count: Decodable { let missing: Int }
            let missing = try await sql.raw("""
                SELECT COUNT(*) AS missing FROM \(ident: PartnershipPartyModel.schema) \
                WHERE partnership_id = \(bind: stored.id) AND publish_consent_at IS NULL
                """).first(decoding: Count.self)?.missing ?? 1
            let published = missing == 0
            if published != (row.published_at != nil) {
                try await sql.raw("UPDATE \(ident: PartnershipModel.schema) SET published_at = \(bind: published ? now : nil) WHERE id = \(bind: stored.id)").run()
                try await ContentRevision.bump(on: tx)
            }
            try await record("eksempel", on: stored.id, comment: consent ? "\(party.name) gav samtykke til eksemplet" : "\(party.name) trak samtykket til eksemplet tilbage",
                             by: account, now: now, on: tx)
            try await AuditLog.record(.partnershipPublish, subject: "\(slug): \(party.slug) \(consent ? "samtykke" : "tilbagetrukket")", by: account, now: now, on: tx)
            return published
        }
    }
}

/// Reads of published cases, for anyone.
enum CaseQueries {
    /// A published case by its partnership's slug; nil when it does not exist or is not published.
    static func find(slug: String, on db: any Database) async throws -> StoredPartnership? {
        guard let stored = try await PartnershipQueries.find(slug: slug, on: db), stored.publishedAt != nil else { return nil }
        return stored
    }

    struct Link: Sendable, Equatable {
        var slug: String
        var title: String
        var parties: [String]
    }

    /// Published cases, newest first: all, those an organisation is a party in, or those with a party in a municipality.
    static func links(organisation: UUID? = nil, municipality: String? = nil, limit: Int? = nil, on db: any Database) async throws -> [Link] {
        let sql = db as! any SQLDatabase
        var condition: SQLQueryString = "p.published_at IS NOT NULL"
        if let organisation {
            condition = condition + " AND p.id IN (SELECT partnership_id FROM \(ident: PartnershipPartyModel.schema) WHERE organisation_id = \(bind: organisation))"
        }
        if let municipality {
            condition = condition + """
                 AND p.id IN (SELECT pp.partnership_id FROM \(ident: PartnershipPartyModel.schema) pp JOIN \(ident: OrganisationModel.schema) o \
                ON o.id = pp.organisation_id WHERE o.municipality_code = \(bind: municipality))
                """
        }
        struct Row: Decodable { let id: UUID; let slug: String; let title: String }
        let rows = try await sql.raw("SELECT p.id, p.slug, p.title FROM \(ident: PartnershipModel.schema) p WHERE \(condition) ORDER BY p.published_at DESC, p.slug"
            + (limit.map { " LIMIT \(bind: $0)" } ?? "")).all(decoding: Row.self)
        guard !rows.isEmpty else { return [] }
        struct Party: Decodable { let partnership_id: UUID; let name: String }
        let parties = Dictionary(grouping: try await sql.raw("""
            SELECT pp.partnership_id, o.name FROM \(ident: PartnershipPartyModel.schema) pp JOIN \(ident: OrganisationModel.schema) o ON o.id = pp.organisation_id \
            WHERE pp.partnership_id IN (\(binds: rows.map(\.id))) ORDER BY pp.position
            """).all(decoding: Party.self), by: \.partnership_id)
        return rows.map { Link(slug: $0.slug, title: $0.title, parties: (parties[$0.id] ?? []).map(\.name)) }
    }
}
