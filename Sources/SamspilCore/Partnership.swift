import Foundation

/// Where a partnership is in its life: from an idea to a finished (or renewed, or abandoned) collaboration.
public enum PartnershipState: String, Codable, Sendable, CaseIterable {
    case idea = "ide"
    case dialogue = "i-dialog"
    case agreed = "aftalt"
    case active = "aktiv"
    case evaluated = "evalueret"
    case ended = "afsluttet"
    /// The period is over and a new one has begun as its own partnership (`renewedFrom` points back).
    case renewed = "fornyet"
    case abandoned = "opgivet"

    public var label: String {
        switch self {
        case .idea: "Idé"
        case .dialogue: "I dialog"
        case .agreed: "Aftalt"
        case .active: "Aktiv"
        case .evaluated: "Evalueret"
        case .ended: "Afsluttet"
        case .renewed: "Fornyet"
        case .abandoned: "Opgivet"
        }
    }

    /// The state after "Partnerskabet er …" (the partnership is neuter: "aktivt").
    public var predicate: String {
        switch self {
        case .idea: "på idéstadiet"
        case .dialogue: "i dialog"
        case .agreed: "aftalt"
        case .active: "aktivt"
        case .evaluated: "evalueret"
        case .ended: "afsluttet"
        case .renewed: "fornyet"
        case .abandoned: "opgivet"
        }
    }

    /// Finished: nothing about it changes any more (its page stays readable).
    public var isClosed: Bool { [.ended, .renewed, .abandoned].contains(self) }
}

/// A step from one state to another. `agree` is never taken by hand: the partnership becomes agreed when every
/// party has accepted the same version of the agreement.
public enum PartnershipTransition: String, Codable, Sendable, CaseIterable {
    case startDialogue = "start-dialog"
    case agree = "aftal"
    case activate = "aktiver"
    case evaluate = "evaluer"
    case end = "afslut"
    case renew = "forny"
    case abandon = "opgiv"

    public var label: String {
        switch self {
        case .startDialogue: "Start dialogen"
        case .agree: "Markér som aftalt"
        case .activate: "Sæt partnerskabet i gang"
        case .evaluate: "Markér som evalueret"
        case .end: "Afslut partnerskabet"
        case .renew: "Forny partnerskabet"
        case .abandon: "Opgiv partnerskabet"
        }
    }

    /// After "kan …": "starte dialogen".
    public var infinitive: String {
        switch self {
        case .startDialogue: "starte dialogen"
        case .agree: "markere partnerskabet som aftalt"
        case .activate: "sætte partnerskabet i gang"
        case .evaluate: "markere partnerskabet som evalueret"
        case .end: "afslutte partnerskabet"
        case .renew: "forny partnerskabet"
        case .abandon: "opgive partnerskabet"
        }
    }

    public var to: PartnershipState {
        switch self {
        case .startDialogue: .dialogue
        case .agree: .agreed
        case .activate: .active
        case .evaluate: .evaluated
        case .end: .ended
        case .renew: .renewed
        case .abandon: .abandoned
        }
    }

    /// The states it may be taken from.
    public var from: Set<PartnershipState> {
        switch self {
        case .startDialogue: [.idea]
        case .agree: [.idea, .dialogue]
        case .activate: [.agreed]
        case .evaluate: [.active]
        case .end: [.active, .evaluated]
        case .renew: [.evaluated, .ended]
        case .abandon: [.idea, .dialogue, .agreed]
        }
    }
}

/// What a partnership published as a case may show besides its title, form and school years; the parties
/// choose, and every party consents to the choice.
public enum CaseField: String, Codable, Sendable, CaseIterable {
    case summary = "beskrivelse"
    case purpose = "formaal"
    case goals = "maal"
    case subjectsAndGrades = "fag"
    case parties = "parter"
    case activities = "aktiviteter"
    case evaluation = "evaluering"

    public var label: String {
        switch self {
        case .summary: "Den korte beskrivelse"
        case .purpose: "Formålet"
        case .goals: "Målene"
        case .subjectsAndGrades: "Fag, klassetrin og antal elever"
        case .parties: "Parterne og deres roller"
        case .activities: "De gennemførte aktiviteter (titel, dato og sted)"
        case .evaluation: "Evalueringens gennemsnit på skalaspørgsmålene"
        }
    }

    /// "beskrivelse,parter" → the fields; unknown names are dropped.
    public static func list(_ text: String) -> [CaseField] {
        text.split(separator: ",").compactMap { CaseField(rawValue: String($0)) }
    }
}

/// A form of partnership from the typology that administrators keep as data (`partnership_forms`).
public struct PartnershipForm: Codable, Sendable, Equatable {
    public var slug: String
    public var name: String
    public var description: String

    public init(slug: String, name: String, description: String) {
        self.slug = slug
        self.name = name
        self.description = description
    }

