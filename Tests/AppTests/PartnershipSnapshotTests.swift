@testable import App
import Foundation
import SamspilCore
import Testing

/// The partnership pages rendered from fixed view models (see `SnapshotTests`).
/// After an intended change, run `SNAPSHOT_RECORD=1 swift test --filter PartnershipSnapshotTests` and review the diff.
@Suite struct PartnershipSnapshotTests {
    static let site = SnapshotTests.site

    static func id(_ tail: String) -> UUID { UUID(uuidString: "00000000-0000-0000-0000-" + String(repeating: "0", count: 12 - tail.count) + tail)! }

    static let school = id("a1"), museum = id("b1"), municipality = id("c1"), partnershipID = id("d1")
    static let visit = id("e1"), stream = id("e2"), lab = id("e3")

    /// A moment in Danish time (the views and `ActivityForm` use Europe/Copenhagen).
    static func at(_ day: String, _ time: String) -> Date { ActivityForm.date(day, time)! }

    static let forms = [PartnershipForm.defaults[1], PartnershipForm.defaults[2], PartnershipForm.defaults[4]]

    static let labels = PartnershipView.Labels(
        municipalities: [("0101", "København"), ("0751", "Aarhus")],
        environmentKinds: [("naturfag-naturvidenskab", "Naturfag og naturvidenskab"), ("natur-og-miljoe", "Natur og miljø (naturskoler, parker, zoo)")],
        subjects: [("dansk", "Dansk"), ("natur-teknologi", "Natur/teknologi"), ("biologi", "Biologi")],
        gradeLevels: [("4", "4. klasse"), ("5", "5. klasse"), ("6", "6. klasse")])

    static let reference = OrganisationReference(municipalityCodes: ["0101", "0751"], environmentKinds: Set(labels.environmentKinds.map(\.value)),
                                                 subjects: Set(labels.subjects.map(\.value)), gradeLevels: Set(labels.gradeLevels.map(\.value)))

    static let parties = [
        StoredPartnership.Party(organisationID: school, slug: "vestskolen", name: "Vestskolen", kind: .school, municipalityCode: "0101", role: "Skole"),
        StoredPartnership.Party(organisationID: museum, slug: "naturcenter-vestskoven", name: "Naturcenter Vestskoven", kind: .learningEnvironment,
                                municipalityCode: "0101", role: "Værtsnaturcenter"),
        StoredPartnership.Party(organisationID: municipality, slug: "koebenhavns-kommune", name: "Københavns Kommune", kind: .municipality,
                                municipalityCode: "0101", role: "Koordinerende kommune"),
    ]

    static let details = Partnership(
        title: "Naturfag i Vestskoven", summary: "Mellemtrinnet på Vestskolen undersøger skovens vandløb sammen med naturvejlederne.",
        form: "fleraarigt-partnerskab", schoolYears: ["2026/27", "2027/28"],
        purpose: "Eleverne skal opleve naturfag uden for klasselokalet.\n\nNaturcentret vil nå flere skoler i kommunen.",
        goals: "Eleverne kan planlægge en undersøgelse og tale om deres resultater.",
        subjects: ["natur-teknologi", "dansk"], gradeLevels: ["4", "5"], classesExpected: 6, pupilsExpected: 1_350)

    static func stored(state: PartnershipState = .active, agreementVersion: Int = 2, acceptedVersion: Int? = 2, caseFields: [CaseField] = [],
                       publishedAt: Date? = nil, consents: [UUID: Date] = [:]) -> StoredPartnership {
        StoredPartnership(id: partnershipID, slug: "naturfag-i-vestskoven", partnership: details, state: state, revision: 7,
                          agreementVersion: agreementVersion, acceptedVersion: acceptedVersion, renewedFrom: nil, publishedAt: publishedAt,
                          caseFields: caseFields, createdAt: frozenNow.addingTimeInterval(-60 * 86_400), updatedAt: frozenNow,
                          parties: parties.map { party in
                              var party = party
                              party.publishConsentAt = consents[party.organisationID]
                              return party
                          })
    }

