import Foundation
import Testing
@testable import SamspilCore

/// Tool definitions (issue 14): a malformed definition is refused with a Danish message per field, read from JSON
/// (an import) as from a value (a form).
@Suite struct ToolRulesTests {
    static let valid = ToolDefinition(slug: "det-gode-samarbejde", title: "Det gode samarbejde", introduction: "Fire faser.",
                                      material: "guide-til-det-gode-samarbejde", audiences: ["skoler"], sections: [
        ToolSection(id: "planlaegning", title: "Planlægning", items: [
            ToolItem(id: "maal", kind: .reflection, text: "Hvad vil I opnå?"),
            ToolItem(id: "enige", kind: .scale, text: "Hvor enige er I?", steps: 5, lowLabel: "Slet ikke", highLabel: "Helt"),
            ToolItem(id: "form", kind: .singleChoice, text: "Hvor foregår det?", options: ["På museet", "På skolen"]),
            ToolItem(id: "plan", kind: .checklist, text: "Læg datoerne fast."),
        ]),
    ])

    @Test func aValidToolHasNoProblems() {
        #expect(ToolRules.problems(Self.valid, materials: ["guide-til-det-gode-samarbejde"], audiences: ["skoler"]).isEmpty)
    }

    static func broken(_ change: (inout ToolDefinition) -> Void) -> [FieldProblem] {
        var tool = valid
        change(&tool)
        return ToolRules.problems(tool)
    }

    @Test func anItemWithNoText() {
        let problems = Self.broken { $0.sections[0].items[2].text = "  " }
        #expect(problems == [FieldProblem(field: "sections[0].items[2].text", message: "Skriv punktets tekst.")])
    }

    @Test func anUnknownKind() {
        let problems = Self.broken { $0.sections[0].items[0] = ToolItem(id: "maal", rawKind: "fritekst", text: "Hvad vil I opnå?") }
        #expect(problems.map(\.field) == ["sections[0].items[0].kind"])
        #expect(problems.first?.message.contains("„fritekst“ findes ikke") == true)
        #expect(problems.first?.message.contains("refleksion, tjekpunkt, skala, enkeltvalg, flervalg, instruktion") == true)
    }

    @Test(arguments: [nil, 0, 1, 11])
    func aScaleWithoutTwoToTenSteps(steps: Int?) {
        let problems = Self.broken { $0.sections[0].items[1].steps = steps }
        #expect(problems == [FieldProblem(field: "sections[0].items[1].steps", message: "En skala skal have mellem 2 og 10 trin.")])
    }

    @Test func aDuplicateItemIDEvenInAnotherSection() {
        let problems = Self.broken { $0.sections.append(ToolSection(id: "evaluering", title: "Evaluering", items: [ToolItem(id: "maal", kind: .reflection, text: "Nåede I det?")])) }
        #expect(problems == [FieldProblem(field: "sections[1].items[0].id", message: "Id'et „maal“ bruges af et andet punkt. Giv hvert punkt sit eget.")])
    }

    @Test func otherBrokenParts() {
        #expect(Self.broken { $0.title = "" }.map(\.field) == ["title"])
        #expect(Self.broken { $0.sections = [] }.map(\.field) == ["sections"])
        #expect(Self.broken { $0.sections[0].items = [] }.map(\.field) == ["sections[0].items"])
        #expect(Self.broken { $0.sections[0].items[2].options = ["På museet"] }.map(\.field) == ["sections[0].items[2].options"])
        #expect(Self.broken { $0.sections[0].items[2].options = ["På museet", "På museet"] }.map(\.message) == ["Nævn hver mulighed kun én gang."])
        #expect(Self.broken { $0.sections[0].items[1].lowLabel = nil }.map(\.field) == ["sections[0].items[1].lowLabel"])
        #expect(Self.broken { $0.sections[0].items[0].id = "Mål 1" }.map(\.field) == ["sections[0].items[0].id"])
        #expect(ToolRules.problems(Self.valid, materials: ["noget-andet"], audiences: ["kommuner"]).map(\.field) == ["material", "audiences[0]"])
    }

    /// The same rules when a definition comes as a file: every broken item named, all at once.
    @Test func anImportNamesEveryProblem() throws {
        let json = """
            {"slug": "vaerktoej", "title": "Værktøj", "introduction": "", "audiences": [], "sections": [
              {"id": "a", "title": "A", "items": [
                {"id": "x", "kind": "refleksion", "text": ""},
                {"id": "y", "kind": "tegning", "text": "Tegn jeres samarbejde"},
                {"id": "z", "kind": "skala", "text": "Hvor godt?", "steps": 1, "lowLabel": "Dårligt", "highLabel": "Godt"},
                {"id": "x", "kind": "tjekpunkt", "text": "Gør det"}]}]}
            """
        guard case .failure(.unprocessable(let problems)) = ToolRules.read(Data(json.utf8)) else {
            Issue.record("the definition was accepted")
            return
        }
        #expect(problems.map(\.field) == ["sections[0].items[0].text", "sections[0].items[1].kind", "sections[0].items[2].steps", "sections[0].items[3].id"])
        #expect(problems.allSatisfy { !$0.message.isEmpty })
    }

    @Test func anImportWithAMissingMemberOrNoJSON() {
        guard case .failure(.unprocessable(let missing)) = ToolRules.read(Data(#"{"slug": "v", "title": "V", "introduction": "", "audiences": [], "sections": [{"id": "a", "title": "A", "items": [{"id": "x", "kind": "refleksion"}]}]}"#.utf8)) else {
            Issue.record("accepted")
            return
        }
        #expect(missing == [FieldProblem(field: "sections[0].items[0].text", message: "Mangler.")])
        guard case .failure(.unprocessable(let garbage)) = ToolRules.read(Data("ikke json".utf8)) else {
            Issue.record("accepted")
            return
        }
        #expect(garbage.first?.message == "Filen er ikke et gyldigt JSON-dokument med et værktøj.")
    }
}
