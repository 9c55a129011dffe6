import Fluent
import Foundation
import SamspilCore
import SQLKit

/// Every change to who belongs to an organisation: asking to join and the answer, invitations by e-mail and
/// their acceptance, roles given and taken. Each asks `Permissions`, writes in one transaction with its audit
/// entry, and mails through the outbox.
enum MembershipSaving {
    static let invitationValidity: TimeInterval = 7 * 86_400
    static let maxMessageLength = 1_000

    /// The organisation an action is about, and how `Permissions` sees it.
    struct Target: Sendable {
        var stored: StoredOrganisation
        var resource: OrganisationResource { Self.resource(stored) }
        var name: String { stored.organisation.name }

        static func resource(_ stored: StoredOrganisation) -> OrganisationResource {
            OrganisationResource(id: stored.id, kind: stored.organisation.kind, municipalityCode: stored.organisation.municipalityCode,
                                 status: stored.organisation.status)
        }
    }

    static func target(slug: String, on db: any Database) async throws -> Target {
        guard let stored = try await OrganisationStore.find(slug: slug, on: db) else {
            throw SamspilError.notFound("Organisationen \"\(slug)\" findes ikke.")
        }
        return Target(stored: stored)
    }

    /// Refuses what `Permissions` does not allow, with the reason a person can act on.
    static func require(_ actor: Actor, _ action: Action, on target: Target) throws {
        guard Permissions.allows(actor, action, on: target.resource) else {
            if actor.account != nil && !actor.verified && [.requestToJoin, .register].contains(action) {
                throw SamspilError.unverified
            }
            throw SamspilError.forbidden("Du har ikke adgang til at gøre det for \(target.name).")
        }
    }

    static func roleProblems(_ role: OrganisationRole?, in target: Target, field: String = "role") -> [FieldProblem] {
        guard let role, target.stored.organisation.kind.roles.contains(role) else {
            return [FieldProblem(field: field, message: "Vælg en af rollerne for \(DanishText.midSentence(target.stored.organisation.kind.label)).")]
        }
        return []
    }

    // MARK: asking to join

    static func requestToJoin(
        account: Account, slug: String, role: OrganisationRole?, message rawMessage: String, now: Date, publicURL: String, on db: any Database
    ) async throws {
        let target = try await target(slug: slug, on: db)
        let actor = try await MembershipQueries.actor(for: account, on: db)
        try require(actor, .requestToJoin, on: target)
        let message = rawMessage.trimmingCharacters(in: .whitespacesAndNewlines)
        var problems = roleProblems(role, in: target)
        if role == .administrator {
            problems = [FieldProblem(field: "role", message: "Administratorer udpeges af organisationens administratorer. Vælg en anden rolle.")]
        }
        if message.count > maxMessageLength {
            problems.append(FieldProblem(field: "message", message: "Gør beskeden kortere: den må højst have \(maxMessageLength) tegn."))
        }
        if let problem = TextRules.nulProblem(message) { problems.append(FieldProblem(field: "message", message: problem)) }
        guard problems.isEmpty, let role else { throw SamspilError.invalid(problems) }
        try await db.writeTransaction(locking: ["join:\(account.id):\(target.stored.id)"]) { tx in
            let open = try await JoinRequestModel.query(on: tx).filter(\.$user.$id == account.id)
                .filter(\.$organisation.$id == target.stored.id).filter(\.$outcome == nil).count()
            guard open == 0 else { throw SamspilError.conflict("Du har allerede bedt om at blive medlem af \(target.name). Svaret kommer på mail.") }
            let request = JoinRequestModel()
            request.id = UUID()
            request.createdAt = now
            request.role = role.rawValue
            request.message = message
            request.$user.id = account.id
            request.$organisation.id = target.stored.id
            try await request.create(on: tx)
            try await AuditLog.record(.membershipRequest, subject: "\(target.stored.organisation.slug): \(role.label)", by: account, now: now, on: tx)
            for recipient in try await deciders(of: target, on: tx) {
                try await Outbox.enqueue(to: recipient, subject: "\(account.name) vil gerne være medlem af \(target.name)", body: """
                    Hej

                    \(account.name) (\(account.email)) beder om at blive medlem af \(target.name) som \(DanishText.midSentence(role.label)).
                    \(message.isEmpty ? "" : "\nBesked: \(message)\n")
                    Svar på anmodningen her:

                    \(publicURL + SitePath.membership(.members(target.stored.organisation.slug)).href)
                    """, now: now, on: tx)
            }
        }
    }

    /// Who answers requests: the organisation's administrators, and for a school also its municipality's coordinators.
    private static func deciders(of target: Target, on db: any Database) async throws -> [String] {
        var emails = try await MembershipQueries.forOrganisation(target.stored.id, on: db).filter { $0.role == .administrator }.map(\.email)
        if target.stored.organisation.kind == .school, let code = target.stored.organisation.municipalityCode,
           let municipality = try await OrganisationModel.query(on: db).filter(\.$kind == OrganisationKind.municipality.rawValue)
               .filter(\.$municipalityCode == code).first() {
            emails += try await MembershipQueries.forOrganisation(municipality.requireID(), on: db).filter { $0.role == .coordinator }.map(\.email)
        }
        return Array(Set(emails)).sorted()
    }

