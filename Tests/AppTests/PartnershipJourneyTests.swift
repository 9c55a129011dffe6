@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing
import Vapor
import VaporTesting

/// Issue 13's journey through the real pages, on both databases: a school and a museum start a partnership in
/// the guided steps, add their municipality, write the agreement and accept it (all three), change it and accept
/// again, set it going, plan and hold three activities, and evaluate; a person of a fourth organisation sees none
/// of it (pages, print, calendar, lists, CSV).
@Suite struct PartnershipJourneyTests {
    typealias Browser = LoginTests.Browser

    struct World {
        var school: UUID
        var museum: UUID
        var municipality: UUID
        var other: UUID
    }

    /// Eksempelskolen (0101), Demo-museet (0751), Københavns Kommune (0101) and a fourth organisation, all approved.
    static func world(_ app: Application) async throws -> World {
        let world = World(school: UUID(), museum: UUID(), municipality: UUID(), other: UUID())
        var museum = OrganisationStorageTests.museum()
        museum.status = .approved
        var other = OrganisationStorageTests.school("andenskole", number: "101002", municipality: "0751")
        other.name = "Andenskolen"
        let municipality = Organisation(slug: "koebenhavns-kommune", kind: .municipality, name: "Københavns Kommune", status: .approved, municipalityCode: "0101")
        try await OrganisationStore.insert([(world.school, OrganisationStorageTests.school()), (world.museum, museum), (world.municipality, municipality),
                                            (world.other, other)], createdBy: nil, now: frozenNow, on: app.db)
        return world
    }

    static func person(_ app: Application, _ email: String, _ name: String, of organisation: UUID, as roles: [OrganisationRole]) async throws -> Browser {
        let account = try await AccountQueries.create(email: email, name: name, password: SignUpTests.password, role: .member, now: frozenNow,
                                                      hashing: PasswordHashing(app), on: app.db)
        for role in roles { try await MembershipQueries.add(user: account.id, organisation: organisation, role: role, now: frozenNow, on: app.db) }
        let browser = Browser(app)
        #expect(try await browser.logIn(email, SignUpTests.password).status == .seeOther)
        return browser
    }

    static func state(_ slug: String, on db: any Database) async throws -> PartnershipState {
        try #require(try await PartnershipQueries.find(slug: slug, on: db)).state
    }

