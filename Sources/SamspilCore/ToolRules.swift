import Foundation

/// The rules a tool definition keeps, whoever sends it (the editors' form, an import, the seed). Every problem names
/// its field as a path — `sections[1].items[3].steps` — with a Danish message that says what to do.
public enum ToolRules {
    public static let titleMaxLength = 200
    public static let textMaxLength = 2_000
    public static let introductionMaxLength = 10_000
    public static let maxSteps = 10
    public static let maxOptions = 20

    public static func problems(_ tool: ToolDefinition, materials: Set<String>? = nil, audiences: Set<String>? = nil) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        func add(_ field: String, _ message: String) { problems.append(FieldProblem(field: field, message: message)) }
        func text(_ field: String, _ value: String, required: String?, max: Int) {
            if let required, value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { add(field, required) }
            if value.count > max { add(field, "Gør teksten kortere: den må højst have \(DanishText.number(max)) tegn.") }
            if let nul = TextRules.nulProblem(value) { add(field, nul) }
        }
        if !Slug.isValid(tool.slug) { add("slug", MaterialRules.slugMessage) }
        text("title", tool.title, required: "Giv værktøjet en titel.", max: titleMaxLength)
        text("introduction", tool.introduction, required: nil, max: introductionMaxLength)
        if let material = tool.material, let materials, !materials.contains(material) {
            add("material", "Vælg et materiale, der findes – \(DanishText.quoted(material)) gør ikke.")
        }
        if let audiences {
            for (index, audience) in tool.audiences.enumerated() where !audiences.contains(audience) {
                add("audiences[\(index)]", "Vælg målgrupper fra listen – \(DanishText.quoted(audience)) findes ikke.")
            }
        }
        if tool.sections.isEmpty { add("sections", "Et værktøj skal have mindst ét afsnit med mindst ét punkt.") }
        var sectionIDs = Set<String>()
        var itemIDs = Set<String>()
        for (s, section) in tool.sections.enumerated() {
            let at = "sections[\(s)]"
            if !isIdentifier(section.id) { add("\(at).id", "Giv afsnittet et id med små bogstaver, tal og bindestreg, fx forventninger.") }
            else if !sectionIDs.insert(section.id).inserted { add("\(at).id", "Id'et \(DanishText.quoted(section.id)) bruges af et andet afsnit. Giv hvert afsnit sit eget.") }
            text("\(at).title", section.title, required: "Giv afsnittet en overskrift.", max: titleMaxLength)
            if section.items.isEmpty { add("\(at).items", "Afsnittet har ingen punkter. Tilføj mindst ét, eller fjern afsnittet.") }
            for (i, item) in section.items.enumerated() {
                let here = "\(at).items[\(i)]"
                if !isIdentifier(item.id) { add("\(here).id", "Giv punktet et id med små bogstaver, tal og bindestreg, fx mål-1.") }
                // Answers are kept by item id across versions: two items with one id would share answers.
                else if !itemIDs.insert(item.id).inserted { add("\(here).id", "Id'et \(DanishText.quoted(item.id)) bruges af et andet punkt. Giv hvert punkt sit eget.") }
                text("\(here).text", item.text, required: "Skriv punktets tekst.", max: textMaxLength)
                guard let kind = item.itemKind else {
                    add("\(here).kind", "Vælg en slags punkt fra listen (\(ToolItemKind.allCases.map(\.rawValue).joined(separator: ", "))) – \(DanishText.quoted(item.kind)) findes ikke.")
                    continue
                }
                switch kind {
                case .scale:
                    if let steps = item.steps, (2...maxSteps).contains(steps) {} else {
                        add("\(here).steps", "En skala skal have mellem 2 og \(maxSteps) trin.")
                    }
                    text("\(here).lowLabel", item.lowLabel ?? "", required: "Skriv, hvad skalaens laveste trin betyder, fx Slet ikke.", max: titleMaxLength)
                    text("\(here).highLabel", item.highLabel ?? "", required: "Skriv, hvad skalaens højeste trin betyder, fx I høj grad.", max: titleMaxLength)
                case .singleChoice, .multipleChoice:
                    let options = (item.options ?? []).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                    if options.count < 2 { add("\(here).options", "Et valg skal have mindst to muligheder.") }
                    if options.count > maxOptions { add("\(here).options", "Et valg kan højst have \(maxOptions) muligheder.") }
                    if options.contains(where: \.isEmpty) { add("\(here).options", "Skriv en tekst for hver mulighed, eller fjern den tomme.") }
                    if Set(options).count != options.count { add("\(here).options", "Nævn hver mulighed kun én gang.") }
                case .reflection, .checklist, .instruction:
                    break
                }
            }
        }
        return problems
    }

    /// Reads a definition from JSON and checks it: the problems of the document itself ("not JSON", a missing
    /// member) or of the rules, each naming its field.
    public static func read(_ data: Data, materials: Set<String>? = nil, audiences: Set<String>? = nil) -> Result<ToolDefinition, SamspilError> {
        let tool: ToolDefinition
        do {
            tool = try JSONDecoder().decode(ToolDefinition.self, from: data)
        } catch DecodingError.keyNotFound(let key, let context) {
            return .failure(.unprocessable([FieldProblem(field: path(context.codingPath + [key]), message: "Mangler.")]))
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            return .failure(.unprocessable([FieldProblem(field: path(context.codingPath), message: "Har en forkert type.")]))
        } catch {
            return .failure(.unprocessable([FieldProblem(field: "", message: "Filen er ikke et gyldigt JSON-dokument med et værktøj.")]))
        }
        let problems = problems(tool, materials: materials, audiences: audiences)
        return problems.isEmpty ? .success(tool) : .failure(.unprocessable(problems))
    }

    /// "sections[1].items[0].text" for a decoding path.
    static func path(_ keys: [any CodingKey]) -> String {
        keys.reduce("") { path, key in
            if let index = key.intValue { return path + "[\(index)]" }
            return path.isEmpty ? key.stringValue : path + "." + key.stringValue
        }
    }

    /// Small letters (æøå too), digits and single hyphens, at most 60.
    public static func isIdentifier(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= 60, !text.hasPrefix("-"), !text.hasSuffix("-"), !text.contains("--") else { return false }
        return text.allSatisfy { ($0.isLetter && $0.isLowercase) || ($0.isASCII && $0.isNumber) || $0 == "-" }
    }
}
