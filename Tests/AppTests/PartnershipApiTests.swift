@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing
import Vapor
import VaporTesting

/// `/api/v1/partnerships` on both databases: a school and a museum start, change, agree, run and evaluate a
/// partnership with their tokens, every answer checked against the served OpenAPI document; a fourth organisation's
/// token finds none of it, and no token is 401.
@Suite struct PartnershipApiTests {
    typealias Write = WriteApiTests

    /// Sends requests with a token and checks every answer against the schema the document gives for it.
    struct Client {
        var app: Application
        var document: [String: Any]
        var validator: SchemaValidator

        init(_ app: Application) async throws {
            self.app = app
            document = try await OpenAPITests.document(app)
            validator = SchemaValidator(document: document)
        }

        @discardableResult
        func send(_ method: HTTPMethod, _ path: String, _ template: String, token: String?, json: String? = nil, ifMatch: String? = nil,
                  sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestingHTTPResponse {
            let response = try await Write.send(app, method, path, token: token, json: json, headers: ifMatch.map { [("If-Match", $0)] } ?? [])
            let problems = try OpenAPITests.schemaProblems(response, method, template, document: document, validator: validator)
            #expect(problems.isEmpty, "\(method) \(path) \(response.status.code): \(problems)", sourceLocation: sourceLocation)
            if response.status.code >= 400 {
                #expect(response.headers.first(name: .contentType)?.hasPrefix("application/problem+json") == true, sourceLocation: sourceLocation)
            }
            return response
        }
    }

    /// An account with roles in an organisation, and a personal token for it.
    static func member(_ app: Application, _ email: String, _ name: String, of organisation: UUID?, as roles: [OrganisationRole],
                       role: Role = .member) async throws -> String {
        let account = try await AccountQueries.create(email: email, name: name, password: SignUpTests.password, role: role, now: frozenNow,
                                                      hashing: PasswordHashing(app), on: app.db)
        if let organisation {
            for role in roles { try await MembershipQueries.add(user: account.id, organisation: organisation, role: role, now: frozenNow, on: app.db) }
        }
        return try await ApiTokenQueries.create(name: "Test", userID: account.id, now: frozenNow, on: app.db)
    }

    static func object(_ response: TestingHTTPResponse) throws -> [String: Any] {
        try #require(try response.json() as? [String: Any])
    }

    static let created = """
        {"title": "Vikinger på museet", "summary": "Vikingetiden i 5. klasse", "form": "specialudviklet-forloeb", "schoolYears": ["2026/27"],
         "subjects": ["historie"], "gradeLevels": ["5"], "pupilsExpected": 48, "party": "eksempelskolen", "role": "Skole",
         "otherParties": [{"organisation": "demo-museet", "role": "Værtsmuseum"}]}
        """

