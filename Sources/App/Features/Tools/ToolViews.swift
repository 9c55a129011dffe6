import Foundation
import SamspilCore

/// What the tools' pages share: their stylesheet and breadcrumbs.
enum ToolShell {
    static let stylesheets: [(name: String, media: String?)] = [("tools.css", nil)]

    static func meta(_ title: String, crumbs: [PageMeta.Crumb] = [], current: String? = nil, errors: Bool = false) -> PageMeta {
        var meta = PageMeta(title: title, canonical: nil,
                            breadcrumbs: [.init(label: "Forside", href: SitePath.home.href), .init(label: "Værktøjer", href: SitePath.tool(.list).href)] + crumbs,
                            currentCrumb: current ?? title)
        meta.hasErrors = errors
        meta.stylesheets = stylesheets
        meta.nav = .tools
        return meta
    }

    static func notice(_ text: String) -> Component { PartnershipShell.notice(text) }

    static func progress(_ progress: WorksheetProgress, label: String) -> Component {
        Div {
            Tag("span", [("class", "progress-text")], text: "\(label): \(progress.done) af \(progress.total) punkter (\(progress.percent) %)")
            Tag("progress", [("max", String(max(progress.total, 1))), ("value", String(progress.done)), ("aria-hidden", "true")], text: "\(progress.percent) %")
        }.class("progress")
    }

    static func ownerLabel(_ kind: WorksheetOwnerKind) -> String {
        switch kind {
        case .person: "Dit eget"
        case .organisation: "Organisation"
        case .partnership: "Partnerskab"
        }
    }
}

enum ToolListView {
    struct Entry {
        var slug: String
        var title: String
        var introduction: String
        var items: Int
    }

    static func render(_ tools: [Entry], site: SiteInfo) -> HTMLOutput {
        var meta = ToolShell.meta("Værktøjer", crumbs: [], current: "Værktøjer")
        meta.breadcrumbs = [.init(label: "Forside", href: SitePath.home.href)]
        meta.canonical = SitePath.tool(.list).href
        meta.description = "Værktøjer til åben skole, som skolens, kommunens og læringsmiljøets folk udfylder sammen som arbejdsark."
        return PageLayout.page(meta, site: site) {
            H1("Værktøjer")
            Paragraph("Værktøjerne er materialer, der skal udfyldes: spørgsmål til refleksion, tjeklister og skalaer. Start et arbejdsark for dit partnerskab, din organisation eller dig selv, og udfyld det sammen med de andre.")
            if tools.isEmpty {
                Paragraph("Der er ingen værktøjer endnu.")
            } else {
                Tag("ul", [("class", "tool-list")]) {
                    for tool in tools {
                        Tag("li") {
                            Tag("h2") { Link(tool.title, url: SitePath.tool(.show(tool.slug)).href) }
                            Paragraph(excerpt(tool.introduction))
                            Paragraph("\(tool.items) punkter").class("meta")
                        }
                    }
                }
            }
        }
    }

    static func excerpt(_ text: String) -> String {
        let first = text.components(separatedBy: "\n\n").first ?? text
        return first.count > 300 ? String(first.prefix(297)) + "…" : first
    }
}

enum ToolView {
    struct Start {
        var verified: Bool
        var organisations: [(String, String)]
        var partnerships: [(String, String)]
        var worksheets: [WorksheetQueries.Summary]
        var csrf: String
        var errors: [FieldProblem]
        var form: [String: String]
    }

    struct Model {
        var tool: StoredTool
        var material: (slug: String, title: String)?
        var audiences: [String]
        /// nil: not logged in.
        var start: Start?
    }

