import Fluent
import Foundation
import SamspilCore
import SQLKit

/// Every change to a partnership, from the pages and the API alike: `Permissions` and `PartnershipRules` decide,
/// then one write transaction claims the partnership's row (so concurrent changes take turns on both databases),
/// writes the change, its history entry and audit entry, and mails the parties through the outbox.
enum PartnershipSaving {
    static let invitationValidity: TimeInterval = 14 * 86_400
    static let maxCommentLength = 5_000

    // MARK: finding and asking

    /// The partnership of the slug if the person may see it; otherwise 404, as if it did not exist.
    static func visible(slug: String, actor: Actor, on db: any Database) async throws -> StoredPartnership {
        guard let stored = try await PartnershipQueries.find(slug: slug, on: db), Permissions.allows(actor, .view, on: stored.resource) else {
            throw SamspilError.notFound("Partnerskabet \"\(slug)\" findes ikke, eller du har ikke adgang til det.")
        }
        return stored
    }

    static func require(_ actor: Actor, _ action: PartnershipAction, on stored: StoredPartnership, party: UUID? = nil) throws {
        guard Permissions.allows(actor, action, on: stored.resource, party: party) else {
            if actor.account != nil && !actor.verified {
                throw SamspilError.unverified
            }
            switch action {
            case .view, .work:
                throw SamspilError.forbidden("Kun medlemmer af partnerskabets parter kan arbejde i det. Kommunens koordinatorer og Samspils administratorer kan kun læse.")
            case .transition, .decideForParty:
                throw SamspilError.forbidden("Kun en leder, kontaktperson, koordinator eller administrator i parten kan gøre det på partens vegne.")
            case .evaluateForParty:
                throw SamspilError.forbidden("Du kan kun svare på evalueringen for en part, du selv er medlem af.")
            }
        }
    }

    static func name(_ account: Account) -> String { account.shownName }

    /// Claims the partnership's row for this transaction and raises its revision: the first statement is a write
    /// (SQLite makes the transaction the writer at once; PostgreSQL makes a concurrent claim wait and then read
    /// what the first committed). `expectedRevision` refuses a change based on an older revision with `.stale`.
    struct Claimed: Decodable {
        let revision: Int
        let state: String
        let agreement_version: Int
        let accepted_version: Int?
    }

    static func claim(_ id: UUID, now: Date, expectedRevision: Int? = nil, on tx: any Database) async throws -> Claimed {
        let condition: SQLQueryString = expectedRevision.map { " AND revision = \(bind: $0)" } ?? ""
        guard let claimed = try await (tx as! any SQLDatabase).raw("""
            UPDATE \(ident: PartnershipModel.schema) SET revision = revision + 1, updated_at = \(bind: now) WHERE id = \(bind: id)
            """ + condition + " RETURNING revision, state, agreement_version, accepted_version").first(decoding: Claimed.self) else {
            throw SamspilError.stale("Partnerskabet er ændret af en anden, siden du hentede det. Hent det igen, og send den nye ETag i If-Match.")
        }
        return claimed
    }

    static func record(_ kind: String, on id: UUID, from: PartnershipState? = nil, to: PartnershipState? = nil, comment: String = "",
                       by account: Account, now: Date, on tx: any Database) async throws {
        let event = PartnershipEventModel()
        event.id = UUID()
        event.at = now
        event.$partnership.id = id
        event.sequence = try await PartnershipEventModel.query(on: tx).filter(\.$partnership.$id == id).count()
        event.kind = kind
        event.fromState = from?.rawValue
        event.toState = to?.rawValue
        event.actorName = name(account)
        event.actorEmail = account.email
        event.comment = comment
        try await event.create(on: tx)
    }

    /// Mails the parties' contact persons (members with a deciding role), except the person who made the change.
    static func notify(_ stored: StoredPartnership, subject: String, text: String, except account: Account, now: Date, publicURL: String,
                       on tx: any Database) async throws {
        let ids = stored.parties.map(\.organisationID)
        guard !ids.isEmpty else { return }
        let rows = try await MembershipModel.query(on: tx).filter(\.$organisation.$id ~~ ids)
            .filter(\.$role ~~ Permissions.partyDeciders.map(\.rawValue)).with(\.$user).all()
        var recipients: [UUID: String] = [:]
        for row in rows where row.user.disabledAt == nil && row.user.email != account.email { recipients[row.$user.id] = row.user.email }
        try await NotificationDigest.send(to: recipients.sorted { $0.value < $1.value }.map { (id: $0.key, email: $0.value) },
                                          subject: "\(stored.partnership.title): \(subject)", body: """
            Hej

            \(text)

            Se partnerskabet her:
            \(publicURL + SitePath.partnership(.show(stored.slug)).href)

            Du får denne mail, fordi du er kontaktperson for en af partnerskabets parter i Samspil.
            """, now: now, on: tx)
    }

    // MARK: creating and changing the details

