@testable import App
import Foundation
import SamspilCore
import Testing

/// The tools' and worksheets' pages (issue 14) rendered from fixed view models, like `PartnershipSnapshotTests`:
/// fixed ids, the frozen clock, a fixed CSRF token, and a tool definition of this file (not the seed's, which
/// editors change) with every kind of item.
/// After an intended change, run `SNAPSHOT_RECORD=1 swift test --filter WorksheetSnapshotTests` and review the diff.
@Suite struct WorksheetSnapshotTests {
    static let site = SnapshotTests.site

    /// The site as a logged-in member sees it (the header's name and logout form).
    static let memberSite: SiteInfo = {
        var site = SnapshotTests.site
        site.viewer = SiteInfo.Viewer(name: "Lærke Lærer", csrfToken: "fixed-token", isEditor: false)
        return site
    }()

    static func id(_ tail: String) -> UUID { PartnershipSnapshotTests.id(tail) }

    static let toolID = id("f1"), sheetID = id("f2"), otherSheetID = id("f3"), ownSheetID = id("f4")

    /// Minutes before the frozen clock.
    static func ago(_ minutes: Double) -> Date { frozenNow.addingTimeInterval(-minutes * 60) }

    // MARK: the tool

    static let expectations = ToolSection(id: "forventning", title: "Forventningsafstemning", items: [
        ToolItem(id: "forventning-vejledning", kind: .instruction, text: "Tal punkterne igennem på jeres første møde, og skriv det, I bliver enige om."),
        ToolItem(id: "forventning-hvorfor", kind: .reflection, text: "Hvad vil hver af os gerne have ud af samarbejdet?"),
        ToolItem(id: "forventning-kontakt", kind: .checklist, text: "Aftal, hvem der er kontaktperson hos hver part."),
        ToolItem(id: "forventning-enige", kind: .scale, text: "Hvor enige er vi om samarbejdets mål?", steps: 5, lowLabel: "Slet ikke", highLabel: "Helt"),
    ])

    static let planning = ToolSection(id: "planlaegning", title: "Planlægning", items: [
        ToolItem(id: "planlaegning-form", kind: .multipleChoice, text: "Hvilke former skal forløbet have?",
                 options: ["Besøg i læringsmiljøet", "Besøg på skolen", "Digitale forløb"]),
        ToolItem(id: "planlaegning-moeder", kind: .singleChoice, text: "Hvor ofte mødes I?", options: ["Hver uge", "Hver måned", "Hvert halve år"]),
        ToolItem(id: "planlaegning-roller", kind: .reflection, text: "Hvordan fordeler lærer og formidler rollerne, mens eleverne er i gang?"),
    ])

    static let definition = ToolDefinition(
        slug: "det-gode-samarbejde", title: "Det gode samarbejde",
        introduction: "Et samarbejde mellem skole og eksternt læringsmiljø går gennem faser. Brug punkterne til at tale jer igennem dem sammen.\n\nI kan vende tilbage til arket, når forløbet er i gang.",
        material: "guide-til-det-gode-samarbejde", audiences: ["skoler", "kommuner"], sections: [expectations, planning])

    static let tool = StoredTool(id: toolID, slug: "det-gode-samarbejde", status: .published, version: 2, revision: 3, definition: definition,
                                 createdAt: ago(90 * 24 * 60), updatedAt: ago(30 * 24 * 60))

    /// The next version: the single choice is gone, a reflection is new.
    static let newerDefinition: ToolDefinition = {
        var newer = definition
        newer.sections[1].items.removeAll { $0.id == "planlaegning-moeder" }
        newer.sections[1].items.append(ToolItem(id: "planlaegning-tid", kind: .reflection, text: "Hvor meget tid har I sat af?"))
        return newer
    }()

    // MARK: the worksheet and its answers

    static let partnership = PartnershipSnapshotTests.stored()

