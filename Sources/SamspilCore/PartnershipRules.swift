import Foundation

/// The rules a partnership keeps, whoever sends it (the guided creation, the partnership page, the API): its
/// details, its agreement, its activities, the answers to its evaluations, and which step of its life cycle who
/// may take from where. Messages in the forms' style.
public enum PartnershipRules {
    public static let titleMaxLength = 200
    public static let shortTextMaxLength = 2_000
    public static let longTextMaxLength = 20_000
    public static let maxParties = 20

    // MARK: life cycle

    /// Why `actor` may not take `transition` from `state`, or nil when they may. Refused for their role with
    /// `.forbidden` (403), for the state with `.conflict` (409); both say what to do instead.
    public static func refusal(_ actor: Actor, _ transition: PartnershipTransition, from state: PartnershipState,
                               on partnership: PartnershipResource) -> SamspilError? {
        guard Permissions.allows(actor, .transition, on: partnership) else {
            if actor.account == nil { return .forbidden("Log ind for at arbejde i partnerskabet.") }
            let partyIDs = Set(partnership.parties.map(\.organisation))
            if !actor.verified, actor.memberships.contains(where: { partyIDs.contains($0.organisation) }) {
                return .unverified
            }
            if Permissions.allows(actor, .work, on: partnership) {
                return .forbidden("Kun parternes ledere, kontaktpersoner, koordinatorer og administratorer kan \(transition.infinitive). Bed en af dem om det.")
            }
            return .forbidden("Du kan ikke ændre partnerskabets forløb: du er ikke med i en af parterne.")
        }
        if transition == .agree {
            return .conflict("Et partnerskab bliver aftalt af sig selv, når alle parter har accepteret den samme version af aftalen. Accepter aftalen i stedet.")
        }
        guard transition.from.contains(state) else {
            let from = transition.from.sorted { PartnershipState.allCases.firstIndex(of: $0)! < PartnershipState.allCases.firstIndex(of: $1)! }
            return .conflict("Partnerskabet er \(state.predicate). Du kan kun \(transition.infinitive), når det er \(from.map(\.predicate).joined(separator: " eller ")).")
        }
        return nil
    }

    /// The steps a person may take now (for the buttons on the page).
    public static func available(_ actor: Actor, from state: PartnershipState, on partnership: PartnershipResource) -> [PartnershipTransition] {
        PartnershipTransition.allCases.filter { refusal(actor, $0, from: state, on: partnership) == nil }
    }

    /// The agreement may be changed until the partnership is finished.
    public static func agreementRefusal(state: PartnershipState) -> SamspilError? {
        state.isClosed ? .conflict("Partnerskabet er \(state.predicate), så aftalen kan ikke længere ændres eller accepteres.") : nil
    }

    /// A partnership can be published as a case once it is agreed, and stays publishable when finished (not when
    /// abandoned).
    public static func caseRefusal(state: PartnershipState) -> SamspilError? {
        [.idea, .dialogue, .abandoned].contains(state)
            ? .conflict("Partnerskabet er \(state.predicate). Det kan først vises som eksempel, når parterne har aftalt det.") : nil
    }

    // MARK: details

