import Foundation
import SamspilCore

enum MyWorksheetsView {
    struct Model {
        var worksheets: [WorksheetQueries.Summary]
        var tools: [(slug: String, title: String)]
        var municipalities: [(name: String, slug: String)]
    }

    static func render(_ model: Model, site: SiteInfo) -> String {
        var meta = ToolShell.meta("Mine arbejdsark")
        meta.breadcrumbs = [.init(label: "Forside", href: SitePath.home.href)]
        return PageLayout.render(meta, site: site) {
            H1("Mine arbejdsark")
            Paragraph("Værktøjer, som du, dine organisationer og jeres partnerskaber udfylder. Alle, der hører til et arbejdsark, kan udfylde det.")
            if model.worksheets.isEmpty {
                Paragraph("Du har ingen arbejdsark endnu. Vælg et værktøj herunder for at starte et.")
            } else {
                DataTable(caption: "Arbejdsark", headings: ["Arbejdsark", "Værktøj", "Hvem", "Udfyldt", "Senest ændret"], rows: model.worksheets.map { sheet in
                    [Link(sheet.title, url: SitePath.tool(.worksheet(sheet.id.uuidString)).href),
                     Text(sheet.toolTitle + (sheet.newestVersion != sheet.toolVersion ? " (nyere version findes)" : "")),
                     Text(sheet.ownerKind == .person ? "Dig selv" : sheet.ownerName),
                     Text("\(sheet.progress.done) af \(sheet.progress.total) (\(sheet.progress.percent) %)"),
                     DanishDate.element(sheet.updatedAt)]
                })
            }
            Tag("h2", text: "Start et arbejdsark")
            Tag("ul") {
                for tool in model.tools { Tag("li") { Link(tool.title, url: SitePath.tool(.show(tool.slug)).href) } }
            }
            if !model.municipalities.isEmpty {
                Tag("h2", text: "Som koordinator")
                Tag("ul") {
                    for municipality in model.municipalities {
                        Tag("li") { Link("Skolernes arbejdsark i \(municipality.name)", url: SitePath.tool(.municipality(municipality.slug)).href) }
                    }
                }
            }
        }
    }
}

enum WorksheetView {
    struct Newer {
        var version: Int
        var kept: Int
        var dropped: Int
        var added: Int
    }

    struct Model {
        var stored: StoredWorksheet
        var definition: ToolDefinition
        var answers: [String: WorksheetQueries.StoredAnswer]
        var commentCounts: [String: Int]
        var earlier: [String: WorksheetQueries.StoredAnswer]
        /// The questions of those answers, by item id.
        var earlierTexts: [String: String] = [:]
        var newer: Newer?
        var mayFill: Bool
        var csrf: String
        var notice: WorksheetPages.Notice?
    }

    static func crumbs(_ stored: StoredWorksheet) -> [PageMeta.Crumb] {
        [.init(label: "Mine arbejdsark", href: SitePath.tool(.worksheets).href)]
    }

