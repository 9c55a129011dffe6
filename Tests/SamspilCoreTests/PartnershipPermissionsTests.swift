import Foundation
import Testing
@testable import SamspilCore

/// The partnership permission table: every kind of person × every `PartnershipAction` × their own partnership or
/// another one, and for the actions on behalf of a party × the party they name (their own, another party of the
/// same partnership, an organisation not in it, none). Checked against an explicit list of what is allowed;
/// everything not listed must be refused.
///
/// Visibility: the members of any party see it; so do, read only, the coordinators of the municipality of a
/// *school* party and site administrators. Verified members of a party work in it; verified members with a
/// decider role take its steps. On behalf of a party: decide = a verified decider of *that* party, evaluate = a
/// verified member of that party, any role.
@Suite struct PartnershipPermissionsTests {
    static let orgs: [String: UUID] = [
        "school": UUID(), "museum": UUID(), "municipality": UUID(), "school's municipality": UUID(), "fourth": UUID(),
        "school 2": UUID(), "museum 2": UUID(), "museum 3": UUID(), "school 3": UUID(), "school 4": UUID(),
    ]

    static func party(_ name: String, _ kind: OrganisationKind, _ code: String) -> PartnershipResource.Party {
        .init(organisation: orgs[name]!, kind: kind, municipalityCode: code)
    }

    static let partnerships: [String: PartnershipResource] = [
        // A school in Copenhagen (0101), a museum in Aarhus (0751) and the municipality of Aarhus.
        "own": .init(id: UUID(), parties: [party("school", .school, "0101"), party("museum", .learningEnvironment, "0751"),
                                           party("municipality", .municipality, "0751")]),
        // Another school in Copenhagen: its coordinators may read it.
        "other, school in 0101": .init(id: UUID(), parties: [party("school 2", .school, "0101"), party("museum 2", .learningEnvironment, "0461")]),
        // Only a museum in Copenhagen: Copenhagen's coordinators may not read it.
        "other, museum in 0101": .init(id: UUID(), parties: [party("museum 3", .learningEnvironment, "0101"), party("school 3", .school, "0461")]),
        // The fourth organisation's own partnership.
        "other, fourth's": .init(id: UUID(), parties: [party("fourth", .other, "0461"), party("school 4", .school, "0461")]),
    ]

    /// The organisations named as `party:` for each partnership: its parties and one outsider ("-": none).
    static let partyArguments: [String: [String]] = [
        "own": ["-", "school", "museum", "municipality", "fourth"],
        "other, school in 0101": ["-", "school 2", "museum 2", "school"],
        "other, museum in 0101": ["-", "museum 3", "school 3", "school"],
        "other, fourth's": ["-", "fourth", "school 4", "school"],
    ]

    static func membership(_ role: OrganisationRole, of name: String) -> Actor.Membership {
        let (kind, code): (OrganisationKind, String) = switch name {
        case "school": (.school, "0101")
        case "museum": (.learningEnvironment, "0751")
        case "municipality": (.municipality, "0751")
        case "school's municipality": (.municipality, "0101")
        default: (.other, "0461")
        }
        return .init(organisation: orgs[name]!, kind: kind, municipalityCode: code, role: role)
    }

    static func member(_ role: OrganisationRole, of name: String = "school", verified: Bool = true) -> Actor {
        Actor(account: UUID(), verified: verified, memberships: [membership(role, of: name)])
    }

