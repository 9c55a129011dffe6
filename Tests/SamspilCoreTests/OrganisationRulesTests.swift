import Foundation
import Testing
@testable import SamspilCore

@Suite struct OrganisationRulesTests {
    static let reference = OrganisationReference(municipalityCodes: ["0101", "0751"], environmentKinds: ["naturskoler", "kulturhistoriske-museer"],
                                                 subjects: ["dansk", "natur-teknologi"], gradeLevels: ["0", "1", "9", "10"])

    static func school() -> Organisation {
        var school = Organisation(slug: "aarhus-skole", kind: .school, name: "Aarhus Skole", municipalityCode: "0751")
        school.institutionNumber = "751001"
        school.schoolKind = .folkeskole
        school.gradeLevels = ["0", "1", "9"]
        school.address = PostalAddress(street: "Skolevej 1", postcode: "8000", town: "Aarhus C")
        school.website = "https://skole.example"
        school.phone = "+45 86 12 34 56"
        school.email = "kontor@skole.example"
        return school
    }

    static func fields(_ organisation: Organisation) -> [String] {
        OrganisationRules.problems(organisation, reference: reference).map(\.field)
    }

    @Test func aCompleteSchoolKeepsTheRules() {
        #expect(OrganisationRules.problems(Self.school(), reference: Self.reference).isEmpty)
    }

    @Test(arguments: ["", "12345", "1234567", "12345a", "１２３４５６", "12 456"])
    func institutionNumbersHaveSixDigits(number: String) {
        var school = Self.school()
        school.institutionNumber = number
        #expect(Self.fields(school) == ["institutionNumber"])
    }

    @Test func everyBrokenFieldIsNamed() {
        var school = Self.school()
        school.name = " "
        school.municipalityCode = "9999"
        school.gradeLevels = ["0", "11"]
        school.website = "ftp://skole.example"
        school.phone = "12"
        school.email = "ikke en adresse"
        school.address.postcode = "800"
        school.address.street = "Vej\u{0}"
        #expect(Set(Self.fields(school)) == ["name", "municipality", "gradeLevels[1]", "website", "phone", "email", "postcode", "street"])
    }

    @Test func learningEnvironmentsNeedAKindAndGiveBothCoordinatesOrNone() {
        var museum = Organisation(slug: "museet", kind: .learningEnvironment, name: "Museet", municipalityCode: "0101")
        #expect(Self.fields(museum) == ["environmentKind"])
        museum.environmentKind = "kulturhistoriske-museer"
        museum.subjects = ["dansk", "matematik"]
        museum.latitude = 55.68
        #expect(Set(Self.fields(museum)) == ["subjects[1]", "longitude"])
        museum.subjects = ["dansk"]
        museum.longitude = 20
        #expect(Self.fields(museum) == ["longitude"])
        museum.longitude = 12.57
        #expect(Self.fields(museum).isEmpty)
    }

    @Test func othersSayWhatKindAndMunicipalitiesAreNotMadeHere() {
        var network = Organisation(slug: "netvaerket", kind: .other, name: "Netværket")
        #expect(Self.fields(network) == ["otherKind"])
        network.otherKind = "Netværk"
        #expect(Self.fields(network).isEmpty, "a municipality is optional")
        #expect(Self.fields(Organisation(slug: "koebenhavn", kind: .municipality, name: "København", municipalityCode: "0101")) == ["kind"])
    }
}
