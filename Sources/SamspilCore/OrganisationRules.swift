import Foundation

/// The reference data an organisation is checked against: municipality codes, kinds of learning environments,
/// subjects and grade levels (the CSV files of `Resources/Reference`).
public struct OrganisationReference: Sendable {
    public var municipalityCodes: Set<String>
    public var environmentKinds: Set<String>
    public var subjects: Set<String>
    public var gradeLevels: Set<String>

    public init(municipalityCodes: Set<String>, environmentKinds: Set<String>, subjects: Set<String>, gradeLevels: Set<String>) {
        self.municipalityCodes = municipalityCodes
        self.environmentKinds = environmentKinds
        self.subjects = subjects
        self.gradeLevels = gradeLevels
    }
}

/// The rules an organisation keeps, whoever sends it (a form, the API, an import). Messages in the forms' style.
public enum OrganisationRules {
    public static let nameMaxLength = 200
    public static let descriptionMaxLength = 20_000
    public static let shortTextMaxLength = 500

    /// A school's institution number: six digits.
    public static func isInstitutionNumber(_ text: String) -> Bool {
        text.utf8.count == 6 && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    public static func problems(_ organisation: Organisation, reference: OrganisationReference) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        func add(_ field: String, _ message: String) { problems.append(FieldProblem(field: field, message: message)) }
        if !Slug.isValid(organisation.slug) { add("slug", MaterialRules.slugMessage) } else if Slug.reserved.contains(organisation.slug) {
            add("slug", Slug.reservedMessage)
        }
        let name = organisation.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { add("name", "Skriv organisationens navn.") }
        if organisation.name.count > nameMaxLength { add("name", "Gør navnet kortere: det må højst have \(DanishText.number(nameMaxLength)) tegn.") }
        switch organisation.kind {
        case .municipality:
            add("kind", "Kommuner kan ikke oprettes eller ændres; de 98 kommuner er indlæst fra referencedata.")
        case .school:
            if let number = organisation.institutionNumber {
                if !isInstitutionNumber(number) { add("institutionNumber", "Skriv institutionsnummeret med seks cifre, fx 101001.") }
            } else {
                add("institutionNumber", "Skriv skolens institutionsnummer (seks cifre).")
            }
            if organisation.schoolKind == nil { add("schoolKind", "Vælg, hvilken slags skole det er.") }
            if organisation.municipalityCode == nil { add("municipality", "Vælg den kommune, skolen ligger i.") }
        case .learningEnvironment:
            if let kind = organisation.environmentKind {
                if !reference.environmentKinds.contains(kind) { add("environmentKind", "Vælg en slags læringsmiljø fra listen – \(DanishText.quoted(kind)) findes ikke.") }
            } else {
                add("environmentKind", "Vælg, hvilken slags læringsmiljø det er.")
            }
            if organisation.municipalityCode == nil { add("municipality", "Vælg den kommune, læringsmiljøet ligger i.") }
            if organisation.description.count > descriptionMaxLength {
                add("description", "Gør beskrivelsen kortere: den må højst have \(DanishText.number(descriptionMaxLength)) tegn.")
            }
            if let latitude = organisation.latitude, !(54.0...58.0).contains(latitude) {
                add("latitude", "Skriv en breddegrad i Danmark (mellem 54 og 58), fx 55.6761.")
            }
            if let longitude = organisation.longitude, !(8.0...15.5).contains(longitude) {
                add("longitude", "Skriv en længdegrad i Danmark (mellem 8 og 15,5), fx 12.5683.")
            }
            if (organisation.latitude == nil) != (organisation.longitude == nil) {
                add(organisation.latitude == nil ? "latitude" : "longitude", "Skriv både bredde- og længdegrad – eller ingen af dem.")
            }
        case .other:
            if (organisation.otherKind ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                add("otherKind", "Skriv, hvilken slags organisation det er, fx netværk eller professionshøjskole.")
            }
        }
        // Whatever the kind: what is stored is from the lists (the API may send them for any kind).
        for (index, subject) in organisation.subjects.enumerated() where !reference.subjects.contains(subject) {
            add("subjects[\(index)]", "Vælg fag fra listen – \(DanishText.quoted(subject)) findes ikke.")
        }
        for (index, level) in organisation.gradeLevels.enumerated() where !reference.gradeLevels.contains(level) {
            add("gradeLevels[\(index)]", "Vælg klassetrin fra listen – \(DanishText.quoted(level)) findes ikke.")
        }
        if let code = organisation.municipalityCode, !reference.municipalityCodes.contains(code) {
            add("municipality", "Vælg en kommune fra listen – \(DanishText.quoted(code)) er ikke en kommunekode.")
        }
        if let website = organisation.website, !MaterialRules.isWebAddress(website) {
            add("website", "Skriv en webadresse, der begynder med https:// eller http://.")
        }
        if let email = organisation.email, let problem = EmailAddress.problems(email, field: "email").first { problems.append(problem) }
        if let phone = organisation.phone,
           !phone.unicodeScalars.allSatisfy({ CharacterSet.decimalDigits.contains($0) || " +-()".unicodeScalars.contains($0) })
            || phone.filter(\.isNumber).count < 8 {
            add("phone", "Skriv et telefonnummer med mindst otte cifre, fx 33 12 34 56.")
        }
        if let postcode = organisation.address.postcode, !(postcode.count == 4 && postcode.allSatisfy(\.isASCII) && postcode.allSatisfy(\.isNumber)) {
            add("postcode", "Skriv postnummeret med fire cifre, fx 8000.")
        }
        let texts: [(String, String?)] = [
            ("name", organisation.name), ("street", organisation.address.street), ("town", organisation.address.town),
            ("accessibility", organisation.accessibility), ("otherKind", organisation.otherKind), ("description", organisation.description),
        ]
        for (field, text) in texts {
            guard let text else { continue }
            if let problem = TextRules.nulProblem(text) { add(field, problem) }
            // U+FFFD is what a text read in the wrong encoding is left with where a letter stood ("K�ge").
            if text.unicodeScalars.contains("\u{FFFD}") {
                add(field, "Teksten har tegnet \u{FFFD} i stedet for et bogstav, som når en fil er gemt i en forkert tegnkodning. Skriv bogstavet igen, eller gem filen som UTF-8.")
            }
            if field != "description", text.count > shortTextMaxLength {
                add(field, "Gør teksten kortere: den må højst have \(DanishText.number(shortTextMaxLength)) tegn.")
            }
        }
        return problems
    }
}