    static let agreement = Agreement(
        contributions: [.init(party: school, text: "Sender to klasser om året og afsætter to lektioner til forberedelse."),
                        .init(party: museum, text: "Tilrettelægger forløbet og stiller naturvejleder og udstyr til rådighed.")],
        payments: [.init(party: municipality, amount: Money(ore: 1_250_000), purpose: "Bustransport"),
                   .init(party: museum, amount: Money(ore: 800_050), purpose: "Naturvejlederens timer")],
        contacts: "Vestskolen: Lærke Lærer, naturfagslærer.\n\nNaturcentret: Niels Naturvejleder.",
        meetingRhythm: "Planlægningsmøde i august og evalueringsmøde i juni.", communication: "Mail mellem kontaktpersonerne.",
        evaluationDate: "2027-06-15", evaluationMethod: "Begge parter svarer på evalueringen i Samspil.",
        endingAndRenewal: "Aftalen kan opsiges med tre måneders varsel. I maj tager vi stilling til fornyelse.")

    static let version2 = PartnershipQueries.Version(number: 2, agreement: agreement, createdAt: frozenNow.addingTimeInterval(-20 * 86_400), authorName: "Niels Naturvejleder")

    static func activity(_ id: UUID, _ title: String, _ day: String, _ from: String, _ to: String, status: ActivityStatus, revision: Int = 1) -> PartnershipQueries.StoredActivity {
        PartnershipQueries.StoredActivity(
            id: id, revision: revision,
            activity: Activity(title: title, startsAt: at(day, from), endsAt: at(day, to), place: "Naturcenter Vestskoven", classes: "5.a, 5.b", gradeLevel: "5",
                               pupils: 48, subject: "natur-teknologi", teacher: "Lærke Lærer", status: status),
            partnershipSlug: "naturfag-i-vestskoven", partnershipTitle: "Naturfag i Vestskoven", updatedAt: frozenNow)
    }

    /// Two in September 2026 (the month of `frozenNow`), on two days, and one in October.
    static let activities = [
        activity(visit, "Besøg i skoven", "2026-09-09", "09:00", "12:00", status: .held),
        activity(stream, "Vandløbsundersøgelse", "2026-09-23", "08:30", "13:30", status: .planned),
        activity(lab, "Fremlæggelse på skolen", "2026-10-07", "10:00", "11:30", status: .cancelled),
    ]

    // MARK: lists

    /// A person's partnerships, with the coordinator links of their municipality.
    @Test func minePartnershipsWithCoordinatorLink() throws {
        let model = MinePartnershipsView.Model(
            partnerships: [PartnershipQueries.Summary(id: Self.partnershipID, slug: "naturfag-i-vestskoven", title: "Naturfag i Vestskoven", state: .active, form: "fleraarigt-partnerskab",
                                                      schoolYears: "2026/27, 2027/28", parties: ["Vestskolen", "Naturcenter Vestskoven"], updatedAt: frozenNow),
                           PartnershipQueries.Summary(id: Self.id("b2"), slug: "vikingetiden", title: "Vikingetiden på museet", state: .idea, form: "specialudviklet-forloeb",
                                                      schoolYears: "2026/27", parties: ["Vestskolen"], updatedAt: frozenNow)],
            forms: Dictionary(uniqueKeysWithValues: Self.forms.map { ($0.slug, $0.name) }), mayStart: true,
            municipalities: [(name: "Københavns Kommune", slug: "koebenhavns-kommune")])
        try Snapshot.assert(MinePartnershipsView.render(model, site: Self.site), named: "partnerships-mine.html")
    }

    /// A coordinator's list, filtered on state and school year, on page 2 of 3.
    @Test func coordinatorListFilteredOnSecondPage() throws {
        var filter = CoordinatorList.Filter()
        filter.state = .active
        filter.schoolYear = "2026/27"
        filter.page = 2
        let target = CoordinatorList.Target(code: "0101", name: "Københavns Kommune", slug: "koebenhavns-kommune", forms: Self.forms, environmentKinds: Self.labels.environmentKinds, filter: filter)
        var row = CoordinatorList.Row(id: Self.partnershipID, slug: "naturfag-i-vestskoven", title: "Naturfag i Vestskoven", state: .active,
                                      form: "fleraarigt-partnerskab", schoolYears: "2026/27, 2027/28", updatedAt: frozenNow)
        row.parties = [("Vestskolen", .school), ("Naturcenter Vestskoven", .learningEnvironment)]
        row.activities = 3
        row.held = 1
        row.pupils = 48
        let model = CoordinatorListView.Model(target: target, rows: [row], total: 120)
        try Snapshot.assert(CoordinatorListView.render(model, site: Self.site), named: "partnerships-coordinator-list.html")
    }

