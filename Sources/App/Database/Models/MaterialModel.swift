import Fluent
import Foundation
import SamspilCore

final class MaterialModel: Model, @unchecked Sendable {
    static let schema = "materials"

    // MARK: managed
    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    // MARK: data
    @Field(key: "slug") var slug: String
    @Field(key: "title") var title: String
    @OptionalField(key: "genre") var genre: String?
    @Field(key: "type_slug") var typeSlug: String
    @Field(key: "teaser") var teaser: String
    @Field(key: "body") var body: String
    @Field(key: "credit_kind") var creditKind: String
    @OptionalField(key: "credit_organisation") var creditOrganisation: String?
    @OptionalField(key: "year") var year: Int?
    @Field(key: "language") var language: String
    @OptionalField(key: "reading_minutes") var readingMinutes: Int?
    @Field(key: "status") var status: String
    /// `DanishSortKey` of the title, so title order is the same on SQLite and PostgreSQL.
    @Field(key: "sort_title") var sortTitle: String

    // MARK: relationships
    @Children(for: \.$material) var persons: [MaterialPersonModel]
    @Children(for: \.$material) var terms: [MaterialTermModel]
    @Children(for: \.$material) var versions: [MaterialVersionModel]

    init() {}
}

/// A person credited on a material, in order.
final class MaterialPersonModel: Model, @unchecked Sendable {
    static let schema = "material_persons"

    // MARK: managed
    @ID(key: .id) var id: UUID?

    // MARK: data
    @Field(key: "position") var position: Int
    @Field(key: "name") var name: String

    // MARK: relationships
    @Parent(key: "material_id") var material: MaterialModel

    init() {}

    init(materialID: UUID, position: Int, name: String) {
        self.$material.id = materialID
        self.position = position
        self.name = name
    }
}

/// An audience or topic of a material (`kind` is a `VocabularyKind`), in order.
final class MaterialTermModel: Model, @unchecked Sendable {
    static let schema = "material_terms"

    // MARK: managed
    @ID(key: .id) var id: UUID?

    // MARK: data
    @Field(key: "kind") var kind: String
    @Field(key: "term_slug") var termSlug: String
    @Field(key: "position") var position: Int

    // MARK: relationships
    @Parent(key: "material_id") var material: MaterialModel

    init() {}

    init(materialID: UUID, kind: VocabularyKind, termSlug: String, position: Int) {
        self.$material.id = materialID
        self.kind = kind.rawValue
        self.termSlug = termSlug
        self.position = position
    }
}

/// One version of a material (full, pixi, other).
final class MaterialVersionModel: Model, @unchecked Sendable {
    static let schema = "material_versions"

    // MARK: managed
    @ID(key: .id) var id: UUID?

    // MARK: data
    @Field(key: "position") var position: Int
    @Field(key: "kind") var kind: String
    @OptionalField(key: "label") var label: String?
    @Field(key: "availability") var availability: String
    @OptionalField(key: "url") var url: String?
    @OptionalField(key: "file_name") var fileName: String?
    @OptionalField(key: "content_type") var contentType: String?

    // MARK: relationships
    @Parent(key: "material_id") var material: MaterialModel

    init() {}
}

extension MaterialModel {
    /// The domain value. Children must be eager-loaded.
    func domain() -> Material {
        let ordered = terms.sorted { $0.position < $1.position }
        return Material(
            slug: slug,
            title: title,
            genre: genre.flatMap(Genre.init(rawValue:)),
            type: typeSlug,
            teaser: teaser,
            body: body,
            credits: Credits(
                kind: Credits.Kind(rawValue: creditKind) ?? .developed,
                persons: persons.sorted { $0.position < $1.position }.map(\.name),
                organisation: creditOrganisation
            ),
            year: year,
            language: Language(rawValue: language) ?? .danish,
            readingMinutes: readingMinutes,
            audiences: ordered.filter { $0.kind == VocabularyKind.audience.rawValue }.map(\.termSlug),
            topics: ordered.filter { $0.kind == VocabularyKind.topic.rawValue }.map(\.termSlug),
            versions: versions.sorted { $0.position < $1.position }.map {
                MaterialVersion(
                    kind: MaterialVersion.Kind(rawValue: $0.kind) ?? .other,
                    label: $0.label,
                    availability: MaterialVersion.Availability(rawValue: $0.availability) ?? .unavailable,
                    url: $0.url,
                    fileName: $0.fileName,
                    contentType: $0.contentType
                )
            },
            status: PublicationStatus(rawValue: status) ?? .draft,
            createdAt: createdAt,
            updatedAt: updatedAt
        )
    }

    /// Copies the material's own fields (not its children) onto this row.
    func apply(_ material: Material) {
        slug = material.slug
        title = material.title
        genre = material.genre?.rawValue
        typeSlug = material.type
        teaser = material.teaser
        body = material.body
        creditKind = material.credits.kind.rawValue
        creditOrganisation = material.credits.organisation
        year = material.year
        language = material.language.rawValue
        readingMinutes = material.readingMinutes
        status = material.status.rawValue
        sortTitle = DanishSortKey.make(material.title)
    }
}
