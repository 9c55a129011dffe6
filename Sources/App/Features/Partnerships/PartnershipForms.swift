import Foundation
import SamspilCore
import Vapor

/// The partnership's details as a form posts them (the guided creation carries them from step to step).
struct DetailsForm: Content {
    var title: String?
    var summary: String?
    var form: String?
    var schoolYears: String?
    var purpose: String?
    var goals: String?
    var subjects: [String]?
    var gradeLevels: [String]?
    var classesExpected: String?
    var pupilsExpected: String?
    var revision: Int?
    var _csrf: String?

    init() {}

    init(_ partnership: Partnership) {
        title = partnership.title
        summary = partnership.summary
        form = partnership.form
        schoolYears = partnership.schoolYears.joined(separator: ", ")
        purpose = partnership.purpose
        goals = partnership.goals
        subjects = partnership.subjects
        gradeLevels = partnership.gradeLevels
        classesExpected = partnership.classesExpected.map(String.init)
        pupilsExpected = partnership.pupilsExpected.map(String.init)
    }

    /// The partnership, and the problems of fields that are not what they must be before the rules are asked
    /// (a count that is not a number).
    func partnership() -> (Partnership, [FieldProblem]) {
        var problems: [FieldProblem] = []
        func count(_ text: String?, field: String) -> Int? {
            let text = (text ?? "").trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ".", with: "")
            guard !text.isEmpty else { return nil }
            guard let value = Int(text) else {
                problems.append(FieldProblem(field: field, message: "Skriv et helt tal, fx 4."))
                return nil
            }
            return value
        }
        let years = (schoolYears ?? "").split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" }).map(String.init)
        let partnership = Partnership(title: title ?? "", summary: summary ?? "", form: form ?? "", schoolYears: years, purpose: purpose ?? "",
                                      goals: goals ?? "", subjects: subjects ?? [], gradeLevels: gradeLevels ?? [],
                                      classesExpected: count(classesExpected, field: "classesExpected"),
                                      pupilsExpected: count(pupilsExpected, field: "pupilsExpected"))
        return (partnership, problems)
    }

    static func model(_ partnership: Partnership, req: Request, csrf: String, errors: [FieldProblem], action: String, revision: Int?) async throws -> DetailsView.Model {
        var form = DetailsForm(partnership)
        form.revision = revision
        return DetailsView.Model(form: form, forms: try await PartnershipQueries.forms(on: req.db), labels: try await PartnershipView.Labels.load(on: req.db),
                                 errors: errors, action: action, csrf: csrf)
    }
}

/// The agreement as its form posts it: one field per party for its contribution, rows of payments
/// (`paymentParty-N`, `paymentAmount-N`, `paymentPurpose-N`; two empty rows more than there are payments, so
/// more can be added without script), and the shared texts.
struct AgreementForm: Sendable {
    struct PaymentRow: Sendable, Equatable {
        var party: String
        var amount: String
        var purpose: String
    }

    var contributions: [UUID: String]
    var payments: [PaymentRow]
    var contacts: String
    var meetingRhythm: String
    var communication: String
    var evaluationDate: String
    var evaluationMethod: String
    var endingAndRenewal: String
    /// What could not be read (an amount that is not one, a date that is not one).
    var problems: [FieldProblem] = []

    static let extraRows = 2

    init(_ agreement: Agreement, parties: [StoredPartnership.Party]) {
        contributions = Dictionary(uniqueKeysWithValues: parties.map { ($0.organisationID, agreement.contribution(of: $0.organisationID)) })
        payments = agreement.payments.map { PaymentRow(party: $0.party.uuidString, amount: $0.amount.danish.replacingOccurrences(of: " kr.", with: ""), purpose: $0.purpose) }
        contacts = agreement.contacts
        meetingRhythm = agreement.meetingRhythm
        communication = agreement.communication
        evaluationDate = agreement.evaluationDate.map(Self.danishDate) ?? ""
        evaluationMethod = agreement.evaluationMethod
        endingAndRenewal = agreement.endingAndRenewal
    }