    /// "2026/27": a school year whose second year follows the first.
    public static func isSchoolYear(_ text: String) -> Bool {
        let parts = text.split(separator: "/")
        guard parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }), parts.count == 2, parts[0].count == 4, parts[1].count == 2, let first = Int(parts[0]), let second = Int(parts[1]),
              (2000...2100).contains(first) else { return false }
        return (first + 1) % 100 == second
    }

    public static func problems(_ partnership: Partnership, forms: Set<String>, reference: OrganisationReference) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        func add(_ field: String, _ message: String) { problems.append(FieldProblem(field: field, message: message)) }
        if partnership.title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { add("title", "Giv partnerskabet en titel.") }
        if partnership.title.count > titleMaxLength { add("title", "Gør titlen kortere: den må højst have \(titleMaxLength) tegn.") }
        if partnership.form.isEmpty { add("form", "Vælg, hvilken form partnerskabet har.") } else if !forms.contains(partnership.form) {
            add("form", "Vælg en form fra listen – \(DanishText.quoted(partnership.form)) findes ikke.")
        }
        if partnership.schoolYears.isEmpty { add("schoolYears", "Skriv mindst ét skoleår, fx 2026/27.") }
        for (index, year) in partnership.schoolYears.enumerated() where !isSchoolYear(year) {
            add("schoolYears", "Skriv skoleåret som 2026/27 – \(DanishText.quoted(year)) er ikke et skoleår.")
        }
        if Set(partnership.schoolYears).count != partnership.schoolYears.count { add("schoolYears", "Nævn hvert skoleår kun én gang.") }
        if partnership.schoolYears.count > 10 { add("schoolYears", "Et partnerskab kan højst dække ti skoleår. Forny det i stedet.") }
        for (index, subject) in partnership.subjects.enumerated() where !reference.subjects.contains(subject) {
            add("subjects[\(index)]", "Vælg fag fra listen – \(DanishText.quoted(subject)) findes ikke.")
        }
        for (index, level) in partnership.gradeLevels.enumerated() where !reference.gradeLevels.contains(level) {
            add("gradeLevels[\(index)]", "Vælg klassetrin fra listen – \(DanishText.quoted(level)) findes ikke.")
        }
        if let classes = partnership.classesExpected, !(0...10_000).contains(classes) {
            add("classesExpected", "Skriv et antal klasser mellem 0 og 10.000.")
        }
        if let pupils = partnership.pupilsExpected, !(0...1_000_000).contains(pupils) {
            add("pupilsExpected", "Skriv et antal elever mellem 0 og 1.000.000.")
        }
        problems += textProblems([("title", partnership.title), ("summary", partnership.summary), ("purpose", partnership.purpose),
                                  ("goals", partnership.goals)], short: ["summary"])
        return problems
    }

    // MARK: agreement

    /// `parties`: the organisations of the partnership; contributions and payments must name one of them.
    public static func problems(_ agreement: Agreement, parties: Set<UUID>) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        func add(_ field: String, _ message: String) { problems.append(FieldProblem(field: field, message: message)) }
        for (index, contribution) in agreement.contributions.enumerated() where !parties.contains(contribution.party) {
            add("contributions[\(index)]", "Bidraget hører til en organisation, der ikke er part i partnerskabet.")
        }
        for (index, payment) in agreement.payments.enumerated() {
            if !parties.contains(payment.party) { add("payments[\(index)].party", "Vælg en af partnerskabets parter som betaler.") }
            if payment.amount.ore < 0 { add("payments[\(index)].amount", "Skriv et beløb på 0 kr. eller mere.") }
            if payment.amount.ore > 100_000_000_00 { add("payments[\(index)].amount", "Skriv et beløb på højst 100 mio. kr.") }
            if payment.purpose.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                add("payments[\(index)].purpose", "Skriv, hvad beløbet betaler for.")
            }
        }
        if let date = agreement.evaluationDate, !isDate(date) { add("evaluationDate", "Skriv evalueringsdatoen som en dato, der findes, fx 15-06-2027 (i API'et 2027-06-15).") }
        var texts: [(String, String)] = [("contacts", agreement.contacts), ("meetingRhythm", agreement.meetingRhythm),
                                         ("communication", agreement.communication), ("evaluationMethod", agreement.evaluationMethod),
                                         ("endingAndRenewal", agreement.endingAndRenewal)]
        texts += agreement.contributions.enumerated().map { ("contributions[\($0.offset)]", $0.element.text) }
        texts += agreement.payments.enumerated().map { ("payments[\($0.offset)].purpose", $0.element.purpose) }
        problems += textProblems(texts, short: [])
        return problems
    }

    /// "2027-06-15", a real day.
    public static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }), parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }

    // MARK: activities

    public static func problems(_ activity: Activity, reference: OrganisationReference) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        func add(_ field: String, _ message: String) { problems.append(FieldProblem(field: field, message: message)) }
        if activity.title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { add("title", "Skriv, hvad aktiviteten er, fx Besøg på museet.") }
        if activity.title.count > titleMaxLength { add("title", "Gør titlen kortere: den må højst have \(titleMaxLength) tegn.") }
        if activity.endsAt <= activity.startsAt { add("endTime", "Sluttidspunktet skal ligge efter starttidspunktet.") }
        if activity.endsAt.timeIntervalSince(activity.startsAt) > 14 * 86_400 { add("endTime", "En aktivitet kan højst vare 14 dage. Del den op.") }
        if let pupils = activity.pupils, !(0...10_000).contains(pupils) { add("pupils", "Skriv et antal elever mellem 0 og 10.000.") }
        if let level = activity.gradeLevel, !reference.gradeLevels.contains(level) {
            add("gradeLevel", "Vælg klassetrin fra listen – \(DanishText.quoted(level)) findes ikke.")
        }
        if let subject = activity.subject, !reference.subjects.contains(subject) {
            add("subject", "Vælg fag fra listen – \(DanishText.quoted(subject)) findes ikke.")
        }
        problems += textProblems([("title", activity.title), ("place", activity.place), ("classes", activity.classes), ("teacher", activity.teacher)],
                                 short: ["place", "classes", "teacher"])
        return problems
    }

    // MARK: evaluation

    /// Answers by question id: a scale's step as "1"…"5", or free text. Every scale question must be answered.
    public static func problems(answers: [String: String], to questionnaire: Questionnaire) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        let known = Set(questionnaire.questions.map(\.id))
        for id in answers.keys.sorted() where !known.contains(id) {
            problems.append(FieldProblem(field: id, message: "Er ikke et spørgsmål i evalueringen."))
        }
        for question in questionnaire.questions {
            let answer = answers[question.id] ?? ""
            switch question.kind {
            case .scale:
                let steps = question.steps ?? 5
                guard let value = Int(answer), (1...steps).contains(value) else {
                    problems.append(FieldProblem(field: question.id, message: "Vælg et svar fra 1 til \(steps): \(question.text)"))
                    continue
                }
            case .text:
                problems += textProblems([(question.id, answer)], short: [])
            }
        }
        return problems
    }

    // MARK: texts

    /// Lengths and the characters no text may hold. `short`: fields held to `shortTextMaxLength`; the rest to
    /// `longTextMaxLength` (the title has its own rule above).
    static func textProblems(_ texts: [(String, String)], short: Set<String>) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        for (field, text) in texts {
            if let problem = TextRules.nulProblem(text) { problems.append(FieldProblem(field: field, message: problem)) }
            let max = short.contains(field) ? shortTextMaxLength : longTextMaxLength
            if field != "title", text.count > max {
                problems.append(FieldProblem(field: field, message: "Gør teksten kortere: den må højst have \(DanishText.number(max)) tegn."))
            }
        }
        return problems
    }
}
