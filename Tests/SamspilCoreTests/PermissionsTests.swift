import Foundation
import Testing
@testable import SamspilCore

/// The permission table: every kind of person × every action × their own or another organisation (approved or
/// pending), against an explicit list of what is allowed. Everything not listed must be refused.
@Suite struct PermissionsTests {
    static let ownSchool = UUID(), otherSchool = UUID(), ownMuseum = UUID(), municipality = UUID()

    static let resources: [String: OrganisationResource] = [
        "own school": .init(id: ownSchool, kind: .school, municipalityCode: "0101", status: .approved),
        "own school, pending": .init(id: ownSchool, kind: .school, municipalityCode: "0101", status: .pending),
        "other school": .init(id: otherSchool, kind: .school, municipalityCode: "0101", status: .approved),
        "other school, pending": .init(id: otherSchool, kind: .school, municipalityCode: "0101", status: .pending),
        "school elsewhere, pending": .init(id: UUID(), kind: .school, municipalityCode: "0751", status: .pending),
        "own museum": .init(id: ownMuseum, kind: .learningEnvironment, municipalityCode: "0101", status: .approved),
        "museum elsewhere, pending": .init(id: UUID(), kind: .learningEnvironment, municipalityCode: "0751", status: .pending),
        "municipality": .init(id: municipality, kind: .municipality, municipalityCode: "0101", status: .approved),
    ]

    static func member(_ role: OrganisationRole, of id: UUID = ownSchool, kind: OrganisationKind = .school) -> Actor {
        Actor(account: UUID(), memberships: [.init(organisation: id, kind: kind, municipalityCode: "0101", role: role)])
    }

    static let actors: [String: Actor] = [
        "anonymous": .anonymous,
        "unverified": Actor(account: UUID(), verified: false),
        "person": Actor(account: UUID()),
        "teacher": member(.teacher),
        "school leader": member(.schoolLeader),
        "PLC": member(.plcStaff),
        "contact": member(.openSchoolContact),
        "school admin": member(.administrator),
        "museum educator": member(.educator, of: ownMuseum, kind: .learningEnvironment),
        "museum admin": member(.administrator, of: ownMuseum, kind: .learningEnvironment),
        "coordinator": member(.coordinator, of: municipality, kind: .municipality),
        "editor": Actor(account: UUID(), siteRole: .editor),
        "site admin": Actor(account: UUID(), siteRole: .administrator),
    ]

    /// What is allowed: "actor | action | resource" (resource "-" for actions without one).
    static let allowed: Set<String> = {
        var allowed = Set<String>()
        let members = ["teacher", "school leader", "PLC", "contact", "school admin"]
        let everyone = Array(actors.keys)
        let approved = ["own school", "other school", "own museum", "municipality"]
        // Approved organisations are public.
        for actor in everyone { for resource in approved { allowed.insert("\(actor) | view | \(resource)") } }
        // Pending ones: their members, the coordinators of their municipality, site administrators.
        for actor in members { allowed.insert("\(actor) | view | own school, pending") }
        for resource in ["own school, pending", "other school, pending"] { allowed.insert("coordinator | view | \(resource)") }
        for resource in ["own school, pending", "other school, pending", "school elsewhere, pending", "museum elsewhere, pending"] {
            allowed.insert("site admin | view | \(resource)")
            allowed.insert("site admin | approve | \(resource)")
        }
        for resource in ["own school, pending", "other school, pending"] { allowed.insert("coordinator | approve | \(resource)") }
        // Editing: the organisation's administrators and site administrators; never a municipality.
        for resource in ["own school", "own school, pending"] { allowed.insert("school admin | edit | \(resource)") }
        allowed.insert("museum admin | edit | own museum")
        for resource in resources.keys where resource != "municipality" { allowed.insert("site admin | edit | \(resource)") }
        // Members see members; administrators manage them.
        for actor in members { for resource in ["own school", "own school, pending"] { allowed.insert("\(actor) | viewMembers | \(resource)") } }
        for actor in ["museum educator", "museum admin"] { allowed.insert("\(actor) | viewMembers | own museum") }
        allowed.insert("coordinator | viewMembers | municipality")
        for resource in ["own school", "own school, pending"] { allowed.insert("school admin | manageMembers | \(resource)") }
        allowed.insert("museum admin | manageMembers | own museum")
        for resource in resources.keys {
            allowed.insert("site admin | viewMembers | \(resource)")
            allowed.insert("site admin | manageMembers | \(resource)")
            allowed.insert("site admin | decideJoinRequest | \(resource)")
        }
        // Join requests: verified people who are not members ask; administrators (and for schools the
        // municipality's coordinators) decide.
        for actor in ["person", "museum educator", "museum admin", "coordinator", "editor", "site admin"] {
            for resource in ["own school", "other school"] { allowed.insert("\(actor) | requestToJoin | \(resource)") }
        }
        for actor in members { allowed.insert("\(actor) | requestToJoin | other school") }
        for actor in ["person", "teacher", "school leader", "PLC", "contact", "school admin", "coordinator", "editor", "site admin"] {
            allowed.insert("\(actor) | requestToJoin | own museum")
        }
        for actor in ["person", "teacher", "school leader", "PLC", "contact", "school admin", "museum educator", "museum admin", "editor", "site admin"] {
            allowed.insert("\(actor) | requestToJoin | municipality")
        }
        for resource in ["own school", "own school, pending"] { allowed.insert("school admin | decideJoinRequest | \(resource)") }
        allowed.insert("museum admin | decideJoinRequest | own museum")
        for resource in ["own school", "own school, pending", "other school", "other school, pending"] {
            allowed.insert("coordinator | decideJoinRequest | \(resource)")
        }
        // Without an organisation: anyone logged in and verified registers one; site administrators import.
        for actor in everyone where actor != "anonymous" && actor != "unverified" { allowed.insert("\(actor) | register | -") }
        allowed.insert("site admin | importOrganisations | -")
        return allowed
    }()

    @Test func everyRoleEveryActionOwnAndOther() {
        var checked = 0
        for (actorName, actor) in Self.actors {
            for action in Action.allCases {
                for (resourceName, resource) in [("-", nil)] + Self.resources.map({ ($0.key, Optional($0.value)) }) {
                    let key = "\(actorName) | \(action.rawValue) | \(resourceName)"
                    let expected = Self.allowed.contains(key)
                    #expect(Permissions.allows(actor, action, on: resource) == expected, "\(key): expected \(expected ? "allowed" : "refused")")
                    checked += 1
                }
            }
        }
        #expect(checked == Self.actors.count * Action.allCases.count * (Self.resources.count + 1))
        // Every allowed entry names a real combination (a typo in the list would silently allow nothing).
        let names = Set(Self.actors.keys), resources = Set(Self.resources.keys).union(["-"])
        for entry in Self.allowed {
            let parts = entry.components(separatedBy: " | ")
            #expect(parts.count == 3 && names.contains(parts[0]) && Action(rawValue: parts[1]) != nil && resources.contains(parts[2]), "\(entry)")
        }
    }

    @Test func everyKindHasAdministrators() {
        for kind in OrganisationKind.allCases { #expect(kind.roles.contains(.administrator)) }
        #expect(OrganisationKind.school.roles.contains(.teacher) && !OrganisationKind.school.roles.contains(.coordinator))
    }
}