    static let actors: [String: Actor] = [
        "school leader": member(.schoolLeader),
        "contact": member(.openSchoolContact),
        "school admin": member(.administrator),
        "teacher": member(.teacher),
        "PLC": member(.plcStaff),
        "museum leader": member(.leader, of: "museum"),
        "museum educator": member(.educator, of: "museum"),
        "party coordinator": member(.coordinator, of: "municipality"),
        "school's coordinator": member(.coordinator, of: "school's municipality"),
        "site admin": Actor(account: UUID(), siteRole: .administrator),
        "editor": Actor(account: UUID(), siteRole: .editor),
        "fourth": member(.administrator, of: "fourth"),
        "unverified school leader": member(.schoolLeader, verified: false),
        "anonymous": .anonymous,
        // Roles are per party: a teacher at the school who also leads the museum.
        "teacher and museum leader": Actor(account: UUID(), memberships: [membership(.teacher, of: "school"), membership(.leader, of: "museum")]),
    ]

    /// What is allowed: "actor | action | partnership | party" (party "-" for none).
    static let allowed: Set<String> = {
        var allowed = Set<String>()
        func allow(_ actors: [String], _ action: PartnershipAction, _ partnership: String, _ party: String = "-") {
            for actor in actors { allowed.insert("\(actor) | \(action.rawValue) | \(partnership) | \(party)") }
        }
        let schoolDeciders = ["school leader", "contact", "school admin"]
        let schoolWorkers = ["teacher", "PLC"]
        let verifiedMembers = schoolDeciders + schoolWorkers + ["museum leader", "museum educator", "party coordinator", "teacher and museum leader"]
        let deciders = schoolDeciders + ["museum leader", "party coordinator", "teacher and museum leader"]

        // Own partnership: members of any party see it (verified or not), the school's coordinators and site
        // administrators read it.
        allow(verifiedMembers + ["unverified school leader", "school's coordinator", "site admin"], .view, "own")
        allow(verifiedMembers, .work, "own")
        allow(deciders, .transition, "own")
        allow(schoolDeciders, .decideForParty, "own", "school")
        allow(["museum leader", "teacher and museum leader"], .decideForParty, "own", "museum")
        allow(["party coordinator"], .decideForParty, "own", "municipality")
        allow(schoolDeciders + schoolWorkers + ["teacher and museum leader"], .evaluateForParty, "own", "school")
        allow(["museum leader", "museum educator", "teacher and museum leader"], .evaluateForParty, "own", "museum")
        allow(["party coordinator"], .evaluateForParty, "own", "municipality")

        // Other partnerships: read only for the coordinators of a school party's municipality and site administrators.
        allow(["school's coordinator", "site admin"], .view, "other, school in 0101")
        allow(["site admin"], .view, "other, museum in 0101")
        allow(["fourth", "site admin"], .view, "other, fourth's")
        allow(["fourth"], .work, "other, fourth's")
        allow(["fourth"], .transition, "other, fourth's")
        allow(["fourth"], .decideForParty, "other, fourth's", "fourth")
        allow(["fourth"], .evaluateForParty, "other, fourth's", "fourth")
        return allowed
    }()

