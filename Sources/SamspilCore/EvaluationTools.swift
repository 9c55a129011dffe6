import Foundation

/// A partnership's evaluations (issue 13) are tools of the worksheet engine (issue 14): their questions are tool
/// definitions, kept by `ToolRules` like any other, and `Questionnaire` is made from them for the evaluation pages
/// and the API. The ids are the answers' keys: never change one of an existing question.
extension ToolDefinition {
    public static let activityEvaluation = ToolDefinition(
        slug: "evaluering-af-aktivitet", title: "Evaluering af en aktivitet",
        introduction: "Hver part svarer kort efter en gennemført aktivitet. Svarene vises side om side på partnerskabets side.",
        sections: [ToolSection(id: "aktivitet", title: "Aktiviteten", items: [
            ToolItem(id: "maal", kind: .scale, text: "Hvor godt nåede vi det, vi ville med aktiviteten?", steps: 5, lowLabel: "Slet ikke", highLabel: "Helt"),
            ToolItem(id: "elever", kind: .scale, text: "Hvor engagerede var eleverne?", steps: 5, lowLabel: "Meget lidt", highLabel: "Meget"),
            ToolItem(id: "godt", kind: .reflection, text: "Hvad fungerede godt?"),
            ToolItem(id: "anderledes", kind: .reflection, text: "Hvad vil I gøre anderledes næste gang?"),
        ])])

    public static let periodEvaluation = ToolDefinition(
        slug: "evaluering-af-periode", title: "Evaluering af en periode",
        introduction: "Hver part svarer ved periodens afslutning. Svarene vises side om side på partnerskabets side.",
        sections: [ToolSection(id: "periode", title: "Perioden", items: [
            ToolItem(id: "maal", kind: .scale, text: "Hvor godt nåede partnerskabet sine mål i perioden?", steps: 5, lowLabel: "Slet ikke", highLabel: "Helt"),
            ToolItem(id: "samarbejde", kind: .scale, text: "Hvor godt fungerede samarbejdet mellem parterne?", steps: 5, lowLabel: "Dårligt", highLabel: "Rigtig godt"),
            ToolItem(id: "udbytte", kind: .scale, text: "Hvor stort var elevernes udbytte?", steps: 5, lowLabel: "Lille", highLabel: "Stort"),
            ToolItem(id: "laering", kind: .reflection, text: "Hvad har I lært om at samarbejde?"),
            ToolItem(id: "fremad", kind: .reflection, text: "Skal partnerskabet fortsætte, og i så fald hvordan?"),
        ])])
}
