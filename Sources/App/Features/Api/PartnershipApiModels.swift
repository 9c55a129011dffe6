import Foundation
import SamspilCore
import Vapor

// MARK: responses

/// A partnership in `/api/v1/partnerships`: its details, parties, state and agreement status. Organisations are
/// named by their slugs, forms, subjects and grade levels by theirs, as a PATCH sends them back.
struct PartnershipDTO: Content, Equatable {
    struct PartyDTO: Content, Equatable {
        var slug: String
        var name: String
        /// `skole`, `laeringsmiljoe`, `anden` or `kommune`.
        var kind: String
        /// The party's role in the partnership, in its own words.
        var role: String
    }

    var slug: String
    var title: String
    var summary: String
    /// `ide`, `i-dialog`, `aftalt`, `aktiv`, `evalueret`, `afsluttet`, `fornyet` or `opgivet`.
    var state: String
    var form: String
    var schoolYears: [String]
    var purpose: String
    var goals: String
    var subjects: [String]
    var gradeLevels: [String]
    var classesExpected: Int?
    var pupilsExpected: Int?
    var parties: [PartyDTO]
    /// The newest version of the agreement (0: none yet).
    var agreementVersion: Int
    /// The version every party has accepted, if any.
    var acceptedVersion: Int?
    /// The slug of the partnership this one renewed.
    var renewedFrom: String?
    /// The same number as the `ETag`.
    var revision: Int
    var createdAt: Date
    var updatedAt: Date
    /// Absolute address of the partnership's page.
    var url: String

    init(_ stored: StoredPartnership, renewedFrom: String?, site: SiteInfo) {
        let details = stored.partnership
        slug = stored.slug
        title = details.title
        summary = details.summary
        state = stored.state.rawValue
        form = details.form
        schoolYears = details.schoolYears
        purpose = details.purpose
        goals = details.goals
        subjects = details.subjects
        gradeLevels = details.gradeLevels
        classesExpected = details.classesExpected
        pupilsExpected = details.pupilsExpected
        parties = stored.parties.map { PartyDTO(slug: $0.slug, name: $0.name, kind: $0.kind.rawValue, role: $0.role) }
        agreementVersion = stored.agreementVersion
        acceptedVersion = stored.acceptedVersion
        self.renewedFrom = renewedFrom
        revision = stored.revision
        createdAt = stored.createdAt
        updatedAt = stored.updatedAt
        url = site.absolute(SitePath.partnership(.show(stored.slug)).href)
    }
}

struct PartnershipListDTO: Content {
    var items: [PartnershipDTO]
    var total: Int
    var limit: Int
    var offset: Int
}

/// One version of a partnership's agreement, with the parties' acceptances of it.
struct AgreementVersionDTO: Content, Equatable {
    struct ContributionDTO: Content, Equatable {
        /// The party's organisation slug.
        var party: String
        var text: String
    }

    struct PaymentDTO: Content, Equatable {
        var party: String
        /// Kroner with two decimals: "12500.50".
        var amount: String
        /// The same amount in øre.
        var amountOre: Int64
        var purpose: String
    }

    struct AcceptanceDTO: Content, Equatable {
        var party: String
        var personName: String
        var acceptedAt: Date
    }

    var number: Int
    var createdAt: Date
    var authorName: String
    var contributions: [ContributionDTO]
    var payments: [PaymentDTO]
    var contacts: String
    var meetingRhythm: String
    var communication: String
    /// "2027-06-15"
    var evaluationDate: String?
    var evaluationMethod: String
    var endingAndRenewal: String
    var acceptances: [AcceptanceDTO]

    init(_ version: PartnershipQueries.Version, acceptances: [PartnershipQueries.Acceptance], slugs: [UUID: String]) {
        let agreement = version.agreement
        number = version.number
        createdAt = version.createdAt
        authorName = version.authorName
        contributions = agreement.contributions.compactMap { contribution in slugs[contribution.party].map { ContributionDTO(party: $0, text: contribution.text) } }
        payments = agreement.payments.compactMap { payment in
            slugs[payment.party].map { PaymentDTO(party: $0, amount: payment.amount.plain, amountOre: payment.amount.ore, purpose: payment.purpose) }
        }
        contacts = agreement.contacts
        meetingRhythm = agreement.meetingRhythm
        communication = agreement.communication
        evaluationDate = agreement.evaluationDate
        evaluationMethod = agreement.evaluationMethod
        endingAndRenewal = agreement.endingAndRenewal
        self.acceptances = acceptances.filter { $0.version == version.number }.compactMap { acceptance in
            slugs[acceptance.organisationID].map { AcceptanceDTO(party: $0, personName: acceptance.personName, acceptedAt: acceptance.at) }
        }
    }
}

