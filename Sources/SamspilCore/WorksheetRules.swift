import Foundation

/// The rules of a worksheet's answers and of moving it to a newer version of its tool.
public enum WorksheetRules {
    public static let textMaxLength = 20_000
    public static let shortTextMaxLength = 200
    public static let commentMaxLength = 5_000
    public static let titleMaxLength = 200

    /// The problems of an answer to `item`, each named by the answer's field, in Danish.
    public static func problems(_ answer: WorksheetAnswer, for item: ToolItem) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        func add(_ field: String, _ message: String) { problems.append(FieldProblem(field: field, message: message)) }
        func text(_ field: String, _ value: String?, max: Int) {
            guard let value else { return }
            if value.count > max { add(field, "Gør teksten kortere: den må højst have \(DanishText.number(max)) tegn.") }
            if let nul = TextRules.nulProblem(value) { add(field, nul) }
        }
        guard let kind = item.itemKind else { return [FieldProblem(field: "item", message: "Punktet kan ikke besvares.")] }
        switch kind {
        case .instruction:
            if !answer.isEmpty { add("item", "En vejledning har intet svar.") }
        case .reflection:
            text("text", answer.text, max: textMaxLength)
        case .checklist:
            text("responsible", answer.responsible, max: shortTextMaxLength)
            text("note", answer.note, max: textMaxLength)
            if let deadline = answer.deadline, !deadline.isEmpty, !PartnershipRules.isDate(deadline) {
                add("deadline", "Skriv fristen som en dato, fx 2027-03-01.")
            }
        case .scale:
            if let value = answer.value, !(1...(item.steps ?? 0)).contains(value) {
                add("value", "Vælg et trin fra 1 til \(item.steps ?? 0).")
            }
        case .singleChoice, .multipleChoice:
            let chosen = answer.choices ?? []
            let options = Set(item.options ?? [])
            if chosen.contains(where: { !options.contains($0) }) { add("choices", "Vælg blandt punktets muligheder.") }
            if kind == .singleChoice && chosen.count > 1 { add("choices", "Vælg kun én mulighed.") }
            if Set(chosen).count != chosen.count { add("choices", "Vælg hver mulighed kun én gang.") }
        }
        return problems
    }

    /// The answers that move with a worksheet to `newer`: those of items that are still there, of the same kind,
    /// and still a valid answer (an option still offered, a step still on the scale). The others stay in the
    /// history only.
    public static func carriedOver(_ answers: [String: WorksheetAnswer], from older: ToolDefinition, to newer: ToolDefinition) -> (kept: Set<String>, dropped: Set<String>) {
        var kept = Set<String>()
        var dropped = Set<String>()
        for (id, answer) in answers {
            guard let item = newer.item(id), let before = older.item(id), before.kind == item.kind, problems(answer, for: item).isEmpty else {
                dropped.insert(id)
                continue
            }
            kept.insert(id)
        }
        return (kept, dropped)
    }
}
