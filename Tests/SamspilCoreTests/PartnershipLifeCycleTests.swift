import Foundation
import Testing
@testable import SamspilCore

/// The life-cycle table: every state × every step × every kind of person, against a hand-written list of which
/// step may be taken from which state. The parties' deciders get nil where the step is allowed and `.conflict`
/// (409) where the state does not allow it (`aftal` always: it is never taken by hand); everyone else gets
/// `.forbidden` (403) for every state and step. Every refusal says why, in Danish.
@Suite struct PartnershipLifeCycleTests {
    static let school = UUID(), museum = UUID(), municipality = UUID()
    /// The municipality the school lies in; not a party.
    static let schoolMunicipality = UUID()
    static let fourthOrganisation = UUID()

    /// A school in Copenhagen (0101), a museum in Aarhus (0751) and the municipality of Aarhus.
    static let partnership = PartnershipResource(id: UUID(), parties: [
        .init(organisation: school, kind: .school, municipalityCode: "0101"),
        .init(organisation: museum, kind: .learningEnvironment, municipalityCode: "0751"),
        .init(organisation: municipality, kind: .municipality, municipalityCode: "0751"),
    ])

    static func member(_ role: OrganisationRole, of id: UUID = school, kind: OrganisationKind = .school, code: String = "0101",
                       verified: Bool = true) -> Actor {
        Actor(account: UUID(), verified: verified, memberships: [.init(organisation: id, kind: kind, municipalityCode: code, role: role)])
    }

    static let people: [String: Actor] = [
        "school leader": member(.schoolLeader),
        "open-school contact": member(.openSchoolContact),
        "school administrator": member(.administrator),
        "teacher": member(.teacher),
        "PLC staff": member(.plcStaff),
        "museum leader": member(.leader, of: museum, kind: .learningEnvironment, code: "0751"),
        "museum educator": member(.educator, of: museum, kind: .learningEnvironment, code: "0751"),
        "coordinator of the party municipality": member(.coordinator, of: municipality, kind: .municipality, code: "0751"),
        "coordinator of the school's municipality": member(.coordinator, of: schoolMunicipality, kind: .municipality, code: "0101"),
        "site administrator": Actor(account: UUID(), siteRole: .administrator),
        "editor": Actor(account: UUID(), siteRole: .editor),
        "person of a fourth organisation": member(.administrator, of: fourthOrganisation, kind: .other, code: "0461"),
        "unverified school leader": member(.schoolLeader, verified: false),
        "anonymous": .anonymous,
    ]

    /// Who speaks for a party: they may take the steps, where the state allows.
    static let deciders: Set<String> = ["school leader", "open-school contact", "school administrator", "museum leader",
                                        "coordinator of the party municipality"]

    /// "state | step" (raw values) that may be taken by hand. Written out from the spec, not from `from`/`to`.
    static let allowed: Set<String> = [
        "ide | start-dialog",
        "aftalt | aktiver",
        "aktiv | evaluer",
        "aktiv | afslut", "evalueret | afslut",
        "evalueret | forny", "afsluttet | forny",
        "ide | opgiv", "i-dialog | opgiv", "aftalt | opgiv",
    ]

    enum Outcome: Equatable, CustomStringConvertible {
        case allowed, conflict, forbidden, other(String)
        var description: String {
            switch self {
            case .allowed: "allowed"
            case .conflict: "409"
            case .forbidden: "403"
            case .other(let what): what
            }
        }
    }

    static func outcome(_ refusal: SamspilError?) -> Outcome {
        switch refusal {
        case nil: .allowed
        case .conflict?: .conflict
        case .forbidden?: .forbidden
        case let error?: .other("\(error)")
        }
    }

    @Test(arguments: people.keys.sorted())
    func everyStateEveryStep(person: String) throws {
        let actor = try #require(Self.people[person])
        var checked = 0
        for state in PartnershipState.allCases {
            for transition in PartnershipTransition.allCases {
                let key = "\(state.rawValue) | \(transition.rawValue)"
                let expected: Outcome = Self.deciders.contains(person) ? (Self.allowed.contains(key) ? .allowed : .conflict) : .forbidden
                let refusal = PartnershipRules.refusal(actor, transition, from: state, on: Self.partnership)
                #expect(Self.outcome(refusal) == expected, "\(person) | \(key)")
                if let refusal { DanishMessage.expect(refusal.message, "\(person) | \(key)") }
                checked += 1
            }
        }
        #expect(checked == PartnershipState.allCases.count * PartnershipTransition.allCases.count)
    }