    // MARK: a partnership's page

    /// An active partnership seen by the school's leader: accepted agreement, activities, evaluations, a proposed case and comments.
    @Test func partnershipPageActiveWithAllSections() throws {
        let stored = Self.stored(caseFields: [.summary, .parties, .activities], consents: [Self.museum: frozenNow.addingTimeInterval(-86_400)])
        let model = PartnershipView.Model(
            stored: stored, formName: "Flerårigt partnerskab", labels: Self.labels,
            events: [
                .init(at: stored.createdAt, kind: "oprettet", from: nil, to: .idea, actorName: "Lærke Lærer", comment: ""),
                .init(at: stored.createdAt.addingTimeInterval(3_600), kind: "part", actorName: "Lærke Lærer", comment: "Naturcenter Vestskoven (Værtsnaturcenter)"),
                .init(at: stored.createdAt.addingTimeInterval(7_200), kind: "invitation", actorName: "Lærke Lærer",
                      comment: "Københavns Kommune (koordinator@kk.example)"),
                .init(at: stored.createdAt.addingTimeInterval(86_400), kind: "part", actorName: "Kirsten Koordinator",
                      comment: "Københavns Kommune (Koordinerende kommune) tog imod invitationen"),
                .init(at: Self.version2.createdAt, kind: "aftale", actorName: "Niels Naturvejleder", comment: "Version 2"),
                .init(at: Self.version2.createdAt.addingTimeInterval(3_600), kind: "accept", actorName: "Lærke Lærer", comment: "Vestskolen accepterede version 2"),
                .init(at: Self.version2.createdAt.addingTimeInterval(7_200), kind: "tilstand", from: .dialogue, to: .agreed, actorName: "Kirsten Koordinator",
                      comment: "Alle parter har accepteret version 2 af aftalen."),
                .init(at: Self.version2.createdAt.addingTimeInterval(86_400), kind: "tilstand", from: .agreed, to: .active, actorName: "Lærke Lærer", comment: ""),
            ],
            agreement: Self.version2,
            acceptances: [.init(version: 1, organisationID: Self.school, personName: "Lærke Lærer", at: stored.createdAt.addingTimeInterval(2 * 86_400)),
                          .init(version: 2, organisationID: Self.school, personName: "Lærke Lærer", at: Self.version2.createdAt.addingTimeInterval(3_600)),
                          .init(version: 2, organisationID: Self.museum, personName: "Niels Naturvejleder", at: Self.version2.createdAt.addingTimeInterval(5_400)),
                          .init(version: 2, organisationID: Self.municipality, personName: "Kirsten Koordinator", at: Self.version2.createdAt.addingTimeInterval(7_200))],
            activities: Self.activities,
            comments: [.init(authorName: "Niels Naturvejleder", body: "Husk gummistøvler til vandløbet.\n\nVi har ketsjere til alle.", at: frozenNow.addingTimeInterval(-3 * 86_400))],
            evaluations: [.init(occasion: Self.visit.uuidString, organisationID: Self.school, personName: "Lærke Lærer",
                                answers: ["maal": "4", "elever": "5", "godt": "Eleverne var optagede af smådyrene.", "anderledes": "Mere tid til at tale om fundene."],
                                at: frozenNow.addingTimeInterval(-10 * 86_400)),
                          .init(occasion: Self.visit.uuidString, organisationID: Self.museum, personName: "Niels Naturvejleder",
                                answers: ["maal": "4", "elever": "4", "godt": "Godt forberedte elever."], at: frozenNow.addingTimeInterval(-9 * 86_400))],
            transitions: [.evaluate, .end], mayPropose: true, mayWork: true, decidesFor: [Self.school], evaluatesFor: [Self.school],
            csrf: "fixed-token", notice: .evaluated)
        try Snapshot.assert(PartnershipView.render(model, site: Self.site), named: "partnership-page-active.html")
    }