    init(fields: [String: String], parties: [StoredPartnership.Party]) {
        contributions = Dictionary(uniqueKeysWithValues: parties.map { ($0.organisationID, fields["contribution-\($0.organisationID.uuidString)"] ?? "") })
        var rows: [PaymentRow] = []
        var index = 0
        while index < 200, fields["paymentParty-\(index)"] != nil || fields["paymentAmount-\(index)"] != nil {
            rows.append(PaymentRow(party: fields["paymentParty-\(index)"] ?? "", amount: fields["paymentAmount-\(index)"] ?? "",
                                   purpose: fields["paymentPurpose-\(index)"] ?? ""))
            index += 1
        }
        payments = rows.filter { !($0.amount.trimmingCharacters(in: .whitespaces).isEmpty && $0.purpose.trimmingCharacters(in: .whitespaces).isEmpty) }
        contacts = fields["contacts"] ?? ""
        meetingRhythm = fields["meetingRhythm"] ?? ""
        communication = fields["communication"] ?? ""
        evaluationDate = fields["evaluationDate"] ?? ""
        evaluationMethod = fields["evaluationMethod"] ?? ""
        endingAndRenewal = fields["endingAndRenewal"] ?? ""
        for (index, row) in payments.enumerated() {
            if Money.parse(row.amount) == nil {
                problems.append(FieldProblem(field: "payments[\(index)].amount", message: "Skriv beløbet i kroner, fx 12.500 eller 12.500,50."))
            }
            if UUID(uuidString: row.party) == nil {
                problems.append(FieldProblem(field: "payments[\(index)].party", message: "Vælg den part, der betaler."))
            }
        }
        if !evaluationDate.isEmpty, Self.isoDate(evaluationDate) == nil {
            problems.append(FieldProblem(field: "evaluationDate", message: "Skriv evalueringsdatoen som dag-måned-år, fx 15-06-2027."))
        }
    }

    var agreement: Agreement {
        Agreement(
            contributions: contributions.sorted { $0.key.uuidString < $1.key.uuidString }
                .filter { !$0.value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }.map { .init(party: $0.key, text: $0.value) },
            payments: payments.compactMap { row in
                guard let party = UUID(uuidString: row.party), let amount = Money.parse(row.amount) else { return nil }
                return .init(party: party, amount: amount, purpose: row.purpose)
            },
            contacts: contacts, meetingRhythm: meetingRhythm, communication: communication,
            evaluationDate: evaluationDate.isEmpty ? nil : Self.isoDate(evaluationDate), evaluationMethod: evaluationMethod,
            endingAndRenewal: endingAndRenewal)
    }

    /// The problems under the names of this form's fields: the rules say "payments[1].amount" and
    /// "contributions[0]" (the agreement's lists), the form has "paymentAmount-1" and "contribution-<party>".
    static func formProblems(_ problems: [FieldProblem], agreement: Agreement) -> [FieldProblem] {
        problems.map { problem in
            let field = problem.field
            if field.hasPrefix("payments["), let close = field.firstIndex(of: "]"), let index = Int(field[field.index(field.startIndex, offsetBy: 9)..<close]) {
                let part = field[field.index(after: close)...]
                let name = part == ".party" ? "paymentParty" : part == ".purpose" ? "paymentPurpose" : "paymentAmount"
                return FieldProblem(field: "\(name)-\(index)", message: problem.message)
            }
            if field.hasPrefix("contributions["), let close = field.firstIndex(of: "]"),
               let index = Int(field[field.index(field.startIndex, offsetBy: 14)..<close]), agreement.contributions.indices.contains(index) {
                return FieldProblem(field: "contribution-\(agreement.contributions[index].party.uuidString)", message: problem.message)
            }
            return problem
        }
    }

    /// "15-06-2027", "15.6.2027" or "2027-06-15" → "2027-06-15".
    static func isoDate(_ text: String) -> String? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if PartnershipRules.isDate(text) { return text }
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == "." || $0 == "/" }).map(String.init)
        guard parts.count == 3, let day = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2]), parts[2].count == 4 else { return nil }
        let iso = String(format: "%04d-%02d-%02d", year, month, day)
        return PartnershipRules.isDate(iso) ? iso : nil
    }

    /// "2027-06-15" → "15-06-2027".
    static func danishDate(_ iso: String) -> String {
        let parts = iso.split(separator: "-")
        return parts.count == 3 ? "\(parts[2])-\(parts[1])-\(parts[0])" : iso
    }
}

/// An activity as its form posts it: date and times in Danish time.
struct ActivityForm: Content {
    var title: String?
    var date: String?
    var startTime: String?
    var endTime: String?
    var place: String?
    var classes: String?
    var gradeLevel: String?
    var pupils: String?
    var subject: String?
    var teacher: String?
    var status: String?
    var revision: Int?
    var _csrf: String?

    init() {}

    init(_ activity: Activity, revision: Int) {
        title = activity.title
        let (day, start) = Self.local(activity.startsAt)
        date = day
        startTime = start
        endTime = Self.local(activity.endsAt).time
        place = activity.place
        classes = activity.classes
        gradeLevel = activity.gradeLevel
        pupils = activity.pupils.map(String.init)
        subject = activity.subject
        teacher = activity.teacher
        status = activity.status.rawValue
        self.revision = revision
    }

    static let zone = TimeZone(identifier: "Europe/Copenhagen")!