    @Test(arguments: TestBackend.all)
    func journey(backend: TestBackend) async throws {
        try await withApp(backend, seed: false) { app in
            let world = try await Self.world(app)
            let leader = try await Self.person(app, "leder@eksempelskolen.dk", "Lis Leder", of: world.school, as: [.schoolLeader])
            let teacher = try await Self.person(app, "laerer@eksempelskolen.dk", "Tom Lærer", of: world.school, as: [.teacher])
            let curator = try await Self.person(app, "leder@demo-museet.dk", "Mads Museum", of: world.museum, as: [.leader])
            let coordinator = try await Self.person(app, "koordinator@kk.dk", "Kim Koordinator", of: world.municipality, as: [.coordinator])
            let outsider = try await Self.person(app, "leder@andenskolen.dk", "Olga Udenfor", of: world.other, as: [.schoolLeader])

            // The guided creation: four steps, each posting what the earlier ones held; a missing title keeps the input.
            #expect(try await leader.get("/partnerskaber/ny").status == .ok)
            let csrf = try await leader.csrfToken(on: "/partnerskaber/ny")
            var fields = ["_csrf": csrf, "step": "1", "form": "specialudviklet-forloeb"]
            let step2 = try await leader.post("/partnerskaber/ny", fields)
            #expect(step2.status == .ok)
            #expect(step2.text.contains("Trin 2 af 4"))
            fields.merge(["step": "2", "party": world.school.uuidString, "role": "Skole", "otherParty": "Demo-museet", "otherRole": "Værtsmuseum"]) { $1 }
            #expect(try await leader.post("/partnerskaber/ny", fields).text.contains("Trin 3 af 4"))
            fields.merge(["step": "3", "title": "", "summary": "Vikingetiden i 5. klasse", "purpose": "Historie med hænderne."]) { $1 }
            let refused = try await leader.post("/partnerskaber/ny", fields)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("Giv partnerskabet en titel."))
            #expect(refused.text.contains("Vikingetiden i 5. klasse"), "the input is kept")
            fields["title"] = "Vikinger på museet"
            #expect(try await leader.post("/partnerskaber/ny", fields).text.contains("Trin 4 af 4"))
            fields.merge(["step": "4", "schoolYears": "2026/27", "classesExpected": "2", "pupilsExpected": "48"]) { $1 }
            let created = try await leader.post("/partnerskaber/ny", fields)
            #expect(created.status == .seeOther)
            let location = try #require(created.headers.first(name: .location))
            #expect(location == "/partnerskaber/vikinger-paa-museet?besked=oprettet")
            let page = "/partnerskaber/vikinger-paa-museet"
            let shown = try await leader.get(page)
            #expect(shown.text.contains("Demo-museet"))
            #expect(shown.text.contains("Værtsmuseum"))
            #expect(try await Self.state("vikinger-paa-museet", on: app.db) == .idea)

            // The municipality joins from the registry.
            let leaderCSRF = try await leader.csrfToken(on: page)
            #expect(try await leader.post(page + "/parter", ["_csrf": leaderCSRF, "organisation": "Ukendt Museum", "partyRole": "Kommune"]).status == .unprocessableEntity)
            #expect(try await leader.post(page + "/parter", ["_csrf": leaderCSRF, "organisation": "koebenhavns-kommune", "partyRole": "Kommune"]).status == .seeOther)
            #expect(try await OutboxMessageModel.query(on: app.db).filter(\.$recipient == "leder@demo-museet.dk").count() >= 1, "the museum is told")

            // The agreement, version 1, with an amount in Danish notation; a bad amount is refused and kept.
            let parties = try #require(try await PartnershipQueries.find(slug: "vikinger-paa-museet", on: app.db)).parties
            #expect(parties.map(\.organisationID) == [world.school, world.museum, world.municipality])
            var agreement = ["_csrf": leaderCSRF, "basedOn": "0", "contribution-\(world.school.uuidString)": "Skolen planlægger forløbet.",
                             "contribution-\(world.museum.uuidString)": "Museet underviser på museet.", "paymentParty-0": world.municipality.uuidString,
                             "paymentAmount-0": "12.500,50 kr", "paymentPurpose-0": "Bus", "meetingRhythm": "To møder om året", "evaluationDate": "15-06-2027"]
            agreement["paymentAmount-0"] = "tolv tusind"
            let badAmount = try await leader.post(page + "/aftale", agreement)
            #expect(badAmount.status == .unprocessableEntity)
            #expect(badAmount.text.contains("tolv tusind"))
            agreement["paymentAmount-0"] = "12.500,50 kr"
            #expect(try await leader.post(page + "/aftale", agreement).status == .seeOther)
            let partnershipID = try #require(try await PartnershipQueries.find(slug: "vikinger-paa-museet", on: app.db)).id
            let version1 = try #require(try await PartnershipQueries.version(partnershipID, number: 1, on: app.db))
            #expect(version1.agreement.payments.first?.amount == Money(ore: 1_250_050))
            #expect(version1.agreement.evaluationDate == "2027-06-15")

            // A teacher may draft but not accept; each party's decider accepts; the last makes it agreed.
            #expect(try await teacher.post(page + "/aftale/accepter", ["_csrf": try await teacher.csrfToken(on: page), "party": world.school.uuidString, "version": "1"]).status == .forbidden)
            for (browser, party) in [(leader, world.school), (curator, world.museum)] {
                #expect(try await browser.post(page + "/aftale/accepter", ["_csrf": try await browser.csrfToken(on: page), "party": party.uuidString, "version": "1"]).status == .seeOther)
            }
            #expect(try await Self.state("vikinger-paa-museet", on: app.db) == .idea)
            #expect(try await leader.post(page + "/aftale/accepter", ["_csrf": leaderCSRF, "party": world.school.uuidString, "version": "1"]).status == .conflict, "once per party")
            let last = try await coordinator.post(page + "/aftale/accepter", ["_csrf": try await coordinator.csrfToken(on: page), "party": world.municipality.uuidString, "version": "1"])
            #expect(last.headers.first(name: .location)?.hasSuffix("besked=aftalt") == true)
            #expect(try await Self.state("vikinger-paa-museet", on: app.db) == .agreed)

            // A change makes version 2, back in dialogue until all three accept it.
            var change = agreement
            change["_csrf"] = try await curator.csrfToken(on: page)
            change["basedOn"] = "1"
            change["contribution-\(world.museum.uuidString)"] = "Museet underviser og låner genstande ud."
            #expect(try await curator.post(page + "/aftale", change).status == .seeOther)
            #expect(try await Self.state("vikinger-paa-museet", on: app.db) == .dialogue)
            let stale = try await leader.post(page + "/aftale", agreement.merging(["basedOn": "1", "meetingRhythm": "Tre møder"]) { $1 })
            #expect(stale.status == .conflict, "the second writer from version 1 is told")
            #expect(stale.text.contains("Tre møder"), "and keeps their text")
            #expect(stale.text.contains("låner genstande ud"), "beside the newer version")
            for (browser, party) in [(leader, world.school), (curator, world.museum), (coordinator, world.municipality)] {
                #expect(try await browser.post(page + "/aftale/accepter", ["_csrf": try await browser.csrfToken(on: page), "party": party.uuidString, "version": "2"]).status == .seeOther)
            }
            #expect(try await Self.state("vikinger-paa-museet", on: app.db) == .agreed)
            let printed = try await leader.get(page + "/aftale/print")
            #expect(printed.text.contains("Version 2"))
            #expect(printed.text.contains("Kim Koordinator"))
            #expect(printed.text.contains("12.500,50 kr."))
            #expect(printed.text.contains("agreement-print"))

            // The coordinator reads but cannot step; the leader sets it going.
            #expect(try await teacher.post(page + "/forloeb", ["_csrf": try await teacher.csrfToken(on: page), "step": "aktiver"]).status == .forbidden)
            #expect(try await leader.post(page + "/forloeb", ["_csrf": leaderCSRF, "step": "evaluer"]).status == .conflict)
            #expect(try await leader.post(page + "/forloeb", ["_csrf": leaderCSRF, "step": "aktiver", "comment": "Vi går i gang"]).status == .seeOther)
            #expect(try await Self.state("vikinger-paa-museet", on: app.db) == .active)

            // Three activities, planned by the teacher and then held.
            for day in ["02-11-2026", "09-11-2026", "16-11-2026"] {
                let saved = try await teacher.post(page + "/aktiviteter", ["_csrf": try await teacher.csrfToken(on: page), "title": "Besøg \(day)", "date": day,
                                                                           "startTime": "09:00", "endTime": "12:00", "place": "Demo-museet", "classes": "5.a",
                                                                           "pupils": "24", "teacher": "Mads Museum", "status": "planlagt"])
                #expect(saved.status == .seeOther)
            }
            let wrongTime = try await teacher.post(page + "/aktiviteter", ["_csrf": try await teacher.csrfToken(on: page), "title": "Forkert", "date": "16-11-2026",
                                                                           "startTime": "12:00", "endTime": "09:00"])
            #expect(wrongTime.status == .unprocessableEntity)
            #expect(wrongTime.text.contains("Sluttidspunktet skal ligge efter starttidspunktet."))
            let stored = try #require(try await PartnershipQueries.find(slug: "vikinger-paa-museet", on: app.db))
            let activities = try await PartnershipQueries.activities(of: stored, on: app.db)
            #expect(activities.count == 3)
            for activity in activities {
                var form = ["_csrf": try await teacher.csrfToken(on: page), "title": activity.activity.title, "date": ActivityForm.local(activity.activity.startsAt).date,
                            "startTime": "09:00", "endTime": "12:00", "place": "Demo-museet", "classes": "5.a", "pupils": "24", "teacher": "Mads Museum",
                            "status": "gennemfoert", "revision": String(activity.revision)]
                #expect(try await teacher.post(page + "/aktiviteter/\(activity.id.uuidString)", form).status == .seeOther)
                form["place"] = "Skolen"
                let second = try await curator.post(page + "/aktiviteter/\(activity.id.uuidString)", form.merging(["_csrf": try await curator.csrfToken(on: page)]) { $1 })
                #expect(second.status == .conflict, "a change from the old revision is told")
                #expect(second.text.contains("Skolen"), "and keeps its input")
            }
            let calendarPage = try await leader.get(page + "/aktiviteter?maaned=2026-11")
            #expect(calendarPage.text.contains("November 2026"))
            #expect(calendarPage.text.contains("09:00 Besøg 09-11-2026"))
            let ics = try await leader.get(page + "/kalender.ics")
            #expect(ics.headers.contentType?.description.hasPrefix("text/calendar") == true)
            #expect(ics.text.components(separatedBy: "BEGIN:VEVENT").count == 4)

            // Each party evaluates the period; the page shows the answers side by side.
            let bad = try await leader.post(page + "/evaluering/periode", ["_csrf": leaderCSRF, "party": world.school.uuidString, "q-maal": "9"])
            #expect(bad.status == .unprocessableEntity)
            for (browser, party, score) in [(leader, world.school, "4"), (curator, world.museum, "5")] {
                let answers = ["_csrf": try await browser.csrfToken(on: page), "party": party.uuidString, "q-maal": score, "q-samarbejde": "4", "q-udbytte": "5",
                               "q-laering": "Tidlig planlægning", "q-fremad": "Ja"]
                #expect(try await browser.post(page + "/evaluering/periode", answers).status == .seeOther)
            }
            let activityAnswer = ["_csrf": try await teacher.csrfToken(on: page), "party": world.school.uuidString, "q-maal": "3", "q-elever": "5", "q-godt": "Genstandene"]
            #expect(try await teacher.post(page + "/evaluering/\(activities[0].id.uuidString)", activityAnswer).status == .seeOther)
            #expect(try await leader.post(page + "/forloeb", ["_csrf": leaderCSRF, "step": "evaluer"]).status == .seeOther)
            let evaluated = try await coordinator.get(page)
            #expect(evaluated.text.contains("Evaluering: Perioden"))
            #expect(evaluated.text.contains("5 af 5"))
            #expect(evaluated.text.contains("Tidlig planlægning"))
            #expect(evaluated.text.contains("Evalueret"))

            // A shared document: for the parties only, never through the public file address.
            let uploaded = try await curator.postMultipart(page + "/dokumenter", fields: [("_csrf", try await curator.csrfToken(on: page)), ("title", "Forløbsplan")],
                                                           fileName: "plan.pdf", bytes: UploadTests.pdf)
            #expect(uploaded.status == .seeOther)
            let notPDF = try await curator.postMultipart(page + "/dokumenter", fields: [("_csrf", try await curator.csrfToken(on: page)), ("title", "Virus")],
                                                         fileName: "plan.pdf", bytes: Array("MZ not a pdf".utf8))
            #expect(notPDF.status == .unprocessableEntity)
            #expect(notPDF.text.contains("Filens indhold afgør"))
            let document = try #require(try await PartnershipDocumentModel.query(on: app.db).first())
            let documentPath = page + "/dokumenter/\(try document.requireID().uuidString.lowercased())/plan.pdf"
            #expect(try await teacher.get(page).text.contains(documentPath))
            let downloaded = try await teacher.get(documentPath)
            #expect(downloaded.status == .ok)
            #expect(downloaded.body.readableBytes == UploadTests.pdf.count)
            #expect(try await outsider.get(documentPath).status == .notFound)
            let fileAddress = "/filer/\(document.$file.id.uuidString.lowercased())/plan.pdf"
            #expect(try await teacher.get(fileAddress).status == .notFound, "not through the materials' file address, even for a party")
            #expect(try await outsider.get(fileAddress).status == .notFound)

            // Comments reach the other parties' contact persons.
            #expect(try await curator.post(page + "/kommentarer", ["_csrf": try await curator.csrfToken(on: page), "body": "Tak for et godt forløb"]).status == .seeOther)
            #expect(try await OutboxMessageModel.query(on: app.db).filter(\.$recipient == "leder@eksempelskolen.dk").filter(\.$subject ~~ "kommentar").count() == 1)

            // The coordinator's list and CSV.
            let list = try await coordinator.get("/partnerskaber/kommune/koebenhavns-kommune")
            #expect(list.status == .ok)
            #expect(list.text.contains("Vikinger på museet"))
            let csv = try await coordinator.get("/partnerskaber/kommune/koebenhavns-kommune/partnerskaber.csv?tilstand=evalueret")
            #expect(csv.text.contains("Vikinger på museet;Evalueret;Specialudviklet forløb;2026/27;"))
            #expect(try await coordinator.get("/partnerskaber/kommune/koebenhavns-kommune/partnerskaber.csv?tilstand=aktiv").text.contains("Vikinger") == false)

            // The fourth organisation sees none of it.
            for path in [page, page + "/aftale/print", page + "/kalender.ics", page + "/aktiviteter", page + "/evaluering/periode"] {
                #expect(try await outsider.get(path).status == .notFound, "\(path)")
            }
            #expect(try await outsider.post(page + "/kommentarer", ["_csrf": try await outsider.csrfToken(on: "/partnerskaber"), "body": "Hej"]).status == .notFound)
            #expect(try await outsider.get("/partnerskaber").text.contains("Vikinger") == false)
            #expect(try await outsider.get("/partnerskaber/kommune/koebenhavns-kommune").status == .forbidden)
            #expect(try await outsider.get("/partnerskaber/kommune/koebenhavns-kommune/partnerskaber.csv").status == .forbidden)
            let made = try await outsider.post("/min-side/kalender", ["_csrf": try await outsider.csrfToken(on: "/min-side/kalender"), "scope": "person"])
            let feed = try #require(made.text.range(of: "http://samspil.test/kalender/").map { String(made.text[$0.lowerBound...].prefix { $0 != "<" }) })
            let outsiderFeed = try await Browser(app).get(String(feed.dropFirst("http://samspil.test".count)))
            #expect(outsiderFeed.status == .ok)
            #expect(!outsiderFeed.text.contains("VEVENT"))
            let stolen = try await outsider.post("/min-side/kalender", ["_csrf": try await outsider.csrfToken(on: "/min-side/kalender"), "scope": "partnership:\(stored.id.uuidString)"])
            #expect(stolen.status == .badRequest, "a partnership the person cannot see is no choice")

            // Published as a case with everyone's consent: before, nobody outside finds it; after, only the chosen fields.
            #expect(try await Browser(app).get("/soeg?q=vikinger").text.contains("case-hits") == false)
            #expect(try await leader.post(page + "/eksempel", pairs: [("_csrf", leaderCSRF), ("what", "foreslaa"), ("fields[]", "beskrivelse"),
                                                                     ("fields[]", "parter"), ("fields[]", "evaluering")]).status == .seeOther)
            for (browser, party) in [(leader, world.school), (curator, world.museum)] {
                #expect(try await browser.post(page + "/eksempel", ["_csrf": try await browser.csrfToken(on: page), "what": "samtykke", "party": party.uuidString]).status == .seeOther)
            }
            #expect(try await Browser(app).get("/eksempler/vikinger-paa-museet").status == .notFound, "not before every party consented")
            let published = try await coordinator.post(page + "/eksempel", ["_csrf": try await coordinator.csrfToken(on: page), "what": "samtykke", "party": world.municipality.uuidString])
            #expect(published.headers.first(name: .location)?.hasSuffix("besked=eksempel-offentligt") == true)
            let publicCase = try await outsider.get("/eksempler/vikinger-paa-museet")
            #expect(publicCase.status == .ok)
            #expect(publicCase.text.contains("Vikingetiden i 5. klasse"), "the summary was chosen")
            #expect(publicCase.text.contains("Værtsmuseum"), "the parties were chosen")
            #expect(publicCase.text.contains("4,5 af 5"), "the evaluation's average")
            #expect(!publicCase.text.contains("Historie med hænderne"), "the purpose was not chosen")
            #expect(!publicCase.text.contains("Tidlig planlægning"), "free-text answers are never public")
            #expect(try await outsider.get(page).status == .notFound, "the partnership itself stays private")
            let found = try await Browser(app).get("/soeg?q=vikinger")
            #expect(found.text.contains("Eksempler på partnerskaber"))
            #expect(found.text.contains("/eksempler/vikinger-paa-museet"))
            #expect(try await Browser(app).get("/soeg?q=hænderne").text.contains("/eksempler/vikinger-paa-museet") == false, "unchosen fields are not searched")
            #expect(try await Browser(app).get("/organisationer/demo-museet").text.contains("/eksempler/vikinger-paa-museet"))
            #expect(try await Browser(app).get("/eksempler").text.contains("Vikinger på museet"))
            // A party withdraws: it is private again at once.
            #expect(try await curator.post(page + "/eksempel", ["_csrf": try await curator.csrfToken(on: page), "what": "traek-tilbage", "party": world.museum.uuidString]).status == .seeOther)
            #expect(try await Browser(app).get("/eksempler/vikinger-paa-museet").status == .notFound)
            #expect(try await Browser(app).get("/soeg?q=vikinger").text.contains("/eksempler/vikinger-paa-museet") == false)

            // The leader's own feed holds the three activities; a renewed address stops the old one.
            let mine = try await leader.post("/min-side/kalender", ["_csrf": leaderCSRF, "scope": "person"])
            let address = try #require(mine.text.range(of: "http://samspil.test/kalender/").map { String(mine.text[$0.lowerBound...].prefix { $0 != "<" }) })
            let path = String(address.dropFirst("http://samspil.test".count))
            #expect(try await Browser(app).get(path).text.components(separatedBy: "BEGIN:VEVENT").count == 4)
            _ = try await leader.post("/min-side/kalender", ["_csrf": leaderCSRF, "scope": "person"])
            #expect(try await Browser(app).get(path).status == .notFound)
        }
    }

    /// A party that is not in Samspil yet: invited by e-mail, the person signs up, registers the organisation and
    /// takes the invitation with it (waiting for approval); the link works once.
    @Test(arguments: TestBackend.all)
    func anUnregisteredPartyJoinsThroughTheSignUp(backend: TestBackend) async throws {
        try await withApp(backend, seed: false) { app in
            let world = try await Self.world(app)
            let leader = try await Self.person(app, "leder@eksempelskolen.dk", "Lis Leder", of: world.school, as: [.schoolLeader])
            let stored = try await PartnershipSaving.create(Partnership(title: "Naturen kalder", form: "abonnementsordning", schoolYears: ["2026/27"]),
                                                            party: world.school, role: "Skole", by: try #require(try await AccountQueries.find(email: "leder@eksempelskolen.dk", on: app.db)).domain(),
                                                            now: frozenNow, on: app.db)
            let page = "/partnerskaber/\(stored.slug)"
            // The person at the other end makes an account (its confirmation mail comes first in the outbox).
            let newcomer = try await MembershipJourneyTests.person(app, "ny@naturskolen.dk", name: "Nina Natur")
            let csrf = try await leader.csrfToken(on: page)
            let refused = try await leader.post(page + "/parter", ["_csrf": csrf, "what": "inviter", "inviteName": "", "inviteEmail": "naturskolen@", "inviteRole": "Naturskole"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("Skriv navnet på den organisation"))
            #expect(refused.text.contains("naturskolen@"), "the input is kept")
            #expect(try await leader.post(page + "/parter", ["_csrf": csrf, "what": "inviter", "inviteName": "Naturskolen Vest", "inviteEmail": "Ny@Naturskolen.dk",
                                                             "inviteRole": "Naturskole"]).status == .seeOther)
            let mail = try #require(try await OutboxMessageModel.query(on: app.db).filter(\.$recipient == "ny@naturskolen.dk").filter(\.$subject ~~ "Invitation").first())
            let line = try #require(mail.body.split(separator: "\n").first { $0.contains("/partnerskaber/invitation?token=") })
            let link = String(line[try #require(line.range(of: "/partnerskaber/invitation"))!.lowerBound...])

            #expect(try await newcomer.get(link).text.contains("Registrér organisationen"), "no organisation yet: register it first")
            var naturskole = Organisation(slug: "naturskolen-vest", kind: .other, name: "Naturskolen Vest", status: .pending, municipalityCode: nil)
            naturskole.otherKind = "Naturskole"
            let registered = try await OrganisationSaving.register(naturskole, by: try #require(try await AccountQueries.find(email: "ny@naturskolen.dk", on: app.db)).domain(),
                                                                   now: frozenNow, on: app.db)
            #expect(registered.organisation.status == .pending)
            let invitation = try await newcomer.get(link)
            #expect(invitation.text.contains("Naturskolen Vest"))
            let token = String(link.split(separator: "=").last ?? "")
            let taken = try await newcomer.post("/partnerskaber/invitation", ["_csrf": try await newcomer.csrfToken(on: link), "token": token,
                                                                               "organisation": registered.id.uuidString])
            #expect(taken.status == .seeOther)
            #expect(taken.headers.first(name: .location) == page + "?besked=deltager")
            let after = try #require(try await PartnershipQueries.find(slug: stored.slug, on: app.db))
            #expect(after.parties.map(\.name) == ["Eksempelskolen", "Naturskolen Vest"])
            #expect(try await newcomer.get(page).status == .ok, "the new party's people see it")
            #expect(try await newcomer.post("/partnerskaber/invitation", ["_csrf": try await newcomer.csrfToken(on: page), "token": token,
                                                                          "organisation": registered.id.uuidString]).status == .notFound, "once")
        }
    }
}