    static func render(_ model: Model, site: SiteInfo, errors: Bool = false) -> HTMLOutput {
        let definition = model.tool.definition
        var meta = ToolShell.meta(definition.title, errors: errors)
        meta.canonical = SitePath.tool(.show(model.tool.slug)).href
        meta.description = ToolListView.excerpt(definition.introduction)
        return PageLayout.page(meta, site: site) {
            if model.tool.status != .published {
                Tag("div", [("class", "alert alert-warning"), ("role", "status")]) { Paragraph("Kladde: kun redaktører kan se værktøjet.") }
            }
            if let start = model.start, !start.errors.isEmpty {
                ErrorSummary(start.errors, fieldOrder: ["owner", "title"])
            }
            H1(definition.title)
            for paragraph in definition.introduction.components(separatedBy: "\n\n") where !paragraph.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                Paragraph(paragraph)
            }
            Tag("dl", [("class", "facts")]) {
                if let material = model.material {
                    Tag("dt", text: "Fra materialet")
                    Tag("dd") { Link(material.title, url: SitePath.material(material.slug).href) }
                }
                if !model.audiences.isEmpty {
                    Tag("dt", text: "For")
                    Tag("dd", text: model.audiences.joined(separator: ", "))
                }
                Tag("dt", text: "Version")
                Tag("dd", text: String(model.tool.version))
            }
            startPart(model)
            Tag("h2", [("id", "indhold")], text: "Værktøjets punkter")
            for section in definition.sections {
                Tag("section", [("class", "tool-section"), ("aria-labelledby", "afsnit-\(section.id)")]) {
                    Tag("h3", [("id", "afsnit-\(section.id)")], text: section.title)
                    Tag("ol", [("class", "tool-items")]) {
                        for item in section.items {
                            Tag("li", [("class", "tool-item kind-\(item.kind)")]) {
                                if item.itemKind == .instruction {
                                    Paragraph(item.text).class("instruction")
                                } else {
                                    Paragraph(item.text)
                                    Paragraph(describe(item)).class("meta")
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// What kind of answer an item asks for, in words.
    static func describe(_ item: ToolItem) -> String {
        switch item.itemKind {
        case .scale?: "Skala fra 1 (\(item.lowLabel ?? "")) til \(item.steps ?? 0) (\(item.highLabel ?? ""))"
        case .singleChoice?, .multipleChoice?: "\(item.itemKind?.label ?? ""): \((item.options ?? []).joined(separator: ", "))"
        case .checklist?: "Tjekpunkt med status, ansvarlig, frist og note"
        case .reflection?: "Refleksionsspørgsmål, svar i fritekst"
        default: ""
        }
    }

    static func startPart(_ model: Model) -> Component {
        Tag("section", [("class", "start-worksheet"), ("aria-labelledby", "start")]) {
            Tag("h2", [("id", "start")], text: "Udfyld værktøjet")
            if let start = model.start {
                if !start.worksheets.isEmpty {
                    Paragraph("Jeres arbejdsark med dette værktøj:")
                    Tag("ul") {
                        for sheet in start.worksheets {
                            Tag("li") {
                                Link(sheet.title, url: SitePath.tool(.worksheet(sheet.id.uuidString)).href)
                                Text(" – \(sheet.ownerName), \(sheet.progress.done) af \(sheet.progress.total) punkter")
                            }
                        }
                    }
                }
                if !start.verified {
                    Paragraph("Bekræft din e-mailadresse for at starte et arbejdsark: følg linket i mailen, du fik, da du oprettede din konto.")
                } else {
                    Tag("form", [("class", "form"), ("method", "post"), ("action", SitePath.tool(.start(model.tool.slug)).href), ("novalidate", "novalidate")]) {
                        CSRFField(token: start.csrf)
                        ownerChoice(start)
                        FormField(name: "title", label: "Titel på arbejdsarket (valgfri)", value: start.form["title"] ?? "",
                                  hint: "Fx \"\(model.tool.definition.title) – 7.b, forår 2027\". Uden titel får arket værktøjets navn.",
                                  error: start.errors.first { $0.field == "title" }?.message, required: false)
                        Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Start arbejdsark")
                    }
                }
            } else {
                Paragraph {
                    Text("Et arbejdsark er værktøjet udfyldt af jer: svarene gemmes, så I kan vende tilbage til dem og udfylde dem sammen. ")
                    Link("Log ind for at starte et arbejdsark", url: SitePath.login(returningTo: SitePath.tool(.show(model.tool.slug)).href))
                    Text(".")
                }
            }
        }
    }

    static func ownerChoice(_ start: Start) -> Component {
        let selected = start.form["owner"] ?? "person"
        let error = start.errors.first { $0.field == "owner" }?.message
        let options: [(String, String)] = [("person", "Mig selv")] + start.partnerships.map { ("partnership:\($0.0)", "Partnerskabet \($0.1)") }
            + start.organisations.map { ("organisation:\($0.0)", $0.1) }
        return Tag("fieldset", [("class", "field")] + (error == nil ? [] : [("aria-describedby", "field-owner-error")])) {
            Tag("legend", text: "Hvem udfylder arket?")
            if let error { Tag("p", [("class", "field-error"), ("id", "field-owner-error")], text: error) }
            for (index, option) in options.enumerated() {
                Div {
                    VoidTag("input", [("type", "radio"), ("id", index == 0 ? "field-owner" : "field-owner-\(index)"), ("name", "owner"), ("value", option.0)]
                            + (option.0 == selected ? [("checked", "checked")] : []))
                    Tag("label", [("for", index == 0 ? "field-owner" : "field-owner-\(index)")], text: option.1)
                }.class("choice")
            }
        }
    }
}
