import Foundation

/// Who is asking: their site role (editors and administrators of Samspil itself) and their memberships.
public struct Actor: Sendable, Equatable {
    public struct Membership: Sendable, Equatable {
        public var organisation: UUID
        public var kind: OrganisationKind
        /// The organisation's municipality (a municipality's own code for a municipality).
        public var municipalityCode: String?
        public var role: OrganisationRole

        public init(organisation: UUID, kind: OrganisationKind, municipalityCode: String?, role: OrganisationRole) {
            self.organisation = organisation
            self.kind = kind
            self.municipalityCode = municipalityCode
            self.role = role
        }
    }

    /// nil: not logged in.
    public var account: UUID?
    public var siteRole: Role?
    /// Whether the account's e-mail address is verified (what anyone may do once logged in needs it).
    public var verified: Bool
    public var memberships: [Membership]

    public init(account: UUID?, siteRole: Role? = nil, verified: Bool = true, memberships: [Membership] = []) {
        self.account = account
        self.siteRole = siteRole
        self.verified = verified
        self.memberships = memberships
    }

    public static let anonymous = Actor(account: nil, verified: false)

    /// The municipalities this person coordinates (a coordinator's membership of a municipality).
    public var coordinatedMunicipalities: Set<String> {
        Set(memberships.filter { $0.kind == .municipality && $0.role == .coordinator }.compactMap(\.municipalityCode))
    }

    public func roles(in organisation: UUID) -> Set<OrganisationRole> {
        Set(memberships.filter { $0.organisation == organisation }.map(\.role))
    }
}

/// What can be done with organisations and memberships.
public enum Action: String, Sendable, CaseIterable {
    /// See an organisation's profile page (public once approved).
    case view
    /// Change an organisation's details.
    case edit
    /// Approve a registered organisation, which makes it public.
    case approve
    /// See who the members are.
    case viewMembers
    /// Invite a person, change a member's role, remove a member.
    case manageMembers
    /// Ask to join an organisation.
    case requestToJoin
    /// Accept or decline a request to join.
    case decideJoinRequest
    /// Register a new school, learning environment or other organisation.
    case register
    /// Import organisations from a file.
    case importOrganisations
}

/// The organisation an action concerns.
public struct OrganisationResource: Sendable, Equatable {
    public var id: UUID
    public var kind: OrganisationKind
    public var municipalityCode: String?
    public var status: OrganisationStatus

    public init(id: UUID, kind: OrganisationKind, municipalityCode: String?, status: OrganisationStatus) {
        self.id = id
        self.kind = kind
        self.municipalityCode = municipalityCode
        self.status = status
    }
}

/// Every decision about who may do what with organisations, in one place; pages, API and command line ask it.
/// Deny by default: an action is allowed only where a rule below says so.
public enum Permissions {
    public static func allows(_ actor: Actor, _ action: Action, on organisation: OrganisationResource? = nil) -> Bool {
        let siteAdministrator = actor.account != nil && actor.siteRole == .administrator
        // Actions without a particular organisation.
        guard let organisation else {
            switch action {
            case .register: return actor.account != nil && actor.verified
            case .importOrganisations: return siteAdministrator
            default: return false
            }
        }
        let roles = actor.roles(in: organisation.id)
        let administrator = roles.contains(.administrator)
        let member = !roles.isEmpty
        let coordinator = organisation.municipalityCode.map(actor.coordinatedMunicipalities.contains) ?? false
        switch action {
        case .view:
            return organisation.status == .approved || siteAdministrator || member || coordinator
        case .edit:
            // Municipalities are reference data: their names and codes are the country's, not a member's.
            guard organisation.kind != .municipality else { return false }
            return siteAdministrator || administrator
        case .approve:
            return organisation.status == .pending && organisation.kind != .municipality && (siteAdministrator || coordinator)
        case .viewMembers:
            return siteAdministrator || member
        case .manageMembers:
            return siteAdministrator || administrator
        case .requestToJoin:
            return actor.account != nil && actor.verified && !member && organisation.status == .approved
        case .decideJoinRequest:
            // A school's requests may also be decided by the coordinators of its municipality.
            return siteAdministrator || administrator || (organisation.kind == .school && coordinator)
        case .register, .importOrganisations:
            return false
        }
    }
}

/// What can be done with a partnership.
public enum PartnershipAction: String, Sendable, CaseIterable {
    /// See the partnership, its agreement, activities, evaluations and comments.
    case view
    /// Change its details, invite parties, draft the agreement, plan activities, comment, upload documents.
    case work
    /// Take a step in its life cycle (start the dialogue, set it going, evaluate, end, renew, abandon).
    case transition
    /// Accept a version of the agreement, or consent to publishing, on behalf of one party.
    case decideForParty
    /// Answer an evaluation on behalf of one party.
    case evaluateForParty
}

/// The partnership an action concerns: its parties as `Permissions` needs them.
public struct PartnershipResource: Sendable, Equatable {
    public struct Party: Sendable, Equatable {
        public var organisation: UUID
        public var kind: OrganisationKind
        public var municipalityCode: String?
        public init(organisation: UUID, kind: OrganisationKind, municipalityCode: String?) {
            self.organisation = organisation
            self.kind = kind
            self.municipalityCode = municipalityCode
        }
    }

