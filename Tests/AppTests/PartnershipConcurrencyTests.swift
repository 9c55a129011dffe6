@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing
import Vapor

/// Changes to one partnership at the same moment, from two app processes on one database (both databases):
/// parties accepting together make it agreed exactly once; two people of one party accept once; two saves of
/// the agreement or of one activity from the same version leave one saved and tell the other.
@Suite struct PartnershipConcurrencyTests {
    struct People {
        var school: Account
        var schoolToo: Account
        var museum: Account
        var world: PartnershipJourneyTests.World
    }

    static func people(_ app: Application) async throws -> People {
        let world = try await PartnershipJourneyTests.world(app)
        func person(_ email: String, _ organisation: UUID, _ role: OrganisationRole) async throws -> Account {
            let account = try await AccountQueries.create(email: email, name: email, password: SignUpTests.password, role: .member, now: frozenNow,
                                                          hashing: PasswordHashing(app), on: app.db)
            try await MembershipQueries.add(user: account.id, organisation: organisation, role: role, now: frozenNow, on: app.db)
            return account
        }
        return People(school: try await person("leder@eksempelskolen.dk", world.school, .schoolLeader),
                      schoolToo: try await person("kontakt@eksempelskolen.dk", world.school, .openSchoolContact),
                      museum: try await person("leder@demo-museet.dk", world.museum, .leader), world: world)
    }

    /// A partnership of the school and the museum with agreement version 1.
    static func partnership(_ title: String, _ people: People, on db: any Database) async throws -> StoredPartnership {
        let stored = try await PartnershipSaving.create(Partnership(title: title, form: "abonnementsordning", schoolYears: ["2026/27"]),
                                                        party: people.world.school, role: "Skole", others: [(people.world.museum, "Museum")],
                                                        by: people.school, now: frozenNow, on: db)
        try await PartnershipSaving.saveAgreement(slug: stored.slug, Agreement(contacts: "Lis og Mads"), basedOn: 0, by: people.school, now: frozenNow,
                                                  publicURL: "http://samspil.test", on: db)
        return stored
    }

    static func outcome(_ body: () async throws -> Bool) async -> Result<Bool, SamspilError> {
        do { return .success(try await body()) } catch let error as SamspilError { return .failure(error) } catch { return .failure(.conflict("\(error)")) }
    }

    @Test(arguments: TestBackend.all)
    func partiesAcceptingAtOnceMakeItAgreedExactlyOnce(backend: TestBackend) async throws {
        try await withApps(backend, count: 2, seed: false) { apps in
            let people = try await Self.people(apps[0])
            for round in 1...5 {
                let stored = try await Self.partnership("Samtidig \(round)", people, on: apps[0].db)
                async let first = Self.outcome {
                    try await PartnershipSaving.accept(slug: stored.slug, version: 1, party: people.world.school, by: people.school, now: frozenNow,
                                                       publicURL: "http://samspil.test", on: apps[0].db)
                }
                async let second = Self.outcome {
                    try await PartnershipSaving.accept(slug: stored.slug, version: 1, party: people.world.museum, by: people.museum, now: frozenNow,
                                                       publicURL: "http://samspil.test", on: apps[1].db)
                }
                let results = await [first, second]
                #expect(results.compactMap { try? $0.get() }.sorted { !$0 && $1 } == [false, true], "both accepted; exactly one saw every party's")
                let events = try await PartnershipEventModel.query(on: apps[0].db).filter(\.$partnership.$id == stored.id)
                    .filter(\.$toState == PartnershipState.agreed.rawValue).count()
                #expect(events == 1, "agreed once in the history (round \(round))")
                let after = try #require(try await PartnershipQueries.find(id: stored.id, on: apps[1].db))
                #expect(after.state == .agreed)
                #expect(after.acceptedVersion == 1)
                #expect(try await AgreementAcceptanceModel.query(on: apps[0].db).filter(\.$partnership.$id == stored.id).count() == 2)
            }
        }
    }