    /// The forms a new installation starts with, in our own words.
    public static let defaults: [PartnershipForm] = [
        PartnershipForm(slug: "abonnementsordning", name: "Abonnementsordning",
                        description: "Skolerne i en kommune får adgang til et fast udbud af forløb hos et eller flere læringsmiljøer, som kommunen betaler for samlet."),
        PartnershipForm(slug: "specialudviklet-forloeb", name: "Specialudviklet forløb",
                        description: "En skole og et læringsmiljø udvikler sammen et forløb, der passer til netop deres elever, fag og mål."),
        PartnershipForm(slug: "fleraarigt-partnerskab", name: "Flerårigt partnerskab",
                        description: "Et samarbejde over flere skoleår, hvor eleverne møder læringsmiljøet igen på flere klassetrin."),
        PartnershipForm(slug: "enkeltstaaende-projekt", name: "Enkeltstående projekt",
                        description: "Et afgrænset projekt med en klar start og slutning, fx en temauge eller et forløb om ét emne."),
        PartnershipForm(slug: "strategisk-kommunalt-partnerskab", name: "Strategisk kommunalt partnerskab",
                        description: "Kommunen indgår en aftale med et læringsmiljø om åben skole for alle kommunens skoler, ofte med fælles mål og evaluering."),
    ]
}

/// What the parties want together: the partnership's details (its agreement and activities are kept apart).
public struct Partnership: Codable, Sendable, Equatable {
    public var title: String
    public var summary: String
    /// The slug of its `PartnershipForm`.
    public var form: String
    /// School years as "2026/27".
    public var schoolYears: [String]
    public var purpose: String
    public var goals: String
    public var subjects: [String]
    public var gradeLevels: [String]
    public var classesExpected: Int?
    public var pupilsExpected: Int?

    public init(title: String = "", summary: String = "", form: String = "", schoolYears: [String] = [], purpose: String = "", goals: String = "",
                subjects: [String] = [], gradeLevels: [String] = [], classesExpected: Int? = nil, pupilsExpected: Int? = nil) {
        self.title = title
        self.summary = summary
        self.form = form
        self.schoolYears = schoolYears
        self.purpose = purpose
        self.goals = goals
        self.subjects = subjects
        self.gradeLevels = gradeLevels
        self.classesExpected = classesExpected
        self.pupilsExpected = pupilsExpected
    }
}

/// An amount of money in øre, kept as a whole number so nothing is lost to floating point.
public struct Money: Codable, Sendable, Equatable, Comparable, Hashable {
    public var ore: Int64

    public init(ore: Int64) { self.ore = ore }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.ore < rhs.ore }

    /// Reads "12.500", "12.500,50", "12500,5", "12 500 kr." or "12500.50" (a dot with exactly two digits after
    /// it, and nothing else, reads as decimals, as people type them from English keyboards). nil for anything else.
    public static func parse(_ text: String) -> Money? {
        var text = text.trimmingCharacters(in: .whitespaces).lowercased()
        for suffix in [",-", "kr.", "kr", "dkk"] where text.hasSuffix(suffix) { text = String(text.dropLast(suffix.count)) }
        for prefix in ["kr.", "kr", "dkk"] where text.hasPrefix(prefix) { text = String(text.dropFirst(prefix.count)) }
        if text.hasSuffix(",-") { text = String(text.dropLast(2)) }
        text = text.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\u{00A0}", with: "").replacingOccurrences(of: "\u{202F}", with: "")
        guard !text.isEmpty, text.count <= 20 else { return nil }
        var negative = false
        if text.hasPrefix("-") { negative = true; text.removeFirst() }
        var whole = text, fraction = ""
        if let comma = text.lastIndex(of: ",") {
            whole = String(text[..<comma])
            fraction = String(text[text.index(after: comma)...])
            guard !whole.contains(",") else { return nil }
        } else if let dot = text.lastIndex(of: "."), text.filter({ $0 == "." }).count == 1, text.distance(from: dot, to: text.endIndex) == 3 {
            whole = String(text[..<dot])
            fraction = String(text[text.index(after: dot)...])
        }
        // Thousands dots only in their places: 12.500.000.
        let groups = whole.split(separator: ".", omittingEmptySubsequences: false)
        if groups.count > 1 {
            guard let first = groups.first, (1...3).contains(first.count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
        }
        let digits = groups.joined()
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), fraction.count <= 2,
              fraction.allSatisfy({ $0.isASCII && $0.isNumber }), let kroner = Int64(digits), kroner < 1_000_000_000_000 else { return nil }
        let ore = kroner * 100 + (fraction.isEmpty ? 0 : Int64(fraction.count == 1 ? fraction + "0" : fraction)!)
        return Money(ore: negative ? -ore : ore)
    }

    /// "12.500,50 kr." — or "12.500 kr." for whole kroner.
    public var danish: String {
        let kroner = DanishText.number(Int(ore / 100))
        let rest = abs(ore % 100)
        let sign = ore < 0 && ore / 100 == 0 ? "-" : ""
        return sign + kroner + (rest == 0 ? "" : "," + (rest < 10 ? "0" : "") + String(rest)) + " kr."
    }

    /// "12500.50": the plain form for CSV and the API.
    public var plain: String {
        let rest = abs(ore % 100)
        return (ore < 0 ? "-" : "") + String(abs(ore / 100)) + "." + (rest < 10 ? "0" : "") + String(rest)
    }
}