    public var id: UUID
    public var parties: [Party]

    public init(id: UUID, parties: [Party]) {
        self.id = id
        self.parties = parties
    }

    /// The municipalities whose coordinators may read it: those of its schools.
    public var schoolMunicipalities: Set<String> {
        Set(parties.filter { $0.kind == .school }.compactMap(\.municipalityCode))
    }
}

extension Permissions {
    /// The roles that speak for their organisation in a partnership: accept an agreement, take a step in the
    /// life cycle. Teachers, PLC staff and educators work in it; their leaders sign.
    public static let partyDeciders: Set<OrganisationRole> = [.schoolLeader, .openSchoolContact, .leader, .coordinator, .administrator]

    /// Who may do what with a partnership. Visible to the members of its parties, read only to the coordinators of
    /// its schools' municipalities and to site administrators, to no one else. `party`: the organisation the
    /// person acts for (`decideForParty`, `evaluateForParty`); it must be one of the parties.
    public static func allows(_ actor: Actor, _ action: PartnershipAction, on partnership: PartnershipResource, party: UUID? = nil) -> Bool {
        guard actor.account != nil else { return false }
        let partyIDs = Set(partnership.parties.map(\.organisation))
        let memberOfParty = actor.memberships.contains { partyIDs.contains($0.organisation) }
        let decides = actor.memberships.contains { partyIDs.contains($0.organisation) && partyDeciders.contains($0.role) }
        switch action {
        case .view:
            return memberOfParty || actor.siteRole == .administrator
                || !actor.coordinatedMunicipalities.isDisjoint(with: partnership.schoolMunicipalities)
        case .work:
            return memberOfParty && actor.verified
        case .transition:
            return decides && actor.verified
        case .decideForParty:
            guard let party, partyIDs.contains(party) else { return false }
            return actor.verified && actor.roles(in: party).contains { partyDeciders.contains($0) }
        case .evaluateForParty:
            guard let party, partyIDs.contains(party) else { return false }
            return actor.verified && !actor.roles(in: party).isEmpty
        }
    }

    /// Whether the person may start a partnership with `organisation` as its first party: any verified member.
    public static func mayStartPartnership(_ actor: Actor, for organisation: UUID) -> Bool {
        actor.account != nil && actor.verified && !actor.roles(in: organisation).isEmpty
    }

    /// Whether the person may read the list of partnerships of a municipality (and its CSV): its coordinators and
    /// site administrators.
    public static func mayListPartnerships(_ actor: Actor, municipality code: String) -> Bool {
        actor.account != nil && (actor.siteRole == .administrator || actor.coordinatedMunicipalities.contains(code))
    }
}

/// What can be done with a worksheet.
public enum WorksheetAction: String, Sendable, CaseIterable {
    /// Read it with every answer (free text too).
    case view
    /// Answer its items, comment on them, move it to a newer version of its tool, share it with the coordinators.
    case fill
}

/// The worksheet an action concerns: its owner as `Permissions` needs it, and whether its owners shared it with the
/// coordinators of their municipality.
public struct WorksheetResource: Sendable, Equatable {
    public enum Owner: Sendable, Equatable {
        case person(UUID)
        case organisation(OrganisationResource)
        case partnership(PartnershipResource)
    }

    public var owner: Owner
    public var shared: Bool

    public init(owner: Owner, shared: Bool = false) {
        self.owner = owner
        self.shared = shared
    }

    /// The municipalities whose coordinators follow it: a school's own, or those of a partnership's schools.
    /// A person's own worksheet is followed by no one.
    public var schoolMunicipalities: Set<String> {
        switch owner {
        case .person: []
        case .organisation(let organisation): organisation.kind == .school ? Set([organisation.municipalityCode].compactMap { $0 }) : []
        case .partnership(let partnership): partnership.schoolMunicipalities
        }
    }
}

extension Permissions {
    /// Who may do what with a worksheet. Those allowed on its owner fill it in: the person themself, the members of
    /// the organisation, those who work in the partnership. Site administrators may read it; the coordinators of its
    /// schools' municipalities only when its owners shared it (otherwise they see counts in their overview, never
    /// free text). No one else.
    public static func allows(_ actor: Actor, _ action: WorksheetAction, on worksheet: WorksheetResource) -> Bool {
        guard let account = actor.account else { return false }
        let fills: Bool = switch worksheet.owner {
        case .person(let person): person == account && actor.verified
        case .organisation(let organisation): actor.verified && !actor.roles(in: organisation.id).isEmpty
        case .partnership(let partnership): allows(actor, .work, on: partnership)
        }
        switch action {
        case .fill:
            return fills
        case .view:
            return fills || actor.siteRole == .administrator
                || (worksheet.shared && !actor.coordinatedMunicipalities.isDisjoint(with: worksheet.schoolMunicipalities))
        }
    }
}