    static func sheet(toolVersion: Int = 2, newestVersion: Int = 2, shared: Bool = false) -> StoredWorksheet {
        StoredWorksheet(id: sheetID, title: "Naturfag i Vestskoven 2026/27", toolID: toolID, toolSlug: "det-gode-samarbejde", toolTitle: "Det gode samarbejde",
                        toolVersion: toolVersion, newestVersion: newestVersion, owner: .partnership(partnership), shared: shared, revision: 1,
                        createdAt: ago(14 * 24 * 60), updatedAt: ago(60))
    }

    static func answer(_ answer: WorksheetAnswer, revision: Int = 1, minutesAgo: Double, by author: String) -> WorksheetQueries.StoredAnswer {
        WorksheetQueries.StoredAnswer(answer: answer, revision: revision, updatedAt: ago(minutesAgo), authorName: author)
    }

    static let answers: [String: WorksheetQueries.StoredAnswer] = [
        "forventning-hvorfor": answer(WorksheetAnswer(text: "Eleverne skal opleve naturfag uden for klasselokalet.\n\nNaturcentret vil nå flere skoler."),
                                      revision: 2, minutesAgo: 30, by: "Niels Naturvejleder"),
        "forventning-kontakt": answer(WorksheetAnswer(status: .inProgress, responsible: "Lærke Lærer", deadline: "2026-10-01", note: "Skolen mangler en stedfortræder."),
                                      minutesAgo: 120, by: "Lærke Lærer"),
        "forventning-enige": answer(WorksheetAnswer(value: 4), minutesAgo: 90, by: "Lærke Lærer"),
        "planlaegning-form": answer(WorksheetAnswer(choices: ["Besøg i læringsmiljøet", "Digitale forløb"]), minutesAgo: 60, by: "Niels Naturvejleder"),
    ]

    static let comments = [
        WorksheetQueries.Comment(itemID: "forventning-hvorfor", authorName: "Lærke Lærer", body: "Skal vi også skrive forældrenes ønsker?", at: ago(20)),
    ]

    static let reflection = definition.sections[0].items[1]
    static let checklist = definition.sections[0].items[2]

    static let history = [
        WorksheetQueries.Event(itemID: reflection.id, revision: 1, answer: WorksheetAnswer(text: "Eleverne skal opleve naturfag uden for klasselokalet."),
                               at: ago(2 * 24 * 60), authorName: "Lærke Lærer"),
        WorksheetQueries.Event(itemID: reflection.id, revision: 2, answer: answers[reflection.id]!.answer, at: ago(30), authorName: "Niels Naturvejleder"),
        WorksheetQueries.Event(itemID: checklist.id, revision: 1, answer: answers[checklist.id]!.answer, at: ago(120), authorName: "Lærke Lærer"),
    ]

    static func summary(_ id: UUID, title: String, owner: WorksheetOwnerKind, ownerName: String, version: Int = 2, newest: Int = 2, shared: Bool = false,
                        answers: [String: WorksheetAnswer], minutesAgo: Double) -> WorksheetQueries.Summary {
        WorksheetQueries.Summary(id: id, title: title, toolSlug: "det-gode-samarbejde", toolTitle: "Det gode samarbejde", ownerKind: owner, ownerName: ownerName,
                                 toolVersion: version, newestVersion: newest, progress: definition.progress(answers).overall, updatedAt: ago(minutesAgo),
                                 shared: shared, answers: answers)
    }

    /// The partnership's sheet (3 of 6 done: the checklist item is only in progress) and a shared sheet of another
    /// school on an older version of the tool.
    static let summaries = [
        summary(sheetID, title: "Naturfag i Vestskoven 2026/27", owner: .partnership, ownerName: "Naturfag i Vestskoven", answers: answers.mapValues(\.answer),
                minutesAgo: 30),
        summary(otherSheetID, title: "Vikinger på museet", owner: .organisation, ownerName: "Østskolen", version: 1, shared: true,
                answers: ["forventning-enige": WorksheetAnswer(value: 2), "planlaegning-form": WorksheetAnswer(choices: ["Besøg på skolen"]),
                          "planlaegning-moeder": WorksheetAnswer(choices: ["Hver måned"])],
                minutesAgo: 3 * 24 * 60),
    ]