    @Test func theTableNamesRealPeopleStatesAndSteps() {
        #expect(Self.deciders.isSubset(of: Set(Self.people.keys)))
        #expect(Self.people.count == 14)
        #expect(PartnershipState.allCases.count == 8 && PartnershipTransition.allCases.count == 7)
        for entry in Self.allowed {
            let parts = entry.components(separatedBy: " | ")
            #expect(parts.count == 2 && PartnershipState(rawValue: parts[0]) != nil && PartnershipTransition(rawValue: parts[1]) != nil, "\(entry)")
            #expect(parts.last != PartnershipTransition.agree.rawValue, "\(entry): aftal is never taken by hand")
        }
        #expect(Self.allowed.count == 10)
    }

    @Test func agreeIsNeverTakenByHand() {
        for person in Self.deciders {
            for state in PartnershipState.allCases {
                let refusal = PartnershipRules.refusal(Self.people[person]!, .agree, from: state, on: Self.partnership)
                #expect(Self.outcome(refusal) == .conflict, "\(person) | \(state.rawValue)")
            }
        }
    }

    /// The buttons a decider sees, in the order of `PartnershipTransition.allCases`.
    static let available: [PartnershipState: [PartnershipTransition]] = [
        .idea: [.startDialogue, .abandon],
        .dialogue: [.abandon],
        .agreed: [.activate, .abandon],
        .active: [.evaluate, .end],
        .evaluated: [.end, .renew],
        .ended: [.renew],
        .renewed: [],
        .abandoned: [],
    ]

    @Test(arguments: PartnershipState.allCases)
    func aDeciderSeesTheStepsOfTheState(state: PartnershipState) throws {
        let expected = try #require(Self.available[state])
        #expect(PartnershipRules.available(Self.people["school leader"]!, from: state, on: Self.partnership) == expected)
        #expect(PartnershipRules.available(Self.people["museum leader"]!, from: state, on: Self.partnership) == expected)
        for person in Self.people.keys where !Self.deciders.contains(person) {
            #expect(PartnershipRules.available(Self.people[person]!, from: state, on: Self.partnership).isEmpty, "\(person)")
        }
    }

    @Test func theAgreementIsFrozenOnlyOnceFinished() {
        let frozen: Set<PartnershipState> = [.ended, .renewed, .abandoned]
        for state in PartnershipState.allCases {
            let refusal = PartnershipRules.agreementRefusal(state: state)
            #expect(Self.outcome(refusal) == (frozen.contains(state) ? .conflict : .allowed), "\(state.rawValue)")
            #expect(state.isClosed == frozen.contains(state), "\(state.rawValue)")
            if let refusal { DanishMessage.expect(refusal.message, state.rawValue) }
        }
    }
}

/// A message a user reads: not empty, Danish, not English.
private enum DanishMessage {
    static let english: Set<String> = ["not", "allowed", "forbidden", "conflict", "the", "cannot", "permission", "denied", "error",
                                       "you", "only", "may", "must", "state", "invalid", "transition"]
    static let danish: Set<String> = ["og", "ikke", "kan", "kun", "er", "du", "det", "den", "der", "en", "et", "at", "af", "i", "på", "om", "med",
                                      "som", "skal", "efter", "når", "fra", "til", "skriv", "vælg", "partnerskabet"]

    static func expect(_ message: String, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let words = Set(message.lowercased().split { !$0.isLetter }.map(String.init))
        #expect(!message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(context): empty message", sourceLocation: sourceLocation)
        #expect(words.isDisjoint(with: english), "\(context): English in \(message)", sourceLocation: sourceLocation)
        #expect(!words.isDisjoint(with: danish) || message.contains(where: { "æøåÆØÅ".contains($0) }),
                "\(context): not Danish: \(message)", sourceLocation: sourceLocation)
    }
}
