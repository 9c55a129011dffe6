import Fluent
import Foundation
import SamspilCore
import SQLKit

/// A partnership as stored, with its parties.
struct StoredPartnership: Sendable {
    struct Party: Sendable, Equatable {
        var organisationID: UUID
        var slug: String
        var name: String
        var kind: OrganisationKind
        var municipalityCode: String?
        var role: String
        var publishConsentAt: Date?
    }

    var id: UUID
    var slug: String
    var partnership: Partnership
    var state: PartnershipState
    var revision: Int
    var agreementVersion: Int
    var acceptedVersion: Int?
    var renewedFrom: UUID?
    var publishedAt: Date?
    /// The fields proposed for the public case (empty: none proposed).
    var caseFields: [CaseField]
    var createdAt: Date
    var updatedAt: Date
    var parties: [Party]

    var resource: PartnershipResource {
        PartnershipResource(id: id, parties: parties.map { .init(organisation: $0.organisationID, kind: $0.kind, municipalityCode: $0.municipalityCode) })
    }

    func party(_ organisation: UUID) -> Party? { parties.first { $0.organisationID == organisation } }
}

/// Reads of partnerships: one with its parties, a person's list, a municipality's list, and what a partnership's
/// page shows (history, agreement versions and acceptances, activities, comments, evaluations).
enum PartnershipQueries {
    static func find(slug: String, on db: any Database) async throws -> StoredPartnership? {
        guard let row = try await PartnershipModel.query(on: db).filter(\.$slug == slug).first() else { return nil }
        return try await stored(row, on: db)
    }

    static func find(id: UUID, on db: any Database) async throws -> StoredPartnership? {
        guard let row = try await PartnershipModel.find(id, on: db) else { return nil }
        return try await stored(row, on: db)
    }

    static func stored(_ row: PartnershipModel, on db: any Database) async throws -> StoredPartnership {
        let id = try row.requireID()
        let parties = try await PartnershipPartyModel.query(on: db).filter(\.$partnership.$id == id).with(\.$organisation).sort(\.$position).all()
        return StoredPartnership(
            id: id, slug: row.slug, partnership: partnership(row), state: PartnershipState(rawValue: row.state) ?? .idea, revision: row.revision,
            agreementVersion: row.agreementVersion, acceptedVersion: row.acceptedVersion, renewedFrom: row.renewedFrom,
            publishedAt: row.publishedAt, caseFields: CaseField.list(row.caseFields), createdAt: row.createdAt, updatedAt: row.updatedAt,
            parties: parties.map {
                StoredPartnership.Party(organisationID: $0.$organisation.id, slug: $0.organisation.slug, name: $0.organisation.name,
                                        kind: OrganisationKind(rawValue: $0.organisation.kind) ?? .other,
                                        municipalityCode: $0.organisation.municipalityCode, role: $0.role, publishConsentAt: $0.publishConsentAt)
            })
    }

    static func partnership(_ row: PartnershipModel) -> Partnership {
        Partnership(title: row.title, summary: row.summary, form: row.form, schoolYears: list(row.schoolYears, separator: ","), purpose: row.purpose,
                    goals: row.goals, subjects: list(row.subjects, separator: "\n"), gradeLevels: list(row.gradeLevels, separator: "\n"),
                    classesExpected: row.classesExpected, pupilsExpected: row.pupilsExpected)
    }

    static func list(_ text: String, separator: Character) -> [String] { text.split(separator: separator).map(String.init) }

    static func forms(on db: any Database) async throws -> [PartnershipForm] {
        try await PartnershipFormModel.query(on: db).sort(\.$position).all().map { PartnershipForm(slug: $0.slug, name: $0.name, description: $0.description) }
    }

    // MARK: lists

    /// One line of a list of partnerships.
    struct Summary: Sendable, Equatable {
        var id: UUID
        var slug: String
        var title: String
        var state: PartnershipState
        var form: String
        var schoolYears: String
        var parties: [String]
        var updatedAt: Date
    }