    // MARK: the tool's pages

    @Test func toolList() throws {
        let entries = [ToolListView.Entry(slug: "det-gode-samarbejde", title: "Det gode samarbejde", introduction: Self.definition.introduction, items: 7),
                       ToolListView.Entry(slug: "plc-aaben-skole", title: "PLC: sæt åben skole på dagsordenen",
                                          introduction: "Idéer til, hvordan det pædagogiske læringscenter kan drive arbejdet med åben skole på skolen.", items: 9)]
        try Snapshot.assert(ToolListView.render(entries, site: Self.site).string, named: "WorksheetSnapshotTests/tool-list.html")
    }

    static func toolModel(start: ToolView.Start?) -> ToolView.Model {
        ToolView.Model(tool: Self.tool, material: (slug: "guide-til-det-gode-samarbejde", title: "Guide til det gode samarbejde"),
                       audiences: ["Skoler", "Kommuner"], start: start)
    }

    /// Not logged in: the tool's items and a link to log in.
    @Test func toolPageAnonymous() throws {
        try Snapshot.assert(ToolView.render(Self.toolModel(start: nil), site: Self.site).string, named: "WorksheetSnapshotTests/tool-page-anonymous.html")
    }

    /// Logged in with a worksheet already started: the start form with the person, the partnership and the organisation.
    @Test func toolPageLoggedIn() throws {
        let start = ToolView.Start(verified: true, organisations: [(PartnershipSnapshotTests.school.uuidString, "Vestskolen")],
                                   partnerships: [(PartnershipSnapshotTests.partnershipID.uuidString, "Naturfag i Vestskoven")],
                                   worksheets: [Self.summaries[0]], csrf: "fixed-token", errors: [], form: [:])
        try Snapshot.assert(ToolView.render(Self.toolModel(start: start), site: Self.memberSite).string, named: "WorksheetSnapshotTests/tool-page-logged-in.html")
    }

    // MARK: worksheets

    /// A coordinator's own list: a partnership's sheet, one on an older version of its tool, and one of their own.
    @Test func myWorksheets() throws {
        let own = Self.summary(Self.ownSheetID, title: "Mine noter", owner: .person, ownerName: "Eget arbejdsark", answers: [:], minutesAgo: 10 * 24 * 60)
        let model = MyWorksheetsView.Model(worksheets: Self.summaries + [own], tools: [("det-gode-samarbejde", "Det gode samarbejde"), ("plc-aaben-skole", "PLC: sæt åben skole på dagsordenen")],
                                           municipalities: [(name: "Københavns Kommune", slug: "koebenhavns-kommune")])
        try Snapshot.assert(MyWorksheetsView.render(model, site: Self.memberSite), named: "WorksheetSnapshotTests/my-worksheets.html")
    }

    /// The worksheet with a reflection, a checklist item, a scale and a multiple choice answered, a comment, just after a save.
    @Test func worksheetWithAnswers() throws {
        let model = WorksheetView.Model(stored: Self.sheet(), definition: Self.definition, answers: Self.answers, commentCounts: ["forventning-hvorfor": 1],
                                        earlier: [:], newer: nil, mayFill: true, csrf: "fixed-token", notice: .saved)
        try Snapshot.assert(WorksheetView.render(model, site: Self.memberSite), named: "WorksheetSnapshotTests/worksheet.html")
    }

