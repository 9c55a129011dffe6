import Foundation
import Testing
@testable import SamspilCore

/// The rules a partnership keeps: amounts of money as Danes type them, school years and dates, and the problems
/// of its details, agreement, activities and evaluation answers, each named by field and told in Danish.
@Suite struct PartnershipRulesTests {
    // MARK: money

    @Test(arguments: [
        ("12.500", 1_250_000), ("12.500,50", 1_250_050), ("12500,5", 1_250_050), ("12 500 kr.", 1_250_000),
        ("12500.50", 1_250_050), ("0", 0), ("1.000.000", 100_000_000),
        ("1.000.000,00", 100_000_000), ("12,50 kr", 1_250), ("0,05", 5), ("  7 Kr. ", 700), ("12\u{00A0}500 DKK", 1_250_000),
        ("1.50", 150), ("-0,50", -50), ("-12.500", -1_250_000),
    ] as [(String, Int64)])
    func moneyReadsAsDanesTypeIt(text: String, ore: Int64) {
        #expect(Money.parse(text) == Money(ore: ore), "\(text)")
    }

    /// "1,234": in Danish a decimal comma with three decimals (no such amount of øre); from an English keyboard
    /// 1234 kr. Neither reading is safe, so it is refused rather than guessed.
    @Test(arguments: ["", " ", "kr.", "12,5,0", "1.2345", "abc", "12.50.0", "1,234", "1.000,505", "12.5", "12.500.50", "12500.",
                      "1e3", "+5", "12 5OO", "1234567890123", "١٢"])
    func moneyRefusesWhatItCannotReadSafely(text: String) {
        #expect(Money.parse(text) == nil, "\(text)")
    }

    @Test(arguments: [
        (0, "0 kr.", "0.00"), (5, "0,05 kr.", "0.05"), (50, "0,50 kr.", "0.50"), (100, "1 kr.", "1.00"),
        (1_250_000, "12.500 kr.", "12500.00"), (1_250_050, "12.500,50 kr.", "12500.50"), (100_000_000, "1.000.000 kr.", "1000000.00"),
        (-50, "-0,50 kr.", "-0.50"), (-1_250_005, "-12.500,05 kr.", "-12500.05"),
    ] as [(Int64, String, String)])
    func moneyIsWrittenInDanishAndPlain(ore: Int64, danish: String, plain: String) {
        let money = Money(ore: ore)
        #expect(money.danish == danish)
        #expect(money.plain == plain)
        // Both forms read back as the same amount.
        #expect(Money.parse(money.danish) == money)
        #expect(Money.parse(money.plain) == money)
    }

    // MARK: school years and dates

    @Test(arguments: [("2026/27", true), ("2099/00", true), ("2000/01", true), ("2100/01", true),
                      ("2026/28", false), ("26/27", false), ("2026-27", false), ("2026/2027", false), ("2026/26", false),
                      ("1999/00", false), ("", false), ("2026/27/28", false), (" 2026/27", false), ("2026/", false)] as [(String, Bool)])
    func schoolYears(text: String, valid: Bool) {
        #expect(PartnershipRules.isSchoolYear(text) == valid, "\(text)")
    }

    @Test(arguments: [("2027-06-15", true), ("2028-02-29", true), ("2000-02-29", true), ("2027-12-31", true), ("2027-01-31", true),
                      ("2027-02-28", true), ("2027-02-29", false), ("2100-02-29", false), ("1900-02-29", false), ("2027-04-31", false),
                      ("2027-13-01", false), ("2027-00-10", false), ("2027-06-00", false), ("2027-06-32", false), ("2027-6-15", false),
                      ("15-06-2027", false), ("2027/06/15", false), ("", false), ("2027-06-15T10:00", false), ("2027--06-15", false)] as [(String, Bool)])
    func datesAreRealDays(text: String, valid: Bool) {
        #expect(PartnershipRules.isDate(text) == valid, "\(text)")
    }

    // MARK: details