    /// The partnerships the organisations take part in, newest change first.
    static func forOrganisations(_ organisations: [UUID], on db: any Database) async throws -> [Summary] {
        guard !organisations.isEmpty else { return [] }
        let ids = Set(try await PartnershipPartyModel.query(on: db).filter(\.$organisation.$id ~~ organisations).all(\.$partnership.$id))
        guard !ids.isEmpty else { return [] }
        let rows = try await PartnershipModel.query(on: db).filter(\.$id ~~ Array(ids)).sort(\.$updatedAt, .descending).all()
        let parties = try await PartnershipPartyModel.query(on: db).filter(\.$partnership.$id ~~ Array(ids)).with(\.$organisation).sort(\.$position).all()
        let names = Dictionary(grouping: parties, by: { $0.$partnership.id }).mapValues { $0.map(\.organisation.name) }
        return try rows.map { row in
            Summary(id: try row.requireID(), slug: row.slug, title: row.title, state: PartnershipState(rawValue: row.state) ?? .idea, form: row.form,
                    schoolYears: row.schoolYears.replacingOccurrences(of: ",", with: ", "), parties: names[try row.requireID()] ?? [], updatedAt: row.updatedAt)
        }
    }

    /// The ids of one page of the partnerships `actor` may see (as `Permissions` decides `.view`: those of its
    /// organisations, those of the schools of the municipalities it coordinates, all for site administrators), most
    /// recently changed first, and how many there are.
    static func visible(to actor: Actor, _ page: SamspilCore.PageRequest, on db: any Database) async throws -> (ids: [UUID], total: Int) {
        guard actor.account != nil else { return ([], 0) }
        let parties = PartnershipPartyModel.schema, organisations = OrganisationModel.schema
        var condition: SQLQueryString = "1 = 1"
        if actor.siteRole != .administrator {
            let own = Array(Set(actor.memberships.map(\.organisation)))
            let codes = actor.coordinatedMunicipalities.sorted()
            var parts: [SQLQueryString] = []
            if !own.isEmpty {
                parts.append("p.id IN (SELECT pp.partnership_id FROM \(ident: parties) pp WHERE pp.organisation_id IN (\(binds: own)))")
            }
            if !codes.isEmpty {
                parts.append("""
                    p.id IN (SELECT pp.partnership_id FROM \(ident: parties) pp JOIN \(ident: organisations) o ON o.id = pp.organisation_id \
                    WHERE o.kind = \(bind: OrganisationKind.school.rawValue) AND o.municipality_code IN (\(binds: codes)))
                    """)
            }
            guard let first = parts.first else { return ([], 0) }
            condition = parts.dropFirst().reduce("(" + first) { $0 + " OR " + $1 } + ")"
        }
        struct Row: Decodable { let id: UUID }
        struct Count: Decodable { let n: Int }
        let sql = db as! any SQLDatabase
        let rows = try await sql.raw("""
            SELECT p.id FROM \(ident: PartnershipModel.schema) p WHERE \(condition) \
            ORDER BY p.updated_at DESC, p.id DESC LIMIT \(bind: page.limit) OFFSET \(bind: page.offset)
            """).all(decoding: Row.self)
        let total = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: PartnershipModel.schema) p WHERE \(condition)").first(decoding: Count.self)?.n ?? 0
        return (rows.map(\.id), total)
    }

    // MARK: a partnership's page

    struct Event: Sendable, Equatable {
        var at: Date
        var kind: String
        var from: PartnershipState?
        var to: PartnershipState?
        var actorName: String
        var comment: String
    }

    static func events(_ id: UUID, on db: any Database) async throws -> [Event] {
        try await PartnershipEventModel.query(on: db).filter(\.$partnership.$id == id).sort(\.$sequence).all().map {
            Event(at: $0.at, kind: $0.kind, from: $0.fromState.flatMap(PartnershipState.init(rawValue:)), to: $0.toState.flatMap(PartnershipState.init(rawValue:)),
                  actorName: $0.actorName, comment: $0.comment)
        }
    }

    struct Version: Sendable, Equatable {
        var number: Int
        var agreement: Agreement
        var createdAt: Date
        var authorName: String
    }

    static func version(_ id: UUID, number: Int, on db: any Database) async throws -> Version? {
        guard number > 0, let row = try await AgreementVersionModel.query(on: db).filter(\.$partnership.$id == id).filter(\.$number == number).first() else {
            return nil
        }
        return Version(number: row.number, agreement: try JSONDecoder().decode(Agreement.self, from: Data(row.body.utf8)), createdAt: row.createdAt,
                       authorName: row.authorName)
    }

    static func versionNumbers(_ id: UUID, on db: any Database) async throws -> [(number: Int, createdAt: Date, authorName: String)] {
        try await AgreementVersionModel.query(on: db).filter(\.$partnership.$id == id).sort(\.$number).all().map { ($0.number, $0.createdAt, $0.authorName) }
    }

    struct Acceptance: Sendable, Equatable {
        var version: Int
        var organisationID: UUID
        var personName: String
        var at: Date
    }

    static func acceptances(_ id: UUID, on db: any Database) async throws -> [Acceptance] {
        try await AgreementAcceptanceModel.query(on: db).filter(\.$partnership.$id == id).sort(\.$version).sort(\.$acceptedAt).all().map {
            Acceptance(version: $0.version, organisationID: $0.$organisation.id, personName: $0.personName, at: $0.acceptedAt)
        }
    }

    struct StoredActivity: Sendable, Equatable {
        var id: UUID
        var revision: Int
        var activity: Activity
        var partnershipSlug: String
        var partnershipTitle: String
        var updatedAt: Date
    }

    static func activity(_ row: PartnershipActivityModel, slug: String, title: String) throws -> StoredActivity {
        StoredActivity(id: try row.requireID(), revision: row.revision, activity: Activity(
            title: row.title, startsAt: row.startsAt, endsAt: row.endsAt, place: row.place, classes: row.classes, gradeLevel: row.gradeLevel,
            pupils: row.pupils, subject: row.subject, teacher: row.teacher, status: ActivityStatus(rawValue: row.status) ?? .planned),
            partnershipSlug: slug, partnershipTitle: title, updatedAt: row.updatedAt)
    }

    static func activities(of stored: StoredPartnership, on db: any Database) async throws -> [StoredActivity] {
        try await PartnershipActivityModel.query(on: db).filter(\.$partnership.$id == stored.id).sort(\.$startsAt).sort(\.$id).all()
            .map { try activity($0, slug: stored.slug, title: stored.partnership.title) }
    }

    /// The activities of the partnerships the organisations take part in (a person's or an organisation's calendar).
    static func activities(ofOrganisations organisations: [UUID], on db: any Database) async throws -> [StoredActivity] {
        guard !organisations.isEmpty else { return [] }
        let ids = Set(try await PartnershipPartyModel.query(on: db).filter(\.$organisation.$id ~~ organisations).all(\.$partnership.$id))
        guard !ids.isEmpty else { return [] }
        let partnerships = Dictionary(uniqueKeysWithValues: try await PartnershipModel.query(on: db).filter(\.$id ~~ Array(ids)).all()
            .map { (try $0.requireID(), $0) })
        return try await PartnershipActivityModel.query(on: db).filter(\.$partnership.$id ~~ Array(ids)).sort(\.$startsAt).sort(\.$id).all().compactMap { row in
            guard let partnership = partnerships[row.$partnership.id] else { return nil }
            return try activity(row, slug: partnership.slug, title: partnership.title)
        }
    }

    struct Comment: Sendable, Equatable {
        var authorName: String
        var body: String
        var at: Date
    }

    static func comments(_ id: UUID, on db: any Database) async throws -> [Comment] {
        try await PartnershipCommentModel.query(on: db).filter(\.$partnership.$id == id).sort(\.$createdAt).sort(\.$id).all()
            .map { Comment(authorName: $0.authorName, body: $0.body, at: $0.createdAt) }
    }

    struct Evaluation: Sendable, Equatable {
        /// "periode" or an activity's id.
        var occasion: String
        var organisationID: UUID
        var personName: String
        var answers: [String: String]
        var at: Date
    }

    static func evaluations(_ id: UUID, on db: any Database) async throws -> [Evaluation] {
        try await EvaluationAnswerModel.query(on: db).filter(\.$partnership.$id == id).sort(\.$createdAt).all().map {
            Evaluation(occasion: $0.occasion, organisationID: $0.$organisation.id, personName: $0.personName,
                       answers: (try? JSONDecoder().decode([String: String].self, from: Data($0.answers.utf8))) ?? [:], at: $0.updatedAt)
        }
    }
}