    @Test(arguments: TestBackend.all)
    func journey(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let world = try await PartnershipJourneyTests.world(app)
            let leader = try await Self.member(app, "leder@eksempelskolen.dk", "Lis Leder", of: world.school, as: [.schoolLeader])
            let teacher = try await Self.member(app, "laerer@eksempelskolen.dk", "Tom Lærer", of: world.school, as: [.teacher])
            let curator = try await Self.member(app, "leder@demo-museet.dk", "Mads Museum", of: world.museum, as: [.leader])
            let coordinator = try await Self.member(app, "koordinator@kk.dk", "Kim Koordinator", of: world.municipality, as: [.coordinator])
            let outsider = try await Self.member(app, "leder@andenskolen.dk", "Olga Udenfor", of: world.other, as: [.schoolLeader])
            let administrator = try await Self.member(app, "admin@samspil.dk", "Ada Admin", of: nil, as: [], role: .administrator)
            let api = try await Client(app)
            let list = "/api/v1/partnerships", one = "/api/v1/partnerships/{slug}"
            let path = "/api/v1/partnerships/vikinger-paa-museet"

            // Start: for one of the leader's own organisations only; the museum is the second party.
            let refused = try await api.send(.POST, list, list, token: leader, json: Self.created.replacingOccurrences(of: "\"party\": \"eksempelskolen\"",
                                                                                                                    with: "\"party\": \"demo-museet\""))
            #expect(refused.status == .forbidden)
            let broken = try await api.send(.POST, list, list, token: leader, json: """
                {"title": " ", "form": "ukendt", "schoolYears": [], "party": "eksempelskolen", "role": "Skole", "classesExpected": "to",
                 "otherParties": [{"organisation": "findes-ikke", "role": "Museum"}, {"organisation": "demo-museet"}], "farve": "blå"}
                """)
            #expect(broken.status == .unprocessableEntity)
            #expect(Set(try Write.problems(broken).keys) == ["classesExpected", "otherParties[1].role", "farve"], "the document's shape first")
            let rules = try await api.send(.POST, list, list, token: leader, json: """
                {"title": " ", "form": "ukendt", "schoolYears": [], "party": "eksempelskolen", "role": "Skole",
                 "otherParties": [{"organisation": "findes-ikke", "role": "Museum"}]}
                """)
            #expect(rules.status == .unprocessableEntity)
            let ruleProblems = try Write.problems(rules)
            #expect(ruleProblems["title"] == "Giv partnerskabet en titel." && ruleProblems["schoolYears"] != nil && ruleProblems["form"] != nil)
            #expect(ruleProblems["otherParties[0].organisation"] == "Vælg en anden, godkendt organisation fra registret.")
            let created = try await api.send(.POST, list, list, token: leader, json: Self.created)
            #expect(created.status == .created)
            #expect(created.headers.first(name: .location) == path)
            #expect(created.headers.first(name: .eTag) == "\"1\"")
            let body = try Self.object(created)
            #expect(body["state"] as? String == "ide" && body["slug"] as? String == "vikinger-paa-museet")
            #expect((body["parties"] as? [[String: String]])?.map { $0["slug"] ?? "" } == ["eksempelskolen", "demo-museet"])
            #expect((body["parties"] as? [[String: String]])?.last == ["slug": "demo-museet", "name": "Demo-museet", "kind": "laeringsmiljoe", "role": "Værtsmuseum"])
            #expect(body["url"] as? String == "http://samspil.test/partnerskaber/vikinger-paa-museet")

            // Read it, with its revision as ETag.
            let read = try await api.send(.GET, path, one, token: curator)
            #expect(read.status == .ok && read.headers.first(name: .eTag) == "\"1\"")
            #expect(try Self.object(read)["pupilsExpected"] as? Int == 48)
            #expect(try await api.send(.GET, path + "?x=1", one, token: curator).status == .badRequest)

            // Change the details: a stale If-Match is refused (412) and changes nothing; the right one works.
            let stale = try await api.send(.PATCH, path, one, token: teacher, json: #"{"summary": null, "classesExpected": 2}"#, ifMatch: "\"7\"")
            #expect(stale.status == .preconditionFailed)
            #expect(try await PartnershipQueries.find(slug: "vikinger-paa-museet", on: app.db)?.partnership.summary == "Vikingetiden i 5. klasse")
            let patched = try await api.send(.PATCH, path, one, token: teacher, json: #"{"summary": null, "classesExpected": 2, "goals": "Lære om vikinger"}"#,
                                             ifMatch: "\"1\"")
            #expect(patched.status == .ok && patched.headers.first(name: .eTag) == "\"2\"")
            let details = try Self.object(patched)
            #expect(details["summary"] as? String == "" && details["classesExpected"] as? Int == 2 && details["pupilsExpected"] as? Int == 48)
            let badPatch = try await api.send(.PATCH, path, one, token: teacher, json: #"{"title": null, "schoolYears": ["2026/28"], "state": "aktiv"}"#)
            #expect(badPatch.status == .unprocessableEntity)
            #expect(Set(try Write.problems(badPatch).keys) == ["title", "state"])
            #expect(try await api.send(.PATCH, path, one, token: teacher, json: "[1]").status == .badRequest)
            #expect(try await api.send(.PATCH, path, one, token: teacher, json: "{}", ifMatch: "7").status == .badRequest)
            #expect(try await api.send(.PATCH, path, one, token: coordinator, json: "{}").status == .forbidden, "the coordinator reads only")

            // The agreement, version 1; then a second writer from version 0 is told (409) and nothing is saved.
            let versions = "/api/v1/partnerships/{slug}/agreement-versions"
            let agreement = """
                {"basedOn": 0, "contributions": [{"party": "eksempelskolen", "text": "Skolen planlægger forløbet."},
                 {"party": "demo-museet", "text": "Museet underviser."}], "payments": [{"party": "eksempelskolen", "amount": "12500.50", "purpose": "Bus"}],
                 "meetingRhythm": "To møder om året", "evaluationDate": "2027-06-15"}
                """
            let notParty = try await api.send(.POST, path + "/agreement-versions", versions, token: teacher,
                                              json: agreement.replacingOccurrences(of: "\"party\": \"demo-museet\"", with: "\"party\": \"andenskole\""))
            #expect(notParty.status == .unprocessableEntity)
            #expect(try Write.problems(notParty)["contributions[1].party"] != nil)
            let badAmount = try await api.send(.POST, path + "/agreement-versions", versions, token: teacher,
                                               json: agreement.replacingOccurrences(of: "12500.50", with: "12.500,50").replacingOccurrences(of: "2027-06-15", with: "2027-02-29"))
            #expect(Set(try Write.problems(badAmount).keys) == ["payments[0].amount"], "the amount first: it is the document's shape")
            let badDate = try await api.send(.POST, path + "/agreement-versions", versions, token: teacher,
                                             json: agreement.replacingOccurrences(of: "2027-06-15", with: "2027-02-29"))
            #expect(Set(try Write.problems(badDate).keys) == ["evaluationDate"])
            let version1 = try await api.send(.POST, path + "/agreement-versions", versions, token: teacher, json: agreement)
            #expect(version1.status == .created)
            #expect(try Self.object(version1)["number"] as? Int == 1)
            let unchanged = agreement.replacingOccurrences(of: "\"basedOn\": 0", with: "\"basedOn\": 1")
            #expect(try await api.send(.POST, path + "/agreement-versions", versions, token: teacher, json: unchanged).status == .ok, "unchanged: nothing saved")
            let late = try await api.send(.POST, path + "/agreement-versions", versions, token: curator,
                                          json: agreement.replacingOccurrences(of: "To møder", with: "Tre møder"))
            #expect(late.status == .conflict)
            #expect(try Self.object(late)["detail"] as? String == "Aftalen er ændret af en anden, siden du åbnede den: version 1 er den nyeste. Din tekst er ikke gemt endnu – sammenlign, og gem igen.")
            let revision = try #require(try await PartnershipQueries.find(slug: "vikinger-paa-museet", on: app.db)).revision
            let wrongRevision = try await api.send(.POST, path + "/agreement-versions", versions, token: curator,
                                                   json: agreement.replacingOccurrences(of: "\"basedOn\": 0", with: "\"basedOn\": 1")
                                                       .replacingOccurrences(of: "To møder", with: "Tre møder"), ifMatch: "\"\(revision - 1)\"")
            #expect(wrongRevision.status == .preconditionFailed, "If-Match guards the partnership's revision")
            let listed = try await api.send(.GET, path + "/agreement-versions", versions, token: coordinator)
            let first = try #require((try Self.object(listed)["items"] as? [[String: Any]])?.first)
            let payment = try #require((first["payments"] as? [[String: Any]])?.first)
            #expect(payment["amount"] as? String == "12500.50" && payment["amountOre"] as? Int == 1_250_050 && payment["party"] as? String == "eksempelskolen")
            #expect(first["evaluationDate"] as? String == "2027-06-15" && first["authorName"] as? String == "Tom Lærer")
            #expect((first["contributions"] as? [[String: String]])?.last == ["party": "demo-museet", "text": "Museet underviser."])

            // Each party's decider accepts; the teacher may not; the last acceptance makes it agreed.
            let acceptances = "/api/v1/partnerships/{slug}/acceptances"
            let byTeacher = try await api.send(.POST, path + "/acceptances", acceptances, token: teacher, json: #"{"party": "eksempelskolen", "version": 1}"#)
            #expect(byTeacher.status == .forbidden)
            #expect(try Self.object(byTeacher)["detail"] as? String == "Kun en leder, kontaktperson, koordinator eller administrator i parten kan gøre det på partens vegne.")
            let notAParty = try await api.send(.POST, path + "/acceptances", acceptances, token: leader, json: #"{"party": "andenskole", "version": 1}"#)
            #expect(notAParty.status == .forbidden)
            #expect(try Self.object(notAParty)["detail"] as? String == "„andenskole“ er ikke part i partnerskabet. Du kan kun acceptere aftalen for en af dets parter.")
            let school = try await api.send(.POST, path + "/acceptances", acceptances, token: leader, json: #"{"party": "eksempelskolen", "version": 1}"#)
            #expect(school.status == .created)
            let acceptedBySchool = try Self.object(school)
            #expect(acceptedBySchool["everyoneAccepted"] as? Bool == false && acceptedBySchool["state"] as? String == "ide")
            #expect(try await api.send(.POST, path + "/acceptances", acceptances, token: leader, json: #"{"party": "eksempelskolen", "version": 1}"#).status == .conflict)
            #expect(try await api.send(.POST, path + "/acceptances", acceptances, token: curator, json: #"{"party": "demo-museet", "version": 2}"#).status == .conflict)
            let museum = try await api.send(.POST, path + "/acceptances", acceptances, token: curator, json: #"{"party": "demo-museet", "version": 1}"#)
            #expect(museum.status == .created)
            let last = try Self.object(museum)
            #expect(last["everyoneAccepted"] as? Bool == true && last["state"] as? String == "aftalt" && last["acceptedVersion"] as? Int == 1)

            // The life cycle: refusals for the role (403) and the state (409) in Danish; then it is set going.
            let transitions = "/api/v1/partnerships/{slug}/transitions"
            let teacherStep = try await api.send(.POST, path + "/transitions", transitions, token: teacher, json: #"{"transition": "aktiver"}"#)
            #expect(teacherStep.status == .forbidden)
            #expect((try Self.object(teacherStep)["detail"] as? String)?.hasPrefix("Kun parternes ledere, kontaktpersoner") == true)
            let early = try await api.send(.POST, path + "/transitions", transitions, token: leader, json: #"{"transition": "evaluer"}"#)
            #expect(early.status == .conflict)
            #expect(try Self.object(early)["detail"] as? String == "Partnerskabet er aftalt. Du kan kun markere partnerskabet som evalueret, når det er aktivt.")
            #expect(try await api.send(.POST, path + "/transitions", transitions, token: leader, json: #"{"transition": "fly"}"#).status == .unprocessableEntity)
            let going = try await api.send(.POST, path + "/transitions", transitions, token: leader, json: #"{"transition": "aktiver", "comment": "Vi går i gang"}"#)
            #expect(going.status == .ok)
            #expect(try Self.object(going)["state"] as? String == "aktiv")

            // An activity: planned, read, changed from its revision; a change from the old revision is refused (412).
            let activities = "/api/v1/partnerships/{slug}/activities", activityTemplate = "/api/v1/partnerships/{slug}/activities/{id}"
            let visit = #"{"title": "Besøg på museet", "startsAt": "2026-11-02T09:00:00+01:00", "endsAt": "2026-11-02T12:00:00.250+01:00", "place": "Demo-museet", "pupils": 24, "gradeLevel": "5"}"#
            let backwards = try await api.send(.POST, path + "/activities", activities, token: teacher,
                                               json: visit.replacingOccurrences(of: "T12:00:00.250", with: "T08:00:00"))
            #expect(backwards.status == .unprocessableEntity)
            #expect(try Write.problems(backwards)["endsAt"] == "Sluttidspunktet skal ligge efter starttidspunktet.")
            let noDay = try await api.send(.POST, path + "/activities", activities, token: teacher, json: visit.replacingOccurrences(of: "2026-11-02T09", with: "2026-11-31T09"))
            #expect(Set(try Write.problems(noDay).keys) == ["startsAt"])
            let planned = try await api.send(.POST, path + "/activities", activities, token: teacher, json: visit)
            #expect(planned.status == .created && planned.headers.first(name: .eTag) == "\"1\"")
            let activity = try Self.object(planned)
            let id = try #require(activity["id"] as? String)
            #expect(planned.headers.first(name: .location) == path + "/activities/" + id)
            #expect(activity["startsAt"] as? String == "2026-11-02T08:00:00Z" && activity["endsAt"] as? String == "2026-11-02T11:00:00Z")
            #expect(activity["status"] as? String == "planlagt" && activity["classes"] as? String == "")
            let activityPath = path + "/activities/" + id.lowercased()
            #expect(try await api.send(.GET, activityPath, activityTemplate, token: coordinator).headers.first(name: .eTag) == "\"1\"")
            let held = visit.replacingOccurrences(of: "\"pupils\": 24", with: "\"pupils\": 23, \"status\": \"gennemfoert\"")
            let changed = try await api.send(.PUT, activityPath, activityTemplate, token: teacher, json: held, ifMatch: "\"1\"")
            #expect(changed.status == .ok && changed.headers.first(name: .eTag) == "\"2\"")
            #expect(try Self.object(changed)["status"] as? String == "gennemfoert")
            let overwritten = try await api.send(.PUT, activityPath, activityTemplate, token: curator, json: visit, ifMatch: "\"1\"")
            #expect(overwritten.status == .preconditionFailed)
            #expect(try Self.object(overwritten)["detail"] as? String == "Aktiviteten er ændret af en anden, siden du åbnede den. Dine ændringer er ikke gemt endnu – sammenlign, og gem igen.")
            #expect(try await api.send(.GET, path + "/activities/" + UUID().uuidString, activityTemplate, token: teacher).status == .notFound)
            #expect(try await api.send(.PUT, path + "/activities/ikke-et-id", activityTemplate, token: teacher, json: visit).status == .notFound)
            let all = try await api.send(.GET, path + "/activities", activities, token: leader)
            #expect((try Self.object(all)["items"] as? [[String: Any]])?.map { $0["pupils"] as? Int } == [23])

            // Evaluations: each party answers for itself; answering again replaces; an activity's id in any case.
            let evaluations = "/api/v1/partnerships/{slug}/evaluations"
            let period = #"{"occasion": "periode", "party": "eksempelskolen", "answers": {"maal": "4", "samarbejde": "4", "udbytte": "5", "laering": "Tidlig planlægning"}}"#
            #expect(try await api.send(.POST, path + "/evaluations", evaluations, token: teacher, json: period.replacingOccurrences(of: "eksempelskolen", with: "demo-museet")).status == .forbidden)
            let badAnswers = try await api.send(.POST, path + "/evaluations", evaluations, token: teacher, json: period.replacingOccurrences(of: "\"maal\": \"4\"", with: "\"maal\": \"9\", \"farve\": \"blå\""))
            #expect(badAnswers.status == .unprocessableEntity)
            #expect(Set(try Write.problems(badAnswers).keys) == ["answers.maal", "answers.farve"])
            #expect(try await api.send(.POST, path + "/evaluations", evaluations, token: teacher, json: period).status == .created)
            #expect(try await api.send(.POST, path + "/evaluations", evaluations, token: leader, json: period.replacingOccurrences(of: "\"4\"", with: "\"3\"")).status == .ok)
            let afterActivity = try await api.send(.POST, path + "/evaluations", evaluations, token: curator,
                                                   json: #"{"occasion": "\#(id.lowercased())", "party": "demo-museet", "answers": {"maal": "5", "elever": "5"}}"#)
            #expect(afterActivity.status == .created)
            #expect(try Self.object(afterActivity)["occasion"] as? String == id.uppercased())
            #expect(try await api.send(.POST, path + "/evaluations", evaluations, token: curator,
                                       json: #"{"occasion": "\#(UUID().uuidString)", "party": "demo-museet", "answers": {}}"#).status == .notFound)
            let answered = try Self.object(try await api.send(.GET, path + "/evaluations", evaluations, token: coordinator))
            let items = try #require(answered["items"] as? [[String: Any]])
            #expect(items.count == 2)
            let schoolPeriod = try #require(items.first { $0["occasion"] as? String == "periode" })
            #expect((schoolPeriod["answers"] as? [String: String])?["maal"] == "3" && schoolPeriod["personName"] as? String == "Lis Leder")
            #expect(schoolPeriod["party"] as? String == "eksempelskolen")
            #expect((((answered["questionnaires"] as? [String: Any])?["aktivitet"] as? [String: Any])?["questions"] as? [Any])?.count == 4)

            // Who sees it: the parties, the coordinator of the school's municipality, administrators; not the fourth organisation.
            for (token, total) in [(leader, 1), (coordinator, 1), (administrator, 1), (outsider, 0)] {
                let page = try Self.object(try await api.send(.GET, list, list, token: token))
                #expect(page["total"] as? Int == total)
                #expect((page["items"] as? [[String: Any]])?.count == total)
            }
            #expect(try await api.send(.GET, list + "?limit=0&sort=x", list, token: leader).status == .badRequest)
            #expect(try Self.object(try await api.send(.GET, list + "?offset=1", list, token: leader))["items"] as? [Any] != nil)
            let hidden: [(HTTPMethod, String, String, String?)] = [
                (.GET, path, one, nil), (.PATCH, path, one, "{}"), (.POST, path + "/transitions", transitions, #"{"transition": "opgiv"}"#),
                (.GET, path + "/agreement-versions", versions, nil), (.POST, path + "/agreement-versions", versions, agreement),
                (.POST, path + "/acceptances", acceptances, #"{"party": "andenskole", "version": 1}"#),
                (.GET, path + "/activities", activities, nil), (.POST, path + "/activities", activities, visit),
                (.GET, activityPath, activityTemplate, nil), (.PUT, activityPath, activityTemplate, visit),
                (.GET, path + "/evaluations", evaluations, nil), (.POST, path + "/evaluations", evaluations, period),
            ]
            let missing = "/api/v1/partnerships/findes-ikke"
            for (method, url, template, json) in hidden {
                let answer = try await api.send(method, url, template, token: outsider, json: json)
                #expect(answer.status == .notFound, "\(method) \(url)")
                let nothing = try await api.send(method, url.replacingOccurrences(of: path, with: missing), template, token: outsider, json: json)
                #expect(try Self.object(answer)["title"] as? String == Self.object(nothing)["title"] as? String, "the same answer as for nothing")
                // No token (or a wrong one): 401 with WWW-Authenticate, as documented.
                for token in [nil, "samspil_forkert"] {
                    let anonymous = try await api.send(method, url, template, token: token, json: json)
                    #expect(anonymous.status == .unauthorized, "\(method) \(url)")
                    #expect(anonymous.headers.first(name: .wwwAuthenticate) == "Bearer realm=\"samspil\"")
                }
            }
            for token in [nil, "samspil_forkert"] {
                #expect(try await api.send(.GET, list, list, token: token).status == .unauthorized)
                #expect(try await api.send(.POST, list, list, token: token, json: Self.created).status == .unauthorized)
            }
            #expect(try await PartnershipJourneyTests.state("vikinger-paa-museet", on: app.db) == .active, "the outsider changed nothing")

            // Renewing answers 201 with the next period; the finished one can no longer be changed (409).
            for step in ["evaluer", "afslut"] {
                #expect(try await api.send(.POST, path + "/transitions", transitions, token: leader, json: #"{"transition": "\#(step)"}"#).status == .ok)
            }
            let renewed = try await api.send(.POST, path + "/transitions", transitions, token: curator, json: #"{"transition": "forny"}"#)
            #expect(renewed.status == .created)
            let next = try Self.object(renewed)
            #expect(next["state"] as? String == "i-dialog" && next["schoolYears"] as? [String] == ["2027/28"] && next["renewedFrom"] as? String == "vikinger-paa-museet")
            #expect(renewed.headers.first(name: .location) == "/api/v1/partnerships/\(next["slug"] as? String ?? "")")
            let closed = try await api.send(.PATCH, path, one, token: leader, json: #"{"goals": "Mere"}"#)
            #expect(closed.status == .conflict)
            #expect(try Self.object(closed)["detail"] as? String == "Partnerskabet er fornyet og kan ikke længere ændres.")
            #expect(try Self.object(try await api.send(.GET, list, list, token: leader))["total"] as? Int == 2)
        }
    }

    /// The served document's enum of forms is the forms the server knows, also after an administrator adds one.
    @Test(arguments: TestBackend.all)
    func theDocumentNamesTheForms(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            var document = try await OpenAPITests.document(app)
            #expect(try OpenAPIExactnessTests.schema(document, "PartnershipFormSlug")["enum"] as? [String] == PartnershipForm.defaults.map(\.slug))
            #expect(try await PartnershipQueries.forms(on: app.db).map(\.slug) == PartnershipForm.defaults.map(\.slug))
            let administrator = try await AccountQueries.create(email: "admin@samspil.dk", password: SignUpTests.password, role: .administrator,
                                                                now: frozenNow, hashing: PasswordHashing(app), on: app.db)
            let added = try await PartnershipFormSaving.create(.init(name: "Fælles udviklingsprojekt", description: "Skole og museum udvikler sammen."),
                                                               by: administrator, now: frozenNow, on: app.db)
            document = try await OpenAPITests.document(app)
            let served = try OpenAPIExactnessTests.schema(document, "PartnershipFormSlug")["enum"] as? [String]
            let forms = try await PartnershipQueries.forms(on: app.db).map(\.slug)
            #expect(forms.last == added)
            #expect(served == forms)
        }
    }

    /// Boundaries of the request schemas, each answered as the document says: accepted exactly when it allows the body.
    @Test(arguments: TestBackend.all)
    func bodiesAtTheDocumentsBoundaries(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let world = try await PartnershipJourneyTests.world(app)
            let leader = try await Self.member(app, "leder@eksempelskolen.dk", "Lis Leder", of: world.school, as: [.schoolLeader])
            let api = try await Client(app)
            let list = "/api/v1/partnerships"
            let combining = String(repeating: "e\u{301}", count: 100)  // 200 code points, 100 characters
            let years = (2026...2036).map { "\"\($0)/\(String(($0 + 1) % 100))\"" }
            let cases: [(String, [String: String], Bool)] = [
                ("valid", [:], true),
                ("title of 200 code points", ["title": "\"\(combining)\""], true),
                ("title of 201 code points in 101 characters", ["title": "\"\(combining)e\""], false),
                ("title of a line separator", ["title": #""\u2028""#], false),
                ("title with U+0000", ["title": #""a\u0000b""#], false),
                ("summary null", ["summary": "null"], true),
                ("ten school years", ["schoolYears": "[" + years.prefix(10).joined(separator: ", ") + "]"], true),
                ("eleven school years", ["schoolYears": "[" + years.joined(separator: ", ") + "]"], false),
                ("a school year twice", ["schoolYears": #"["2026/27", "2026/27"]"#], false),
                ("2100/01", ["schoolYears": #"["2100/01"]"#], true),
                ("2101/02", ["schoolYears": #"["2101/02"]"#], false),
                ("a subject twice", ["subjects": #"["historie", "historie"]"#], false),
                ("an unknown subject", ["subjects": #"["svoemning"]"#], false),
                ("subjects null", ["subjects": "null", "gradeLevels": "null"], true),
                ("pupils 1000000", ["pupilsExpected": "1000000"], true),
                ("pupils 1000001", ["pupilsExpected": "1000001"], false),
                ("classes 2.0", ["classesExpected": "2.0"], true),
                ("classes 2.5", ["classesExpected": "2.5"], false),
                ("role of 200 characters", ["role": "\"\(String(repeating: "r", count: 200))\""], true),
                ("role of 201 characters", ["role": "\"\(String(repeating: "r", count: 201))\""], false),
                ("blank role", ["role": #"" ""#], false),
                ("no other parties", ["otherParties": "null"], true),
                ("the first party again", ["otherParties": #"[{"organisation": "eksempelskolen", "role": "Skole"}]"#], false),
                ("a municipality as a party", ["otherParties": #"[{"organisation": "koebenhavns-kommune", "role": "Kommune"}]"#], true),
                ("an unknown form", ["form": #""ukendt""#], false),
                ("no role", ["role": "-"], false),
            ]
            let base: [String: String] = [
                "title": #""Vikinger""#, "form": #""specialudviklet-forloeb""#, "schoolYears": #"["2026/27"]"#, "party": #""eksempelskolen""#,
                "role": #""Skole""#, "subjects": #"["historie"]"#, "gradeLevels": #"["5"]"#,
            ]
            for (name, changes, allowed) in cases {
                var members = base.merging(changes) { $1 }
                members = members.filter { $0.value != "-" }
                let json = "{" + members.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
                let response = try await api.send(.POST, list, list, token: leader, json: json)
                #expect(response.status == (allowed ? .created : .unprocessableEntity), "\(name): \(response.status) \(response.text)")
            }
        }
    }

    /// What the document's patterns allow is what the server reads: days, amounts, times, school years.
    @Test func theDocumentsPatternsAreTheServersRules() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: AppResources.data("openapi.json")) as? [String: Any])
        func property(_ schema: String, _ path: String...) throws -> [String: Any] {
            var node: Any = try OpenAPIExactnessTests.schema(document, schema)
            for key in path { node = try #require((node as? [String: Any])?[key], "\(schema) \(path)") }
            return try #require(node as? [String: Any])
        }
        let agreement = try property("AgreementVersionInput", "properties")
        let date = try #require((agreement["evaluationDate"] as? [String: Any])?["pattern"] as? String)
        #expect(date == #"^(?:[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[048]|[2468][048]|[13579][26])00)-02-29)$"#)
        var differences: [String] = []
        for year in [0, 4, 100, 400, 1900, 1996, 2000, 2023, 2024, 2100, 2400, 9996, 9999] {
            for month in 0...13 {
                for day in 0...32 {
                    let text = String(format: "%04d-%02d-%02d", year, month, day)
                    if (text.range(of: date, options: .regularExpression) != nil) != PartnershipRules.isDate(text) { differences.append(text) }
                }
            }
        }
        for text in ["2027-6-15", "2027-06-15 ", "02027-06-15", "２０２７-06-15", "2027-06-1５", ""] where (text.range(of: date, options: .regularExpression) != nil) || PartnershipRules.isDate(text) {
            differences.append(text)
        }
        #expect(differences.isEmpty, "the pattern and the rules disagree on \(differences.prefix(20))")

        let payments = try property("AgreementVersionInput", "properties", "payments", "items", "properties", "amount")
        #expect(payments["pattern"] as? String == PartnershipInput.amountPattern)
        for (text, ore) in [("0", 0), ("12500.50", 1_250_050), ("12500", 1_250_000), ("100000000.00", 10_000_000_000), ("99999999.99", 9_999_999_999)] as [(String, Int64)] {
            #expect(PartnershipInput.money(text) == Money(ore: ore), "\(text)")
        }
        for text in ["", "-1", "01", "12500.5", "12500.505", "12.500,50", "100000000.01", "100000001", "1e3", " 1", "12500.50\n", "１"] {
            #expect(PartnershipInput.money(text) == nil, "\(text)")
        }

        let activity = try property("ActivityInput", "properties", "startsAt")
        #expect(activity["pattern"] as? String == PartnershipInput.dateTimePattern)
        let moments: [(String, TimeInterval?)] = [
            ("2026-11-02T09:00:00+01:00", 1_793_606_400), ("2026-11-02t08:00:00z", 1_793_606_400), ("2026-11-02T08:00:00.999Z", 1_793_606_400),
            ("2026-11-02T03:30:00-04:30", 1_793_606_400), ("2024-02-29T00:00:00Z", 1_709_164_800), ("2023-02-29T00:00:00Z", nil),
            ("2026-04-31T00:00:00Z", nil), ("2026-11-02T24:00:00Z", nil), ("2026-11-02T09:00Z", nil), ("2026-11-02 09:00:00Z", nil),
            ("0999-11-02T09:00:00Z", nil), ("2026-11-02T09:00:60Z", nil), ("2026-11-02T09:00:00+0100", nil), ("2026-11-02T09:00:00Z\n", nil),
        ]
        for (text, expected) in moments {
            let read = PartnershipInput.matches(text, PartnershipInput.dateTimePattern) ? PartnershipInput.date(rfc3339: text) : nil
            #expect(read?.timeIntervalSince1970 == expected, "\(text)")
        }

        let years = try #require(try OpenAPIExactnessTests.schema(document, "SchoolYear")["enum"] as? [String])
        var yearDifferences: [String] = []
        for first in 1990...2110 {
            for second in 0...99 {
                let text = "\(first)/\(second < 10 ? "0" : "")\(second)"
                if years.contains(text) != PartnershipRules.isSchoolYear(text) { yearDifferences.append(text) }
            }
        }
        #expect(yearDifferences.isEmpty, "\(yearDifferences.prefix(10))")
        #expect(!PartnershipRules.isSchoolYear("2026/027") && !PartnershipRules.isSchoolYear("+2026/27"))

        let occasion = try #require(try property("EvaluationInput", "properties", "occasion")["pattern"] as? String)
        #expect(occasion == PartnershipInput.occasionPattern)
        for text in ["periode", UUID().uuidString, UUID().uuidString.lowercased()] {
            #expect(PartnershipInput.matches(text, occasion) && (text == "periode" || UUID(uuidString: text) != nil), "\(text)")
        }
        for text in ["Periode", "periode ", "periode\n", "{\(UUID().uuidString)}", String(UUID().uuidString.dropLast())] {
            #expect(!PartnershipInput.matches(text, occasion), "\(text)")
        }
    }
}
