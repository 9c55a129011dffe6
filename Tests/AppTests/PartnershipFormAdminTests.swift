@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing
import Vapor
import VaporTesting

/// Administrators keep the typology of partnership forms through the pages (both databases): adding a form that the
/// guided creation then offers, changing its description, moving it, refused input kept with a message, a form in
/// use that cannot be removed, and nobody but administrators getting in.
@Suite struct PartnershipFormAdminTests {
    typealias Browser = LoginTests.Browser
    static let list = "/redaktion/partnerskabsformer"

    static func administrator(_ app: Application) async throws -> Browser {
        _ = try await AccountQueries.create(email: "admin@skole.dk", password: LoginTests.password, role: .administrator, now: frozenNow,
                                            hashing: PasswordHashing(app), on: app.db)
        let admin = Browser(app)
        #expect(try await admin.logIn("admin@skole.dk").status == .seeOther)
        return admin
    }

    static func slugs(on db: any Database) async throws -> [String] {
        try await PartnershipQueries.forms(on: db).map(\.slug)
    }

    @Test(arguments: TestBackend.all)
    func anAdministratorAddsChangesAndMovesAForm(backend: TestBackend) async throws {
        try await withApp(backend, seed: false) { app in
            let world = try await PartnershipJourneyTests.world(app)
            let admin = try await Self.administrator(app)
            let home = try await admin.get("/redaktion")
            #expect(home.text.contains("href=\"\(Self.list)\""), "the editors' home links to the typology")
            let page = try await admin.get(Self.list)
            #expect(page.status == .ok)
            #expect(page.text.contains("Abonnementsordning") && page.text.contains("Strategisk kommunalt partnerskab"))
            let csrf = try await admin.csrfToken(on: Self.list)

            // A missing name: 422, the message at the field and in the summary, the description kept.
            let missing = try await admin.post(Self.list, ["_csrf": csrf, "name": "  ", "description": "Eleverne lærer i deres eget lokalområde."])
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.text.contains("Skriv formens navn."))
            #expect(missing.text.contains("href=\"#field-name\""))
            #expect(missing.text.contains("Eleverne lærer i deres eget lokalområde."), "the description is kept")
            let tooLong = try await admin.post(Self.list, ["_csrf": csrf, "name": String(repeating: "a", count: 101), "description": "x\u{0}y"])
            #expect(tooLong.status == .unprocessableEntity)
            #expect(tooLong.text.contains("det må højst have 100 tegn"))
            #expect(tooLong.text.contains("nul-tegn"))
            #expect(try await Self.slugs(on: app.db).count == 5, "nothing was added")

            // Added: last in the order, on its own page, and offered in the guided creation.
            let created = try await admin.post(Self.list, ["_csrf": csrf, "name": " Lokalt læringsfællesskab ", "description": "Eleverne lærer i deres eget lokalområde."])
            #expect(created.status == .seeOther)
            let slug = "lokalt-laeringsfaellesskab"
            let formPage = "\(Self.list)/\(slug)"
            #expect(created.headers.first(name: .location) == "\(formPage)?besked=oprettet")
            #expect(try await Self.slugs(on: app.db).last == slug)
            let shown = try await admin.get("\(formPage)?besked=oprettet")
            #expect(shown.status == .ok)
            #expect(shown.text.contains("Partnerskabsformen er oprettet."))
            #expect(shown.text.contains("value=\"Lokalt læringsfællesskab\""))
            #expect(shown.text.contains("Ingen partnerskaber bruger formen."))
            let leader = try await PartnershipJourneyTests.person(app, "leder@eksempelskolen.dk", "Lis Leder", of: world.school, as: [.schoolLeader])
            let offered = try await leader.get("/partnerskaber/ny")
            #expect(offered.status == .ok)
            #expect(offered.text.contains("Lokalt læringsfællesskab"))
            #expect(offered.text.contains("Eleverne lærer i deres eget lokalområde."))

            // The same name again is refused.
            let again = try await admin.post(Self.list, ["_csrf": csrf, "name": "lokalt læringsfællesskab", "description": "Igen."])
            #expect(again.status == .unprocessableEntity)
            #expect(again.text.contains("Der er allerede en form, der hedder „Lokalt læringsfællesskab“."))

            // A changed description; a refused save keeps what was typed.
            let revision = try await ContentRevision.current(on: app.db)
            let saved = try await admin.post(formPage, ["_csrf": csrf, "action": "save", "name": "Lokalt læringsfællesskab",
                                                        "description": "Skolen og nærområdets læringsmiljøer arbejder sammen hele året."])
            #expect(saved.status == .seeOther)
            #expect(saved.headers.first(name: .location) == "\(formPage)?besked=gemt")
            #expect(try await PartnershipQueries.forms(on: app.db).last?.description == "Skolen og nærområdets læringsmiljøer arbejder sammen hele året.")
            #expect(try await ContentRevision.current(on: app.db) == revision, "the description is not on public pages")
            #expect(try await leader.get("/partnerskaber/ny").text.contains("Skolen og nærområdets læringsmiljøer arbejder sammen hele året."))
            let refused = try await admin.post(formPage, ["_csrf": csrf, "action": "save", "name": "", "description": "En ny tekst, der ikke er gemt."])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("Skriv formens navn."))
            #expect(refused.text.contains("En ny tekst, der ikke er gemt."))
            #expect(try await PartnershipQueries.forms(on: app.db).last?.name == "Lokalt læringsfællesskab")
            // A new name shows on public case pages: the page cache's revision goes up.
            #expect(try await admin.post(formPage, ["_csrf": csrf, "action": "save", "name": "Lokalt læringsfællesskab i kommunen",
                                                    "description": "Skolen og nærområdets læringsmiljøer arbejder sammen hele året."]).status == .seeOther)
            #expect(try await ContentRevision.current(on: app.db) > revision)
            #expect(try await leader.get("/partnerskaber/ny").text.contains("Lokalt læringsfællesskab i kommunen"))

            // Moving it up one place, then down again; at the bottom, down changes nothing.
            let up = try await admin.post(formPage, ["_csrf": csrf, "action": "up"])
            #expect(up.headers.first(name: .location) == "\(formPage)?besked=flyttet")
            var order = try await Self.slugs(on: app.db)
            #expect(order.firstIndex(of: slug) == 4)
            #expect(order.last == "strategisk-kommunalt-partnerskab")
            #expect(try await admin.get(formPage).text.contains("nummer 5 af 6"))
            #expect(try await admin.post(formPage, ["_csrf": csrf, "action": "down"]).status == .seeOther)
            #expect(try await Self.slugs(on: app.db).last == slug)
            let bottom = try await admin.post(formPage, ["_csrf": csrf, "action": "down"])
            #expect(bottom.headers.first(name: .location) == "\(formPage)?besked=uaendret")
            let firstPage = "\(Self.list)/abonnementsordning"
            #expect(try await admin.post(firstPage, ["_csrf": csrf, "action": "down"]).status == .seeOther)
            order = try await Self.slugs(on: app.db)
            #expect(Array(order.prefix(2)) == ["specialudviklet-forloeb", "abonnementsordning"])
            let step1 = try await leader.get("/partnerskaber/ny").text
            let (special, subscription) = (try #require(step1.range(of: "Specialudviklet forløb")), try #require(step1.range(of: "Abonnementsordning")))
            #expect(special.lowerBound < subscription.lowerBound, "the guided creation follows the order")

            // Every change is in the audit log under the administrator's address.
            let log = try await AuditLog.recent(on: app.db).filter { $0.actor == "admin@skole.dk" }
            #expect(Set(log.map(\.action)) == ["partnership-form.create", "partnership-form.update", "partnership-form.move"])
            #expect(log.filter { $0.action == "partnership-form.update" }.count == 2)
            #expect(log.contains { $0.action == "partnership-form.create" && $0.subject == slug })
        }
    }

    @Test(arguments: TestBackend.all)
    func aFormInUseCannotBeRemoved(backend: TestBackend) async throws {
        try await withApp(backend, seed: false) { app in
            let people = try await PartnershipConcurrencyTests.people(app)
            _ = try await PartnershipConcurrencyTests.partnership("Abonnement på museet", people, on: app.db)
            let admin = try await Self.administrator(app)
            let list = try await admin.get(Self.list)
            #expect(list.text.contains("1 partnerskab<"))
            let used = "\(Self.list)/abonnementsordning"
            let page = try await admin.get(used)
            #expect(page.text.contains("Formen kan ikke slettes, fordi 1 partnerskab bruger den."))
            let csrf = try await admin.csrfToken(on: used)

            let refused = try await admin.post(used, ["_csrf": csrf, "action": "remove", "confirm": "ja"])
            #expect(refused.status == .conflict)
            #expect(refused.text.contains("Partnerskabsformen „Abonnementsordning“ bruges af 1 partnerskab og kan ikke slettes."))
            #expect(try await Self.slugs(on: app.db).contains("abonnementsordning"))

            // An unused form: the box must be ticked, then it goes.
            let unused = "\(Self.list)/enkeltstaaende-projekt"
            #expect(try await admin.get(unused).text.contains("Slet formen"))
            let unconfirmed = try await admin.post(unused, ["_csrf": csrf, "action": "remove"])
            #expect(unconfirmed.status == .unprocessableEntity)
            #expect(unconfirmed.text.contains("Sæt kryds for at bekræfte, at formen skal slettes."))
            let removed = try await admin.post(unused, ["_csrf": csrf, "action": "remove", "confirm": "ja"])
            #expect(removed.status == .seeOther)
            #expect(removed.headers.first(name: .location) == "\(Self.list)?besked=slettet")
            #expect(try await Self.slugs(on: app.db) == ["abonnementsordning", "specialudviklet-forloeb", "fleraarigt-partnerskab", "strategisk-kommunalt-partnerskab"])
            #expect(try await admin.get(unused).status == .notFound)
            #expect(try await admin.post(unused, ["_csrf": csrf, "action": "save", "name": "Igen", "description": "Igen."]).status == .notFound)
            let log = try await AuditLog.recent(on: app.db)
            #expect(log.contains { $0.actor == "admin@skole.dk" && $0.action == "partnership-form.delete" && $0.subject == "enkeltstaaende-projekt" })
            #expect(!log.contains { $0.action == "partnership-form.delete" && $0.subject == "abonnementsordning" })
        }
    }

    @Test(arguments: TestBackend.all)
    func onlyAdministratorsGetIn(backend: TestBackend) async throws {
        try await withApp(backend, seed: false) { app in
            let world = try await PartnershipJourneyTests.world(app)
            let member = try await PartnershipJourneyTests.person(app, "leder@eksempelskolen.dk", "Lis Leder", of: world.school, as: [.schoolLeader])
            _ = try await AccountQueries.create(email: "redaktor@skole.dk", password: LoginTests.password, role: .editor, now: frozenNow,
                                                hashing: PasswordHashing(app), on: app.db)
            let editor = Browser(app)
            #expect(try await editor.logIn("redaktor@skole.dk").status == .seeOther)
            for browser in [member, editor] {
                let csrf = try await browser.csrfToken(on: "/min-side")
                #expect(try await browser.get(Self.list).status == .forbidden)
                #expect(try await browser.get("\(Self.list)/abonnementsordning").status == .forbidden)
                #expect(try await browser.post(Self.list, ["_csrf": csrf, "name": "Snyd", "description": "Snyd."]).status == .forbidden)
                #expect(try await browser.post("\(Self.list)/abonnementsordning", ["_csrf": csrf, "action": "remove", "confirm": "ja"]).status == .forbidden)
            }
            #expect(!(try await editor.get("/redaktion").text.contains(Self.list)), "editors see no link to it")
            let anonymous = try await Browser(app).get(Self.list)
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers.first(name: .location) == "/log-ind?naeste=\(Self.list)")
            #expect(try await Self.slugs(on: app.db).count == 5)
            #expect(try await AuditLog.recent(on: app.db).allSatisfy { !$0.action.hasPrefix("partnership-form.") })
        }
    }
}