    /// Starts a partnership as an idea, with `organisation` (one of the person's) as its first party and `others`
    /// (approved organisations of the registry) as the next.
    static func create(_ partnership: Partnership, party organisation: UUID, role: String, others: [(UUID, String)] = [], by account: Account,
                       now: Date, on db: any Database) async throws -> StoredPartnership {
        let actor = try await MembershipQueries.actor(for: account, on: db)
        guard Permissions.mayStartPartnership(actor, for: organisation) else {
            throw SamspilError.forbidden("Du kan kun starte et partnerskab for en organisation, du er medlem af.")
        }
        var problems = try await problems(partnership, on: db)
        problems += roleProblems(role, field: "role")
        if others.count + 1 > PartnershipRules.maxParties {
            problems.append(FieldProblem(field: "otherParty", message: "Et partnerskab kan højst have \(PartnershipRules.maxParties) parter."))
        }
        for (index, (other, otherRole)) in others.enumerated() {
            guard other != organisation, try await OrganisationStore.find(id: other, on: db)?.organisation.status == .approved else {
                problems.append(FieldProblem(field: index == 0 ? "otherParty" : "otherParty[\(index)]", message: "Vælg en anden, godkendt organisation fra registret."))
                continue
            }
            problems += roleProblems(otherRole, field: index == 0 ? "otherRole" : "otherRole[\(index)]")
        }
        guard problems.isEmpty else { throw SamspilError.unprocessable(problems) }
        let id = UUID()
        try await db.writeTransaction { tx in
            let row = try await insertRow(id, partnership, slugFrom: partnership.title, state: .idea, renewing: nil, by: account, now: now, on: tx)
            try await addPartyRow(id, organisation: organisation, role: role, now: now, on: tx)
            var added: Set<UUID> = [organisation]
            for (other, otherRole) in others where added.insert(other).inserted {
                try await addPartyRow(id, organisation: other, role: otherRole, now: now, on: tx)
            }
            try await record("oprettet", on: id, to: .idea, by: account, now: now, on: tx)
            try await AuditLog.record(.partnershipCreate, subject: row.slug, by: account, now: now, on: tx)
        }
        guard let stored = try await PartnershipQueries.find(id: id, on: db) else { throw SamspilError.notFound("Partnerskabet blev ikke gemt.") }
        return stored
    }

    static func update(slug: String, to partnership: Partnership, expectedRevision: Int?, by account: Account, now: Date,
                       on db: any Database) async throws -> StoredPartnership {
        let actor = try await MembershipQueries.actor(for: account, on: db)
        let stored = try await visible(slug: slug, actor: actor, on: db)
        try require(actor, .work, on: stored)
        if stored.state.isClosed { throw SamspilError.conflict("Partnerskabet er \(stored.state.predicate) og kan ikke længere ændres.") }
        let problems = try await problems(partnership, on: db)
        guard problems.isEmpty else { throw SamspilError.unprocessable(problems) }
        try await db.writeTransaction { tx in
            _ = try await claim(stored.id, now: now, expectedRevision: expectedRevision, on: tx)
            guard let row = try await PartnershipModel.find(stored.id, on: tx) else { return }
            apply(partnership, to: row)
            try await row.update(on: tx)
            try await record("detaljer", on: stored.id, by: account, now: now, on: tx)
            try await AuditLog.record(.partnershipUpdate, subject: slug, by: account, now: now, on: tx)
        }
        return try await PartnershipQueries.find(id: stored.id, on: db) ?? stored
    }

    static func problems(_ partnership: Partnership, on db: any Database) async throws -> [FieldProblem] {
        let forms = Set(try await PartnershipFormModel.query(on: db).all(\.$slug))
        return PartnershipRules.problems(partnership, forms: forms, reference: try await OrganisationStore.reference(on: db))
    }

