import SamspilCore
import Testing

/// The partnerships' evaluations are tools of the worksheet engine: their definitions keep the tool rules, and the
/// questionnaires the evaluation pages and the API use are made from them, question for question.
@Suite struct EvaluationToolsTests {
    @Test func theEvaluationsAreValidTools() {
        for tool in [ToolDefinition.activityEvaluation, .periodEvaluation] {
            #expect(ToolRules.problems(tool) == [], "\(tool.slug)")
        }
    }

    @Test func theQuestionnairesAreMadeFromTheTools() {
        #expect(Questionnaire.activity.questions.map(\.id) == ["maal", "elever", "godt", "anderledes"])
        #expect(Questionnaire.period.questions.map(\.id) == ["maal", "samarbejde", "udbytte", "laering", "fremad"])
        let scale = Questionnaire.period.questions[1]
        #expect(scale.kind == .scale && scale.steps == 5 && scale.lowLabel == "Dårligt" && scale.highLabel == "Rigtig godt")
        #expect(Questionnaire.activity.questions[2].kind == .text)
        // An instruction or a checklist item is not a question of an evaluation.
        var tool = ToolDefinition.activityEvaluation
        tool.sections[0].items.append(ToolItem(id: "note", kind: .instruction, text: "Tak for svarene."))
        #expect(Questionnaire(tool).questions.count == 4)
    }
}
