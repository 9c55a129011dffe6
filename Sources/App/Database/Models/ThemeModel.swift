import Fluent
import Foundation
import SamspilCore

final class ThemeModel: Model, @unchecked Sendable {
    static let schema = "themes"

    // MARK: managed
    @ID(key: .id) var id: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    // MARK: data
    @Field(key: "slug") var slug: String
    @Field(key: "title") var title: String
    @OptionalField(key: "section") var section: String?
    @Field(key: "intro") var intro: String
    @Field(key: "status") var status: String

    // MARK: relationships
    @Children(for: \.$theme) var entries: [ThemeMaterialModel]

    init() {}
}

/// A material's place on a theme page.
final class ThemeMaterialModel: Model, @unchecked Sendable {
    static let schema = "theme_materials"

    // MARK: managed
    @ID(key: .id) var id: UUID?

    // MARK: data
    @Field(key: "position") var position: Int

    // MARK: relationships
    @Parent(key: "theme_id") var theme: ThemeModel
    @Parent(key: "material_id") var material: MaterialModel

    init() {}

    init(themeID: UUID, materialID: UUID, position: Int) {
        self.$theme.id = themeID
        self.$material.id = materialID
        self.position = position
    }
}