    @Test(arguments: TestBackend.all)
    func twoPeopleOfOnePartyAcceptOnce(backend: TestBackend) async throws {
        try await withApps(backend, count: 2, seed: false) { apps in
            let people = try await Self.people(apps[0])
            let stored = try await Self.partnership("Samme part", people, on: apps[0].db)
            async let first = Self.outcome {
                try await PartnershipSaving.accept(slug: stored.slug, version: 1, party: people.world.school, by: people.school, now: frozenNow,
                                                   publicURL: "http://samspil.test", on: apps[0].db)
            }
            async let second = Self.outcome {
                try await PartnershipSaving.accept(slug: stored.slug, version: 1, party: people.world.school, by: people.schoolToo, now: frozenNow,
                                                   publicURL: "http://samspil.test", on: apps[1].db)
            }
            let results = await [first, second]
            #expect(results.filter { (try? $0.get()) != nil }.count == 1)
            let refused = results.compactMap { result -> SamspilError? in if case .failure(let error) = result { error } else { nil } }
            #expect(refused.count == 1)
            #expect(refused.first?.message.contains("har allerede accepteret") == true)
            #expect(try await AgreementAcceptanceModel.query(on: apps[0].db).filter(\.$partnership.$id == stored.id).count() == 1)
        }
    }

    @Test(arguments: TestBackend.all)
    func twoSavesFromOneVersionKeepOneAndTellTheOther(backend: TestBackend) async throws {
        try await withApps(backend, count: 2, seed: false) { apps in
            let people = try await Self.people(apps[0])
            let stored = try await Self.partnership("To skrivere", people, on: apps[0].db)
            async let first = Self.outcome {
                try await PartnershipSaving.saveAgreement(slug: stored.slug, Agreement(contacts: "Skolens tekst"), basedOn: 1, by: people.school,
                                                          now: frozenNow, publicURL: "http://samspil.test", on: apps[0].db) == 2
            }
            async let second = Self.outcome {
                try await PartnershipSaving.saveAgreement(slug: stored.slug, Agreement(contacts: "Museets tekst"), basedOn: 1, by: people.museum,
                                                          now: frozenNow, publicURL: "http://samspil.test", on: apps[1].db) == 2
            }
            let results = await [first, second]
            #expect(results.filter { (try? $0.get()) == true }.count == 1, "one saved version 2")
            #expect(results.contains { if case .failure(.stale) = $0 { true } else { false } }, "the other is told")
            let versions = try await PartnershipQueries.versionNumbers(stored.id, on: apps[0].db)
            #expect(versions.map(\.number) == [1, 2])

            // The same for one activity.
            let activityID = try await PartnershipSaving.saveActivity(
                slug: stored.slug, id: nil, Activity(title: "Besøg", startsAt: frozenNow, endsAt: frozenNow.addingTimeInterval(3_600)),
                expectedRevision: nil, by: people.school, now: frozenNow, on: apps[0].db)
            async let one = Self.outcome {
                try await PartnershipSaving.saveActivity(slug: stored.slug, id: activityID, Activity(title: "Besøg A", startsAt: frozenNow, endsAt: frozenNow.addingTimeInterval(3_600)),
                                                         expectedRevision: 1, by: people.school, now: frozenNow, on: apps[0].db) == activityID
            }
            async let other = Self.outcome {
                try await PartnershipSaving.saveActivity(slug: stored.slug, id: activityID, Activity(title: "Besøg B", startsAt: frozenNow, endsAt: frozenNow.addingTimeInterval(3_600)),
                                                         expectedRevision: 1, by: people.museum, now: frozenNow, on: apps[1].db) == activityID
            }
            let saves = await [one, other]
            #expect(saves.filter { (try? $0.get()) == true }.count == 1)
            #expect(saves.contains { if case .failure(.stale) = $0 { true } else { false } })
            let stored2 = try #require(try await PartnershipQueries.find(id: stored.id, on: apps[0].db))
            let activity = try #require(try await PartnershipQueries.activities(of: stored2, on: apps[0].db).first)
            #expect(activity.revision == 2)
            #expect(["Besøg A", "Besøg B"].contains(activity.activity.title))
        }
    }
}