    @Test(arguments: actors.keys.sorted())
    func everyActionOnOwnAndOtherPartnerships(actorName: String) throws {
        let actor = try #require(Self.actors[actorName])
        var checked = 0
        for action in PartnershipAction.allCases {
            let onBehalf = action == .decideForParty || action == .evaluateForParty
            for (partnershipName, partnership) in Self.partnerships {
                for partyName in onBehalf ? Self.partyArguments[partnershipName]! : ["-"] {
                    let party = partyName == "-" ? nil : Self.orgs[partyName]!
                    let key = "\(actorName) | \(action.rawValue) | \(partnershipName) | \(partyName)"
                    let expected = Self.allowed.contains(key)
                    #expect(Permissions.allows(actor, action, on: partnership, party: party) == expected,
                            "\(key): expected \(expected ? "allowed" : "refused")")
                    checked += 1
                }
            }
        }
        #expect(checked == 3 * Self.partnerships.count + 2 * Self.partyArguments.values.map(\.count).reduce(0, +))
    }

    /// Naming a party changes nothing for the actions that are not on behalf of one.
    @Test func thePartyArgumentOnlyMattersOnBehalfOfAParty() {
        for (actorName, actor) in Self.actors {
            for action in [PartnershipAction.view, .work, .transition] {
                for (partnershipName, partnership) in Self.partnerships {
                    let plain = Permissions.allows(actor, action, on: partnership)
                    for partyName in Self.partyArguments[partnershipName]!.dropFirst() {
                        #expect(Permissions.allows(actor, action, on: partnership, party: Self.orgs[partyName]!) == plain,
                                "\(actorName) | \(action.rawValue) | \(partnershipName) | \(partyName)")
                    }
                }
            }
        }
    }

    @Test func theTableNamesRealCombinations() {
        for entry in Self.allowed {
            let parts = entry.components(separatedBy: " | ")
            #expect(parts.count == 4, "\(entry)")
            guard parts.count == 4 else { continue }
            #expect(Self.actors[parts[0]] != nil && PartnershipAction(rawValue: parts[1]) != nil && Self.partnerships[parts[2]] != nil, "\(entry)")
            #expect(Self.partyArguments[parts[2]]?.contains(parts[3]) == true, "\(entry)")
            let onBehalf = parts[1] == "decideForParty" || parts[1] == "evaluateForParty"
            #expect(onBehalf == (parts[3] != "-"), "\(entry)")
        }
        // Every party of every partnership is named, and one organisation that is not in it.
        for (name, partnership) in Self.partnerships {
            let named = Set(Self.partyArguments[name]!.dropFirst().map { Self.orgs[$0]! })
            let parties = Set(partnership.parties.map(\.organisation))
            #expect(parties.isSubset(of: named) && named.subtracting(parties).count == 1, "\(name)")
        }
    }

    @Test func theDecidersAreTheLeadingRoles() {
        #expect(Permissions.partyDeciders == [.schoolLeader, .openSchoolContact, .leader, .coordinator, .administrator])
    }

    // MARK: starting and listing

    /// "actor | organisation": whom a person may start a partnership for (any verified member of it).
    static let mayStart: Set<String> = [
        "school leader | school", "contact | school", "school admin | school", "teacher | school", "PLC | school",
        "museum leader | museum", "museum educator | museum",
        "party coordinator | municipality", "school's coordinator | school's municipality",
        "fourth | fourth",
        "teacher and museum leader | school", "teacher and museum leader | museum",
    ]

    @Test(arguments: actors.keys.sorted())
    func whoMayStartAPartnership(actorName: String) throws {
        let actor = try #require(Self.actors[actorName])
        for organisation in Self.orgs.keys.sorted() {
            let key = "\(actorName) | \(organisation)"
            #expect(Permissions.mayStartPartnership(actor, for: Self.orgs[organisation]!) == Self.mayStart.contains(key), "\(key)")
        }
    }

    /// "actor | municipality code": whose lists of partnerships a person may read (its coordinators, site administrators).
    static let mayList: Set<String> = [
        "party coordinator | 0751", "school's coordinator | 0101",
        "site admin | 0101", "site admin | 0751", "site admin | 0461",
    ]

    @Test(arguments: actors.keys.sorted())
    func whoMayListAMunicipalitysPartnerships(actorName: String) throws {
        let actor = try #require(Self.actors[actorName])
        for code in ["0101", "0751", "0461"] {
            let key = "\(actorName) | \(code)"
            #expect(Permissions.mayListPartnerships(actor, municipality: code) == Self.mayList.contains(key), "\(key)")
        }
    }

    @Test func theStartAndListTablesNameRealPeople() {
        for entry in Self.mayStart {
            let parts = entry.components(separatedBy: " | ")
            #expect(parts.count == 2 && Self.actors[parts[0]] != nil && Self.orgs[parts[1]] != nil, "\(entry)")
        }
        for entry in Self.mayList {
            let parts = entry.components(separatedBy: " | ")
            #expect(parts.count == 2 && Self.actors[parts[0]] != nil, "\(entry)")
        }
    }
}
