@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing
import Vapor
import VaporTesting

/// Issue 14's journey through the real pages, on both databases: a teacher and a museum's educator fill in the
/// good-collaboration tool for their partnership from two sessions at once — different items, then the same item,
/// where the second is shown both answers and chooses; the tool gets a new version and the worksheet moves to it
/// with its answers; the municipality's coordinator follows the progress and the counts (no free text until the
/// owners share it); a person outside sees nothing.
@Suite struct WorksheetJourneyTests {
    typealias Browser = LoginTests.Browser

    static func loadTools(_ app: Application) async throws {
        try await app.db.writeTransaction { tx in try await ToolSaving.loadSeed(now: frozenNow, on: tx) }
    }

    /// Saves an item the way the page's script does (Accept: application/json), or as a browser posts the form.
    static func scriptSave(_ browser: Browser, _ path: String, _ fields: [String: String],
                           accept: String = "application/json") async throws -> TestingHTTPResponse {
        var headers = browser.cookieHeader
        headers.contentType = .urlEncodedForm
        headers.replaceOrAdd(name: .origin, value: LoginTests.origin)
        headers.replaceOrAdd(name: .accept, value: accept)
        let body = fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        return try await browser.app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }

    @Test(arguments: TestBackend.all)
    func journey(backend: TestBackend) async throws {
        try await withApp(backend, seed: false) { app in
            try await Self.loadTools(app)
            let world = try await PartnershipJourneyTests.world(app)
            let teacher = try await PartnershipJourneyTests.person(app, "laerer@eksempelskolen.dk", "Tom Lærer", of: world.school, as: [.teacher])
            let educator = try await PartnershipJourneyTests.person(app, "formidler@demo-museet.dk", "Fie Formidler", of: world.museum, as: [.educator])
            let coordinator = try await PartnershipJourneyTests.person(app, "koordinator@kk.dk", "Kim Koordinator", of: world.municipality, as: [.coordinator])
            let outsider = try await PartnershipJourneyTests.person(app, "leder@andenskolen.dk", "Olga Udenfor", of: world.other, as: [.schoolLeader])
            let editor = try await AccountQueries.create(email: "redaktoer@samspil.dk", name: "Rita Redaktør", password: SignUpTests.password, role: .editor,
                                                         now: frozenNow, hashing: PasswordHashing(app), on: app.db)
            let account = try #require(try await AccountQueries.find(email: "laerer@eksempelskolen.dk", on: app.db)).domain()
            let partnership = try await PartnershipSaving.create(Partnership(title: "Vikinger på museet", form: "specialudviklet-forloeb", schoolYears: ["2026/27"]),
                                                                 party: world.school, role: "Skole", others: [(world.museum, "Museum")],
                                                                 by: account, now: frozenNow, on: app.db)

            // Anyone may read the tool; starting a worksheet needs a login.
            let anonymous = try await app.testing().sendRequest(.GET, "/vaerktoejer/det-gode-samarbejde")
            #expect(anonymous.status == .ok)
            #expect(anonymous.body.string.contains("Log ind for at starte et arbejdsark"))
            #expect(anonymous.body.string.contains("Forventningsafstemning"))

            // The teacher starts a worksheet for the partnership.
            let toolPage = "/vaerktoejer/det-gode-samarbejde"
            let started = try await teacher.post(toolPage + "/arbejdsark", ["_csrf": try await teacher.csrfToken(on: toolPage),
                                                                             "owner": "partnership:\(partnership.id.uuidString)", "title": "Vikinger 2026/27"])
            #expect(started.status == .seeOther)
            let location = try #require(started.headers.first(name: .location))
            #expect(location.hasSuffix("?besked=startet"))
            let sheet = String(location.prefix { $0 != "?" })
            let sheetID = try #require(UUID(uuidString: String(sheet.split(separator: "/").last ?? "")))
            #expect(try await educator.get(sheet).status == .ok, "the other party's people fill it in too")

            // Two sessions at the same time, two different items: both answers are kept.
            let teacherCSRF = try await teacher.csrfToken(on: sheet)
            let educatorCSRF = try await educator.csrfToken(on: sheet)
            async let first = teacher.post(sheet + "/punkter/forventning-hvorfor", ["_csrf": teacherCSRF, "basedOn": "0", "text": "Eleverne skal møde historien."])
            async let second = educator.post(sheet + "/punkter/forventning-ressourcer", ["_csrf": educatorCSRF, "basedOn": "0", "text": "Museet stiller to formidlere."])
            let (one, two) = try await (first, second)
            #expect(one.status == .seeOther && two.status == .seeOther)
            var answers = try await WorksheetQueries.answers(sheetID, on: app.db)
            #expect(answers["forventning-hvorfor"]?.answer.text == "Eleverne skal møde historien.")
            #expect(answers["forventning-ressourcer"]?.answer.text == "Museet stiller to formidlere.")

            // The same item at the same time: exactly one lands; the other is shown both answers with theirs kept.
            async let mine = teacher.post(sheet + "/punkter/gennemfoerelse-roller", ["_csrf": teacherCSRF, "basedOn": "0", "text": "Læreren leder gruppearbejdet."])
            async let theirs = educator.post(sheet + "/punkter/gennemfoerelse-roller", ["_csrf": educatorCSRF, "basedOn": "0", "text": "Formidleren fortæller."])
            let (a, b) = try await (mine, theirs)
            #expect(Set([a.status, b.status]) == [.seeOther, .conflict])
            let (loser, loserText, winnerText) = a.status == .conflict ? (teacher, "Læreren leder gruppearbejdet.", "Formidleren fortæller.")
                                                                    : (educator, "Formidleren fortæller.", "Læreren leder gruppearbejdet.")
            let conflict = a.status == .conflict ? a : b
            #expect(conflict.text.contains("En anden har gemt et svar, mens du skrev"))
            #expect(conflict.text.contains(loserText) && conflict.text.contains(winnerText), "both answers are shown")
            #expect(conflict.text.contains("name=\"basedOn\" value=\"1\""), "the form is now based on the saved answer")
            let merged = "\(winnerText) \(loserText)"
            #expect(try await loser.post(sheet + "/punkter/gennemfoerelse-roller", ["_csrf": loser === teacher ? teacherCSRF : educatorCSRF, "basedOn": "1",
                                                                                    "text": merged]).status == .seeOther)
            answers = try await WorksheetQueries.answers(sheetID, on: app.db)
            #expect(answers["gennemfoerelse-roller"]?.answer.text == merged)
            #expect(answers["gennemfoerelse-roller"]?.revision == 2)
            let history = try await WorksheetQueries.history(sheetID, item: "gennemfoerelse-roller", on: app.db)
            #expect(history.map(\.answer.text) == [winnerText, merged])
            let itemPage = try await teacher.get(sheet + "/punkter/gennemfoerelse-roller")
            #expect(itemPage.status == .ok && itemPage.text.contains(winnerText), "the item's history shows every saved answer")

            // The script's way: JSON back with the new revision and the progress; a stale save answers 409.
            let saved = try await Self.scriptSave(teacher, sheet + "/punkter/forventning-enige", ["_csrf": teacherCSRF, "basedOn": "0", "value": "4"])
            #expect(saved.status == .ok)
            let body = try saved.content.decode(WorksheetPages.Saved.self)
            #expect(body.revision == 1 && body.done == 4 && body.total == 15)
            #expect(try await Self.scriptSave(educator, sheet + "/punkter/forventning-enige", ["_csrf": educatorCSRF, "basedOn": "0", "value": "2"]).status == .conflict)
            let badStep = try await Self.scriptSave(educator, sheet + "/punkter/forventning-enige", ["_csrf": educatorCSRF, "basedOn": "1", "value": "9"])
            #expect(badStep.status == .unprocessableEntity && badStep.body.string.contains("Vælg et trin fra 1 til 5"))
            // A browser's own form post (its Accept ends in */*) gets the page, not JSON.
            let browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
            #expect(try await Self.scriptSave(teacher, sheet + "/punkter/evaluering-laering", ["_csrf": teacherCSRF, "basedOn": "0", "text": "Meget."],
                                              accept: browserAccept).status == .seeOther)
            let staleByBrowser = try await Self.scriptSave(educator, sheet + "/punkter/evaluering-laering", ["_csrf": educatorCSRF, "basedOn": "0",
                                                                                                          "text": "Lidt."], accept: browserAccept)
            #expect(staleByBrowser.status == .conflict && staleByBrowser.body.string.contains("<!DOCTYPE html>"))
            let checklist = try await teacher.post(sheet + "/punkter/forventning-kontakt", ["_csrf": teacherCSRF, "basedOn": "0", "status": "faerdig",
                                                                                           "responsible": "Tom", "deadline": "31-12-2026"])
            #expect(checklist.status == .unprocessableEntity && checklist.text.contains("Skriv fristen som en dato"), "a bad date is refused, the input kept")
            #expect(checklist.text.contains("value=\"Tom\"") && checklist.text.contains("value=\"31-12-2026\""), "the refused date is kept")
            let shown = try await teacher.get(sheet)
            #expect(shown.text.contains("Udfyldt i alt: 5 af 15 punkter"))
            #expect(try await teacher.get(sheet + "/arbejdsark.csv").text.contains("Eleverne skal møde historien."))
            #expect(try await teacher.get(sheet + "/print").text.contains("Vikinger 2026/27"))
            #expect(try await teacher.get(sheet + "/arbejdsark.json").text.contains("\"forventning-ressourcer\""))

            // The coordinator of the school's municipality sees progress and counts, never the free text unless shared.
            let overview = try await coordinator.get("/vaerktoejer/kommune/koebenhavns-kommune")
            #expect(overview.status == .ok)
            #expect(overview.text.contains("Vikinger 2026/27") && overview.text.contains("5 af 15"))
            #expect(overview.text.contains("<td>4 (I høj grad)</td><td>1</td>") || overview.text.contains("<td>4</td><td>1</td>"), "the scale's answers counted")
            #expect(!overview.text.contains("Eleverne skal møde historien."))
            #expect(try await coordinator.get(sheet).status == .notFound)
            #expect(try await teacher.post(sheet + "/deling", ["_csrf": teacherCSRF, "shared": "ja"]).status == .seeOther)
            #expect(try await coordinator.get(sheet).text.contains("Eleverne skal møde historien."), "shared: the coordinator reads it")
            #expect(try await coordinator.post(sheet + "/punkter/forventning-hvorfor", ["_csrf": try await coordinator.csrfToken(on: sheet), "basedOn": "1",
                                                                                       "text": "Overskrevet"]).status == .forbidden, "read only")

            // A new version of the tool: one item gone, one new; the worksheet moves with the answers of unchanged items.
            let tool = try #require(try await ToolQueries.find(slug: "det-gode-samarbejde", on: app.db))
            var changed = tool.definition
            changed.sections[0].items.removeAll { $0.id == "forventning-ressourcer" }
            changed.sections[0].items.append(ToolItem(id: "forventning-tid", kind: .reflection, text: "Hvor meget tid har I sat af?"))
            _ = try await ToolSaving.update(slug: tool.slug, to: changed, status: .published, expectedRevision: tool.revision, by: editor,
                                            now: frozenNow, on: app.db)
            let before = try await teacher.get(sheet)
            #expect(before.text.contains("Der er en nyere version af værktøjet"))
            #expect(try await teacher.post(sheet + "/version", ["_csrf": teacherCSRF]).status == .seeOther)
            let moved = try #require(try await WorksheetQueries.find(id: sheetID, on: app.db))
            #expect(moved.toolVersion == 2)
            answers = try await WorksheetQueries.answers(sheetID, on: app.db)
            #expect(answers["forventning-hvorfor"]?.answer.text == "Eleverne skal møde historien.")
            #expect(answers["gennemfoerelse-roller"]?.answer.text == merged)
            let after = try await teacher.get(sheet)
            #expect(after.text.contains("Hvor meget tid har I sat af?"))
            #expect(after.text.contains("Svar på punkter fra tidligere versioner") && after.text.contains("Museet stiller to formidlere."))
            #expect(after.text.contains("Hvilken tid, hvilke penge og hvilke kompetencer kan hver part bidrage med?"), "the removed item's question is shown")

            // Someone outside the partnership sees none of it.
            for path in [sheet, sheet + "/punkter/forventning-hvorfor", sheet + "/print", sheet + "/arbejdsark.csv", sheet + "/arbejdsark.json"] {
                #expect(try await outsider.get(path).status == .notFound, "\(path)")
            }
            #expect(try await outsider.post(sheet + "/punkter/forventning-hvorfor", ["_csrf": try await outsider.csrfToken(on: "/arbejdsark"), "basedOn": "1",
                                                                                    "text": "x"]).status == .notFound)
            #expect(!(try await outsider.get("/arbejdsark").text.contains("Vikinger 2026/27")))
            #expect(try await outsider.get("/vaerktoejer/kommune/koebenhavns-kommune").status == .forbidden)
            #expect(try await WorksheetQueries.answers(sheetID, on: app.db)["forventning-hvorfor"]?.answer.text == "Eleverne skal møde historien.")
        }
    }

    /// A closed partnership is read, not worked in: no new worksheet for it (409, with where to start instead).
    @Test(arguments: TestBackend.all)
    func noWorksheetForAClosedPartnership(backend: TestBackend) async throws {
        try await withApp(backend, seed: false) { app in
            try await Self.loadTools(app)
            let world = try await PartnershipJourneyTests.world(app)
            let leader = try await AccountQueries.create(email: "leder@eksempelskolen.dk", name: "Lis Leder", password: SignUpTests.password, role: .member,
                                                         now: frozenNow, hashing: PasswordHashing(app), on: app.db)
            try await MembershipQueries.add(user: leader.id, organisation: world.school, role: .schoolLeader, now: frozenNow, on: app.db)
            let partnership = try await PartnershipSaving.create(Partnership(title: "Opgivet idé", form: "specialudviklet-forloeb", schoolYears: ["2026/27"]),
                                                                 party: world.school, role: "Skole", by: leader, now: frozenNow, on: app.db)
            _ = try await PartnershipSaving.transition(slug: partnership.slug, .abandon, comment: "", by: leader, now: frozenNow,
                                                       publicURL: "http://samspil.test", on: app.db)
            do {
                _ = try await WorksheetSaving.start(tool: "det-gode-samarbejde", for: .partnership(partnership.id), title: "", by: leader, now: frozenNow, on: app.db)
                Issue.record("a worksheet was started for an abandoned partnership")
            } catch SamspilError.conflict(let message) {
                #expect(message.contains("opgivet"))
            }
            #expect(try await WorksheetModel.query(on: app.db).count() == 0)
            // Their organisation's own worksheet is still theirs to start.
            _ = try await WorksheetSaving.start(tool: "det-gode-samarbejde", for: .organisation(world.school), title: "", by: leader, now: frozenNow, on: app.db)
            #expect(try await WorksheetModel.query(on: app.db).count() == 1)
        }
    }
}