    /// A partnership in dialogue: version 1 waits for the school's acceptance, and adding a party was refused.
    @Test func partnershipPageInDialogueWithRefusedParty() throws {
        let stored = Self.stored(state: .dialogue, agreementVersion: 1, acceptedVersion: nil)
        var model = PartnershipView.Model(
            stored: stored, formName: "Flerårigt partnerskab", labels: Self.labels,
            events: [.init(at: stored.createdAt, kind: "oprettet", from: nil, to: .idea, actorName: "Lærke Lærer", comment: ""),
                     .init(at: stored.createdAt.addingTimeInterval(3_600), kind: "tilstand", from: .idea, to: .dialogue, actorName: "Lærke Lærer",
                           comment: "Vi har holdt det første møde.")],
            agreement: PartnershipQueries.Version(number: 1, agreement: Agreement(contributions: [.init(party: Self.museum, text: "Stiller naturvejleder til rådighed.")]),
                                                  createdAt: stored.createdAt.addingTimeInterval(86_400), authorName: "Niels Naturvejleder"),
            acceptances: [.init(version: 1, organisationID: Self.museum, personName: "Niels Naturvejleder", at: stored.createdAt.addingTimeInterval(90_000))],
            activities: [], comments: [], evaluations: [],
            transitions: [.abandon], mayPropose: false, mayWork: true, decidesFor: [Self.school], evaluatesFor: [],
            csrf: "fixed-token", notice: nil)
        model.partyForm = (["organisation": "Vestskolen", "partyRole": "Skole"],
                           [FieldProblem(field: "organisation", message: "Vestskolen er allerede part i partnerskabet.")])
        try Snapshot.assert(PartnershipView.render(model, site: Self.site), named: "partnership-page-dialogue.html")
    }

    /// The details form after a refused save: a school year that is not one, and a count that is not a number.
    @Test func detailsFormWithErrors() throws {
        var form = DetailsForm(Self.details)
        form.schoolYears = "2026/28"
        form.pupilsExpected = "mange"
        form.revision = 7
        let (partnership, readProblems) = form.partnership()
        let errors = readProblems + PartnershipRules.problems(partnership, forms: Set(Self.forms.map(\.slug)), reference: Self.reference)
        let model = DetailsView.Model(form: form, forms: Self.forms, labels: Self.labels, errors: errors,
                                      action: SitePath.partnership(.edit("naturfag-i-vestskoven")).href, csrf: "fixed-token", conflict: nil)
        try Snapshot.assert(DetailsView.render(model, title: "Ret Naturfag i Vestskoven", partnership: Self.stored(state: .active, agreementVersion: 1, acceptedVersion: 1), site: Self.site), named: "partnership-details-form.html")
    }

    /// An invitation opened by a person who leads two organisations.
    @Test func invitationWithTwoOrganisations() throws {
        var invited = Self.stored(state: .dialogue, agreementVersion: 0, acceptedVersion: nil)
        invited.parties.removeLast()
        let invitation = PartnershipSaving.OpenInvitation(id: Self.id("f1"), email: "koordinator@kk.example", organisationName: "Københavns Kommune",
                                                          role: "Koordinerende kommune", partnership: invited)
        let model = PartnershipInvitationView.Model(token: "fixed-invitation-token", invitation: invitation,
                                                    organisations: [(Self.municipality, "Københavns Kommune"), (Self.id("c2"), "Frederiksberg Kommune")],
                                                    csrf: "fixed-token")
        try Snapshot.assert(PartnershipInvitationView.render(model, site: Self.site), named: "partnership-invitation.html")
    }

    // MARK: agreement

    /// The agreement form for version 3 after an amount that could not be read.
    @Test func agreementFormWithUnreadableAmount() throws {
        let stored = Self.stored()
        var fields = ["contribution-\(Self.school.uuidString)": "Sender to klasser om året.", "contacts": "Lærke Lærer og Niels Naturvejleder.",
                      "evaluationDate": "15-06-2027"]
        fields["paymentParty-0"] = Self.municipality.uuidString
        fields["paymentAmount-0"] = "tolv tusind"
        fields["paymentPurpose-0"] = "Bustransport"
        let form = AgreementForm(fields: fields, parties: stored.parties)
        let model = AgreementFormView.Model(stored: stored, form: form, basedOn: 2, errors: form.problems, newer: nil, csrf: "fixed-token")
        try Snapshot.assert(AgreementFormView.render(model, site: Self.site), named: "partnership-agreement-form.html")
    }

