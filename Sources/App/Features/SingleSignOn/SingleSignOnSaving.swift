import Fluent
import Foundation
import SamspilCore
import SQLKit
import Vapor

/// Every write of single sign-on: an attempt recorded and taken back exactly once, and the account a verified
/// identity logs in to — found by its identity, linked by a verified e-mail address, or made — with the
/// memberships its institution numbers propose.
enum SingleSignOnSaving {
    /// How long a person may stay at the provider before coming back.
    static let attemptLifetime: TimeInterval = 600

    struct Attempt: Sendable {
        var state: String
        var nonce: String
        var verifier: String
    }

    /// Records an attempt (and forgets attempts nobody came back from).
    static func begin(provider: SignOnProvider, next: String, now: Date, on db: any Database) async throws -> Attempt {
        let attempt = Attempt(state: OpenIDConnect.randomValue(), nonce: OpenIDConnect.randomValue(), verifier: OpenIDConnect.randomValue())
        try await db.writeTransaction { tx in
            try await SignOnAttemptModel.query(on: tx).filter(\.$createdAt < now.addingTimeInterval(-attemptLifetime)).delete()
            let row = SignOnAttemptModel()
            row.id = UUID()
            row.createdAt = now
            row.stateHash = SessionQueries.hash(attempt.state)
            row.provider = provider.id
            row.nonce = attempt.nonce
            row.codeVerifier = attempt.verifier
            row.next = next
            try await row.create(on: tx)
        }
        return attempt
    }

    struct Taken: Sendable, Decodable {
        let provider: String
        let nonce: String
        let code_verifier: String
        let next: String
        let created_at: Date
    }

    /// The attempt of `state`, removed in the same statement, so of two answers carrying one state (a replay, or
    /// two processes) exactly one gets it. nil: unknown, already taken, or too old.
    static func take(state: String, now: Date, on db: any Database) async throws -> Taken? {
        let hash = SessionQueries.hash(state)
        let taken = try await db.writeTransaction { tx in
            try await (tx as! any SQLDatabase).raw("""
                DELETE FROM \(ident: SignOnAttemptModel.schema) WHERE state_hash = \(bind: hash) \
                RETURNING provider, nonce, code_verifier, next, created_at
                """).first(decoding: Taken.self)
        }
        guard let taken, now.timeIntervalSince(taken.created_at) < attemptLifetime else { return nil }
        return taken
    }

    /// The account `identity` logs in to: the one linked to it before; else, when the provider vouches for the
    /// e-mail address, the account with that address (now linked, its address confirmed); else a new account
    /// (role Bruger, the address confirmed when the provider says so, a password nobody knows — "Glemt
    /// adgangskode" sets one). Throws `SignOnFailure` for a disabled account, no address, or an address taken
    /// by an account the provider cannot vouch for.
    static func signIn(
        _ identity: OpenIDConnect.Identity, provider: SignOnProvider, now: Date, hashing: PasswordHashing, on db: any Database
    ) async throws -> Account {
        let email = identity.email.map(EmailAddress.normalise)
        let known = try await SignOnIdentityModel.query(on: db).filter(\.$provider == provider.id).filter(\.$subject == identity.subject).first()
        // A new account's unusable password, hashed before the transaction (hashing holds no connection).
        let unusable: String? = if known == nil, let email, try await AccountQueries.find(email: email, on: db) == nil {
            try await hashing.hash(SessionQueries.randomToken())
        } else {
            nil
        }
        let locks = ["sign-on:\(provider.id):\(identity.subject)"] + (email.map { ["account:\($0)"] } ?? [])
        return try await db.writeTransaction(locking: locks) { tx in
            if let linked = try await SignOnIdentityModel.query(on: tx).filter(\.$provider == provider.id)
                .filter(\.$subject == identity.subject).with(\.$user).first() {
                let account = try linked.user.domain()
                guard !account.disabled else { throw OpenIDConnect.SignOnFailure.disabled }
                linked.lastUsedAt = now
                try await linked.save(on: tx)
                return account
            }
            guard let email, EmailAddress.problems(email).isEmpty else { throw OpenIDConnect.SignOnFailure.noEmail }
            let user: UserModel
            if let existing = try await AccountQueries.find(email: email, on: tx) {
                guard identity.emailVerified else { throw OpenIDConnect.SignOnFailure.emailTaken }
                guard existing.disabledAt == nil else { throw OpenIDConnect.SignOnFailure.disabled }
                if existing.emailVerifiedAt == nil {
                    existing.emailVerifiedAt = now
                    try await existing.save(on: tx)
                }
                user = existing
            } else {
                guard let unusable else { throw SamspilError.conflict("Kontoen blev oprettet samtidig et andet sted. Prøv igen.") }
                let name = (identity.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                user = try await AccountQueries.insert(
                    email: email, name: TextRules.nulProblem(name) != nil ? "" : String(name.prefix(200)), passwordHash: unusable,
                    role: .member, verified: identity.emailVerified, now: now, on: tx)
            }
            let link = SignOnIdentityModel()
            link.id = UUID()
            link.createdAt = now
            link.lastUsedAt = now
            link.provider = provider.id
            link.subject = identity.subject
            link.$user.id = try user.requireID()
            try await link.create(on: tx)
            let account = try user.domain()
            try await AuditLog.record(.accountSignOn, subject: "\(provider.label): \(email)", by: account, now: now, on: tx)
            return account
        }
    }

    /// For each institution number a school in the directory has, a request to join it as teacher, which its
    /// administrators (and the municipality's coordinators) accept or decline as any other. Memberships are
    /// proposed, never made: an institution number says where a person works, not what they may do there.
    /// Returns the names of the schools asked.
    static func proposeMemberships(
        _ numbers: [String], account: Account, provider: SignOnProvider, now: Date, publicURL: String, on db: any Database
    ) async throws -> [String] {
        guard !numbers.isEmpty, account.emailVerified else { return [] }
        let schools = try await OrganisationModel.query(on: db).filter(\.$institutionNumber ~~ Array(Set(numbers)))
            .filter(\.$status == OrganisationStatus.approved.rawValue).sort(\.$sortName).all()
        var asked: [String] = []
        for school in schools {
            do {
                try await MembershipSaving.requestToJoin(
                    account: account, slug: school.slug, role: .teacher,
                    message: "Foreslået af \(provider.label) ved login (institutionsnummer \(school.institutionNumber ?? "")).",
                    now: now, publicURL: publicURL, on: db)
                asked.append(school.name)
            } catch SamspilError.conflict, SamspilError.forbidden {
                // Already a member, or already asked: nothing to propose.
            }
        }
        return asked
    }
}