    static func render(_ model: Model, site: SiteInfo) -> String {
        let stored = model.stored
        var meta = ToolShell.meta(stored.title, crumbs: crumbs(stored))
        meta.breadcrumbs = [.init(label: "Forside", href: SitePath.home.href)] + crumbs(stored)
        if model.mayFill { meta.scripts = ["worksheet.js"] }
        let progress = model.definition.progress(model.answers.mapValues(\.answer))
        let id = stored.id.uuidString
        return PageLayout.render(meta, site: site) {
            if let notice = model.notice { ToolShell.notice(notice.text) }
            H1(stored.title)
            Tag("dl", [("class", "facts")]) {
                Tag("dt", text: "Værktøj")
                Tag("dd") {
                    Link(stored.toolTitle, url: SitePath.tool(.show(stored.toolSlug)).href)
                    Text(", version \(stored.toolVersion)")
                }
                Tag("dt", text: "Udfyldes af")
                Tag("dd") {
                    if let href = stored.ownerHref { Link(stored.ownerName, url: href) } else { Text(stored.ownerName) }
                }
                if stored.ownerKind != .person {
                    Tag("dt", text: "Kommunens koordinatorer")
                    Tag("dd", text: stored.shared ? "Kan læse alle svar" : "Ser kun fremdrift og optællinger, ikke fritekst")
                }
            }
            Div { ToolShell.progress(progress.overall, label: "Udfyldt i alt") }.attribute(named: "id", value: "fremdrift")
            if let newer = model.newer { newerPart(newer, model) }
            Tag("nav", [("class", "worksheet-actions"), ("aria-label", "Arbejdsarket")]) {
                Link("Udskriv", url: SitePath.tool(.print(id)).href)
                Link("Hent som CSV (Excel)", url: SitePath.tool(.csv(id)).href)
                Link("Hent som JSON", url: SitePath.tool(.json(id)).href)
            }
            if model.mayFill {
                Paragraph("Gem hvert svar for sig. Flere kan udfylde arket samtidig: svar på forskellige punkter gemmes hver for sig, og ændrer to det samme punkt, får den sidste begge svar at vælge imellem.")
                    .class("hint")
            }
            for section in model.definition.sections {
                let sectionProgress = progress.sections[section.id] ?? WorksheetProgress(done: 0, total: 0)
                Tag("section", [("class", "worksheet-section"), ("aria-labelledby", "afsnit-\(section.id)")]) {
                    Tag("h2", [("id", "afsnit-\(section.id)")], text: section.title)
                    if sectionProgress.total > 0 { ToolShell.progress(sectionProgress, label: "Udfyldt i afsnittet") }
                    for item in section.items { itemPart(item, model) }
                }
            }
            if !model.earlier.isEmpty {
                Tag("section", [("aria-labelledby", "tidligere")]) {
                    Tag("h2", [("id", "tidligere")], text: "Svar på punkter fra tidligere versioner")
                    Paragraph("Punkterne er ikke med i værktøjets nuværende version. Svarene står her og i punkternes historik.")
                    Tag("ul") {
                        for (itemID, answer) in model.earlier.sorted(by: { $0.key < $1.key }) {
                            Tag("li") {
                                Link(model.earlierTexts[itemID] ?? itemID, url: SitePath.tool(.item(id, itemID)).href)
                                Text(": " + plain(answer.answer))
                            }
                        }
                    }
                }
            }
            if model.mayFill { managePart(model) }
        }
    }

    /// An answer as text, without its item (an item that is no longer in the tool).
    static func plain(_ answer: WorksheetAnswer) -> String {
        [answer.text, answer.status?.label, answer.responsible, answer.deadline, answer.note, answer.value.map { "trin \($0)" },
         answer.choices?.joined(separator: "; ")].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · ")
    }

    static func newerPart(_ newer: Newer, _ model: Model) -> Component {
        Tag("div", [("class", "alert alert-info"), ("role", "region"), ("aria-labelledby", "nyere")]) {
            Tag("h2", [("id", "nyere")], text: "Der er en nyere version af værktøjet")
            Paragraph("Version \(newer.version): \(newer.kept) af jeres svar følger med, \(newer.added) \(newer.added == 1 ? "punkt er nyt" : "punkter er nye")" +
                      (newer.dropped > 0 ? ", og \(newer.dropped) svar passer ikke til den nye version (de bliver stående i historikken)." : "."))
            if model.mayFill {
                Tag("form", [("method", "post"), ("action", SitePath.tool(.move(model.stored.id.uuidString)).href)]) {
                    CSRFField(token: model.csrf)
                    VoidTag("input", [("type", "hidden"), ("name", "revision"), ("value", String(model.stored.revision))])
                    Tag("button", [("type", "submit"), ("class", "button")], text: "Flyt arbejdsarket til version \(newer.version)")
                }
            }
        }
    }

