import Foundation
import SamspilCore

/// The OpenAPI document as served at `/api/v1/openapi.json`: `Resources/openapi.json` with the slugs that exist
/// at the time filled in as the `enum` of the schemas for material types, audiences, topics and themes. Those
/// are data (editors add terms and themes), and the server refuses a slug it does not know (400 in a filter,
/// 422 in a material), so a document that allowed any slug would promise what the server refuses.
enum OpenAPIDocument {
    /// The schema in `components.schemas` that each list of slugs goes into.
    static let materialTypeSchema = "MaterialTypeSlug"
    static let audienceSchema = "AudienceSlug"
    static let topicSchema = "TopicSlug"
    static let themeSchema = "ThemeSlug"

    /// The reference data the organisation schemas list (codes and slugs, sorted).
    struct Reference: Sendable {
        var municipalities: [String] = []
        var regions: [String] = []
        var subjects: [String] = []
        var gradeLevels: [String] = []
        /// The forms of partnership administrators keep (`partnership_forms`).
        var partnershipForms: [String] = []
    }

    /// The committed document, read once.
    private static let template = Result { try JSONDecoder().decode(JSONValue.self, from: AppResources.data("openapi.json")) }

    /// The document with the current slugs, as JSON. `themes`: the slugs of the published themes (what the
    /// `theme` filter accepts).
    static func data(vocabularies: Vocabularies, themes: Set<String>, reference: Reference = Reference()) throws -> Data {
        var document = try template.get()
        let lists: [(String, [String])] = [
            (materialTypeSchema, vocabularies.materialTypes.map(\.slug)), (audienceSchema, vocabularies.audiences.map(\.slug)),
            (topicSchema, vocabularies.topics.map(\.slug)), (themeSchema, themes.sorted()),
        ] + [
            ("MunicipalityCode", reference.municipalities), ("RegionCode", reference.regions), ("SubjectSlug", reference.subjects),
            ("GradeLevelCode", reference.gradeLevels), ("PartnershipFormSlug", reference.partnershipForms),
        ].filter { !$0.1.isEmpty }  // without reference data (SAMSPIL_SEED=false) the pattern alone describes them
        for (schema, slugs) in lists {
            // A missing schema is a mistake in the committed document; OpenAPITests names it.
            document.set(["components", "schemas", schema, "enum"], to: .array(slugs.map(JSONValue.string)))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(document)
    }
}

extension JSONValue {
    /// Sets the member at `path` (object keys) when every object on the way exists; otherwise changes nothing.
    mutating func set(_ path: ArraySlice<String>, to value: JSONValue) {
        guard let key = path.first else { self = value; return }
        guard case .object(var members) = self else { return }
        if path.count == 1 {
            members[key] = value
        } else {
            guard var child = members[key] else { return }
            child.set(path.dropFirst(), to: value)
            members[key] = child
        }
        self = .object(members)
    }
}