    static let reference = OrganisationReference(municipalityCodes: ["0101", "0751"], environmentKinds: ["kulturhistoriske-museer"],
                                                 subjects: ["historie", "dansk"], gradeLevels: ["4", "5", "6"])
    static let forms = Set(PartnershipForm.defaults.map(\.slug))

    static func partnership() -> Partnership {
        Partnership(title: "Vikingetid i 5. klasse", summary: "Eleverne møder vikingerne på museet.", form: "specialudviklet-forloeb",
                    schoolYears: ["2026/27", "2027/28"], purpose: "At gøre historie levende.", goals: "Eleverne kan fortælle om vikingetiden.",
                    subjects: ["historie"], gradeLevels: ["5"], classesExpected: 3, pupilsExpected: 70)
    }

    static func problems(_ partnership: Partnership) -> [FieldProblem] {
        PartnershipRules.problems(partnership, forms: forms, reference: reference)
    }

    @Test func aCompletePartnershipKeepsTheRules() {
        #expect(Self.problems(Self.partnership()).isEmpty)
        var longest = Self.partnership()
        longest.title = String(repeating: "a", count: PartnershipRules.titleMaxLength)
        longest.summary = String(repeating: "b", count: PartnershipRules.shortTextMaxLength)
        longest.purpose = String(repeating: "c", count: PartnershipRules.longTextMaxLength)
        longest.classesExpected = 0
        longest.pupilsExpected = 0
        #expect(Self.problems(longest).isEmpty)
    }

    @Test(arguments: [
        "empty title", "blank title", "long title", "no form", "unknown form", "no school year", "bad first school year",
        "bad second school year", "school year twice", "unknown subject", "unknown grade", "negative classes", "too many pupils",
        "long summary", "long goals", "nul in purpose",
    ])
    func everyBrokenDetailIsNamed(broken: String) throws {
        var partnership = Self.partnership()
        let field: String
        switch broken {
        case "empty title": partnership.title = ""; field = "title"
        case "blank title": partnership.title = " \n "; field = "title"
        case "long title": partnership.title = String(repeating: "a", count: 201); field = "title"
        case "no form": partnership.form = ""; field = "form"
        case "unknown form": partnership.form = "sommerlejr"; field = "form"
        case "no school year": partnership.schoolYears = []; field = "schoolYears"
        case "bad first school year": partnership.schoolYears = ["2026-27"]; field = "schoolYears"
        case "bad second school year": partnership.schoolYears = ["2026/27", "2027/29"]; field = "schoolYears"  // one field in the form, so the message shows beside it
        case "school year twice": partnership.schoolYears = ["2026/27", "2026/27"]; field = "schoolYears"
        case "unknown subject": partnership.subjects = ["historie", "astrologi"]; field = "subjects[1]"
        case "unknown grade": partnership.gradeLevels = ["11"]; field = "gradeLevels[0]"
        case "negative classes": partnership.classesExpected = -1; field = "classesExpected"
        case "too many pupils": partnership.pupilsExpected = 1_000_001; field = "pupilsExpected"
        case "long summary": partnership.summary = String(repeating: "b", count: PartnershipRules.shortTextMaxLength + 1); field = "summary"
        case "long goals": partnership.goals = String(repeating: "g", count: PartnershipRules.longTextMaxLength + 1); field = "goals"
        case "nul in purpose": partnership.purpose = "At lære\u{0}"; field = "purpose"
        default: Issue.record("unknown case \(broken)"); return
        }
        let problems = Self.problems(partnership)
        #expect(problems.map(\.field) == [field], "\(broken)")
        for problem in problems { DanishMessage.expect(problem.message, "\(broken)") }
    }

    @Test func everyBrokenDetailAtOnce() {
        var partnership = Partnership()
        partnership.schoolYears = ["2026/27", "26/27"]
        partnership.subjects = ["astrologi"]
        #expect(Set(Self.problems(partnership).map(\.field)) == ["title", "form", "schoolYears", "subjects[0]"])
    }

    // MARK: agreement

    static let school = UUID(), museum = UUID(), stranger = UUID()