    static func itemPart(_ item: ToolItem, _ model: Model) -> Component {
        let id = model.stored.id.uuidString
        let stored = model.answers[item.id]
        let comments = model.commentCounts[item.id] ?? 0
        return Tag("article", [("class", "worksheet-item kind-\(item.kind)"), ("id", "punkt-\(item.id)"), ("aria-labelledby", "punkt-\(item.id)-tekst")]) {
            if item.itemKind == .instruction {
                Tag("p", [("class", "instruction"), ("id", "punkt-\(item.id)-tekst")], text: item.text)
            } else {
                Tag("h3", [("id", "punkt-\(item.id)-tekst")], text: item.text)
                if item.itemKind == .scale {
                    Paragraph("1 = \(item.lowLabel ?? ""), \(item.steps ?? 0) = \(item.highLabel ?? "")").class("hint")
                }
                if model.mayFill {
                    Tag("form", [("class", "item-form"), ("method", "post"), ("action", SitePath.tool(.item(id, item.id)).href + "#punkt-\(item.id)"),
                                 ("novalidate", "novalidate"), ("data-item", item.id)]) {
                        CSRFField(token: model.csrf)
                        VoidTag("input", [("type", "hidden"), ("name", "basedOn"), ("value", String(stored?.revision ?? 0))])
                        AnswerFields.render(item, form: AnswerForm(stored?.answer ?? WorksheetAnswer(), basedOn: stored?.revision ?? 0), errors: [],
                                            prefix: "p-\(item.id)")
                        Div {
                            Tag("button", [("type", "submit"), ("class", "button")]) {
                                Text("Gem svar")
                                Tag("span", [("class", "sr-only")], text: " på \(item.text)")
                            }
                            Tag("p", [("class", "save-status"), ("role", "status"), ("id", "punkt-\(item.id)-status")], text: "")
                        }.class("item-actions")
                    }
                } else {
                    Paragraph(stored.map { $0.answer.summary(for: item) }.flatMap { $0.isEmpty ? nil : $0 } ?? "Ikke besvaret.").class("answer")
                }
                Paragraph {
                    if let stored, !stored.answer.isEmpty {
                        Text("Senest gemt af \(stored.authorName), ")
                        DanishDate.element(stored.updatedAt)
                        Text(". ")
                    }
                    Tag("a", [("href", SitePath.tool(.item(id, item.id)).href)]) {
                        Text(comments > 0 ? "Historik og \(comments) \(comments == 1 ? "kommentar" : "kommentarer")" : "Historik og kommentarer")
                        Tag("span", [("class", "sr-only")], text: " til punktet \(item.text)")
                    }
                }.class("meta")
            }
        }
    }

    static func managePart(_ model: Model) -> Component {
        let id = model.stored.id.uuidString
        return Tag("section", [("class", "worksheet-manage"), ("aria-labelledby", "styr")]) {
            Tag("h2", [("id", "styr")], text: "Deling og sletning")
            if model.stored.ownerKind != .person {
                Tag("form", [("method", "post"), ("action", SitePath.tool(.share(id)).href)]) {
                    CSRFField(token: model.csrf)
                    VoidTag("input", [("type", "hidden"), ("name", "shared"), ("value", model.stored.shared ? "nej" : "ja")])
                    Paragraph(model.stored.shared
                              ? "Kommunens koordinatorer kan læse alle svar, også fritekst."
                              : "Kommunens koordinatorer ser fremdriften og optællinger af skalaer og valg, men ikke jeres fritekst.")
                    Tag("button", [("type", "submit"), ("class", "button")],
                        text: model.stored.shared ? "Stop deling med koordinatorerne" : "Del svarene med kommunens koordinatorer")
                }
            }
            Tag("details") {
                Tag("summary", text: "Slet arbejdsarket")
                Tag("form", [("method", "post"), ("action", SitePath.tool(.delete(id)).href)]) {
                    CSRFField(token: model.csrf)
                    Paragraph("Alle svar, kommentarer og historik forsvinder for alle, der udfylder arket. Det kan ikke fortrydes.")
                    Tag("button", [("type", "submit"), ("class", "button button-warning")], text: "Slet arbejdsarket for altid")
                }
            }
        }
    }
}

enum WorksheetItemView {
    struct Model {
        var stored: StoredWorksheet
        var item: ToolItem
        var inCurrentVersion: Bool
        var section: String?
        var current: WorksheetQueries.StoredAnswer?
        var form: AnswerForm
        var errors: [FieldProblem] = []
        /// The person's answer that was not saved because someone else saved the item first.
        var conflict: WorksheetAnswer?
        var history: [WorksheetQueries.Event]
        var comments: [WorksheetQueries.Comment]
        var commentDraft = ""
        var commentErrors: [FieldProblem] = []
        var mayFill: Bool
        var csrf: String

        init(stored: StoredWorksheet, item: ToolItem, inCurrentVersion: Bool, section: String?, current: WorksheetQueries.StoredAnswer?, form: AnswerForm,
             history: [WorksheetQueries.Event], comments: [WorksheetQueries.Comment], mayFill: Bool, csrf: String) {
            self.stored = stored
            self.item = item
            self.inCurrentVersion = inCurrentVersion
            self.section = section
            self.current = current
            self.form = form
            self.history = history
            self.comments = comments
            self.mayFill = mayFill
            self.csrf = csrf
        }
    }

