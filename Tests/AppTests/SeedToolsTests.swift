@testable import App
import Foundation
import SamspilCore
import Testing

/// The four tools of the seed page (issue 14), written as data in `Resources/Seed/tools.json`: each keeps the tool
/// rules, comes from a material of the seed and is for audiences of the seed's vocabulary.
@Suite struct SeedToolsTests {
    @Test func theFourSeedToolsKeepTheRules() throws {
        struct Seed: Decodable {
            struct Slugged: Decodable { let slug: String }
            let materials: [Slugged]
            let vocabularies: [String: [Slugged]]
        }
        let content = try JSONDecoder().decode(Seed.self, from: try AppResources.data("Seed/content.json"))
        let materials = Set(content.materials.map(\.slug))
        let audiences = Set((content.vocabularies["audiences"] ?? []).map(\.slug))
        #expect(!audiences.isEmpty)
        let data = try AppResources.data("Seed/tools.json")
        let tools = try JSONDecoder().decode([ToolDefinition].self, from: data)
        #expect(tools.map(\.material) == ["roller-og-relationer-i-aaben-skole", "opstart-et-skole-virksomhedssamarbejde-i-kommunen",
                                          "guide-til-det-gode-samarbejde", "plc-saet-aaben-skole-paa-dagsordenen"])
        for tool in tools {
            #expect(ToolRules.problems(tool, materials: materials, audiences: audiences) == [], "\(tool.slug)")
        }
        let phases = tools.first { $0.slug == "det-gode-samarbejde" }?.sections.map(\.title)
        #expect(phases == ["Forventningsafstemning", "Planlægning", "Gennemførelse", "Evaluering og forankring"])
        let kinds = Set(tools.flatMap(\.items).compactMap(\.item.itemKind))
        #expect(kinds == Set(ToolItemKind.allCases), "the seed tools use every kind of item")
    }
}