struct AgreementVersionListDTO: Content {
    var items: [AgreementVersionDTO]
}

/// What an acceptance did: whether every party has now accepted, and the partnership's state after it.
struct AcceptanceResultDTO: Content {
    var party: String
    var version: Int
    var everyoneAccepted: Bool
    var state: String
    var acceptedVersion: Int?
}

struct ActivityDTO: Content, Equatable {
    var id: String
    /// The same number as the `ETag`.
    var revision: Int
    var title: String
    var startsAt: Date
    var endsAt: Date
    var place: String
    var classes: String
    var gradeLevel: String?
    var pupils: Int?
    var subject: String?
    var teacher: String
    /// `planlagt`, `gennemfoert` or `aflyst`.
    var status: String
    var updatedAt: Date

    init(_ stored: PartnershipQueries.StoredActivity) {
        let activity = stored.activity
        id = stored.id.uuidString
        revision = stored.revision
        title = activity.title
        startsAt = activity.startsAt
        endsAt = activity.endsAt
        place = activity.place
        classes = activity.classes
        gradeLevel = activity.gradeLevel
        pupils = activity.pupils
        subject = activity.subject
        teacher = activity.teacher
        status = activity.status.rawValue
        updatedAt = stored.updatedAt
    }
}

struct ActivityListDTO: Content {
    var items: [ActivityDTO]
}

/// One party's answers to one evaluation.
struct EvaluationDTO: Content, Equatable {
    /// "periode" or an activity's id.
    var occasion: String
    var party: String
    var personName: String
    /// By question id: a scale's step ("1"–"5") or free text.
    var answers: [String: String]
    var updatedAt: Date
}

struct EvaluationListDTO: Content {
    struct QuestionnairesDTO: Content {
        var periode: Questionnaire
        var aktivitet: Questionnaire
    }

    var items: [EvaluationDTO]
    /// The questions of the period's evaluation and of an activity's.
    var questionnaires: QuestionnairesDTO
}

// MARK: requests

/// Reads a JSON request body of the partnership API member by member: the JSON type of each member, its length in
/// Unicode code points (as the OpenAPI document counts), the members an object may have and the few patterns no rule
/// checks, every problem named by its JSON path (`otherParties[1].role`). The rules of content — blank titles, known
/// forms, subjects and school years, amounts in range, days that exist — are `PartnershipRules`', applied by
/// `PartnershipSaving`, and count characters after trimming, never more than the code points counted here: together
/// they refuse exactly what the document refuses.
struct PartnershipInput {
    private(set) var problems: [FieldProblem] = []

    mutating func problem(_ field: String, _ message: String) { problems.append(FieldProblem(field: field, message: message)) }

    /// Throws `.unprocessable` with every problem found so far.
    func check() throws {
        if !problems.isEmpty { throw SamspilError.unprocessable(problems) }
    }

