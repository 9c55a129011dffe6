import Fluent
import Foundation
import SamspilCore
import SQLKit

/// The one way people change organisations, from the pages and the API alike: `Permissions` decides,
/// `OrganisationRules` checks, then the change, an audit entry and (when a public page changes) the content
/// revision, in one transaction.
enum OrganisationSaving {
    /// Registers a new school, learning environment or other organisation: `pending` (not public) until approved,
    /// with the registrant as its administrator. The slug is made from the name. Returns it as stored.
    static func register(_ organisation: Organisation, by account: Account, now: Date, on db: any Database) async throws -> StoredOrganisation {
        let actor = try await MembershipQueries.actor(for: account, on: db)
        guard Permissions.allows(actor, .register) else { throw SamspilError.forbidden("Du kan ikke registrere organisationer.") }
        var registering = organisation
        registering.status = .pending
        registering.slug = "organisation"
        try await validate(registering, on: db)
        let checked = registering
        let id = UUID()
        return try await db.writeTransaction { tx in
            var saving = checked
            saving.slug = try await OrganisationStore.freeSlug(for: saving.name, on: tx)
            try await refuseTakenInstitutionNumber(saving, except: nil, on: tx)
            try await OrganisationStore.insert([(id, saving)], createdBy: account.id, now: now, on: tx)
            try await MembershipQueries.add(user: account.id, organisation: id, role: .administrator, now: now, on: tx)
            try await AuditLog.record(.organisationCreate, subject: saving.slug, by: account, now: now, on: tx)
            // A pending organisation is on no public page, so the content revision stays.
            return StoredOrganisation(id: id, organisation: saving, createdAt: now, updatedAt: now)
        }
    }

    /// Saves changed details over the organisation with the same slug. Slug, kind and status stay as stored
    /// (approval is its own step). `expectedRevision`: the revision the change was based on (the API's
    /// `If-Match`); another stored one gives `.stale`.
    @discardableResult
    static func update(
        _ organisation: Organisation, by account: Account, now: Date, expectedRevision: Int? = nil, on db: any Database
    ) async throws -> StoredOrganisation {
        guard let stored = try await OrganisationStore.find(slug: organisation.slug, on: db) else {
            throw SamspilError.notFound("Organisationen \"\(organisation.slug)\" findes ikke.")
        }
        let actor = try await MembershipQueries.actor(for: account, on: db)
        guard Permissions.allows(actor, .view, on: stored.resource) else {
            throw SamspilError.notFound("Organisationen \"\(organisation.slug)\" findes ikke.")
        }
        guard Permissions.allows(actor, .edit, on: stored.resource) else {
            throw SamspilError.forbidden("Kun organisationens administratorer kan ændre den.")
        }
        var saving = organisation
        saving.kind = stored.organisation.kind
        saving.status = stored.organisation.status
        try await validate(saving, on: db)
        let toSave = saving
        try await db.writeTransaction { tx in
            // The first statement claims the row (a write: SQLite makes the transaction a writer at once, PostgreSQL
            // makes a concurrent claim wait and re-check), so of two saves from one revision exactly one wins.
            struct Row: Decodable { let revision: Int }
            let condition: SQLQueryString = expectedRevision.map { " AND revision = \(bind: $0)" } ?? ""
            let claimed = try await (tx as! any SQLDatabase).raw("UPDATE \(ident: OrganisationModel.schema) SET revision = revision WHERE id = \(bind: stored.id)"
                + condition + " RETURNING revision").first(decoding: Row.self)
            guard claimed != nil else {
                throw SamspilError.stale("Organisationen er ændret, siden du hentede den. Hent den igen (GET), og send den nye ETag i If-Match.")
            }
            try await refuseTakenInstitutionNumber(toSave, except: stored.id, on: tx)
            try await OrganisationStore.update(id: stored.id, to: toSave, now: now, on: tx)
            try await AuditLog.record(.organisationUpdate, subject: toSave.slug, by: account, now: now, on: tx)
            if toSave.status == .approved { try await ContentRevision.bump(on: tx) }
        }
        return try await OrganisationStore.find(id: stored.id, on: db) ?? stored
    }

    /// Approves a pending organisation, which makes it public.
    static func approve(slug: String, by account: Account, now: Date, on db: any Database) async throws {
        guard let stored = try await OrganisationStore.find(slug: slug, on: db) else {
            throw SamspilError.notFound("Organisationen \"\(slug)\" findes ikke.")
        }
        let actor = try await MembershipQueries.actor(for: account, on: db)
        guard Permissions.allows(actor, .view, on: stored.resource) else { throw SamspilError.notFound("Organisationen \"\(slug)\" findes ikke.") }
        guard stored.organisation.status == .pending else { throw SamspilError.conflict("Organisationen er allerede godkendt.") }
        guard Permissions.allows(actor, .approve, on: stored.resource) else {
            throw SamspilError.forbidden("Kun Samspils administratorer og koordinatorer i organisationens kommune kan godkende den.")
        }
        try await db.writeTransaction { tx in
            try await OrganisationStore.setStatus(id: stored.id, .approved, now: now, on: tx)
            try await AuditLog.record(.organisationApprove, subject: slug, by: account, now: now, on: tx)
            try await ContentRevision.bump(on: tx)
        }
    }

    static func validate(_ organisation: Organisation, on db: any Database) async throws {
        try await validateAll(organisation, extra: [], on: db)
    }

    /// Throws `.unprocessable` with `extra` (problems found before, e.g. a field that is not a number) and every
    /// broken rule, when there are any.
    static func validateAll(_ organisation: Organisation, extra: [FieldProblem], on db: any Database) async throws {
        let problems = extra + OrganisationRules.problems(organisation, reference: try await OrganisationStore.reference(on: db))
        if !problems.isEmpty { throw SamspilError.unprocessable(problems) }
    }

    private static func refuseTakenInstitutionNumber(_ organisation: Organisation, except id: UUID?, on db: any Database) async throws {
        guard let number = organisation.institutionNumber else { return }
        var query = OrganisationModel.query(on: db).filter(\.$institutionNumber == number)
        if let id { query = query.filter(\.$id != id) }
        if let other = try await query.first() {
            throw SamspilError.unprocessable([FieldProblem(field: "institutionNumber",
                message: "Institutionsnummeret \(number) bruges allerede af \(other.name). Tjek nummeret, eller bed skolens administrator om adgang.")])
        }
    }
}