    static func render(_ model: Model, site: SiteInfo) -> String {
        let stored = model.stored
        let id = stored.id.uuidString
        var meta = ToolShell.meta(model.item.text.count > 80 ? String(model.item.text.prefix(77)) + "…" : model.item.text,
                                  errors: !model.errors.isEmpty || !model.commentErrors.isEmpty)
        meta.breadcrumbs = [.init(label: "Forside", href: SitePath.home.href)] + WorksheetView.crumbs(stored)
            + [.init(label: stored.title, href: SitePath.tool(.worksheet(id)).href)]
        return PageLayout.render(meta, site: site) {
            if !model.errors.isEmpty { ErrorSummary(model.errors, fieldOrder: ["text", "status", "responsible", "deadline", "note", "value", "choices"]) }
            if !model.commentErrors.isEmpty { ErrorSummary(model.commentErrors, fieldOrder: []) }
            if let conflict = model.conflict { conflictPart(conflict, model) }
            Paragraph(model.section.map { "\(stored.title) · \($0)" } ?? stored.title).class("meta")
            H1(model.item.text)
            if !model.inCurrentVersion {
                Paragraph("Punktet er ikke med i den version af værktøjet, arbejdsarket bruger nu. Svarene står i historikken herunder.")
            } else if model.item.itemKind == .scale {
                Paragraph("1 = \(model.item.lowLabel ?? ""), \(model.item.steps ?? 0) = \(model.item.highLabel ?? "")").class("hint")
            }
            if model.mayFill && model.inCurrentVersion && model.item.itemKind != .instruction {
                Tag("form", [("class", "form item-form"), ("method", "post"), ("action", SitePath.tool(.item(id, model.item.id)).href), ("novalidate", "novalidate")]) {
                    CSRFField(token: model.csrf)
                    VoidTag("input", [("type", "hidden"), ("name", "basedOn"), ("value", model.form.basedOn ?? "0")])
                    AnswerFields.render(model.item, form: model.form, errors: model.errors, prefix: "field")
                    Tag("button", [("type", "submit"), ("class", "button button-primary")], text: model.conflict == nil ? "Gem svar" : "Gem mit svar")
                }
            } else if let current = model.current {
                Paragraph(current.answer.summary(for: model.item).isEmpty ? "Ikke besvaret." : current.answer.summary(for: model.item)).class("answer")
            }
            Paragraph { Link("Tilbage til arbejdsarket", url: SitePath.tool(.worksheet(id)).href + "#punkt-\(model.item.id)") }
            Tag("h2", [("id", "historik")], text: "Historik")
            if model.history.isEmpty {
                Paragraph("Punktet er ikke besvaret endnu.")
            } else {
                DataTable(caption: "Alle gemte svar på punktet, ældste først", headings: ["Gemt", "Af", "Svar"], rows: model.history.map { event in
                    [DanishDate.element(event.at), Text(event.authorName), Text(event.answer.isEmpty ? "(tomt)" : event.answer.summary(for: model.item))]
                })
            }
            Tag("h2", [("id", "kommentarer")], text: "Kommentarer")
            if model.comments.isEmpty {
                Paragraph("Ingen kommentarer endnu.")
            } else {
                Tag("ul", [("class", "comments")]) {
                    for comment in model.comments {
                        Tag("li") {
                            Paragraph {
                                Tag("strong", text: comment.authorName)
                                Text(", ")
                                DanishDate.element(comment.at)
                            }.class("meta")
                            Paragraph(comment.body)
                        }
                    }
                }
            }
            if model.mayFill {
                Tag("form", [("class", "form"), ("method", "post"), ("action", SitePath.tool(.itemComment(id, model.item.id)).href), ("novalidate", "novalidate")]) {
                    CSRFField(token: model.csrf)
                    TextAreaField(name: "body", label: "Skriv en kommentar til punktet", value: model.commentDraft, rows: 3,
                                  error: model.commentErrors.first?.message)
                    Tag("button", [("type", "submit"), ("class", "button")], text: "Gem kommentar")
                }
            }
        }
    }