    static func agreement() -> Agreement {
        Agreement(contributions: [.init(party: school, text: "Skolen sender tre klasser."), .init(party: museum, text: "Museet underviser.")],
                  payments: [.init(party: school, amount: Money(ore: 1_250_000), purpose: "Forløbet"),
                             .init(party: museum, amount: Money(ore: 0), purpose: "Materialer")],
                  contacts: "Anne og Bo", meetingRhythm: "Hver måned", communication: "Mail", evaluationDate: "2027-06-15",
                  evaluationMethod: "Spørgeskema", endingAndRenewal: "Aftalen slutter med skoleåret.")
    }

    static func agreementFields(_ agreement: Agreement) -> [String] {
        let problems = PartnershipRules.problems(agreement, parties: [school, museum])
        for problem in problems { DanishMessage.expect(problem.message, problem.field) }
        return problems.map(\.field)
    }

    @Test func aCompleteAgreementKeepsTheRules() {
        #expect(Self.agreementFields(Self.agreement()).isEmpty)
        var agreement = Self.agreement()
        agreement.evaluationDate = nil
        agreement.payments[0].amount = Money(ore: 100_000_000_00)
        #expect(Self.agreementFields(agreement).isEmpty)
        #expect(Self.agreement().total() == Money(ore: 1_250_000))
    }

    @Test func aPaymentBySomeoneNotAParty() {
        var agreement = Self.agreement()
        agreement.payments[1].party = Self.stranger
        #expect(Self.agreementFields(agreement) == ["payments[1].party"])
    }

    @Test func aNegativeOrHugeAmount() {
        var agreement = Self.agreement()
        agreement.payments[0].amount = Money(ore: -1)
        #expect(Self.agreementFields(agreement) == ["payments[0].amount"])
        agreement.payments[0].amount = Money(ore: 100_000_000_01)
        #expect(Self.agreementFields(agreement) == ["payments[0].amount"])
    }

    @Test func aPaymentForNothing() {
        var agreement = Self.agreement()
        agreement.payments[0].purpose = "  "
        #expect(Self.agreementFields(agreement) == ["payments[0].purpose"])
    }

    @Test(arguments: ["2027-02-30", "15-06-2027", "", "i juni"])
    func aBadEvaluationDate(date: String) {
        var agreement = Self.agreement()
        agreement.evaluationDate = date
        #expect(Self.agreementFields(agreement) == ["evaluationDate"])
    }

    @Test func aContributionOfSomeoneNotAParty() {
        var agreement = Self.agreement()
        agreement.contributions.append(.init(party: Self.stranger, text: "Vi kommer også."))
        #expect(Self.agreementFields(agreement) == ["contributions[2]"])
    }