    /// The worksheet on version 2 while version 3 exists, with an answer to an item no longer in the tool, and
    /// shared with the municipality's coordinators.
    @Test func worksheetWithNewerVersion() throws {
        let given = Self.answers.mapValues(\.answer).merging(["planlaegning-moeder": WorksheetAnswer(choices: ["Hver måned"])]) { first, _ in first }
        let (kept, dropped) = WorksheetRules.carriedOver(given, from: Self.definition, to: Self.newerDefinition)
        let newer = WorksheetView.Newer(version: 3, kept: kept.count, dropped: dropped.count,
                                        added: Self.newerDefinition.items.filter { Self.definition.item($0.item.id) == nil }.count)
        let earlier = ["forventning-gammel": Self.answer(WorksheetAnswer(text: "Vi mødes hos naturcentret."), minutesAgo: 40 * 24 * 60, by: "Lærke Lærer")]
        let model = WorksheetView.Model(stored: Self.sheet(newestVersion: 3, shared: true), definition: Self.definition, answers: Self.answers.merging(earlier) { first, _ in first },
                                        commentCounts: [:], earlier: earlier, newer: newer, mayFill: true, csrf: "fixed-token", notice: nil)
        try Snapshot.assert(WorksheetView.render(model, site: Self.memberSite), named: "WorksheetSnapshotTests/worksheet-newer-version.html")
    }

    static func itemModel(_ item: ToolItem) -> WorksheetItemView.Model {
        let current = Self.answers[item.id]
        return WorksheetItemView.Model(stored: Self.sheet(), item: item, inCurrentVersion: true, section: "Forventningsafstemning", current: current,
                                       form: AnswerForm(current?.answer ?? WorksheetAnswer(), basedOn: current?.revision ?? 0),
                                       history: Self.history.filter { $0.itemID == item.id }, comments: Self.comments.filter { $0.itemID == item.id },
                                       mayFill: true, csrf: "fixed-token")
    }

    /// A reflection's page: two saves in its history and a comment.
    @Test func itemWithHistoryAndComment() throws {
        try Snapshot.assert(WorksheetItemView.render(Self.itemModel(Self.reflection), site: Self.memberSite), named: "WorksheetSnapshotTests/item.html")
    }

    /// 409: someone saved the reflection while this person wrote; theirs above, this person's text in the form, now based on theirs.
    @Test func itemConflict() throws {
        var model = Self.itemModel(Self.reflection)
        var mine = AnswerForm(WorksheetAnswer(text: "Eleverne skal undersøge vandløbet selv."), basedOn: 1)
        let (answer, problems) = mine.answer(for: Self.reflection)
        #expect(problems.isEmpty)
        mine.basedOn = String(model.current?.revision ?? 0)
        model.form = mine
        model.conflict = answer
        try Snapshot.assert(WorksheetItemView.render(model, site: Self.memberSite), named: "WorksheetSnapshotTests/item-conflict.html")
    }

    /// 422: a checklist item with a deadline that is not a date; the input is kept.
    @Test func itemValidationError() throws {
        var model = Self.itemModel(Self.checklist)
        var posted = AnswerForm()
        posted.basedOn = "1"
        posted.status = ChecklistStatus.done.rawValue
        posted.responsible = "Tom"
        posted.deadline = "31-12-2026"
        let (answer, readProblems) = posted.answer(for: Self.checklist)
        let problems = readProblems + WorksheetRules.problems(answer, for: Self.checklist)
        #expect(problems.map(\.field) == ["deadline"])
        model.form = posted
        model.errors = problems
        try Snapshot.assert(WorksheetItemView.render(model, site: Self.memberSite), named: "WorksheetSnapshotTests/item-invalid.html")
    }

    @Test func printView() throws {
        let model = WorksheetPrintView.Model(stored: Self.sheet(), definition: Self.definition, answers: Self.answers, comments: Self.comments, printedAt: frozenNow)
        try Snapshot.assert(WorksheetPrintView.render(model, site: Self.memberSite), named: "WorksheetSnapshotTests/print.html")
    }

    // MARK: the coordinators' overview

    /// Two schools' sheets: progress, the scale's and the choices' counts as bars and tables; only the shared one linked.
    @Test func coordinatorOverview() throws {
        let model = ToolOverview.model(municipality: "Københavns Kommune", worksheets: Self.summaries, tools: [Self.tool], readsAll: false)
        try Snapshot.assert(ToolOverviewView.render(model, site: Self.memberSite), named: "WorksheetSnapshotTests/coordinator-overview.html")
    }
}