    /// Open requests to join an organisation, oldest first.
    struct OpenRequest: Sendable, Equatable {
        var id: UUID
        var name: String
        var email: String
        var role: OrganisationRole
        var message: String
        var at: Date
    }

    static func openRequests(_ organisationID: UUID, on db: any Database) async throws -> [OpenRequest] {
        try await JoinRequestModel.query(on: db).filter(\.$organisation.$id == organisationID).filter(\.$outcome == nil)
            .sort(\.$createdAt).with(\.$user).all().map {
                OpenRequest(id: try $0.requireID(), name: $0.user.name, email: $0.user.email,
                            role: OrganisationRole(rawValue: $0.role) ?? .teacher, message: $0.message, at: $0.createdAt)
            }
    }

    /// A person's own requests that wait for an answer: the organisation's name and the role asked for.
    static func waitingRequests(of userID: UUID, on db: any Database) async throws -> [(organisation: String, role: OrganisationRole)] {
        try await JoinRequestModel.query(on: db).filter(\.$user.$id == userID).filter(\.$outcome == nil).sort(\.$createdAt)
            .with(\.$organisation).all().map { ($0.organisation.name, OrganisationRole(rawValue: $0.role) ?? .teacher) }
    }

    /// Accepts or declines an open request. Of two answers at once, the first counts and the second is told.
    static func decide(account: Account, slug: String, requestID: UUID, accept: Bool, now: Date, on db: any Database) async throws {
        let target = try await target(slug: slug, on: db)
        try require(try await MembershipQueries.actor(for: account, on: db), .decideJoinRequest, on: target)
        try await db.writeTransaction { tx in
            struct Row: Decodable { let user_id: UUID; let role: String }
            guard let row = try await (tx as! any SQLDatabase).raw("""
                UPDATE \(ident: JoinRequestModel.schema) SET outcome = \(bind: accept ? "accepted" : "declined"), \
                decided_at = \(bind: now), decided_by = \(bind: account.email) \
                WHERE id = \(bind: requestID) AND organisation_id = \(bind: target.stored.id) AND outcome IS NULL RETURNING user_id, role
                """).first(decoding: Row.self) else {
                throw SamspilError.conflict("Anmodningen er allerede besvaret, eller den findes ikke.")
            }
            let role = OrganisationRole(rawValue: row.role) ?? .teacher
            guard let user = try await UserModel.find(row.user_id, on: tx) else { return }
            if accept { try await MembershipQueries.add(user: row.user_id, organisation: target.stored.id, role: role, now: now, on: tx) }
            try await AuditLog.record(accept ? .membershipAccept : .membershipDecline,
                                      subject: "\(target.stored.organisation.slug): \(user.email) (\(role.label))", by: account, now: now, on: tx)
            try await Outbox.enqueue(to: user.email, subject: accept ? "Du er nu medlem af \(target.name)" : "Om din anmodning til \(target.name)", body: accept ? """
                Hej \(user.name)

                Du er nu medlem af \(target.name) som \(DanishText.midSentence(role.label)) i Samspil.
                """ : """
                Hej \(user.name)

                Din anmodning om at blive medlem af \(target.name) er ikke godkendt. Kontakt organisationen, hvis du mener, det er en fejl.
                """, now: now, on: tx)
        }
    }

    // MARK: invitations

    static func invite(account: Account, slug: String, email rawEmail: String, role: OrganisationRole?, now: Date, publicURL: String,
                       on db: any Database) async throws {
        let target = try await target(slug: slug, on: db)
        try require(try await MembershipQueries.actor(for: account, on: db), .manageMembers, on: target)
        let email = EmailAddress.normalise(rawEmail)
        let problems = EmailAddress.problems(email) + roleProblems(role, in: target)
        guard problems.isEmpty, let role else { throw SamspilError.invalid(problems) }
        let token = SessionQueries.randomToken()
        try await db.writeTransaction { tx in
            let invitation = InvitationModel()
            invitation.id = UUID()
            invitation.createdAt = now
            invitation.email = email
            invitation.role = role.rawValue
            invitation.tokenHash = SessionQueries.hash(token)
            invitation.expiresAt = now.addingTimeInterval(invitationValidity)
            invitation.invitedBy = account.email
            invitation.$organisation.id = target.stored.id
            try await invitation.create(on: tx)
            try await AuditLog.record(.membershipInvite, subject: "\(target.stored.organisation.slug): \(email) (\(role.label))", by: account, now: now, on: tx)
            try await Outbox.enqueue(to: email, subject: "Invitation til \(target.name) i Samspil", body: """
                Hej

                \(account.name) inviterer dig til at blive medlem af \(target.name) i Samspil som \(DanishText.midSentence(role.label)).
                Tag imod invitationen her (har du ingen konto, opretter du en med denne e-mailadresse):

                \(publicURL + SitePath.membership(.invitation).href + "?token=" + token)

                Linket virker i syv dage og kun én gang.
                """, now: now, on: tx)
        }
    }

