import SamspilCore
import Testing

/// What an answer to each kind of item may hold, progress, and which answers follow a worksheet to a newer version.
@Suite struct WorksheetRulesTests {
    let scale = ToolItem(id: "enige", kind: .scale, text: "Hvor enige er vi?", steps: 5, lowLabel: "Slet ikke", highLabel: "Helt")
    let choice = ToolItem(id: "form", kind: .singleChoice, text: "Hvilken form?", options: ["Besøg", "Forløb"])
    let many = ToolItem(id: "steder", kind: .multipleChoice, text: "Hvor?", options: ["Skolen", "Museet"])
    let check = ToolItem(id: "kontakt", kind: .checklist, text: "Aftal kontaktpersoner")
    let question = ToolItem(id: "hvorfor", kind: .reflection, text: "Hvorfor?")

    @Test func answersAreCheckedAgainstTheirItem() {
        #expect(WorksheetRules.problems(WorksheetAnswer(value: 5), for: scale) == [])
        #expect(WorksheetRules.problems(WorksheetAnswer(value: 6), for: scale).map(\.message) == ["Vælg et trin fra 1 til 5."])
        #expect(WorksheetRules.problems(WorksheetAnswer(value: 0), for: scale).map(\.field) == ["value"])
        #expect(WorksheetRules.problems(WorksheetAnswer(choices: ["Besøg"]), for: choice) == [])
        #expect(WorksheetRules.problems(WorksheetAnswer(choices: ["Besøg", "Forløb"]), for: choice).map(\.message) == ["Vælg kun én mulighed."])
        #expect(WorksheetRules.problems(WorksheetAnswer(choices: ["Skolen", "Museet"]), for: many) == [])
        #expect(WorksheetRules.problems(WorksheetAnswer(choices: ["Biblioteket"]), for: many).map(\.message) == ["Vælg blandt punktets muligheder."])
        #expect(WorksheetRules.problems(WorksheetAnswer(status: .done, deadline: "2027-02-28"), for: check) == [])
        for date in ["2027-02-29", "+202-01-01", "31-12-2026", "2027-1-5"] {
            #expect(WorksheetRules.problems(WorksheetAnswer(deadline: date), for: check).map(\.field) == ["deadline"], "\(date)")
        }
        #expect(WorksheetRules.problems(WorksheetAnswer(text: "a\u{0}b"), for: question).map(\.field) == ["text"])
    }

    @Test func progressCountsWhatIsDone() {
        let items = [question, check, scale, ToolItem(id: "vejledning", kind: .instruction, text: "Læs først.")]
        let progress = WorksheetProgress.of(items, answers: ["hvorfor": WorksheetAnswer(text: "Fordi"), "kontakt": WorksheetAnswer(status: .inProgress)])
        #expect(progress == WorksheetProgress(done: 1, total: 3), "an instruction is not counted; a checklist item in progress is not done")
        #expect(WorksheetProgress.of(items, answers: ["kontakt": WorksheetAnswer(status: .notRelevant)]).done == 1)
    }

    @Test func answersOfUnchangedItemsFollowToANewerVersion() {
        let older = ToolDefinition(slug: "v", title: "V", introduction: "", sections: [ToolSection(id: "a", title: "A", items: [question, scale, choice, check])])
        var newer = older
        newer.sections[0].items = [question, ToolItem(id: "enige", kind: .scale, text: "Hvor enige er vi?", steps: 3, lowLabel: "Nej", highLabel: "Ja"),
                                   ToolItem(id: "form", kind: .multipleChoice, text: "Hvilken form?", options: ["Besøg", "Forløb"])]
        let answers = ["hvorfor": WorksheetAnswer(text: "Fordi"), "enige": WorksheetAnswer(value: 5), "form": WorksheetAnswer(choices: ["Besøg"]),
                       "kontakt": WorksheetAnswer(status: .done)]
        let (kept, dropped) = WorksheetRules.carriedOver(answers, from: older, to: newer)
        #expect(kept == ["hvorfor"])
        #expect(dropped == ["enige", "form", "kontakt"], "a step beyond the new scale, a changed kind, a removed item")
    }
}