    @Test func everyBrokenAgreementFieldAtOnce() {
        var agreement = Self.agreement()
        agreement.payments.append(.init(party: Self.stranger, amount: Money(ore: -500), purpose: ""))
        agreement.evaluationDate = "2027-13-01"
        agreement.meetingRhythm = String(repeating: "m", count: PartnershipRules.longTextMaxLength + 1)
        agreement.contributions[0].text = "nul\u{0}"
        #expect(Set(Self.agreementFields(agreement))
                == ["payments[2].party", "payments[2].amount", "payments[2].purpose", "evaluationDate", "meetingRhythm", "contributions[0]"])
    }

    // MARK: activities

    static let nine = Date(timeIntervalSince1970: 1_790_000_000)

    static func activity(minutes: Double = 90) -> Activity {
        Activity(title: "Besøg på museet", startsAt: nine, endsAt: nine.addingTimeInterval(minutes * 60), place: "Museet", classes: "5.a, 5.b",
                 gradeLevel: "5", pupils: 48, subject: "historie", teacher: "Anne")
    }

    static func activityProblems(_ activity: Activity) -> [FieldProblem] {
        let problems = PartnershipRules.problems(activity, reference: reference)
        for problem in problems { DanishMessage.expect(problem.message, problem.field) }
        return problems
    }

    @Test func aCompleteActivityKeepsTheRules() {
        #expect(Self.activityProblems(Self.activity()).isEmpty)
        #expect(Self.activityProblems(Self.activity(minutes: 14 * 24 * 60)).isEmpty)
    }

    @Test(arguments: [-60, 0, 14 * 24 * 60 + 1] as [Double])
    func anActivityMustEndAfterItStartsAndWithinTwoWeeks(minutes: Double) {
        #expect(Self.activityProblems(Self.activity(minutes: minutes)).map(\.field) == ["endTime"])
    }

    @Test func endBeforeStartSaysSo() throws {
        let problem = try #require(Self.activityProblems(Self.activity(minutes: -60)).first)
        #expect(problem.message.contains("Sluttidspunktet"))
    }

    @Test func everyBrokenActivityFieldAtOnce() {
        var activity = Self.activity()
        activity.title = ""
        activity.pupils = -3
        activity.gradeLevel = "11"
        activity.subject = "astrologi"
        activity.teacher = String(repeating: "t", count: PartnershipRules.shortTextMaxLength + 1)
        #expect(Set(Self.activityProblems(activity).map(\.field)) == ["title", "pupils", "gradeLevel", "subject", "teacher"])
    }

    // MARK: evaluation answers

    static func answerProblems(_ answers: [String: String], _ questionnaire: Questionnaire = .activity) -> [FieldProblem] {
        let problems = PartnershipRules.problems(answers: answers, to: questionnaire)
        for problem in problems { DanishMessage.expect(problem.message, problem.field) }
        return problems
    }

    @Test func completeAnswersKeepTheRules() {
        #expect(Self.answerProblems(["maal": "4", "elever": "5", "godt": "Rollespillet", "anderledes": "Mere tid"]).isEmpty)
        // The text questions may be left empty; the ends of the scale are answers.
        #expect(Self.answerProblems(["maal": "1", "elever": "5"]).isEmpty)
        #expect(Self.answerProblems(["maal": "3", "samarbejde": "3", "udbytte": "2"], .period).isEmpty)
    }

    @Test func aMissingScaleAnswer() throws {
        let problems = Self.answerProblems(["maal": "4", "godt": "Rollespillet"])
        #expect(problems.map(\.field) == ["elever"])
        let problem = try #require(problems.first)
        #expect(problem.message.contains("1 til 5") && problem.message.contains("Hvor engagerede var eleverne?"))
    }

    @Test(arguments: ["0", "6", "-1", "tre", "3,5", ""])
    func aScaleAnswerOutOfRange(answer: String) {
        #expect(Self.answerProblems(["maal": answer, "elever": "3"]).map(\.field) == ["maal"], "\(answer)")
    }

    @Test func anAnswerToAnUnknownQuestion() {
        #expect(Self.answerProblems(["maal": "4", "elever": "3", "hemmeligt": "x"]).map(\.field) == ["hemmeligt"])
        // The period's questions are not the activity's.
        #expect(Self.answerProblems(["maal": "4", "elever": "3", "udbytte": "2"]).map(\.field) == ["udbytte"])
    }

    @Test func aTooLongTextAnswer() {
        let long = String(repeating: "x", count: PartnershipRules.longTextMaxLength + 1)
        #expect(Self.answerProblems(["maal": "4", "elever": "3", "godt": long]).map(\.field) == ["godt"])
    }

    @Test func theQuestionnairesAreWellFormed() {
        for questionnaire in [Questionnaire.activity, .period] {
            let ids = questionnaire.questions.map(\.id)
            #expect(Set(ids).count == ids.count)
            for question in questionnaire.questions where question.kind == .scale {
                #expect(question.steps == 5 && question.lowLabel != nil && question.highLabel != nil, "\(question.id)")
            }
        }
        #expect(Set(PartnershipForm.defaults.map(\.slug)).count == PartnershipForm.defaults.count)
    }
}

/// A message a user reads: not empty, Danish, not English.
private enum DanishMessage {
    static let english: Set<String> = ["not", "allowed", "forbidden", "invalid", "the", "cannot", "must", "error", "required", "missing",
                                       "you", "please", "field", "value", "too", "long"]
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
