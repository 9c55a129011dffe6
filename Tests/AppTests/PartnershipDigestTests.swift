@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing
import Vapor

/// Mails about partnerships as a daily digest: kept until 7 o'clock, then one mail with all of them — exactly one,
/// though two app processes look for due digests at the same moment (both databases).
@Suite struct PartnershipDigestTests {
    @Test func theCutoffIsTheLatestSevenOClockDanishTime() {
        // 1_790_000_000 is 21 September 2026, 16:13 in Copenhagen (summer time, UTC+2).
        let cutoff = NotificationDigest.cutoff(at: frozenNow)
        #expect(ISO8601DateFormatter().string(from: cutoff) == "2026-09-21T05:00:00Z")
        let earlyNextMorning = ISO8601DateFormatter().date(from: "2026-09-22T04:59:00Z")!
        #expect(NotificationDigest.cutoff(at: earlyNextMorning) == cutoff, "before 7 the day's cutoff is yesterday's")
        let winter = ISO8601DateFormatter().date(from: "2026-12-01T06:30:00Z")!
        #expect(ISO8601DateFormatter().string(from: NotificationDigest.cutoff(at: winter)) == "2026-12-01T06:00:00Z", "UTC+1 in winter")
    }

    @Test(arguments: TestBackend.all)
    func aDigestGathersTheDaysMailsAndIsSentOnce(backend: TestBackend) async throws {
        try await withApps(backend, count: 2, seed: false) { apps in
            let people = try await PartnershipConcurrencyTests.people(apps[0])
            try await NotificationDigest.choose(digest: true, for: people.museum, now: frozenNow, on: apps[0].db)
            let stored = try await PartnershipConcurrencyTests.partnership("Dagligt", people, on: apps[0].db)
            for text in ["Første kommentar", "Anden kommentar"] {
                try await PartnershipSaving.comment(slug: stored.slug, body: text, by: people.school, now: frozenNow, publicURL: "http://samspil.test", on: apps[0].db)
            }
            func mails(to email: String) async throws -> [OutboxMessageModel] {
                try await OutboxMessageModel.query(on: apps[0].db).filter(\.$recipient == email).all()
            }
            #expect(try await mails(to: people.museum.email).isEmpty, "nothing one by one")
            #expect(try await mails(to: people.schoolToo.email).count == 3, "the others get each (agreement version and two comments)")
            #expect(try await NotificationDigest.sendDue(now: frozenNow, on: apps[0].db) == 0, "not before the next 7 o'clock")

            let nextMorning = frozenNow.addingTimeInterval(86_400)
            async let first = NotificationDigest.sendDue(now: nextMorning, on: apps[0].db)
            async let second = NotificationDigest.sendDue(now: nextMorning, on: apps[1].db)
            #expect(try await first + second == 1)
            let digest = try await mails(to: people.museum.email)
            #expect(digest.count == 1)
            #expect(digest.first?.subject == "Nyt fra dine partnerskaber (3)")
            #expect(digest.first?.body.contains("Første kommentar") == true)
            #expect(digest.first?.body.contains("Anden kommentar") == true)
            #expect(try await PendingNotificationModel.query(on: apps[0].db).count() == 0)
            #expect(try await NotificationDigest.sendDue(now: nextMorning, on: apps[1].db) == 0)
        }
    }

    @Test(arguments: TestBackend.all)
    func thePageSavesTheChoice(backend: TestBackend) async throws {
        try await withApp(backend, seed: false) { app in
            let world = try await PartnershipJourneyTests.world(app)
            let leader = try await PartnershipJourneyTests.person(app, "leder@eksempelskolen.dk", "Lis Leder", of: world.school, as: [.schoolLeader])
            let page = try await leader.get("/min-side/mails")
            #expect(page.status == .ok)
            #expect(page.text.contains("Samlet i én mail om dagen"))
            let csrf = try await leader.csrfToken(on: "/min-side/mails")
            #expect(try await leader.post("/min-side/mails", ["_csrf": csrf, "mails": "ugentligt"]).status == .badRequest)
            let saved = try await leader.post("/min-side/mails", ["_csrf": csrf, "mails": "dagligt"])
            #expect(saved.headers.first(name: .location) == "/min-side/mails?besked=gemt")
            let id = try #require(try await AccountQueries.find(email: "leder@eksempelskolen.dk", on: app.db)).requireID()
            #expect(try await NotificationDigest.wantsDigest(id, on: app.db))
            #expect(try await leader.get("/min-side/mails").text.contains("value=\"dagligt\" checked"))
        }
    }
}