    /// The agreement form after someone else saved version 2 in between: theirs above, this person's text in the form.
    @Test func agreementFormConflict() throws {
        let stored = Self.stored(state: .dialogue, acceptedVersion: nil)
        var mine = Self.agreement
        mine.meetingRhythm = "Et møde hver måned."
        let model = AgreementFormView.Model(stored: stored, form: AgreementForm(mine, parties: stored.parties), basedOn: 2, errors: [],
                                            newer: Self.version2, csrf: "fixed-token")
        try Snapshot.assert(AgreementFormView.render(model, site: Self.site), named: "partnership-agreement-conflict.html")
    }

    /// The printable agreement, accepted by two of three parties.
    @Test func agreementPrint() throws {
        let model = AgreementPrintView.Model(
            stored: Self.stored(state: .dialogue, acceptedVersion: 1), formName: "Flerårigt partnerskab", version: Self.version2,
            acceptances: [.init(version: 2, organisationID: Self.school, personName: "Lærke Lærer", at: Self.version2.createdAt.addingTimeInterval(3_600)),
                          .init(version: 2, organisationID: Self.museum, personName: "Niels Naturvejleder", at: Self.version2.createdAt.addingTimeInterval(5_400))],
            address: Self.site.absolute(SitePath.partnership(.show("naturfag-i-vestskoven")).href), printedAt: frozenNow)
        try Snapshot.assert(AgreementPrintView.render(model, site: Self.site), named: "partnership-agreement-print.html")
    }

    // MARK: activities and evaluation

    /// The activities with September 2026's calendar (activities on the 9th and the 23rd) and the empty form.
    @Test func activitiesWithMonthCalendar() throws {
        let model = ActivitiesView.Model(stored: Self.stored(), activities: Self.activities, month: MonthCalendar.Month(containing: frozenNow),
                                         form: ActivityForm(), errors: [], mayWork: true, labels: Self.labels, csrf: "fixed-token")
        try Snapshot.assert(ActivitiesView.render(model, site: Self.site), named: "partnership-activities.html")
    }

    /// An activity changed by someone else while it was being edited: their version above, this person's input kept.
    @Test func activityEditStaleConflict() throws {
        let theirs = Self.activity(Self.stream, "Vandløbsundersøgelse", "2026-09-24", "08:30", "13:30", status: .planned, revision: 3)
        var form = ActivityForm(Self.activities[1].activity, revision: 3)
        form.teacher = "Lærke Lærer og Ole Olsen"
        let model = ActivityEditView.Model(stored: Self.stored(), activity: theirs, form: form, errors: [], newer: theirs, labels: Self.labels, csrf: "fixed-token")
        try Snapshot.assert(ActivityEditView.render(model, site: Self.site), named: "partnership-activity-conflict.html")
    }

    /// The evaluation of an activity for a person who answers for two parties, with a scale question left out.
    @Test func evaluationWithMissingAnswer() throws {
        let answers = ["maal": "4", "godt": "Eleverne var optagede af smådyrene."]
        let item = Self.activities[0]
        let model = EvaluationView.Model(
            stored: Self.stored(), occasion: item.id.uuidString,
            title: "Evaluering af \(item.activity.title) (\(DanishDate.dateTime(item.activity.startsAt)))", questionnaire: .activity,
            parties: [(Self.school, "Vestskolen"), (Self.municipality, "Københavns Kommune")], party: Self.school, answers: answers,
            errors: PartnershipRules.problems(answers: answers, to: .activity), csrf: "fixed-token")
        try Snapshot.assert(EvaluationView.render(model, site: Self.site), named: "partnership-evaluation.html")
    }

    // MARK: starting a partnership

