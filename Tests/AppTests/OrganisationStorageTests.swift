@testable import App
import Fluent
import Foundation
import SamspilCore
import SQLKit
import Testing

/// Organisations, their subjects and grade levels, memberships and a material's organisation, on both backends.
@Suite struct OrganisationStorageTests {
    static func school(_ slug: String = "eksempelskolen", number: String = "101001", municipality: String = "0101") -> Organisation {
        var school = Organisation(slug: slug, kind: .school, name: "Eksempelskolen", status: .approved, municipalityCode: municipality)
        school.institutionNumber = number
        school.schoolKind = .folkeskole
        school.gradeLevels = ["0", "1", "2"]
        school.address = PostalAddress(street: "Skolevej 1", postcode: "1000", town: "København K")
        school.website = "https://eksempelskolen.example"
        school.phone = "33 12 34 56"
        school.email = "kontor@eksempelskolen.example"
        return school
    }

    static func museum(_ slug: String = "demo-museet", municipality: String = "0751") -> Organisation {
        var museum = Organisation(slug: slug, kind: .learningEnvironment, name: "Demo-museet", status: .pending, municipalityCode: municipality)
        museum.environmentKind = "kulturhistoriske-museer"
        museum.description = "Et **fiktivt** museum.\n\nMed to afsnit."
        museum.subjects = ["historie", "dansk"]
        museum.gradeLevels = ["4", "5"]
        museum.accessibility = "Elevator til alle etager."
        museum.latitude = 56.1572
        museum.longitude = 10.2107
        return museum
    }

    @Test(arguments: TestBackend.all)
    func theMunicipalitiesBecomeOrganisationsOnce(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let municipalities = try await OrganisationModel.query(on: app.db).filter(\.$kind == "kommune").all()
            #expect(municipalities.count == 98)
            let copenhagen = try #require(try await OrganisationStore.find(slug: "koebenhavn", on: app.db))
            #expect(copenhagen.organisation.municipalityCode == "0101" && copenhagen.organisation.status == .approved)
            #expect(Set(municipalities.map(\.slug)).count == 98)
            try await OrganisationStore.createMunicipalities(now: frozenNow, on: app.db)
            #expect(try await OrganisationModel.query(on: app.db).count() == 98)
        }
    }

    @Test(arguments: TestBackend.all)
    func organisationsRoundTripWithTheirTermsInOrder(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let (schoolID, museumID) = (UUID(), UUID())
            try await OrganisationStore.insert([(schoolID, Self.school()), (museumID, Self.museum())], createdBy: nil, now: frozenNow, on: app.db)
            let school = try #require(try await OrganisationStore.find(slug: "eksempelskolen", on: app.db))
            #expect(school == StoredOrganisation(id: schoolID, organisation: Self.school(), createdAt: frozenNow, updatedAt: frozenNow))
            #expect(try await OrganisationStore.find(id: museumID, on: app.db)?.organisation == Self.museum())

            var changed = Self.museum()
            changed.subjects = ["natur-teknologi"]
            changed.gradeLevels = []
            changed.latitude = nil
            changed.longitude = nil
            let later = frozenNow.addingTimeInterval(60)
            try await OrganisationStore.update(id: museumID, to: changed, now: later, on: app.db)
            try await OrganisationStore.setStatus(id: museumID, .approved, now: later, on: app.db)
            changed.status = .approved
            let stored = try #require(try await OrganisationStore.find(id: museumID, on: app.db))
            #expect(stored.organisation == changed)
            #expect(stored.createdAt == frozenNow && stored.updatedAt == later)
            #expect(try await OrganisationTermModel.query(on: app.db).filter(\.$organisation.$id == museumID).count() == 1)

            // Institution numbers are unique; organisations without one never collide.
            await #expect(throws: (any Error).self) {
                try await OrganisationStore.insert([(UUID(), Self.school("anden-skole"))], createdBy: nil, now: frozenNow, on: app.db)
            }
            var other = Organisation(slug: "netvaerket", kind: .other, name: "Netværket")
            other.otherKind = "Netværk"
            var second = other
            second.slug = "netvaerket-2"
            try await OrganisationStore.insert([(UUID(), other), (UUID(), second)], createdBy: nil, now: frozenNow, on: app.db)
            #expect(try await OrganisationStore.freeSlug(for: "Netværket", on: app.db) == "netvaerket-3")
            #expect(try await OrganisationStore.freeSlug(for: "Ny", on: app.db) == "organisation")
        }
    }

    @Test(arguments: TestBackend.all)
    func membershipsListAddAndKeepTheLastAdministrator(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let schoolID = UUID()
            try await OrganisationStore.insert([(schoolID, Self.school())], createdBy: nil, now: frozenNow, on: app.db)
            let hashing = PasswordHashing(app)
            let anna = try await AccountQueries.create(email: "anna@skole.dk", name: "Anna", password: LoginTests.password, role: .editor,
                                                       now: frozenNow, hashing: hashing, on: app.db)
            let bo = try await AccountQueries.create(email: "bo@skole.dk", name: "Bo", password: LoginTests.password, role: .editor,
                                                     now: frozenNow, hashing: hashing, on: app.db)
            try await MembershipQueries.add(user: anna.id, organisation: schoolID, role: .administrator, now: frozenNow, on: app.db)
            try await MembershipQueries.add(user: anna.id, organisation: schoolID, role: .administrator, now: frozenNow, on: app.db)
            try await MembershipQueries.add(user: anna.id, organisation: schoolID, role: .teacher, now: frozenNow, on: app.db)
            try await MembershipQueries.add(user: bo.id, organisation: schoolID, role: .teacher, now: frozenNow, on: app.db)
            #expect(try await MembershipQueries.administratorCount(schoolID, on: app.db) == 1)
            #expect(try await MembershipQueries.forUser(anna.id, on: app.db).map(\.role) == [.administrator, .teacher])
            #expect(try await MembershipQueries.forOrganisation(schoolID, on: app.db).map { "\($0.name) \($0.role.rawValue)" }
                    == ["Anna administrator", "Anna laerer", "Bo laerer"])
            await #expect(throws: SamspilError.self) {
                try await MembershipQueries.remove(user: anna.id, organisation: schoolID, role: .administrator, on: app.db)
            }
            try await MembershipQueries.remove(user: bo.id, organisation: schoolID, role: .teacher, on: app.db)
            #expect(try await MembershipQueries.forOrganisation(schoolID, on: app.db).count == 2)
            let actor = try await MembershipQueries.actor(for: anna, on: app.db)
            #expect(actor.roles(in: schoolID) == [.administrator, .teacher])
            #expect(Permissions.allows(actor, .edit, on: OrganisationResource(id: schoolID, kind: .school, municipalityCode: "0101", status: .approved)))
        }
    }

    @Test(arguments: TestBackend.all)
    func aMaterialCanNameItsOrganisation(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let schoolID = UUID()
            try await OrganisationStore.insert([(schoolID, Self.school())], createdBy: nil, now: frozenNow, on: app.db)
            let sql = app.db as! any SQLDatabase
            try await sql.update(MaterialModel.schema).set("organisation_id", to: schoolID)
                .where("slug", .equal, "fire-typer-af-partnerskaber").run()
            struct Row: Decodable { let name: String }
            let row = try await sql.raw("""
                SELECT o.name FROM materials m JOIN organisations o ON o.id = m.organisation_id WHERE m.slug = 'fire-typer-af-partnerskaber'
                """).first(decoding: Row.self)
            #expect(row?.name == "Eksempelskolen")
        }
    }
}