    /// The request body as a JSON object (400 when it is missing or something else).
    static func object(_ req: Request) throws -> [String: JSONValue] {
        guard let buffer = req.body.data, buffer.readableBytes > 0 else {
            throw SamspilError.invalid([FieldProblem(field: "body", message: "Mangler: send indholdet som et JSON-objekt.")])
        }
        guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView)) else {
            throw SamspilError.invalid([FieldProblem(field: "body", message: "Er ikke et JSON-objekt.")])
        }
        return object
    }

    /// Names each member of `object` that is not in `allowed`, and each of `required` that is absent.
    mutating func members(_ object: [String: JSONValue], allowed: Set<String>, required: Set<String> = [], at prefix: String = "") {
        for key in object.keys.sorted() where !allowed.contains(key) { problem(prefix + key, "Er ikke et kendt felt her.") }
        for key in required.sorted() where object[key] == nil { problem(prefix + key, "Mangler.") }
    }

    /// A text member: nil when absent or of the wrong type; `null` gives "" where `nullable`.
    mutating func text(_ value: JSONValue?, _ field: String, max: Int, nullable: Bool = true) -> String? {
        switch value {
        case nil: return nil
        case .null? where nullable: return ""
        case .string(let text)?:
            if text.unicodeScalars.count > max { problem(field, "Gør teksten kortere: den må højst have \(DanishText.number(max)) tegn.") }
            return text
        default:
            problem(field, nullable ? "Har en forkert type (forventede tekst eller null)." : "Har en forkert type (forventede tekst).")
            return nil
        }
    }

    /// An integer member (JSON has one kind of number: 4.0 is an integer to JSON Schema, so it is one here too); nil
    /// when absent, `null` or wrong.
    mutating func integer(_ value: JSONValue?, _ field: String, in range: ClosedRange<Int>? = nil, nullable: Bool = true) -> Int? {
        let number: Int?
        switch value {
        case nil: return nil
        case .null? where nullable: return nil
        case .integer(let integer)?: number = integer
        case .number(let double)?: number = Int(exactly: double)
        default: number = nil
        }
        guard let number else {
            problem(field, nullable ? "Har en forkert type (forventede et helt tal eller null)." : "Har en forkert type (forventede et helt tal).")
            return nil
        }
        if let range, !range.contains(number) {
            problem(field, "Skriv et helt tal fra \(DanishText.number(range.lowerBound)) til \(DanishText.number(range.upperBound)).")
            return nil
        }
        return number
    }

    /// A list member; nil when absent or wrong, empty for `null` where `nullable`.
    mutating func array(_ value: JSONValue?, _ field: String, max: Int? = nil, nullable: Bool = true) -> [JSONValue]? {
        switch value {
        case nil: return nil
        case .null? where nullable: return []
        case .array(let items)?:
            if let max, items.count > max { problem(field, "Der må højst være \(max).") }
            return items
        default:
            problem(field, nullable ? "Har en forkert type (forventede en liste eller null)." : "Har en forkert type (forventede en liste).")
            return nil
        }
    }

    /// A list of texts, none twice (`uniqueItems`); nil when absent or wrong, empty for `null` where `nullable`.
    mutating func strings(_ value: JSONValue?, _ field: String, nullable: Bool = true) -> [String]? {
        guard let items = array(value, field, nullable: nullable) else { return nil }
        var strings: [String] = []
        for (index, item) in items.enumerated() {
            guard let string = text(item, "\(field)[\(index)]", max: 500, nullable: false) else { continue }
            if strings.contains(string) { problem("\(field)[\(index)]", "Står der allerede; nævn hvert kun én gang.") }
            strings.append(string)
        }
        return strings
    }

    /// The items of a list of objects with the members `allowed`, each of `required` present, with their JSON paths.
    mutating func objects(_ value: JSONValue?, _ field: String, allowed: Set<String>, required: Set<String>,
                          max: Int? = nil) -> [(path: String, members: [String: JSONValue])] {
        guard let items = array(value, field, max: max) else { return [] }
        return items.enumerated().compactMap { index, item in
            let path = "\(field)[\(index)]"
            guard case .object(let object) = item else { problem(path, "Har en forkert type (forventede et objekt)."); return nil }
            members(object, allowed: allowed, required: required, at: path + ".")
            return (path, object)
        }
    }

    // MARK: the bodies

    static let detailFields: Set<String> = [
        "title", "summary", "form", "schoolYears", "purpose", "goals", "subjects", "gradeLevels", "classesExpected", "pupilsExpected",
    ]

    /// The members of a partnership's details in `object` applied to `partnership`: a POST's empty one, or the stored
    /// one for a JSON Merge Patch (absent members stay, `null` clears one that may be cleared). Other members are
    /// left to the caller.
    mutating func details(_ object: [String: JSONValue], into partnership: Partnership) -> Partnership {
        var result = partnership
        let long = PartnershipRules.longTextMaxLength
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            switch key {
            case "title": if let text = text(value, key, max: PartnershipRules.titleMaxLength, nullable: false) { result.title = text }
            case "summary": if let text = text(value, key, max: PartnershipRules.shortTextMaxLength) { result.summary = text }
            case "form": if let text = text(value, key, max: 500, nullable: false) { result.form = text }
            case "schoolYears": if let years = strings(value, key, nullable: false) { result.schoolYears = years }
            case "purpose": if let text = text(value, key, max: long) { result.purpose = text }
            case "goals": if let text = text(value, key, max: long) { result.goals = text }
            case "subjects": if let subjects = strings(value, key) { result.subjects = subjects }
            case "gradeLevels": if let levels = strings(value, key) { result.gradeLevels = levels }
            case "classesExpected": if value == .null { result.classesExpected = nil } else if let number = integer(value, key) { result.classesExpected = number }
            case "pupilsExpected": if value == .null { result.pupilsExpected = nil } else if let number = integer(value, key) { result.pupilsExpected = number }
            default: break
            }
        }
        return result
    }

    static let activityFields: Set<String> = [
        "title", "startsAt", "endsAt", "place", "classes", "gradeLevel", "pupils", "subject", "teacher", "status",
    ]

    /// A whole activity (POST and PUT alike: absent members are empty).
    mutating func activity(_ object: [String: JSONValue]) -> Activity? {
        members(object, allowed: Self.activityFields, required: ["title", "startsAt", "endsAt"])
        let short = PartnershipRules.shortTextMaxLength
        let title = text(object["title"], "title", max: PartnershipRules.titleMaxLength, nullable: false)
        let startsAt = dateTime(object["startsAt"], "startsAt")
        let endsAt = dateTime(object["endsAt"], "endsAt")
        var status = ActivityStatus.planned
        if let value = object["status"], value != .null, let raw = text(value, "status", max: 500, nullable: false) {
            if let chosen = ActivityStatus(rawValue: raw) { status = chosen } else {
                problem("status", "Skal være en af \(ActivityStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
        }
        func optional(_ key: String) -> String? {
            guard let text = text(object[key], key, max: 500), object[key] != .null else { return nil }
            return text
        }
        let activity = Activity(
            title: title ?? "", startsAt: startsAt ?? Date(timeIntervalSince1970: 0), endsAt: endsAt ?? Date(timeIntervalSince1970: 0),
            place: text(object["place"], "place", max: short) ?? "", classes: text(object["classes"], "classes", max: short) ?? "",
            gradeLevel: optional("gradeLevel"), pupils: integer(object["pupils"], "pupils"), subject: optional("subject"),
            teacher: text(object["teacher"], "teacher", max: short) ?? "", status: status)
        return startsAt == nil || endsAt == nil ? nil : activity
    }

    /// "2026-11-02T09:00:00+01:00", a moment of a day that exists (fractions of a second are dropped).
    mutating func dateTime(_ value: JSONValue?, _ field: String) -> Date? {
        guard let value else { return nil }
        guard case .string(let text) = value else { problem(field, "Har en forkert type (forventede tekst)."); return nil }
        guard Self.matches(text, Self.dateTimePattern), let date = Self.date(rfc3339: text) else {
            problem(field, "Skriv et tidspunkt som i ISO 8601, fx 2026-11-02T09:00:00+01:00, på en dag, der findes.")
            return nil
        }
        return date
    }

    /// An RFC 3339 date-time from the years 1000–9999, as in openapi.json (whether its day exists is checked apart).
    static let dateTimePattern = #"^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"#

    /// A text matching `dateTimePattern` as a date; nil when its day does not exist.
    static func date(rfc3339 text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, PartnershipRules.isDate(String(decoding: bytes[0..<10], as: UTF8.self)) else { return nil }
        func number(_ from: Int, _ count: Int) -> Int { Int(String(decoding: bytes[from..<(from + count)], as: UTF8.self)) ?? 0 }
        var offset = 0
        if let sign = bytes.lastIndex(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }), sign > 10, sign + 6 <= bytes.count {
            offset = (number(sign + 1, 2) * 3600 + number(sign + 4, 2) * 60) * (bytes[sign] == UInt8(ascii: "-") ? -1 : 1)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let components = DateComponents(year: number(0, 4), month: number(5, 2), day: number(8, 2), hour: number(11, 2), minute: number(14, 2),
                                        second: number(17, 2))
        return calendar.date(from: components).map { $0.addingTimeInterval(TimeInterval(-offset)) }
    }

    /// Kroner with two decimals or none, from 0 to 100 million, as in openapi.json: "12500.50", "12500".
    static let amountPattern = #"^((0|[1-9][0-9]{0,7})(\.[0-9]{2})?|100000000(\.00)?)$"#

    static func money(_ text: String) -> Money? {
        guard matches(text, amountPattern) else { return nil }
        let parts = text.split(separator: ".")
        guard let kroner = Int64(parts[0]) else { return nil }
        return Money(ore: kroner * 100 + (parts.count > 1 ? Int64(parts[1]) ?? 0 : 0))
    }

    /// Whether the whole of `text` matches `pattern`, as JSON Schema reads one (ECMA 262: `$` is the end of the text,
    /// never a place before a final line break, as it is for ICU and Python).
    static func matches(_ text: String, _ pattern: String) -> Bool {
        text.range(of: pattern, options: .regularExpression) == text.startIndex..<text.endIndex
    }

    static let occasionPattern = "^(periode|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})$"
}