    static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// A date and time in Danish time: ("2027-03-15", "09:00").
    static func local(_ date: Date) -> (date: String, time: String) {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return (String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0), String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0))
    }

    static func date(_ day: String, _ time: String) -> Date? {
        guard let iso = AgreementForm.isoDate(day) else { return nil }
        let dayParts = iso.split(separator: "-").compactMap { Int($0) }
        let timeParts = time.trimmingCharacters(in: .whitespaces).split(whereSeparator: { $0 == ":" || $0 == "." }).compactMap { Int($0) }
        guard dayParts.count == 3, timeParts.count == 2, (0...23).contains(timeParts[0]), (0...59).contains(timeParts[1]) else { return nil }
        return calendar.date(from: DateComponents(year: dayParts[0], month: dayParts[1], day: dayParts[2], hour: timeParts[0], minute: timeParts[1]))
    }

    func activity() throws -> Activity {
        var problems: [FieldProblem] = []
        let start = Self.date(date ?? "", startTime ?? "")
        let end = Self.date(date ?? "", endTime ?? "")
        if AgreementForm.isoDate(date ?? "") == nil { problems.append(FieldProblem(field: "date", message: "Skriv datoen som dag-måned-år, fx 15-03-2027.")) }
        else {
            if start == nil { problems.append(FieldProblem(field: "startTime", message: "Skriv starttidspunktet som timer og minutter, fx 09:00.")) }
            if end == nil { problems.append(FieldProblem(field: "endTime", message: "Skriv sluttidspunktet som timer og minutter, fx 12:30.")) }
        }
        var pupilCount: Int?
        if let text = pupils?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            pupilCount = Int(text)
            if pupilCount == nil { problems.append(FieldProblem(field: "pupils", message: "Skriv antallet af elever som et helt tal, fx 24.")) }
        }
        let state = ActivityStatus(rawValue: status ?? ActivityStatus.planned.rawValue)
        if state == nil { problems.append(FieldProblem(field: "status", message: "Vælg en status fra listen.")) }
        let activity = Activity(title: title ?? "", startsAt: start ?? .distantPast, endsAt: end ?? .distantPast, place: place ?? "", classes: classes ?? "",
                                gradeLevel: gradeLevel.flatMap { $0.isEmpty ? nil : $0 }, pupils: pupilCount,
                                subject: subject.flatMap { $0.isEmpty ? nil : $0 }, teacher: teacher ?? "", status: state ?? .planned)
        // The rest (title, ranges, lists) is for `PartnershipRules`, when the fields could be read.
        if !problems.isEmpty { throw SamspilError.unprocessable(problems) }
        return activity
    }
}

/// A month of the calendar: its weeks from Monday, in Danish time.
enum MonthCalendar {
    struct Month: Sendable, Equatable {
        var year: Int
        var month: Int

        init(year: Int, month: Int) {
            self.year = year
            self.month = month
        }

        /// "2027-03"
        init?(text: String) {
            let parts = text.split(separator: "-")
            guard parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]), (2000...2100).contains(year), (1...12).contains(month) else { return nil }
            self.init(year: year, month: month)
        }

        init(containing date: Date) {
            let parts = ActivityForm.calendar.dateComponents([.year, .month], from: date)
            self.init(year: parts.year ?? 2026, month: parts.month ?? 1)
        }

        var text: String { String(format: "%04d-%02d", year, month) }
        var previous: Month { month == 1 ? Month(year: year - 1, month: 12) : Month(year: year, month: month - 1) }
        var next: Month { month == 12 ? Month(year: year + 1, month: 1) : Month(year: year, month: month + 1) }

        static let names = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"]
        var label: String { "\(Self.names[month - 1].capitalized) \(year)" }

        /// The month's weeks, Monday first; days outside the month are nil.
        var weeks: [[Int?]] {
            let calendar = ActivityForm.calendar
            guard let first = calendar.date(from: DateComponents(year: year, month: month, day: 1)),
                  let days = calendar.range(of: .day, in: .month, for: first)?.count else { return [] }
            let weekday = calendar.component(.weekday, from: first)  // 1 = Sunday
            let offset = (weekday + 5) % 7
            var cells: [Int?] = Array(repeating: nil, count: offset) + (1...days).map { Optional($0) }
            while cells.count % 7 != 0 { cells.append(nil) }
            return stride(from: 0, to: cells.count, by: 7).map { Array(cells[$0..<$0 + 7]) }
        }

        func contains(_ date: Date) -> (Bool, day: Int) {
            let parts = ActivityForm.calendar.dateComponents([.year, .month, .day], from: date)
            return (parts.year == year && parts.month == month, parts.day ?? 0)
        }
    }
}
