@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing
import Vapor

/// The life cycle as stored, on both databases: renewing starts the next period as its own partnership (same
/// parties and details, the next school year, the newest agreement as version 1); abandoning is refused once it is
/// active; every step is in the history with who and the comment.
@Suite struct PartnershipLifeCycleStorageTests {
    @Test(arguments: TestBackend.all)
    func renewingStartsTheNextPeriod(backend: TestBackend) async throws {
        try await withApp(backend, seed: false) { app in
            let people = try await PartnershipConcurrencyTests.people(app)
            let stored = try await PartnershipConcurrencyTests.partnership("Fornyes", people, on: app.db)
            let url = "http://samspil.test"
            try await PartnershipSaving.accept(slug: stored.slug, version: 1, party: people.world.school, by: people.school, now: frozenNow, publicURL: url, on: app.db)
            try await PartnershipSaving.accept(slug: stored.slug, version: 1, party: people.world.museum, by: people.museum, now: frozenNow, publicURL: url, on: app.db)
            for step in [PartnershipTransition.activate, .evaluate] {
                try await PartnershipSaving.transition(slug: stored.slug, step, comment: "", by: people.school, now: frozenNow, publicURL: url, on: app.db)
            }
            await #expect(throws: SamspilError.self) {
                try await PartnershipSaving.transition(slug: stored.slug, .abandon, comment: "", by: people.school, now: frozenNow, publicURL: url, on: app.db)
            }
            let renewed = try await PartnershipSaving.transition(slug: stored.slug, .renew, comment: "Et år mere", by: people.museum, now: frozenNow,
                                                                 publicURL: url, on: app.db)
            #expect(renewed.slug != stored.slug)
            #expect(renewed.state == .dialogue)
            #expect(renewed.renewedFrom == stored.id)
            #expect(renewed.partnership.schoolYears == ["2027/28"])
            #expect(renewed.parties.map(\.organisationID) == [people.world.school, people.world.museum])
            #expect(renewed.agreementVersion == 1)
            #expect(try await PartnershipQueries.version(renewed.id, number: 1, on: app.db)?.agreement.contacts == "Lis og Mads")
            let old = try #require(try await PartnershipQueries.find(id: stored.id, on: app.db))
            #expect(old.state == .renewed)
            let history = try await PartnershipQueries.events(stored.id, on: app.db).filter { $0.kind == "tilstand" }
            #expect(history.map { "\($0.from?.rawValue ?? "")→\($0.to?.rawValue ?? "")" } == ["ide→aftalt", "aftalt→aktiv", "aktiv→evalueret", "evalueret→fornyet"])
            #expect(history.last?.comment == "Et år mere")
            #expect(history.last?.actorName == people.museum.name)
            // A finished period takes no new agreement.
            await #expect(throws: SamspilError.conflict("Partnerskabet er fornyet, så aftalen kan ikke længere ændres eller accepteres.")) {
                try await PartnershipSaving.saveAgreement(slug: stored.slug, Agreement(contacts: "Nyt"), basedOn: 1, by: people.school, now: frozenNow,
                                                          publicURL: url, on: app.db)
            }
        }
    }

    @Test(arguments: TestBackend.all)
    func anIdeaCanBeAbandonedWithAReason(backend: TestBackend) async throws {
        try await withApp(backend, seed: false) { app in
            let people = try await PartnershipConcurrencyTests.people(app)
            let stored = try await PartnershipConcurrencyTests.partnership("Opgives", people, on: app.db)
            let teacher = try await AccountQueries.create(email: "laerer@eksempelskolen.dk", name: "Tom Lærer", password: SignUpTests.password, role: .member,
                                                          now: frozenNow, hashing: PasswordHashing(app), on: app.db)
            try await MembershipQueries.add(user: teacher.id, organisation: people.world.school, role: .teacher, now: frozenNow, on: app.db)
            await #expect(throws: SamspilError.self) {
                try await PartnershipSaving.transition(slug: stored.slug, .abandon, comment: "", by: teacher, now: frozenNow, publicURL: "http://samspil.test", on: app.db)
            }
            let abandoned = try await PartnershipSaving.transition(slug: stored.slug, .abandon, comment: "Ingen bus i år", by: people.school, now: frozenNow,
                                                                   publicURL: "http://samspil.test", on: app.db)
            #expect(abandoned.state == .abandoned)
            #expect(try await OutboxMessageModel.query(on: app.db).filter(\.$recipient == people.museum.email).filter(\.$body ~~ "Ingen bus i år").count() == 1,
                    "the other party's contact person is told, with the reason")
            #expect(try await AuditEventModel.query(on: app.db).filter(\.$action == "partnership.transition").count() == 1)
        }
    }
}
