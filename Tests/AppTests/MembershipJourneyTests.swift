@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing
import Vapor
import VaporTesting

/// Issue 12's people journey through the real pages, on both databases: a person signs up and confirms; a
/// museum's administrator invites an educator who accepts; a teacher asks to join a school and its leader (the
/// school's administrator) accepts; a person of another organisation gets 403 on every action.
@Suite struct MembershipJourneyTests {
    typealias Browser = LoginTests.Browser
    static let password = SignUpTests.password

    static func person(_ app: Application, _ email: String, name: String) async throws -> Browser {
        let browser = Browser(app)
        #expect(try await SignUpTests.signUp(browser, name: name, email: email).status == .ok)
        #expect(try await browser.get(try await SignUpTests.link(to: email, on: app.db)).status == .ok)
        #expect(try await browser.logIn(email, Self.password).status == .seeOther)
        return browser
    }

    static func id(_ email: String, on db: any Database) async throws -> UUID {
        try #require(try await AccountQueries.find(email: email, on: db)).requireID()
    }

    @Test(arguments: TestBackend.all)
    func invitationsRequestsAndRoles(backend: TestBackend) async throws {
        try await withApp(backend, seed: false) { app in
            let (schoolID, museumID) = (UUID(), UUID())
            var museum = OrganisationStorageTests.museum()
            museum.status = .approved
            try await OrganisationStore.insert([(schoolID, OrganisationStorageTests.school()), (museumID, museum)], createdBy: nil, now: frozenNow, on: app.db)

            let leader = try await Self.person(app, "leder@eksempelskolen.dk", name: "Lis Leder")
            let curator = try await Self.person(app, "leder@demo-museet.dk", name: "Mads Museum")
            try await MembershipQueries.add(user: Self.id("leder@eksempelskolen.dk", on: app.db), organisation: schoolID, role: .administrator, now: frozenNow, on: app.db)
            try await MembershipQueries.add(user: Self.id("leder@eksempelskolen.dk", on: app.db), organisation: schoolID, role: .schoolLeader, now: frozenNow, on: app.db)
            try await MembershipQueries.add(user: Self.id("leder@demo-museet.dk", on: app.db), organisation: museumID, role: .administrator, now: frozenNow, on: app.db)

            // The museum's administrator invites an educator by e-mail.
            let csrf = try await curator.csrfToken(on: "/organisationer/demo-museet/medlemmer")
            let invited = try await curator.post("/organisationer/demo-museet/medlemmer/inviter", ["email": "Formidler@Example.dk", "role": "formidler", "_csrf": csrf])
            #expect(invited.status == .seeOther)
            let mail = try #require(try await OutboxMessageModel.query(on: app.db).filter(\.$recipient == "formidler@example.dk").first())
            let line = try #require(mail.body.split(separator: "\n").first { $0.contains("/invitation?token=") })
            let link = String(line[try #require(line.range(of: "/invitation"))!.lowerBound...])
            // Read before logging in; taken after signing up with the invited address.
            #expect(try await Browser(app).get(link).text.contains("Log ind"))
            let educator = Browser(app)
            #expect(try await SignUpTests.signUp(educator, name: "Frida Formidler", email: "formidler@example.dk").status == .ok)
            #expect(try await educator.logIn("formidler@example.dk", Self.password).status == .seeOther)
            let token = String(link.split(separator: "=").last ?? "")
            let accepted = try await educator.post("/invitation", ["token": token, "_csrf": try await educator.csrfToken(on: link)])
            #expect(accepted.status == .seeOther)
            let mine = try await educator.get("/min-side")
            #expect(mine.text.contains("Demo-museet"))
            #expect(mine.text.contains("Formidler/underviser"))
            #expect(mine.text.contains("(bekræftet)"), "the invitation confirmed the address")
            #expect(try await educator.post("/invitation", ["token": token, "_csrf": try await educator.csrfToken(on: "/min-side")]).status == .notFound, "single use")

            // A teacher asks to join the school; its leader accepts.
            let teacher = try await Self.person(app, "laerer@eksempelskolen.dk", name: "Tove Lærer")
            let joinForm = try await teacher.get("/organisationer/eksempelskolen/bliv-medlem")
            #expect(joinForm.status == .ok)
            let asked = try await teacher.post("/organisationer/eksempelskolen/bliv-medlem",
                                               ["role": "laerer", "message": "Jeg underviser i 5.a", "_csrf": try await teacher.csrfToken(on: "/min-side")])
            #expect(asked.status == .ok)
            #expect(asked.text.contains("Din anmodning er sendt"))
            #expect(try await teacher.post("/organisationer/eksempelskolen/bliv-medlem",
                                           ["role": "laerer", "_csrf": try await teacher.csrfToken(on: "/min-side")]).status == .conflict, "one open request")
            #expect(try await OutboxMessageModel.query(on: app.db).filter(\.$recipient == "leder@eksempelskolen.dk").count() >= 1, "the school's administrators are told")
            let membersPage = try await leader.get("/organisationer/eksempelskolen/medlemmer")
            #expect(membersPage.text.contains("Tove Lærer"))
            #expect(membersPage.text.contains("Jeg underviser i 5.a"))
            let request = try #require(try await JoinRequestModel.query(on: app.db).first()).requireID()
            let leaderCSRF = try await leader.csrfToken(on: "/organisationer/eksempelskolen/medlemmer")
            #expect(try await leader.post("/organisationer/eksempelskolen/medlemmer/anmodninger",
                                          ["request": request.uuidString, "answer": "ja", "_csrf": leaderCSRF]).status == .seeOther)
            #expect(try await leader.post("/organisationer/eksempelskolen/medlemmer/anmodninger",
                                          ["request": request.uuidString, "answer": "nej", "_csrf": leaderCSRF]).status == .conflict, "answered once")
            #expect(try await teacher.get("/min-side").text.contains("Lærer/pædagog"))

            // Roles: the leader makes the teacher PLC staff too; the last administrator cannot be removed.
            let teacherID = try await Self.id("laerer@eksempelskolen.dk", on: app.db)
            let leaderID = try await Self.id("leder@eksempelskolen.dk", on: app.db)
            #expect(try await leader.post("/organisationer/eksempelskolen/medlemmer/rolle",
                                          ["member": teacherID.uuidString, "role": "plc", "_csrf": leaderCSRF]).status == .seeOther)
            #expect(try await leader.post("/organisationer/eksempelskolen/medlemmer/rolle",
                                          ["member": teacherID.uuidString, "role": "koordinator", "_csrf": leaderCSRF]).status == .badRequest,
                    "a municipality's role at a school")
            #expect(try await leader.post("/organisationer/eksempelskolen/medlemmer/fjern",
                                          ["member": leaderID.uuidString, "role": "administrator", "_csrf": leaderCSRF]).status == .conflict)
            #expect(Set(try await MembershipQueries.forOrganisation(schoolID, on: app.db).filter { $0.userID == teacherID }.map(\.role)) == [.teacher, .plcStaff])

            // The museum's people have no say at the school, and the teacher none at the museum: 403 everywhere.
            let outsiderCSRF = try await curator.csrfToken(on: "/min-side")
            #expect(try await curator.get("/organisationer/eksempelskolen/medlemmer").status == .forbidden)
            for (path, fields) in [("/organisationer/eksempelskolen/medlemmer/inviter", ["email": "x@y.dk", "role": "laerer"]),
                                   ("/organisationer/eksempelskolen/medlemmer/anmodninger", ["request": request.uuidString, "answer": "ja"]),
                                   ("/organisationer/eksempelskolen/medlemmer/rolle", ["member": teacherID.uuidString, "role": "administrator"]),
                                   ("/organisationer/eksempelskolen/medlemmer/fjern", ["member": teacherID.uuidString, "role": "laerer"])] {
                #expect(try await curator.post(path, fields.merging(["_csrf": outsiderCSRF]) { $1 }).status == .forbidden, "\(path)")
            }
            #expect(try await teacher.post("/organisationer/demo-museet/medlemmer/inviter",
                                           ["email": "x@y.dk", "role": "formidler", "_csrf": try await teacher.csrfToken(on: "/min-side")]).status == .forbidden)
            #expect(try await teacher.get("/organisationer/eksempelskolen/medlemmer").status == .ok, "members see their colleagues")
            #expect(!(try await teacher.get("/organisationer/eksempelskolen/medlemmer").text.contains("Send invitation")), "but do not manage them")
            // Not logged in: sent to the login.
            #expect(try await Browser(app).get("/organisationer/eksempelskolen/medlemmer").status == .seeOther)
        }
    }

    /// An unconfirmed address may not ask to join.
    @Test func anUnconfirmedPersonCannotAskToJoin() async throws {
        try await withApp(.sqlite, seed: false) { app in
            try await OrganisationStore.insert([(UUID(), OrganisationStorageTests.school())], createdBy: nil, now: frozenNow, on: app.db)
            let browser = Browser(app)
            _ = try await SignUpTests.signUp(browser, email: "ny@skole.dk")
            _ = try await browser.logIn("ny@skole.dk", Self.password)
            let refused = try await browser.get("/organisationer/eksempelskolen/bliv-medlem")
            #expect(refused.status == .forbidden)
            #expect(refused.text.contains("Bekræft din e-mailadresse først"))
        }
    }

    /// The capability end to end, through the pages only: a person signs up and confirms, registers a museum
    /// (pending, not public), a coordinator of its municipality approves it (public, findable in the directory),
    /// the person, its administrator, invites an educator from the profile's members page (a refused address is
    /// shown on the page with what was typed), the educator signs up with the invited address and takes the
    /// invitation; a stranger sees "Bliv medlem" on the profile and asks to join.
    @Test(arguments: TestBackend.all)
    func signUpRegisterApproveAndInvite(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            // The coordinator of Copenhagen (made by a site administrator's hand: there is no page for that yet).
            let coordinator = try await Self.person(app, "koordinator@kk.example", name: "Karen Koordinator")
            let copenhagen = try #require(try await OrganisationStore.find(slug: "koebenhavn", on: app.db))
            try await MembershipQueries.add(user: Self.id("koordinator@kk.example", on: app.db), organisation: copenhagen.id, role: .coordinator,
                                            now: frozenNow, on: app.db)

            // 1. Sign up and confirm, then register a museum.
            let curator = try await Self.person(app, "anne@zebramuseet.example", name: "Anne Kurator")
            let token = try await curator.csrfToken(on: "/organisationer/ny?kind=laeringsmiljoe")
            let registered = try await curator.post("/organisationer/ny", pairs: [
                ("_csrf", token), ("kind", "laeringsmiljoe"), ("name", "Zebramuseet"), ("environmentKind", "kulturhistoriske-museer"),
                ("municipality", "0101"), ("description", "Forløb om savannens dyr."), ("subjects[]", "biologi"), ("gradeLevels[]", "4"),
            ])
            #expect(registered.headers.first(name: .location) == "/organisationer/zebramuseet")
            #expect(try await Browser(app).get("/organisationer/zebramuseet").status == .notFound, "pending: not public")
            #expect(try await curator.get("/min-side").text.contains("Zebramuseet"), "the registrant is its administrator")

            // 2. The coordinator approves it; it is public and found by search.
            let pending = try await coordinator.get("/organisationer/godkendelse")
            #expect(pending.text.contains("Zebramuseet"))
            let approved = try await coordinator.post("/organisationer/zebramuseet/godkend",
                                                      ["_csrf": try await coordinator.csrfToken(on: "/organisationer/godkendelse")])
            #expect(approved.status == .seeOther)
            let profile = try await Browser(app).get("/organisationer/zebramuseet")
            #expect(profile.status == .ok && profile.text.contains("Log ind for at blive medlem"))
            #expect(try await Browser(app).get("/organisationer?q=savanne").text.contains("href=\"/organisationer/zebramuseet\""))

            // 3. Its administrator invites an educator from the members page the profile links to.
            #expect(try await curator.get("/organisationer/zebramuseet").text.contains("href=\"/organisationer/zebramuseet/medlemmer\""))
            let csrf = try await curator.csrfToken(on: "/organisationer/zebramuseet/medlemmer")
            let mistyped = try await curator.post("/organisationer/zebramuseet/medlemmer/inviter", ["email": "frida@", "role": "formidler", "_csrf": csrf])
            #expect(mistyped.status == .unprocessableEntity)
            #expect(mistyped.text.contains("<title>Fejl: Medlemmer af Zebramuseet – Samspil</title>"))
            #expect(mistyped.text.contains("value=\"frida@\"") && mistyped.text.contains("error-summary-heading"))
            #expect(try await curator.post("/organisationer/zebramuseet/medlemmer/inviter",
                                           ["email": "frida@zebramuseet.example", "role": "formidler", "_csrf": csrf]).status == .seeOther)
            let mail = try #require(try await OutboxMessageModel.query(on: app.db).filter(\.$recipient == "frida@zebramuseet.example").first())
            let line = try #require(mail.body.split(separator: "\n").first { $0.contains("/invitation?token=") })
            let link = String(line[try #require(line.range(of: "/invitation")).lowerBound...])

            // 4. The educator signs up with that address and takes the invitation.
            let educator = Browser(app)
            #expect(try await SignUpTests.signUp(educator, name: "Frida Formidler", email: "frida@zebramuseet.example").status == .ok)
            #expect(try await educator.logIn("frida@zebramuseet.example", Self.password).status == .seeOther)
            let taken = try await educator.post("/invitation", ["token": String(link.split(separator: "=").last ?? ""),
                                                                "_csrf": try await educator.csrfToken(on: link)])
            #expect(taken.status == .seeOther)
            let members = try await curator.get("/organisationer/zebramuseet/medlemmer").text
            #expect(members.contains("Frida Formidler") && members.contains("Formidler/underviser") && members.contains("Anne Kurator"))

            // 5. Someone else sees "Bliv medlem" and asks.
            let stranger = try await Self.person(app, "ole@example.dk", name: "Ole Udenfor")
            #expect(try await stranger.get("/organisationer/zebramuseet").text.contains("href=\"/organisationer/zebramuseet/bliv-medlem\""))
            #expect(!(try await stranger.get("/organisationer/zebramuseet").text.contains("/medlemmer\"")), "not a member: no members link")
            let asked = try await stranger.post("/organisationer/zebramuseet/bliv-medlem",
                                                ["role": "formidler", "_csrf": try await stranger.csrfToken(on: "/min-side")])
            #expect(asked.status == .ok && asked.text.contains("Din anmodning er sendt"))
            #expect(!(try await educator.get("/organisationer/zebramuseet").text.contains("bliv-medlem")), "a member is not asked to join")
        }
    }
}
