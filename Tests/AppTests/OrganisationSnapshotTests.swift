@testable import App
import Foundation
import SamspilCore
import Testing

/// The organisation pages rendered from fixed view models (see `SnapshotTests`).
@Suite struct OrganisationSnapshotTests {
    static let site = SnapshotTests.site

    static let summaries = [
        OrganisationSummary(slug: "demo-museet", kind: .learningEnvironment, name: "Demo-museet", detail: "Kulturhistoriske museer",
                            municipality: "København", town: "København K", status: .approved),
        OrganisationSummary(slug: "eksempelskolen", kind: .school, name: "Eksempelskolen", detail: "Folkeskole", municipality: "København",
                            town: "København K", status: .approved),
    ]

    @Test func profilePage() throws {
        var museum = OrganisationStorageTests.museum()
        museum.status = .approved
        museum.address = PostalAddress(street: "Museumsvej 7", postcode: "1000", town: "København K")
        museum.website = "https://demo-museet.example"
        let profile = OrganisationProfile(
            id: UUID(uuidString: "00000000-0000-0000-0000-000000000001")!, organisation: museum, municipalityName: "Aarhus",
            municipalitySlug: "aarhus", region: "Region Midtjylland", environmentKindName: "Kulturhistoriske museer",
            subjectNames: ["Historie", "Dansk"], gradeLevelNames: ["4. klasse", "5. klasse"],
            materials: [(slug: "fire-typer-af-partnerskaber", title: "Fire typer af partnerskaber")])
        let html = ProfileView.render(ProfileView.Model(profile: profile, canEdit: true, canApprove: false, canSeeMembers: true, join: .none, csrf: "fixed-token"), site: Self.site).string
        try Snapshot.assert(html, named: "organisation-page.html")
    }

    @Test func directoryWithAFilter() throws {
        let page = DirectoryPage(
            query: OrganisationQuery(municipality: "0101"),
            items: ResultPage(items: Self.summaries, total: 2, request: PageRequest()),
            kinds: [FacetValue(value: "skole", label: "Skoler", count: 1), FacetValue(value: "laeringsmiljoe", label: "Eksterne læringsmiljøer", count: 1),
                    FacetValue(value: "anden", label: "Andre organisationer", count: 0)],
            municipalities: [FacetValue(value: "0101", label: "København", count: 2), FacetValue(value: "0751", label: "Aarhus", count: 4)],
            regions: [FacetValue(value: "1084", label: "Region Hovedstaden", count: 2)])
        try Snapshot.assert(DirectoryView.render(DirectoryView.model(page, canRegister: false), site: Self.site).string, named: "organisations-page.html")
    }

    /// A search no organisation matches in every word, within a municipality.
    @Test func directorySearchWithPartialMatches() throws {
        let page = DirectoryPage(
            query: OrganisationQuery(text: "museum kvantefysik", municipality: "0101"),
            items: ResultPage(items: [Self.summaries[0]], total: 1, request: PageRequest()),
            kinds: [FacetValue(value: "skole", label: "Skoler", count: 0), FacetValue(value: "laeringsmiljoe", label: "Eksterne læringsmiljøer", count: 1),
                    FacetValue(value: "anden", label: "Andre organisationer", count: 0)],
            municipalities: [FacetValue(value: "0101", label: "København", count: 1)],
            regions: [FacetValue(value: "1084", label: "Region Hovedstaden", count: 1)],
            partial: PartialMatch(matched: 1, of: 2))
        try Snapshot.assert(DirectoryView.render(DirectoryView.model(page, canRegister: true), site: Self.site).string, named: "organisations-search-page.html")
    }

    @Test func municipalityPage() throws {
        let page = MunicipalityPage(name: "København", slug: "koebenhavn", code: "0101", region: "Region Hovedstaden",
                                    groups: [(.school, [Self.summaries[1]]), (.learningEnvironment, [Self.summaries[0]]), (.other, [])])
        try Snapshot.assert(MunicipalityViews.show(page, site: Self.site).string, named: "municipality-page.html")
    }

    /// The registration form of a school after a refused submit.
    @Test func registrationFormWithErrors() throws {
        let choices = OrganisationForms.Choices(municipalities: [("0101", "København"), ("0751", "Aarhus")], environmentKinds: [],
                                                subjects: [], gradeLevels: [("0", "Børnehaveklasse (0. klasse)"), ("1", "1. klasse")])
        let model = OrganisationForms.ViewModel(
            kind: .school, form: OrganisationForms.Form(kind: "skole", name: "Nordby Skole", institutionNumber: "12345", gradeLevels: ["1"]),
            choices: choices, errors: [FieldProblem(field: "institutionNumber", message: "Skriv institutionsnummeret med seks cifre, fx 101001."),
                                       FieldProblem(field: "municipality", message: "Vælg den kommune, skolen ligger i.")],
            csrf: "fixed-token")
        try Snapshot.assert(OrganisationFormViews.form(model, site: Self.site), named: "organisation-form.html")
    }
}