/// The partnership's agreement (samarbejdsaftale): the text the parties accept, one version at a time.
public struct Agreement: Codable, Sendable, Equatable {
    /// What one party brings and is responsible for.
    public struct Contribution: Codable, Sendable, Equatable {
        public var party: UUID
        public var text: String
        public init(party: UUID, text: String) {
            self.party = party
            self.text = text
        }
    }

    /// What one party pays, and for what.
    public struct Payment: Codable, Sendable, Equatable {
        public var party: UUID
        public var amount: Money
        public var purpose: String
        public init(party: UUID, amount: Money, purpose: String) {
            self.party = party
            self.amount = amount
            self.purpose = purpose
        }
    }

    public var contributions: [Contribution]
    public var payments: [Payment]
    public var contacts: String
    public var meetingRhythm: String
    public var communication: String
    /// "2027-06-15"
    public var evaluationDate: String?
    public var evaluationMethod: String
    public var endingAndRenewal: String

    public init(contributions: [Contribution] = [], payments: [Payment] = [], contacts: String = "", meetingRhythm: String = "",
                communication: String = "", evaluationDate: String? = nil, evaluationMethod: String = "", endingAndRenewal: String = "") {
        self.contributions = contributions
        self.payments = payments
        self.contacts = contacts
        self.meetingRhythm = meetingRhythm
        self.communication = communication
        self.evaluationDate = evaluationDate
        self.evaluationMethod = evaluationMethod
        self.endingAndRenewal = endingAndRenewal
    }

    public func contribution(of party: UUID) -> String { contributions.first { $0.party == party }?.text ?? "" }
    public func total() -> Money { Money(ore: payments.reduce(0) { $0 + $1.amount.ore }) }
}

public enum ActivityStatus: String, Codable, Sendable, CaseIterable {
    case planned = "planlagt"
    case held = "gennemfoert"
    case cancelled = "aflyst"

    public var label: String {
        switch self {
        case .planned: "Planlagt"
        case .held: "Gennemført"
        case .cancelled: "Aflyst"
        }
    }
}

/// One dated activity of a partnership: a visit, a lesson, a workshop.
public struct Activity: Codable, Sendable, Equatable {
    public var title: String
    public var startsAt: Date
    public var endsAt: Date
    public var place: String
    /// The classes, as the school names them: "5.a, 5.b".
    public var classes: String
    public var gradeLevel: String?
    public var pupils: Int?
    public var subject: String?
    /// Who teaches.
    public var teacher: String
    public var status: ActivityStatus

    public init(title: String, startsAt: Date, endsAt: Date, place: String = "", classes: String = "", gradeLevel: String? = nil,
                pupils: Int? = nil, subject: String? = nil, teacher: String = "", status: ActivityStatus = .planned) {
        self.title = title
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.place = place
        self.classes = classes
        self.gradeLevel = gradeLevel
        self.pupils = pupils
        self.subject = subject
        self.teacher = teacher
        self.status = status
    }
}

/// A short questionnaire defined as data, so other tools can use the same kind of questions.
public struct Questionnaire: Codable, Sendable, Equatable {
    public struct Question: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable { case scale, text }
        public var id: String
        public var kind: Kind
        public var text: String
        /// For a scale: its steps (1…steps) and the labels of its ends.
        public var steps: Int?
        public var lowLabel: String?
        public var highLabel: String?

        public init(id: String, kind: Kind, text: String, steps: Int? = nil, lowLabel: String? = nil, highLabel: String? = nil) {
            self.id = id
            self.kind = kind
            self.text = text
            self.steps = steps
            self.lowLabel = lowLabel
            self.highLabel = highLabel
        }
    }

    public var questions: [Question]

    public init(questions: [Question]) { self.questions = questions }

    /// The questionnaire of a tool: its scales and reflection questions, in order (other kinds are not asked).
    public init(_ tool: ToolDefinition) {
        questions = tool.items.compactMap { _, item in
            switch item.itemKind {
            case .scale?: Question(id: item.id, kind: .scale, text: item.text, steps: item.steps, lowLabel: item.lowLabel, highLabel: item.highLabel)
            case .reflection?: Question(id: item.id, kind: .text, text: item.text)
            default: nil
            }
        }
    }

    /// After an activity: the tool `ToolDefinition.activityEvaluation`.
    public static let activity = Questionnaire(.activityEvaluation)

    /// At the end of a period: the tool `ToolDefinition.periodEvaluation`.
    public static let period = Questionnaire(.periodEvaluation)
}
