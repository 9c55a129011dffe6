import Foundation

/// The kinds of organisations in åben skole: the 98 municipalities, schools, external learning environments
/// (museums, companies, nature schools, libraries, music schools …) and others (networks, university colleges,
/// a Skoletjenesten department).
public enum OrganisationKind: String, Codable, Sendable, CaseIterable {
    case municipality = "kommune"
    case school = "skole"
    case learningEnvironment = "laeringsmiljoe"
    case other = "anden"

    public var label: String {
        switch self {
        case .municipality: "Kommune"
        case .school: "Skole"
        case .learningEnvironment: "Eksternt læringsmiljø"
        case .other: "Anden organisation"
        }
    }

    public var pluralLabel: String {
        switch self {
        case .municipality: "Kommuner"
        case .school: "Skoler"
        case .learningEnvironment: "Eksterne læringsmiljøer"
        case .other: "Andre organisationer"
        }
    }

    /// The roles a person can have in an organisation of this kind. Every kind has administrators.
    public var roles: [OrganisationRole] {
        switch self {
        case .municipality: [.coordinator, .administrator]
        case .school: [.schoolLeader, .teacher, .plcStaff, .openSchoolContact, .administrator]
        case .learningEnvironment: [.leader, .educator, .administrator]
        case .other: [.administrator]
        }
    }
}

/// A person's role in one organisation (site roles — editor, administrator — are `Role`).
public enum OrganisationRole: String, Codable, Sendable, CaseIterable {
    case schoolLeader = "skoleleder"
    case teacher = "laerer"
    case plcStaff = "plc"
    case openSchoolContact = "aaben-skole-kontakt"
    case coordinator = "koordinator"
    case leader = "leder"
    case educator = "formidler"
    case administrator = "administrator"

    public var label: String {
        switch self {
        case .schoolLeader: "Skoleleder"
        case .teacher: "Lærer/pædagog"
        case .plcStaff: "PLC-medarbejder"
        case .openSchoolContact: "Åben skole-kontaktperson"
        case .coordinator: "Koordinator"
        case .leader: "Leder"
        case .educator: "Formidler/underviser"
        case .administrator: "Administrator for organisationen"
        }
    }
}

/// The kinds of schools.
public enum SchoolKind: String, Codable, Sendable, CaseIterable {
    case folkeskole
    case privateSchool = "fri-og-privatskole"
    case efterskole
    case specialSchool = "specialskole"
    case tenthGradeCentre = "10-klassecenter"
    case other = "anden"

    public var label: String {
        switch self {
        case .folkeskole: "Folkeskole"
        case .privateSchool: "Fri- og privatskole"
        case .efterskole: "Efterskole"
        case .specialSchool: "Specialskole"
        case .tenthGradeCentre: "10.-klassecenter"
        case .other: "Anden skole"
        }
    }
}

/// Whether an organisation registered by a person is public yet.
public enum OrganisationStatus: String, Codable, Sendable, CaseIterable {
    /// Registered, waiting for a site administrator or a coordinator of its municipality (not public).
    case pending = "afventer"
    case approved = "godkendt"

    public var label: String {
        switch self {
        case .pending: "Afventer godkendelse"
        case .approved: "Godkendt"
        }
    }
}

/// A postal address; every part optional (an organisation may give none).
public struct PostalAddress: Codable, Sendable, Equatable {
    public var street: String?
    public var postcode: String?
    public var town: String?

    public init(street: String? = nil, postcode: String? = nil, town: String? = nil) {
        self.street = street
        self.postcode = postcode
        self.town = town
    }

    public var line: String? {
        let town = [postcode, self.town].compactMap { $0 }.joined(separator: " ")
        let parts = [street, town.isEmpty ? nil : town].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }
}

/// An organisation of any kind. Fields a kind does not have stay empty (`OrganisationRules` says which).
public struct Organisation: Codable, Sendable, Equatable {
    public var slug: String
    public var kind: OrganisationKind
    public var name: String
    public var status: OrganisationStatus
    /// The municipality's four-digit code (the municipality's own for a municipality); optional for others.
    public var municipalityCode: String?
    public var address = PostalAddress()
    public var website: String?
    public var phone: String?
    public var email: String?
    /// Schools: the ministry's six-digit institution number, the kind of school and the grade levels it has.
    public var institutionNumber: String?
    public var schoolKind: SchoolKind?
    public var gradeLevels: [String] = []
    /// Learning environments: their kind (`laeringsmiljoer.csv`), a description (Markdown), subjects and grade
    /// levels they work with, accessibility notes, coordinates as given.
    public var environmentKind: String?
    public var description = ""
    public var subjects: [String] = []
    public var accessibility: String?
    public var latitude: Double?
    public var longitude: Double?
    /// Others: their kind in their own words.
    public var otherKind: String?

    public init(slug: String, kind: OrganisationKind, name: String, status: OrganisationStatus = .approved, municipalityCode: String? = nil) {
        self.slug = slug
        self.kind = kind
        self.name = name
        self.status = status
        self.municipalityCode = municipalityCode
    }
}
