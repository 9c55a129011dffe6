import Fluent
import Foundation
import SamspilCore

/// Memberships: who has which role in which organisation. The invitation and join flows are built on these.
enum MembershipQueries {
    /// One membership, with what a list needs of the organisation.
    struct Entry: Sendable, Equatable {
        var organisationID: UUID
        var organisationSlug: String
        var organisationName: String
        var kind: OrganisationKind
        var municipalityCode: String?
        var role: OrganisationRole
        var since: Date
    }

    /// One member of an organisation.
    struct Member: Sendable, Equatable {
        var userID: UUID
        var email: String
        var name: String
        var role: OrganisationRole
        var since: Date
    }

    static func forUser(_ userID: UUID, on db: any Database) async throws -> [Entry] {
        let rows = try await MembershipModel.query(on: db).filter(\.$user.$id == userID).with(\.$organisation).all()
        return rows.compactMap { row in
            guard let role = OrganisationRole(rawValue: row.role), let id = row.organisation.id else { return nil }
            return Entry(organisationID: id, organisationSlug: row.organisation.slug, organisationName: row.organisation.name,
                         kind: OrganisationKind(rawValue: row.organisation.kind) ?? .other,
                         municipalityCode: row.organisation.municipalityCode, role: role, since: row.createdAt)
        }.sorted { (DanishSortKey.make($0.organisationName), $0.role.rawValue) < (DanishSortKey.make($1.organisationName), $1.role.rawValue) }
    }

    static func forOrganisation(_ organisationID: UUID, on db: any Database) async throws -> [Member] {
        let rows = try await MembershipModel.query(on: db).filter(\.$organisation.$id == organisationID).with(\.$user).all()
        return rows.compactMap { row in
            guard let role = OrganisationRole(rawValue: row.role), let id = row.user.id else { return nil }
            return Member(userID: id, email: row.user.email, name: row.user.name, role: role, since: row.createdAt)
        }.sorted { ($0.name, $0.email, $0.role.rawValue) < ($1.name, $1.email, $1.role.rawValue) }
    }

    /// Adds a role; having it already is no error (the unique index keeps one row).
    static func add(user userID: UUID, organisation organisationID: UUID, role: OrganisationRole, now: Date, on db: any Database) async throws {
        let exists = try await MembershipModel.query(on: db).filter(\.$user.$id == userID)
            .filter(\.$organisation.$id == organisationID).filter(\.$role == role.rawValue).count() > 0
        guard !exists else { return }
        let row = MembershipModel()
        row.id = UUID()
        row.createdAt = now
        row.role = role.rawValue
        row.$user.id = userID
        row.$organisation.id = organisationID
        try await row.create(on: db)
    }

    /// Removes a role. Refuses to remove an organisation's last administrator (it must always keep one).
    static func remove(user userID: UUID, organisation organisationID: UUID, role: OrganisationRole, on db: any Database) async throws {
        if role == .administrator, try await administratorCount(organisationID, on: db) <= 1 {
            throw SamspilError.conflict("Organisationen skal have mindst én administrator. Giv en anden rollen, før du fjerner den sidste.")
        }
        try await MembershipModel.query(on: db).filter(\.$user.$id == userID)
            .filter(\.$organisation.$id == organisationID).filter(\.$role == role.rawValue).delete()
    }

    static func administratorCount(_ organisationID: UUID, on db: any Database) async throws -> Int {
        try await MembershipModel.query(on: db).filter(\.$organisation.$id == organisationID)
            .filter(\.$role == OrganisationRole.administrator.rawValue).count()
    }

    /// The actor `Permissions` decides for: the account's site role and its memberships.
    static func actor(for account: Account?, on db: any Database) async throws -> Actor {
        guard let account, !account.disabled else { return .anonymous }
        let memberships = try await forUser(account.id, on: db).map {
            Actor.Membership(organisation: $0.organisationID, kind: $0.kind, municipalityCode: $0.municipalityCode, role: $0.role)
        }
        return Actor(account: account.id, siteRole: account.role, verified: account.emailVerified, memberships: memberships)
    }
}