    /// Step 1 of starting a partnership: the forms to choose from.
    @Test func creationStepOne() throws {
        let model = PartnershipCreation.Model(step: .form, input: .init(), details: DetailsForm(), forms: Self.forms, labels: Self.labels,
                                              organisations: [(id: Self.school, name: "Vestskolen")], errors: [], csrf: "fixed-token")
        try Snapshot.assert(PartnershipCreationView.render(model, site: Self.site), named: "partnership-new-step-1.html")
    }

    /// Step 3 (purpose) refused without a title; the earlier steps' input rides along as hidden fields.
    @Test func creationStepThreeWithErrors() throws {
        var input = PartnershipCreation.Input()
        input.step = 3
        input.party = Self.school.uuidString
        input.role = "Skole"
        input.otherParty = "Naturcenter Vestskoven"
        input.otherRole = "Værtsnaturcenter"
        var details = DetailsForm()
        details.form = "fleraarigt-partnerskab"
        details.title = ""
        details.purpose = "Eleverne skal opleve naturfag uden for klasselokalet."
        details.subjects = ["natur-teknologi"]
        let errors = PartnershipRules.problems(details.partnership().0, forms: Set(Self.forms.map(\.slug)), reference: Self.reference)
            .filter { PartnershipCreation.Step.purpose.fields.contains($0.field) }
        let model = PartnershipCreation.Model(step: .purpose, input: input, details: details, forms: Self.forms, labels: Self.labels,
                                              organisations: [(id: Self.school, name: "Vestskolen")], errors: errors, csrf: "fixed-token")
        try Snapshot.assert(PartnershipCreationView.render(model, site: Self.site), named: "partnership-new-step-3.html")
    }

    // MARK: calendars

    /// The calendar addresses right after a new one was made for the partnership.
    @Test func calendarsWithFreshAddress() throws {
        let scope = "partnership:\(Self.partnershipID.uuidString)"
        let model = CalendarsView.Model(
            items: [(scope: "person", label: "Alle mine aktiviteter", madeAt: frozenNow.addingTimeInterval(-30 * 86_400)),
                    (scope: "organisation:\(Self.school.uuidString)", label: "Aktiviteter for Vestskolen", madeAt: nil),
                    (scope: scope, label: "Partnerskabet Naturfag i Vestskoven", madeAt: frozenNow)],
            fresh: (scope: scope, address: Self.site.absolute(SitePath.calendarFeed("fixed-calendar-token").href)), csrf: "fixed-token")
        try Snapshot.assert(CalendarsView.render(model, site: Self.site), named: "partnership-calendars.html")
    }

    // MARK: public cases

    /// A published case showing all fields, with the held activity and the period evaluation's averages.
    @Test func casePage() throws {
        let stored = Self.stored(state: .evaluated, caseFields: CaseField.allCases, publishedAt: frozenNow,
                                 consents: Dictionary(uniqueKeysWithValues: Self.parties.map { ($0.organisationID, frozenNow) }))
        let evaluations = [
            PartnershipQueries.Evaluation(occasion: "periode", organisationID: Self.school, personName: "Lærke Lærer",
                                          answers: ["maal": "4", "samarbejde": "5", "udbytte": "4"], at: frozenNow),
            PartnershipQueries.Evaluation(occasion: "periode", organisationID: Self.museum, personName: "Niels Naturvejleder",
                                          answers: ["maal": "5", "samarbejde": "5", "udbytte": "4"], at: frozenNow),
        ]
        let model = CaseViews.Model(stored: stored, fields: Set(CaseField.allCases), formName: "Flerårigt partnerskab", labels: Self.labels,
                                    activities: Self.activities.filter { $0.activity.status == .held },
                                    averages: CaseViews.averages(evaluations, questionnaire: .period))
        try Snapshot.assert(CaseViews.page(model, site: Self.site).string, named: "partnership-case-page.html")
    }

    @Test func caseList() throws {
        let links = [CaseQueries.Link(slug: "naturfag-i-vestskoven", title: "Naturfag i Vestskoven", parties: ["Vestskolen", "Naturcenter Vestskoven"]),
                     CaseQueries.Link(slug: "vikingetiden", title: "Vikingetiden på museet", parties: [])]
        try Snapshot.assert(CaseViews.list(links, site: Self.site).string, named: "partnership-case-list.html")
    }
}
