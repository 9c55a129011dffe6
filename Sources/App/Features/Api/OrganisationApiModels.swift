import Fluent
import Foundation
import SamspilCore
import Vapor

/// The JSON shapes of organisations in `/api/v1` and the directory's JSON export (`/organisationer.json`).
struct OrganisationDTO: Content, Equatable {
    struct MunicipalityRefDTO: Content, Equatable {
        var code: String
        var name: String
        var region: String
    }

    struct AddressDTO: Content, Equatable {
        var street: String?
        var postcode: String?
        var town: String?
    }

    var slug: String
    /// `skole`, `laeringsmiljoe` or `anden`.
    var kind: String
    var name: String
    var municipality: MunicipalityRefDTO?
    var institutionNumber: String?
    var schoolKind: TermDTO?
    var environmentKind: TermDTO?
    var otherKind: String?
    var address: AddressDTO
    var website: String?
    var phone: String?
    var email: String?
    /// Markdown.
    var description: String
    var subjects: [TermDTO]
    var gradeLevels: [TermDTO]
    var accessibility: String?
    var latitude: Double?
    var longitude: Double?
    var updatedAt: Date
    /// Absolute address of the organisation's page.
    var url: String

    /// Names of reference data by slug or code, for the labels.
    struct Labels: Sendable {
        var municipalities: [String: MunicipalityModel] = [:]
        var environmentKinds: [String: String] = [:]
        var subjects: [String: String] = [:]
        var gradeLevels: [String: String] = [:]

        static func load(on db: any Database) async throws -> Labels {
            func named<T>(_ rows: [T], _ key: KeyPath<T, String>, _ name: KeyPath<T, String>) -> [String: String] {
                Dictionary(rows.map { ($0[keyPath: key], $0[keyPath: name]) }, uniquingKeysWith: { first, _ in first })
            }
            return Labels(
                municipalities: Dictionary(try await MunicipalityModel.query(on: db).all().map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first }),
                environmentKinds: named(try await LearningEnvironmentKindModel.query(on: db).all(), \.slug, \.name),
                subjects: named(try await SubjectModel.query(on: db).all(), \.slug, \.name),
                gradeLevels: named(try await GradeLevelModel.query(on: db).all(), \.code, \.name)
            )
        }
    }

    init(_ organisation: Organisation, updatedAt: Date, labels: Labels, site: SiteInfo) {
        slug = organisation.slug
        kind = organisation.kind.rawValue
        name = organisation.name
        municipality = organisation.municipalityCode.flatMap { labels.municipalities[$0] }.map {
            MunicipalityRefDTO(code: $0.code, name: $0.name, region: $0.region)
        }
        institutionNumber = organisation.institutionNumber
        schoolKind = organisation.schoolKind.map { TermDTO(slug: $0.rawValue, label: $0.label) }
        environmentKind = organisation.environmentKind.map { TermDTO(slug: $0, label: labels.environmentKinds[$0] ?? $0) }
        otherKind = organisation.otherKind
        address = AddressDTO(street: organisation.address.street, postcode: organisation.address.postcode, town: organisation.address.town)
        website = organisation.website
        phone = organisation.phone
        email = organisation.email
        description = organisation.description
        subjects = organisation.subjects.map { TermDTO(slug: $0, label: labels.subjects[$0] ?? $0) }
        gradeLevels = organisation.gradeLevels.map { TermDTO(slug: $0, label: labels.gradeLevels[$0] ?? $0) }
        accessibility = organisation.accessibility
        latitude = organisation.latitude
        longitude = organisation.longitude
        self.updatedAt = updatedAt
        url = site.absolute(SitePath.directory(.organisation(organisation.slug)).href)
    }
}

struct OrganisationListDTO: Content {
    var items: [OrganisationDTO]
    var total: Int
    var limit: Int
    var offset: Int
}

struct MunicipalityDTO: Content {
    var code: String
    var name: String
    var slug: String
    var regionCode: String
    var region: String
    /// Approved schools, learning environments and others in it.
    var organisations: Int
    var url: String
}

struct MunicipalityListDTO: Content {
    var items: [MunicipalityDTO]
}