    static func roleProblems(_ role: String, field: String) -> [FieldProblem] {
        let trimmed = role.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return [FieldProblem(field: field, message: "Skriv partens rolle i partnerskabet, fx Skole eller Værtsmuseum.")] }
        if trimmed.count > 200 { return [FieldProblem(field: field, message: "Gør rollen kortere: den må højst have 200 tegn.")] }
        return TextRules.nulProblem(role).map { [FieldProblem(field: field, message: $0)] } ?? []
    }

    private static func apply(_ partnership: Partnership, to row: PartnershipModel) {
        row.title = partnership.title.trimmingCharacters(in: .whitespacesAndNewlines)
        row.summary = partnership.summary
        row.form = partnership.form
        row.schoolYears = partnership.schoolYears.joined(separator: ",")
        row.purpose = partnership.purpose
        row.goals = partnership.goals
        row.subjects = partnership.subjects.joined(separator: "\n")
        row.gradeLevels = partnership.gradeLevels.joined(separator: "\n")
        row.classesExpected = partnership.classesExpected
        row.pupilsExpected = partnership.pupilsExpected
    }

    /// A new partnership's row (no agreement, nothing proposed for a case), with a free slug made from `slugFrom`.
    private static func insertRow(_ id: UUID, _ partnership: Partnership, slugFrom name: String, state: PartnershipState, renewing: UUID?,
                                  by account: Account, now: Date, on tx: any Database) async throws -> PartnershipModel {
        let row = PartnershipModel()
        row.id = id
        row.createdAt = now
        row.updatedAt = now
        row.revision = 1
        row.createdBy = account.id
        row.slug = try await freeSlug(for: name, on: tx)
        apply(partnership, to: row)
        row.state = state.rawValue
        row.agreementVersion = 0
        row.caseFields = ""
        row.renewedFrom = renewing
        try await row.create(on: tx)
        return row
    }

    static func freeSlug(for title: String, on db: any Database) async throws -> String {
        // "ny", "invitation" and "kommune" are pages of /partnerskaber/ themselves.
        let base = Slug.stem(for: title, fallback: "partnerskab", reserved: ["ny", "invitation", "kommune"])
        return Slug.firstFree(base, taken: Set(try await PartnershipModel.query(on: db).filter(\.$slug =~ base).all(\.$slug)))
    }

    // MARK: parties

    private static func addPartyRow(_ partnership: UUID, organisation: UUID, role: String, now: Date, on tx: any Database) async throws {
        let party = PartnershipPartyModel()
        party.id = UUID()
        party.addedAt = now
        party.$partnership.id = partnership
        party.$organisation.id = organisation
        party.role = role.trimmingCharacters(in: .whitespacesAndNewlines)
        party.position = try await PartnershipPartyModel.query(on: tx).filter(\.$partnership.$id == partnership).count()
        try await party.create(on: tx)
        // A new party has consented to nothing: a published case is taken down until it has.
        struct Row: Decodable { let id: UUID }
        if try await (tx as! any SQLDatabase).raw("""
            UPDATE \(ident: PartnershipModel.schema) SET published_at = NULL WHERE id = \(bind: partnership) AND published_at IS NOT NULL RETURNING id
            """).first(decoding: Row.self) != nil {
            try await ContentRevision.bump(on: tx)
        }
    }

    /// Adds a registered, approved organisation (by its slug) as a party.
    static func addParty(slug: String, organisation organisationSlug: String, role: String, by account: Account, now: Date, publicURL: String,
                         expectedRevision: Int? = nil, on db: any Database) async throws {
        let actor = try await MembershipQueries.actor(for: account, on: db)
        let stored = try await visible(slug: slug, actor: actor, on: db)
        try require(actor, .work, on: stored)
        var problems = roleProblems(role, field: "partyRole")
        let organisation = try await OrganisationStore.find(slug: organisationSlug, on: db)
        if organisationSlug.isEmpty {
            problems.append(FieldProblem(field: "organisation", message: "Vælg den organisation, der skal være part."))
        } else if organisation == nil || organisation?.organisation.status != .approved {
            problems.append(FieldProblem(field: "organisation", message: "Organisationen \(DanishText.quoted(organisationSlug)) findes ikke i registret. Invitér den i stedet med en e-mailadresse."))
        } else if let organisation, stored.party(organisation.id) != nil {
            problems.append(FieldProblem(field: "organisation", message: "\(organisation.organisation.name) er allerede part i partnerskabet."))
        }
        if stored.parties.count >= PartnershipRules.maxParties {
            problems.append(FieldProblem(field: "organisation", message: "Et partnerskab kan højst have \(PartnershipRules.maxParties) parter."))
        }
        if stored.state.isClosed { throw SamspilError.conflict("Partnerskabet er \(stored.state.predicate); der kan ikke komme nye parter til.") }
        guard problems.isEmpty, let organisation else { throw SamspilError.invalid(problems) }
        try await db.writeTransaction { tx in
            let claimed = try await claim(stored.id, now: now, expectedRevision: expectedRevision, on: tx)
            guard try await PartnershipPartyModel.query(on: tx).filter(\.$partnership.$id == stored.id)
                .filter(\.$organisation.$id == organisation.id).count() == 0 else {
                throw SamspilError.conflict("\(organisation.organisation.name) er allerede part i partnerskabet.")
            }
            try await addPartyRow(stored.id, organisation: organisation.id, role: role, now: now, on: tx)
            try await record("part", on: stored.id, comment: "\(organisation.organisation.name) (\(role))", by: account, now: now, on: tx)
            try await AuditLog.record(.partnershipParty, subject: "\(slug): \(organisation.organisation.slug)", by: account, now: now, on: tx)
            // A new party has accepted nothing: the partnership is not agreed until it has.
            if claimed.state == PartnershipState.agreed.rawValue {
                try await setState(stored.id, from: .agreed, to: .dialogue, comment: "Ny part: aftalen skal accepteres af alle igen.",
                                   by: account, now: now, on: tx)
            }
            var updated = stored
            updated.parties.append(.init(organisationID: organisation.id, slug: organisation.organisation.slug, name: organisation.organisation.name,
                                         kind: organisation.organisation.kind, municipalityCode: organisation.organisation.municipalityCode, role: role))
            try await notify(updated, subject: "\(organisation.organisation.name) er ny part",
                             text: "\(name(account)) har gjort \(organisation.organisation.name) til part i partnerskabet \(DanishText.quoted(stored.partnership.title)).",
                             except: account, now: now, publicURL: publicURL, on: tx)
        }
    }

    /// Invites an organisation by e-mail (registered or not): whoever takes the link adds one of their approved
    /// organisations as a party, registering it first if needed.
    static func inviteParty(slug: String, email rawEmail: String, organisationName: String, role: String, by account: Account, now: Date,
                            publicURL: String, on db: any Database) async throws {
        let actor = try await MembershipQueries.actor(for: account, on: db)
        let stored = try await visible(slug: slug, actor: actor, on: db)
        try require(actor, .work, on: stored)
        let email = EmailAddress.normalise(rawEmail)
        var problems = EmailAddress.problems(email, field: "inviteEmail") + roleProblems(role, field: "inviteRole")
        let organisationName = organisationName.trimmingCharacters(in: .whitespacesAndNewlines)
        if organisationName.isEmpty { problems.append(FieldProblem(field: "inviteName", message: "Skriv navnet på den organisation, du inviterer.")) }
        if organisationName.count > 200 { problems.append(FieldProblem(field: "inviteName", message: "Gør navnet kortere: det må højst have 200 tegn.")) }
        guard problems.isEmpty else { throw SamspilError.invalid(problems) }
        if stored.state.isClosed { throw SamspilError.conflict("Partnerskabet er \(stored.state.predicate); der kan ikke komme nye parter til.") }
        let token = SessionQueries.randomToken()
        try await db.writeTransaction { tx in
            _ = try await claim(stored.id, now: now, on: tx)
            let invitation = PartnershipInvitationModel()
            invitation.id = UUID()
            invitation.createdAt = now
            invitation.$partnership.id = stored.id
            invitation.email = email
            invitation.organisationName = organisationName
            invitation.role = role.trimmingCharacters(in: .whitespacesAndNewlines)
            invitation.tokenHash = SessionQueries.hash(token)
            invitation.expiresAt = now.addingTimeInterval(invitationValidity)
            invitation.invitedBy = account.email
            try await invitation.create(on: tx)
            try await record("invitation", on: stored.id, comment: "\(organisationName) (\(email))", by: account, now: now, on: tx)
            try await AuditLog.record(.partnershipInvite, subject: "\(slug): \(email)", by: account, now: now, on: tx)
            try await Outbox.enqueue(to: email, subject: "Invitation til partnerskabet \(stored.partnership.title)", body: """
                Hej

                \(name(account)) inviterer \(organisationName) til at være part i partnerskabet \(DanishText.quoted(stored.partnership.title)) i Samspil \
                (\(stored.parties.map(\.name).joined(separator: ", "))).

                Tag imod invitationen her. Har du ingen konto, opretter du en; er organisationen ikke registreret i Samspil, \
                registrerer du den først, og åbner så linket igen:

                \(publicURL + SitePath.partnership(.invitation).href + "?token=" + token)

                Linket virker i 14 dage og kun én gang.
                """, now: now, on: tx)
        }
    }

    struct OpenInvitation: Sendable {
        var id: UUID
        var email: String
        var organisationName: String
        var role: String
        var partnership: StoredPartnership
    }

    static func invitation(token: String, now: Date, on db: any Database) async throws -> OpenInvitation? {
        guard SessionQueries.isPlausible(token),
              let row = try await PartnershipInvitationModel.query(on: db).filter(\.$tokenHash == SessionQueries.hash(token)).first(),
              row.usedAt == nil, row.expiresAt > now, let stored = try await PartnershipQueries.find(id: row.$partnership.id, on: db) else { return nil }
        return OpenInvitation(id: try row.requireID(), email: row.email, organisationName: row.organisationName, role: row.role, partnership: stored)
    }

    static let expiredInvitation = SamspilError.notFound("Invitationen er udløbet, allerede brugt eller forkert kopieret. Bed om en ny.")

    /// Takes an invitation: the person's organisation (where they have a deciding role) becomes a party — also one
    /// they have just registered and that waits for approval: the inviting party vouches for it.
    static func acceptInvitation(token: String, organisation organisationID: UUID?, by account: Account, now: Date, publicURL: String,
                                 on db: any Database) async throws -> StoredPartnership {
        guard let invitation = try await invitation(token: token, now: now, on: db) else { throw expiredInvitation }
        let actor = try await MembershipQueries.actor(for: account, on: db)
        guard let organisationID else {
            throw SamspilError.invalid([FieldProblem(field: "organisation", message: "Vælg den organisation, der skal være part.")])
        }
        guard actor.verified, actor.roles(in: organisationID).contains(where: Permissions.partyDeciders.contains),
              let organisation = try await OrganisationStore.find(id: organisationID, on: db) else {
            throw SamspilError.forbidden("Du kan kun gøre en organisation til part, hvor du er leder, kontaktperson, koordinator eller administrator.")
        }
        if invitation.partnership.party(organisationID) != nil {
            throw SamspilError.conflict("\(organisation.organisation.name) er allerede part i partnerskabet.")
        }
        try await db.writeTransaction { tx in
            let claimed = try await claim(invitation.partnership.id, now: now, on: tx)
            struct Row: Decodable { let id: UUID }
            guard try await (tx as! any SQLDatabase).raw("""
                UPDATE \(ident: PartnershipInvitationModel.schema) SET used_at = \(bind: now) \
                WHERE id = \(bind: invitation.id) AND used_at IS NULL AND expires_at > \(bind: now) RETURNING id
                """).first(decoding: Row.self) != nil else { throw expiredInvitation }
            try await addPartyRow(invitation.partnership.id, organisation: organisationID, role: invitation.role, now: now, on: tx)
            try await record("part", on: invitation.partnership.id, comment: "\(organisation.organisation.name) (\(invitation.role), efter invitation)",
                             by: account, now: now, on: tx)
            try await AuditLog.record(.partnershipParty, subject: "\(invitation.partnership.slug): \(organisation.organisation.slug)", by: account, now: now, on: tx)
            if claimed.state == PartnershipState.agreed.rawValue {
                try await setState(invitation.partnership.id, from: .agreed, to: .dialogue, comment: "Ny part: aftalen skal accepteres af alle igen.",
                                   by: account, now: now, on: tx)
            }
            try await notify(invitation.partnership, subject: "\(organisation.organisation.name) er ny part",
                             text: "\(organisation.organisation.name) har taget imod invitationen og er nu part i partnerskabet.",
                             except: account, now: now, publicURL: publicURL, on: tx)
        }
        return try await PartnershipQueries.find(id: invitation.partnership.id, on: db) ?? invitation.partnership
    }

    // MARK: life cycle

    private static func setState(_ id: UUID, from: PartnershipState, to: PartnershipState, comment: String, by account: Account, now: Date,
                                 on tx: any Database) async throws {
        try await (tx as! any SQLDatabase).raw("UPDATE \(ident: PartnershipModel.schema) SET state = \(bind: to.rawValue) WHERE id = \(bind: id)").run()
        try await record("tilstand", on: id, from: from, to: to, comment: comment, by: account, now: now, on: tx)
    }

    /// Takes a step in the life cycle. Renewing starts the next period as a new partnership in dialogue, with the
    /// same parties, details and (as its first version) the newest agreement; returns that one.
    @discardableResult
    static func transition(slug: String, _ transition: PartnershipTransition, comment: String, by account: Account, now: Date, publicURL: String,
                           expectedRevision: Int? = nil, on db: any Database) async throws -> StoredPartnership {
        let actor = try await MembershipQueries.actor(for: account, on: db)
        let stored = try await visible(slug: slug, actor: actor, on: db)
        let comment = comment.trimmingCharacters(in: .whitespacesAndNewlines)
        if comment.count > maxCommentLength || TextRules.nulProblem(comment) != nil {
            throw SamspilError.invalid([FieldProblem(field: "comment", message: "Gør kommentaren kortere (højst \(DanishText.number(maxCommentLength)) tegn), og fjern usynlige tegn.")])
        }
        if let refusal = PartnershipRules.refusal(actor, transition, from: stored.state, on: stored.resource) { throw refusal }
        let renewalID = UUID()
        try await db.writeTransaction { tx in
            let claimed = try await claim(stored.id, now: now, expectedRevision: expectedRevision, on: tx)
            // Checked again on the claimed row: of two steps at once, the second is judged on the state the first left.
            let current = PartnershipState(rawValue: claimed.state) ?? .idea
            if let refusal = PartnershipRules.refusal(actor, transition, from: current, on: stored.resource) { throw refusal }
            try await setState(stored.id, from: current, to: transition.to, comment: comment, by: account, now: now, on: tx)
            try await AuditLog.record(.partnershipTransition, subject: "\(slug): \(current.rawValue) → \(transition.to.rawValue)", by: account, now: now, on: tx)
            if transition == .renew {
                try await renew(stored, as: renewalID, agreementVersion: claimed.agreement_version, by: account, now: now, on: tx)
            }
            try await notify(stored, subject: "nu \(DanishText.midSentence(transition.to.label))",
                             text: "\(name(account)) har ændret partnerskabet fra \(DanishText.midSentence(current.label)) til \(DanishText.midSentence(transition.to.label)).\(comment.isEmpty ? "" : "\n\nKommentar: \(comment)")",
                             except: account, now: now, publicURL: publicURL, on: tx)
        }
        if transition == .renew, let renewed = try await PartnershipQueries.find(id: renewalID, on: db) { return renewed }
        return try await PartnershipQueries.find(id: stored.id, on: db) ?? stored
    }

    private static func renew(_ stored: StoredPartnership, as id: UUID, agreementVersion: Int, by account: Account, now: Date, on tx: any Database) async throws {
        var next = stored.partnership
        next.schoolYears = next.schoolYears.last.flatMap(followingSchoolYear).map { [$0] } ?? next.schoolYears
        let row = try await insertRow(id, next, slugFrom: stored.partnership.title + " " + (next.schoolYears.first ?? ""), state: .dialogue,
                                      renewing: stored.id, by: account, now: now, on: tx)
        for party in stored.parties { try await addPartyRow(id, organisation: party.organisationID, role: party.role, now: now, on: tx) }
        if let version = try await PartnershipQueries.version(stored.id, number: agreementVersion, on: tx) {
            try await insertVersion(id, number: 1, agreement: version.agreement, by: account, now: now, on: tx)
            try await (tx as! any SQLDatabase).raw("UPDATE \(ident: PartnershipModel.schema) SET agreement_version = 1 WHERE id = \(bind: id)").run()
        }
        try await record("oprettet", on: id, to: .dialogue, comment: "Fornyelse af \(stored.partnership.title)", by: account, now: now, on: tx)
        try await AuditLog.record(.partnershipCreate, subject: row.slug, by: account, now: now, on: tx)
    }

    /// "2026/27" → "2027/28".
    static func followingSchoolYear(_ year: String) -> String? {
        guard PartnershipRules.isSchoolYear(year), let first = Int(year.prefix(4)) else { return nil }
        let second = (first + 2) % 100
        return "\(first + 1)/\(second < 10 ? "0" : "")\(second)"
    }

    // MARK: the agreement

    private static func insertVersion(_ partnership: UUID, number: Int, agreement: Agreement, by account: Account, now: Date, on tx: any Database) async throws {
        let version = AgreementVersionModel()
        version.id = UUID()
        version.createdAt = now
        version.$partnership.id = partnership
        version.number = number
        version.body = try StoredJSON.text(agreement)
        version.authorName = name(account)
        version.authorEmail = account.email
        try await version.create(on: tx)
    }

    /// Saves the agreement as a new version, based on version `basedOn` (0: none yet). If someone saved another
    /// version since, nothing is saved and `.stale` tells it (the page shows both texts). A change to an agreement
    /// every party had accepted needs their acceptance again; an agreed (not yet active) partnership goes back to
    /// dialogue until it has. Returns the new version's number (the same one when nothing changed).
    @discardableResult
    static func saveAgreement(slug: String, _ agreement: Agreement, basedOn: Int, by account: Account, now: Date, publicURL: String,
                              expectedRevision: Int? = nil, on db: any Database) async throws -> Int {
        let actor = try await MembershipQueries.actor(for: account, on: db)
        let stored = try await visible(slug: slug, actor: actor, on: db)
        try require(actor, .work, on: stored)
        if let refusal = PartnershipRules.agreementRefusal(state: stored.state) { throw refusal }
        let problems = PartnershipRules.problems(agreement, parties: Set(stored.parties.map(\.organisationID)))
        guard problems.isEmpty else { throw SamspilError.unprocessable(problems) }
        if basedOn == stored.agreementVersion, let current = try await PartnershipQueries.version(stored.id, number: basedOn, on: db),
           current.agreement == agreement {
            return basedOn
        }
        return try await db.writeTransaction { tx in
            let claimed = try await claim(stored.id, now: now, expectedRevision: expectedRevision, on: tx)
            guard claimed.agreement_version == basedOn else {
                throw SamspilError.stale("Aftalen er ændret af en anden, siden du åbnede den: version \(claimed.agreement_version) er den nyeste. Din tekst er ikke gemt endnu – sammenlign, og gem igen.")
            }
            let current = PartnershipState(rawValue: claimed.state) ?? .idea
            if let refusal = PartnershipRules.agreementRefusal(state: current) { throw refusal }
            let number = basedOn + 1
            try await insertVersion(stored.id, number: number, agreement: agreement, by: account, now: now, on: tx)
            try await (tx as! any SQLDatabase).raw("UPDATE \(ident: PartnershipModel.schema) SET agreement_version = \(bind: number) WHERE id = \(bind: stored.id)").run()
            try await record("aftale", on: stored.id, comment: "Version \(number)", by: account, now: now, on: tx)
            try await AuditLog.record(.agreementVersion, subject: "\(slug): version \(number)", by: account, now: now, on: tx)
            if current == .agreed {
                try await setState(stored.id, from: .agreed, to: .dialogue, comment: "Aftalen er ændret: version \(number) skal accepteres af alle parter.",
                                   by: account, now: now, on: tx)
            }
            try await notify(stored, subject: "ny version af aftalen", text: """
                \(name(account)) har gemt version \(number) af samarbejdsaftalen. Hver part skal acceptere den nye version.
                """, except: account, now: now, publicURL: publicURL, on: tx)
            return number
        }
    }

    /// A party accepts a version of the agreement. When every party has accepted the same version, the partnership
    /// becomes agreed — exactly once, however many accept at the same moment: each acceptance claims the
    /// partnership's row first, so they take turns and the last one sees all the others.
    /// Returns whether this acceptance made every party's.
    @discardableResult
    static func accept(slug: String, version: Int, party organisation: UUID, by account: Account, now: Date, publicURL: String,
                       expectedRevision: Int? = nil, on db: any Database) async throws -> Bool {
        let actor = try await MembershipQueries.actor(for: account, on: db)
        let stored = try await visible(slug: slug, actor: actor, on: db)
        try require(actor, .decideForParty, on: stored, party: organisation)
        if let refusal = PartnershipRules.agreementRefusal(state: stored.state) { throw refusal }
        guard let party = stored.party(organisation) else { throw SamspilError.notFound("Organisationen er ikke part i partnerskabet.") }
        return try await db.writeTransaction { tx in
            let claimed = try await claim(stored.id, now: now, expectedRevision: expectedRevision, on: tx)
            guard claimed.agreement_version > 0 else { throw SamspilError.conflict("Der er ingen aftale at acceptere endnu. Skriv aftalen først.") }
            guard version == claimed.agreement_version else {
                throw SamspilError.conflict("Version \(version) er ikke den nyeste af aftalen; version \(claimed.agreement_version) er. Læs den, og accepter den i stedet.")
            }
            let current = PartnershipState(rawValue: claimed.state) ?? .idea
            if let refusal = PartnershipRules.agreementRefusal(state: current) { throw refusal }
            let parties = try await PartnershipPartyModel.query(on: tx).filter(\.$partnership.$id == stored.id).all(\.$organisation.$id)
            let accepted = Set(try await AgreementAcceptanceModel.query(on: tx).filter(\.$partnership.$id == stored.id)
                .filter(\.$version == version).all(\.$organisation.$id))
            guard !accepted.contains(organisation) else {
                throw SamspilError.conflict("\(party.name) har allerede accepteret version \(version) af aftalen.")
            }
            let acceptance = AgreementAcceptanceModel()
            acceptance.id = UUID()
            acceptance.acceptedAt = now
            acceptance.$partnership.id = stored.id
            acceptance.version = version
            acceptance.$organisation.id = organisation
            acceptance.personName = name(account)
            acceptance.personEmail = account.email
            try await acceptance.create(on: tx)
            try await record("accept", on: stored.id, comment: "\(party.name) accepterede version \(version)", by: account, now: now, on: tx)
            try await AuditLog.record(.agreementAccept, subject: "\(slug): version \(version) (\(party.slug))", by: account, now: now, on: tx)
            let everyone = Set(parties).isSubset(of: accepted.union([organisation]))
            guard everyone else { return false }
            try await (tx as! any SQLDatabase).raw("UPDATE \(ident: PartnershipModel.schema) SET accepted_version = \(bind: version) WHERE id = \(bind: stored.id)").run()
            if [.idea, .dialogue].contains(current) {
                try await setState(stored.id, from: current, to: .agreed, comment: "Alle parter har accepteret version \(version) af aftalen.",
                                   by: account, now: now, on: tx)
            }
            try await notify(stored, subject: "aftalen er accepteret af alle", text: """
                Alle parter har nu accepteret version \(version) af samarbejdsaftalen\([.idea, .dialogue].contains(current) ? ", og partnerskabet er aftalt" : "").
                """, except: account, now: now, publicURL: publicURL, on: tx)
            return true
        }
    }

    // MARK: activities

    /// Plans a new activity (`id` nil) or changes one, based on its revision `expectedRevision`: of two changes
    /// to the same activity at once, the second is refused with `.stale` and keeps its input.
    @discardableResult
    static func saveActivity(slug: String, id: UUID?, _ activity: Activity, expectedRevision: Int?, by account: Account, now: Date,
                             on db: any Database) async throws -> UUID {
        let actor = try await MembershipQueries.actor(for: account, on: db)
        let stored = try await visible(slug: slug, actor: actor, on: db)
        try require(actor, .work, on: stored)
        if stored.state.isClosed { throw SamspilError.conflict("Partnerskabet er \(stored.state.predicate); der kan ikke planlægges flere aktiviteter.") }
        let problems = PartnershipRules.problems(activity, reference: try await OrganisationStore.reference(on: db))
        guard problems.isEmpty else { throw SamspilError.unprocessable(problems) }
        return try await db.writeTransaction { tx in
            _ = try await claim(stored.id, now: now, on: tx)
            let sql = tx as! any SQLDatabase
            let activityID: UUID
            if let id {
                struct Row: Decodable { let id: UUID }
                let condition: SQLQueryString = expectedRevision.map { " AND revision = \(bind: $0)" } ?? ""
                guard try await sql.raw("""
                    UPDATE \(ident: PartnershipActivityModel.schema) SET revision = revision + 1, updated_at = \(bind: now), \
                    title = \(bind: activity.title), starts_at = \(bind: activity.startsAt), ends_at = \(bind: activity.endsAt), \
                    place = \(bind: activity.place), classes = \(bind: activity.classes), grade_level = \(bind: activity.gradeLevel), \
                    pupils = \(bind: activity.pupils), subject = \(bind: activity.subject), teacher = \(bind: activity.teacher), \
                    status = \(bind: activity.status.rawValue) WHERE id = \(bind: id) AND partnership_id = \(bind: stored.id)
                    """ + condition + " RETURNING id").first(decoding: Row.self) != nil else {
                    if try await PartnershipActivityModel.query(on: tx).filter(\.$id == id).filter(\.$partnership.$id == stored.id).count() == 0 {
                        throw SamspilError.notFound("Aktiviteten findes ikke i partnerskabet.")
                    }
                    throw SamspilError.stale("Aktiviteten er ændret af en anden, siden du åbnede den. Dine ændringer er ikke gemt endnu – sammenlign, og gem igen.")
                }
                activityID = id
            } else {
                let row = PartnershipActivityModel()
                activityID = UUID()
                row.id = activityID
                row.createdAt = now
                row.updatedAt = now
                row.revision = 1
                row.$partnership.id = stored.id
                row.title = activity.title
                row.startsAt = activity.startsAt
                row.endsAt = activity.endsAt
                row.place = activity.place
                row.classes = activity.classes
                row.gradeLevel = activity.gradeLevel
                row.pupils = activity.pupils
                row.subject = activity.subject
                row.teacher = activity.teacher
                row.status = activity.status.rawValue
                try await row.create(on: tx)
            }
            try await AuditLog.record(.activitySave, subject: "\(slug): \(activity.title)", by: account, now: now, on: tx)
            return activityID
        }
    }

    // MARK: comments and evaluations

    static func comment(slug: String, body rawBody: String, by account: Account, now: Date, publicURL: String, on db: any Database) async throws {
        let actor = try await MembershipQueries.actor(for: account, on: db)
        let stored = try await visible(slug: slug, actor: actor, on: db)
        try require(actor, .work, on: stored)
        let body = rawBody.trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [FieldProblem] = []
        if body.isEmpty { problems.append(FieldProblem(field: "body", message: "Skriv en kommentar.")) }
        if body.count > maxCommentLength { problems.append(FieldProblem(field: "body", message: "Gør kommentaren kortere: den må højst have \(DanishText.number(maxCommentLength)) tegn.")) }
        if let problem = TextRules.nulProblem(body) { problems.append(FieldProblem(field: "body", message: problem)) }
        guard problems.isEmpty else { throw SamspilError.invalid(problems) }
        try await db.writeTransaction { tx in
            _ = try await claim(stored.id, now: now, on: tx)
            let comment = PartnershipCommentModel()
            comment.id = UUID()
            comment.createdAt = now
            comment.$partnership.id = stored.id
            comment.$user.id = account.id
            comment.authorName = name(account)
            comment.body = body
            try await comment.create(on: tx)
            try await AuditLog.record(.partnershipComment, subject: slug, by: account, now: now, on: tx)
            try await notify(stored, subject: "ny kommentar fra \(name(account))", text: "\(name(account)) skriver:\n\n\(body)",
                             except: account, now: now, publicURL: publicURL, on: tx)
        }
    }

    /// A party's answers to the evaluation after an activity (`occasion`: its id) or of the period ("periode").
    /// Answering again replaces the party's earlier answers.
    static func evaluate(slug: String, occasion: String, party organisation: UUID, answers: [String: String], by account: Account, now: Date,
                         expectedRevision: Int? = nil, on db: any Database) async throws {
        let actor = try await MembershipQueries.actor(for: account, on: db)
        let stored = try await visible(slug: slug, actor: actor, on: db)
        try require(actor, .evaluateForParty, on: stored, party: organisation)
        let questionnaire: Questionnaire
        // An activity's id as the database writes it (an address may carry it in lower case).
        let occasion = UUID(uuidString: occasion)?.uuidString ?? occasion
        if occasion == "periode" {
            questionnaire = .period
        } else if let id = UUID(uuidString: occasion),
                  try await PartnershipActivityModel.query(on: db).filter(\.$id == id).filter(\.$partnership.$id == stored.id).count() > 0 {
            questionnaire = .activity
        } else {
            throw SamspilError.notFound("Aktiviteten findes ikke i partnerskabet.")
        }
        let trimmed = answers.mapValues { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let problems = PartnershipRules.problems(answers: trimmed, to: questionnaire)
        guard problems.isEmpty else { throw SamspilError.invalid(problems) }
        let json = try StoredJSON.text(trimmed)
        try await db.writeTransaction { tx in
            _ = try await claim(stored.id, now: now, expectedRevision: expectedRevision, on: tx)
            if let existing = try await EvaluationAnswerModel.query(on: tx).filter(\.$partnership.$id == stored.id).filter(\.$occasion == occasion)
                .filter(\.$organisation.$id == organisation).first() {
                existing.answers = json
                existing.updatedAt = now
                existing.$user.id = account.id
                existing.personName = name(account)
                try await existing.update(on: tx)
            } else {
                let row = EvaluationAnswerModel()
                row.id = UUID()
                row.createdAt = now
                row.updatedAt = now
                row.$partnership.id = stored.id
                row.occasion = occasion
                row.$organisation.id = organisation
                row.$user.id = account.id
                row.personName = name(account)
                row.answers = json
                try await row.create(on: tx)
            }
            try await AuditLog.record(.partnershipEvaluate, subject: "\(slug): \(occasion)", by: account, now: now, on: tx)
        }
    }
}