    static func conflictPart(_ mine: WorksheetAnswer, _ model: Model) -> Component {
        ErrorAlert(labelledBy: "konflikt") {
            Tag("h2", [("id", "konflikt")], text: "En anden har gemt et svar, mens du skrev")
            Paragraph("Dit svar er ikke gemt endnu. Se begge svar, og vælg, hvad der skal stå: gem dit (eller ret det, så det rummer begge), eller behold det gemte.")
            Div {
                Div {
                    Tag("h3", text: "Det gemte svar")
                    if let current = model.current {
                        Paragraph {
                            Text("Af \(current.authorName), ")
                            DanishDate.element(current.updatedAt)
                        }.class("meta")
                        Paragraph(current.answer.summary(for: model.item).isEmpty ? "(tomt)" : current.answer.summary(for: model.item)).class("answer")
                    }
                }.class("conflict-side")
                Div {
                    Tag("h3", text: "Dit svar (ikke gemt)")
                    Paragraph(mine.summary(for: model.item).isEmpty ? "(tomt)" : mine.summary(for: model.item)).class("answer")
                }.class("conflict-side")
            }.class("conflict")
            Paragraph {
                Link("Behold det gemte svar", url: SitePath.tool(.worksheet(model.stored.id.uuidString)).href + "#punkt-\(model.item.id)")
                Text(" – eller ret dit svar i formularen herunder, og gem det.")
            }
        }
    }
}

enum WorksheetPrintView {
    struct Model {
        var stored: StoredWorksheet
        var definition: ToolDefinition
        var answers: [String: WorksheetQueries.StoredAnswer]
        var comments: [WorksheetQueries.Comment]
        var printedAt: Date
    }

    static func render(_ model: Model, site: SiteInfo) -> String {
        var meta = ToolShell.meta(model.stored.title)
        meta.breadcrumbs = [.init(label: "Forside", href: SitePath.home.href)] + WorksheetView.crumbs(model.stored)
            + [.init(label: model.stored.title, href: SitePath.tool(.worksheet(model.stored.id.uuidString)).href)]
        meta.currentCrumb = "Udskrift"
        meta.stylesheets = ToolShell.stylesheets + [("worksheet-print.css", "print")]
        let comments = Dictionary(grouping: model.comments, by: \.itemID)
        return PageLayout.render(meta, site: site) {
            Tag("article", [("class", "worksheet-print")]) {
                H1(model.stored.title)
                Paragraph("\(model.stored.toolTitle), version \(model.stored.toolVersion) · \(model.stored.ownerName) · udskrevet \(DanishDate.dateTime(model.printedAt))")
                    .class("meta")
                for section in model.definition.sections {
                    Tag("section", [("class", "print-section")]) {
                        Tag("h2", text: section.title)
                        for item in section.items {
                            Div {
                                if item.itemKind == .instruction {
                                    Paragraph(item.text).class("instruction")
                                } else {
                                    Tag("h3", text: item.text)
                                    printedAnswer(item, model.answers[item.id]?.answer ?? WorksheetAnswer())
                                    for comment in comments[item.id] ?? [] {
                                        Paragraph("Kommentar fra \(comment.authorName): \(comment.body)").class("comment")
                                    }
                                }
                            }.class("print-item")
                        }
                    }
                }
                Paragraph(site.absolute(SitePath.tool(.worksheet(model.stored.id.uuidString)).href)).class("meta")
            }
        }
    }

    /// The answer as on paper: every step and option shown, the chosen ones marked.
    static func printedAnswer(_ item: ToolItem, _ answer: WorksheetAnswer) -> Component {
        switch item.itemKind {
        case .scale?:
            return Paragraph("\(item.lowLabel ?? "") " + (1...max(item.steps ?? 1, 1)).map { answer.value == $0 ? "[\($0)]" : " \($0) " }.joined(separator: " ")
                             + " \(item.highLabel ?? "")" + (answer.value == nil ? " – ikke besvaret" : " – svar: \(answer.value ?? 0)")).class("answer")
        case .singleChoice?, .multipleChoice?:
            return Tag("ul", [("class", "answer choices")]) {
                for option in item.options ?? [] {
                    Tag("li", text: ((answer.choices ?? []).contains(option) ? "☒ " : "☐ ") + option + ((answer.choices ?? []).contains(option) ? " (valgt)" : ""))
                }
            }
        case .checklist?:
            return Tag("dl", [("class", "answer checklist")]) {
                Tag("dt", text: "Status"); Tag("dd", text: (answer.status ?? .notStarted).label)
                Tag("dt", text: "Ansvarlig"); Tag("dd", text: answer.responsible ?? "")
                Tag("dt", text: "Frist"); Tag("dd", text: answer.deadline ?? "")
                Tag("dt", text: "Note"); Tag("dd", text: answer.note ?? "")
            }
        default:
            return Paragraph((answer.text ?? "").isEmpty ? "(ikke besvaret)" : answer.text ?? "").class("answer")
        }
    }
}