    struct OpenInvitation: Sendable {
        var id: UUID
        var email: String
        var role: OrganisationRole
        var target: Target
    }

    /// The open invitation of a token (unused, not expired), or nil.
    static func invitation(token: String, now: Date, on db: any Database) async throws -> OpenInvitation? {
        guard SessionQueries.isPlausible(token),
              let row = try await InvitationModel.query(on: db).filter(\.$tokenHash == SessionQueries.hash(token)).first(),
              row.usedAt == nil, row.expiresAt > now,
              let stored = try await OrganisationStore.find(id: row.$organisation.id, on: db) else { return nil }
        return OpenInvitation(id: try row.requireID(), email: row.email, role: OrganisationRole(rawValue: row.role) ?? .teacher,
                              target: Target(stored: stored))
    }

    static let expiredInvitation = SamspilError.notFound("Invitationen er udløbet, allerede brugt eller forkert kopieret. Bed om en ny.")

    /// Takes the invitation for the logged-in person, who must have the address it was sent to. The link came by
    /// mail to that address, so it also confirms the address.
    static func acceptInvitation(account: Account, token: String, now: Date, on db: any Database) async throws -> Target {
        guard let invitation = try await invitation(token: token, now: now, on: db) else { throw expiredInvitation }
        guard invitation.email == account.email else {
            throw SamspilError.forbidden("Invitationen er sendt til \(invitation.email). Log ind med den adresse for at tage imod den.")
        }
        try await db.writeTransaction { tx in
            struct Row: Decodable { let id: UUID }
            guard try await (tx as! any SQLDatabase).raw("""
                UPDATE \(ident: InvitationModel.schema) SET used_at = \(bind: now) \
                WHERE id = \(bind: invitation.id) AND used_at IS NULL AND expires_at > \(bind: now) RETURNING id
                """).first(decoding: Row.self) != nil else { throw expiredInvitation }
            try await MembershipQueries.add(user: account.id, organisation: invitation.target.stored.id, role: invitation.role, now: now, on: tx)
            try await (tx as! any SQLDatabase).raw("""
                UPDATE \(ident: UserModel.schema) SET email_verified_at = \(bind: now) WHERE id = \(bind: account.id) AND email_verified_at IS NULL
                """).run()
            try await AuditLog.record(.membershipJoin, subject: "\(invitation.target.stored.organisation.slug): \(invitation.role.label)",
                                      by: account, now: now, on: tx)
        }
        return invitation.target
    }

    // MARK: roles

    /// Gives a member another role.
    static func giveRole(account: Account, slug: String, member: UUID, role: OrganisationRole?, now: Date, on db: any Database) async throws {
        let target = try await target(slug: slug, on: db)
        try require(try await MembershipQueries.actor(for: account, on: db), .manageMembers, on: target)
        let problems = roleProblems(role, in: target)
        guard problems.isEmpty, let role else { throw SamspilError.invalid(problems) }
        try await db.writeTransaction { tx in
            guard try await MembershipModel.query(on: tx).filter(\.$user.$id == member).filter(\.$organisation.$id == target.stored.id).count() > 0,
                  let user = try await UserModel.find(member, on: tx) else {
                throw SamspilError.notFound("Personen er ikke medlem af \(target.name).")
            }
            try await MembershipQueries.add(user: member, organisation: target.stored.id, role: role, now: now, on: tx)
            try await AuditLog.record(.membershipRole, subject: "\(target.stored.organisation.slug): \(user.email) (\(role.label))", by: account, now: now, on: tx)
        }
    }

    /// Takes a role from a member. The last administrator's role is never taken: the count and the removal hold
    /// the organisation's lock, so two administrators removing each other at once cannot leave none.
    static func removeRole(account: Account, slug: String, member: UUID, role: OrganisationRole, now: Date, on db: any Database) async throws {
        let target = try await target(slug: slug, on: db)
        try require(try await MembershipQueries.actor(for: account, on: db), .manageMembers, on: target)
        try await db.writeTransaction(locking: ["organisation-members:\(target.stored.id)"]) { tx in
            guard let user = try await UserModel.find(member, on: tx) else { throw SamspilError.notFound("Personen findes ikke.") }
            try await MembershipQueries.remove(user: member, organisation: target.stored.id, role: role, on: tx)
            try await AuditLog.record(.membershipRemove, subject: "\(target.stored.organisation.slug): \(user.email) (\(role.label))", by: account, now: now, on: tx)
        }
    }
}
