import Fluent
import Foundation
import SamspilCore

/// A municipality, school, learning environment or other organisation (`Organisation` in the domain).
final class OrganisationModel: Model, @unchecked Sendable {
    static let schema = "organisations"

    // MARK: managed
    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    /// Raised by every change, so a change based on an older state can be refused (the API's `If-Match`).
    @Field(key: "revision") var revision: Int
    /// The account that registered it; nil for reference data, imports by the command line and deleted accounts.
    @OptionalField(key: "created_by") var createdBy: UUID?

    // MARK: data
    @Field(key: "slug") var slug: String
    @Field(key: "kind") var kind: String
    @Field(key: "name") var name: String
    /// `DanishSortKey` of the name, so name order is the same on SQLite and PostgreSQL.
    @Field(key: "sort_name") var sortName: String
    @Field(key: "status") var status: String
    @OptionalField(key: "municipality_code") var municipalityCode: String?
    @OptionalField(key: "institution_number") var institutionNumber: String?
    @OptionalField(key: "school_kind") var schoolKind: String?
    @OptionalField(key: "environment_kind") var environmentKind: String?
    @OptionalField(key: "other_kind") var otherKind: String?
    @OptionalField(key: "street") var street: String?
    @OptionalField(key: "postcode") var postcode: String?
    @OptionalField(key: "town") var town: String?
    @OptionalField(key: "website") var website: String?
    @OptionalField(key: "phone") var phone: String?
    @OptionalField(key: "email") var email: String?
    @Field(key: "description") var description: String
    @OptionalField(key: "accessibility") var accessibility: String?
    @OptionalField(key: "latitude") var latitude: Double?
    @OptionalField(key: "longitude") var longitude: Double?

    // MARK: relationships
    @Children(for: \.$organisation) var terms: [OrganisationTermModel]

    init() {}
}

/// A subject or grade level of an organisation, in order.
final class OrganisationTermModel: Model, @unchecked Sendable {
    static let schema = "organisation_terms"

    enum Kind: String {
        case subject, grade
    }

    // MARK: managed
    @ID(key: .id) var id: UUID?

    // MARK: data
    @Field(key: "kind") var kind: String
    /// A subject's slug (`fag.csv`) or a grade level's code (`klassetrin.csv`).
    @Field(key: "term") var term: String
    @Field(key: "position") var position: Int

    // MARK: relationships
    @Parent(key: "organisation_id") var organisation: OrganisationModel

    init() {}

    init(organisationID: UUID, kind: Kind, term: String, position: Int) {
        self.$organisation.id = organisationID
        self.kind = kind.rawValue
        self.term = term
        self.position = position
    }
}

/// A person's role in an organisation. One row per role: a person may be both teacher and administrator.
final class MembershipModel: Model, @unchecked Sendable {
    static let schema = "memberships"

    // MARK: managed
    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date

    // MARK: data
    @Field(key: "role") var role: String

    // MARK: relationships
    @Parent(key: "user_id") var user: UserModel
    @Parent(key: "organisation_id") var organisation: OrganisationModel

    init() {}
}

extension OrganisationModel {
    /// The domain value. Terms must be eager-loaded, or passed.
    func domain(terms: [OrganisationTermModel]? = nil) -> Organisation {
        let ordered = (terms ?? self.terms).sorted { $0.position < $1.position }
        var organisation = Organisation(
            slug: slug, kind: OrganisationKind(rawValue: kind) ?? .other, name: name,
            status: OrganisationStatus(rawValue: status) ?? .pending, municipalityCode: municipalityCode
        )
        organisation.address = PostalAddress(street: street, postcode: postcode, town: town)
        organisation.website = website
        organisation.phone = phone
        organisation.email = email
        organisation.institutionNumber = institutionNumber
        organisation.schoolKind = schoolKind.flatMap(SchoolKind.init(rawValue:))
        organisation.gradeLevels = ordered.filter { $0.kind == OrganisationTermModel.Kind.grade.rawValue }.map(\.term)
        organisation.environmentKind = environmentKind
        organisation.description = description
        organisation.subjects = ordered.filter { $0.kind == OrganisationTermModel.Kind.subject.rawValue }.map(\.term)
        organisation.accessibility = accessibility
        organisation.latitude = latitude
        organisation.longitude = longitude
        organisation.otherKind = otherKind
        return organisation
    }

    /// Copies the organisation's own fields (not its subjects and grade levels) onto this row.
    func apply(_ organisation: Organisation) {
        slug = organisation.slug
        kind = organisation.kind.rawValue
        name = organisation.name
        sortName = DanishSortKey.make(organisation.name)
        status = organisation.status.rawValue
        municipalityCode = organisation.municipalityCode
        institutionNumber = organisation.institutionNumber
        schoolKind = organisation.schoolKind?.rawValue
        environmentKind = organisation.environmentKind
        otherKind = organisation.otherKind
        street = organisation.address.street
        postcode = organisation.address.postcode
        town = organisation.address.town
        website = organisation.website
        phone = organisation.phone
        email = organisation.email
        description = organisation.description
        accessibility = organisation.accessibility
        latitude = organisation.latitude
        longitude = organisation.longitude
    }
}
