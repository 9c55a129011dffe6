import Foundation
import SamspilCore

/// Shared bits of the partnership pages.
enum PartnershipShell {
    static let stylesheets: [(name: String, media: String?)] = [("partnerships.css", nil)]

    static func meta(_ title: String, crumbs: [PageMeta.Crumb] = [], current: String? = nil, errors: Bool = false) -> PageMeta {
        var meta = PageMeta(title: title, canonical: nil,
                            breadcrumbs: [.init(label: "Forside", href: SitePath.home.href), .init(label: "Mine partnerskaber", href: SitePath.partnership(.mine).href)] + crumbs,
                            currentCrumb: current ?? title)
        meta.hasErrors = errors
        meta.stylesheets = stylesheets
        return meta
    }

    static func crumb(_ stored: StoredPartnership) -> PageMeta.Crumb {
        .init(label: stored.partnership.title, href: SitePath.partnership(.show(stored.slug)).href)
    }

    static func stateBadge(_ state: PartnershipState) -> Component {
        Tag("span", [("class", "state state-\(state.rawValue)")], text: state.label)
    }

    static func notice(_ text: String) -> Component {
        Tag("div", [("class", "alert"), ("role", "status")]) { Paragraph(text) }
    }

    static func error(_ problems: [FieldProblem], _ field: String) -> String? {
        problems.first { $0.field == field }?.message
    }

    static func hidden(_ name: String, _ value: String) -> Component {
        VoidTag("input", [("type", "hidden"), ("name", name), ("value", value)])
    }

    static func postForm(_ action: String, csrf: String, class style: String = "form", @ComponentBuilder content: () -> Component) -> Component {
        Tag("form", [("class", style), ("method", "post"), ("action", action), ("novalidate", "novalidate")]) {
            CSRFField(token: csrf)
            content()
        }
    }

    static func paragraphs(_ text: String) -> Component {
        ComponentGroup(members: text.components(separatedBy: "\n\n").filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
            .map { Paragraph($0) })
    }
}

enum MinePartnershipsView {
    struct Model {
        var partnerships: [PartnershipQueries.Summary]
        var forms: [String: String]
        var mayStart: Bool
        var municipalities: [(name: String, slug: String)]
    }

    static func render(_ model: Model, site: SiteInfo) -> String {
        var meta = PartnershipShell.meta("Mine partnerskaber")
        meta.breadcrumbs = [.init(label: "Forside", href: SitePath.home.href)]
        return PageLayout.render(meta, site: site) {
            H1("Mine partnerskaber")
            Paragraph("Partnerskaber, som dine organisationer er parter i: fra den første idé over aftalen til aktiviteter og evaluering.")
            if model.mayStart {
                Paragraph { Link("Start et nyt partnerskab", url: SitePath.partnership(.new).href).class("button button-primary") }
            } else {
                Paragraph("Du skal være medlem af en skole, en kommune eller et læringsmiljø for at starte et partnerskab.")
            }
            if model.partnerships.isEmpty {
                Paragraph("Dine organisationer er ikke med i nogen partnerskaber endnu.")
            } else {
                DataTable(caption: "Partnerskaber", headings: ["Partnerskab", "Tilstand", "Form", "Skoleår", "Parter"], rows: model.partnerships.map { item in
                    [Link(item.title, url: SitePath.partnership(.show(item.slug)).href), PartnershipShell.stateBadge(item.state),
                     Text(model.forms[item.form] ?? item.form), Text(item.schoolYears), Text(item.parties.joined(separator: ", "))]
                })
            }
            Tag("h2", text: "Kalender og mails")
            Paragraph {
                Text("Følg aktiviteterne i din egen kalender: ")
                Link("Kalenderadresser", url: SitePath.partnership(.calendars).href)
                Text(". Vælg, om du vil have ")
                Link("mails om partnerskaber", url: SitePath.partnership(.notifications).href)
                Text(" hver gang eller samlet én gang om dagen.")
            }
            if !model.municipalities.isEmpty {
                Tag("h2", text: "Som koordinator")
                List(model.municipalities.indices) { index in
                    ListItem { Link("Partnerskaber i \(model.municipalities[index].name)", url: SitePath.partnership(.municipality(model.municipalities[index].slug)).href) }
                }
            }
        }
    }
}

enum PartnershipView {
    typealias Labels = OrganisationForms.Choices

    struct Model {
        var stored: StoredPartnership
        var formName: String
        var labels: Labels
        var events: [PartnershipQueries.Event]
        var agreement: PartnershipQueries.Version?
        var acceptances: [PartnershipQueries.Acceptance]
        var activities: [PartnershipQueries.StoredActivity]
        var comments: [PartnershipQueries.Comment]
        var documents: [PartnershipQueries.Document] = []
        /// The worksheets of the partnership (tools its parties fill in together).
        var worksheets: [WorksheetQueries.Summary] = []
        var evaluations: [PartnershipQueries.Evaluation]
        var transitions: [PartnershipTransition]
        var mayPropose: Bool
        var mayWork: Bool
        var decidesFor: [UUID]
        var evaluatesFor: [UUID]
        var csrf: String
        var notice: PartnershipPages.Notice?
        /// The party forms as sent, when refused.
        var partyForm: ([String: String], [FieldProblem]) = ([:], [])
        var commentForm: (String, [FieldProblem]) = ("", [])
        var documentForm: (String, [FieldProblem]) = ("", [])
    }

    static func render(_ model: Model, site: SiteInfo) -> String {
        let stored = model.stored
        let p = stored.partnership
        let errors = model.partyForm.1 + model.commentForm.1 + model.documentForm.1
        let meta = PartnershipShell.meta(p.title, errors: !errors.isEmpty)
        let label = { (list: [(value: String, label: String)], value: String) in list.first { $0.value == value }?.label ?? value }
        return PageLayout.render(meta, site: site) {
            H1(p.title)
            if !errors.isEmpty { ErrorSummary(errors, fieldOrder: ["organisation", "partyRole", "inviteName", "inviteEmail", "inviteRole", "file", "title", "body"]) }
            if let notice = model.notice { PartnershipShell.notice(notice.text) }
            Paragraph {
                PartnershipShell.stateBadge(stored.state)
                Text(" \(model.formName) · \(p.schoolYears.joined(separator: ", "))")
            }
            if !p.summary.isEmpty { Paragraph(p.summary).class("lead") }
            Tag("dl", [("class", "facts")]) {
                if !p.purpose.isEmpty { Tag("dt", text: "Formål"); Tag("dd") { PartnershipShell.paragraphs(p.purpose) } }
                if !p.goals.isEmpty { Tag("dt", text: "Mål"); Tag("dd") { PartnershipShell.paragraphs(p.goals) } }
                if !p.subjects.isEmpty { Tag("dt", text: "Fag"); Tag("dd", text: p.subjects.map { label(model.labels.subjects, $0) }.joined(separator: ", ")) }
                if !p.gradeLevels.isEmpty { Tag("dt", text: "Klassetrin"); Tag("dd", text: p.gradeLevels.map { label(model.labels.gradeLevels, $0) }.joined(separator: ", ")) }
                if let classes = p.classesExpected { Tag("dt", text: "Forventede klasser"); Tag("dd", text: DanishText.number(classes)) }
                if let pupils = p.pupilsExpected { Tag("dt", text: "Forventede elever"); Tag("dd", text: DanishText.number(pupils)) }
            }
            if model.mayWork { Paragraph { Link("Ret oplysningerne", url: SitePath.partnership(.edit(stored.slug)).href) } }

            parties(model)
            agreement(model)
            lifeCycle(model)
            activities(model)
            evaluations(model)
            publishing(model)
            worksheets(model)
            documents(model)
            comments(model)
        }
    }

    static func parties(_ model: Model) -> Component {
        let stored = model.stored
        let (sent, problems) = model.partyForm
        let error = { PartnershipShell.error(problems, $0) }
        return Tag("section", [("aria-labelledby", "parter")]) {
            Tag("h2", [("id", "parter")], text: "Parter")
            DataTable(caption: "Parter", headings: ["Organisation", "Rolle i partnerskabet", "Aftalen (version \(stored.agreementVersion))"], rows: stored.parties.map { party in
                let accepted = model.acceptances.first { $0.version == stored.agreementVersion && $0.organisationID == party.organisationID }
                return [Link(party.name, url: SitePath.directory(.organisation(party.slug)).href), Text(party.role),
                        Text(stored.agreementVersion == 0 ? "Ingen aftale endnu" : accepted.map { "Accepteret af \($0.personName) \(DanishDate.dateTime($0.at))" } ?? "Ikke accepteret endnu")]
            })
            if model.mayWork {
                Tag("details", [("class", "panel")] + (problems.isEmpty ? [] : [("open", "open")])) {
                    Tag("summary", text: "Tilføj en part")
                    PartnershipShell.postForm(SitePath.partnership(.parties(stored.slug)).href, csrf: model.csrf) {
                        FormField(name: "organisation", label: "Organisation fra registret", value: sent["organisation"] ?? "",
                                  hint: "Skriv organisationens navn præcis som i registret, eller dens adresse-navn (fx demo-museet).", error: error("organisation"))
                        FormField(name: "partyRole", label: "Rolle i partnerskabet", value: sent["partyRole"] ?? "", hint: "Fx Skole, Værtsmuseum eller Koordinerende kommune.",
                                  error: error("partyRole"))
                        Tag("button", [("type", "submit"), ("class", "button"), ("name", "what"), ("value", "tilfoej")], text: "Tilføj part")
                    }
                    Tag("h3", text: "Invitér en organisation med e-mail")
                    Paragraph("Er organisationen ikke i registret endnu, får den et link: den registrerer sig og bliver så part.")
                    PartnershipShell.postForm(SitePath.partnership(.parties(stored.slug)).href, csrf: model.csrf) {
                        FormField(name: "inviteName", label: "Organisationens navn", value: sent["inviteName"] ?? "", error: error("inviteName"))
                        FormField(name: "inviteEmail", label: "Kontaktpersonens e-mailadresse", type: "email", value: sent["inviteEmail"] ?? "",
                                  error: error("inviteEmail"), autocomplete: "off")
                        FormField(name: "inviteRole", label: "Rolle i partnerskabet", value: sent["inviteRole"] ?? "", error: error("inviteRole"))
                        Tag("button", [("type", "submit"), ("class", "button"), ("name", "what"), ("value", "inviter")], text: "Send invitation")
                    }
                }
            }
        }
    }

    static func agreement(_ model: Model) -> Component {
        let stored = model.stored
        return Tag("section", [("aria-labelledby", "aftale")]) {
            Tag("h2", [("id", "aftale")], text: "Samarbejdsaftalen")
            if let version = model.agreement {
                Paragraph("Version \(version.number), gemt af \(version.authorName) \(DanishDate.dateTime(version.createdAt)).\(stored.acceptedVersion.map { $0 == version.number ? " Accepteret af alle parter." : " Version \($0) er den seneste, alle parter har accepteret." } ?? " Endnu ikke accepteret af alle parter.")")
                AgreementPrintView.body(version.agreement, parties: stored.parties)
                let open = model.decidesFor.filter { party in !model.acceptances.contains { $0.version == version.number && $0.organisationID == party } }
                for party in open {
                    PartnershipShell.postForm(SitePath.partnership(.accept(stored.slug)).href, csrf: model.csrf, class: "inline-form") {
                        PartnershipShell.hidden("party", party.uuidString)
                        PartnershipShell.hidden("version", String(version.number))
                        Tag("button", [("type", "submit"), ("class", "button button-primary")],
                            text: "Acceptér version \(version.number) for \(stored.party(party)?.name ?? "")")
                    }
                }
                Paragraph {
                    Link("Udskriv aftalen", url: SitePath.partnership(.agreementPrint(stored.slug)).href)
                    if model.mayWork {
                        Text(" · ")
                        Link("Ret aftalen", url: SitePath.partnership(.agreement(stored.slug)).href)
                    }
                }
            } else {
                Paragraph("Der er ingen aftale endnu.")
                if model.mayWork { Paragraph { Link("Skriv aftalen", url: SitePath.partnership(.agreement(stored.slug)).href).class("button") } }
            }
        }
    }

    static func lifeCycle(_ model: Model) -> Component {
        let stored = model.stored
        return Tag("section", [("aria-labelledby", "forloeb")]) {
            Tag("h2", [("id", "forloeb")], text: "Forløb")
            Paragraph { Text("Partnerskabet er "); Tag("strong", text: stored.state.predicate); Text(".") }
            if !model.transitions.isEmpty {
                PartnershipShell.postForm(SitePath.partnership(.transition(stored.slug)).href, csrf: model.csrf) {
                    TextAreaField(name: "comment", label: "Kommentar til ændringen (valgfri)", value: "", rows: 2)
                    Div {
                        for transition in model.transitions {
                            Tag("button", [("type", "submit"), ("class", transition == .abandon ? "button button-warning" : "button"), ("name", "step"),
                                           ("value", transition.rawValue)], text: transition.label)
                        }
                    }.class("button-row")
                }
            }
            Tag("h3", text: "Historik")
            Tag("ol", [("class", "history")]) {
                for event in model.events {
                    Tag("li") {
                        DanishDate.element(event.at)
                        Text(" \(event.actorName): ")
                        Text(describe(event))
                        if !event.comment.isEmpty, event.kind == "tilstand" { Text(" "); Tag("q", text: event.comment) }
                    }
                }
            }
        }
    }

    static func describe(_ event: PartnershipQueries.Event) -> String {
        switch event.kind {
        case "oprettet": "oprettede partnerskabet\(event.comment.isEmpty ? "" : " (\(event.comment))")."
        case "tilstand": "\(DanishText.midSentence(event.from?.label ?? "")) → \(DanishText.midSentence(event.to?.label ?? ""))."
        case "aftale": "gemte aftalen (\(DanishText.midSentence(event.comment)))."
        case "accept": "\(event.comment)."
        case "part": "gjorde \(event.comment) til part."
        case "invitation": "inviterede \(event.comment)."
        case "detaljer": "ændrede oplysningerne."
        default: event.comment
        }
    }

    static func activities(_ model: Model) -> Component {
        let stored = model.stored
        return Tag("section", [("aria-labelledby", "aktiviteter")]) {
            Tag("h2", [("id", "aktiviteter")], text: "Aktiviteter")
            if model.activities.isEmpty {
                Paragraph("Der er ingen aktiviteter endnu.")
            } else {
                ActivitiesView.table(model.activities, slug: stored.slug, evaluates: !model.evaluatesFor.isEmpty, edits: model.mayWork)
            }
            Paragraph {
                Link(model.mayWork ? "Planlæg aktiviteter og se kalenderen" : "Se kalenderen", url: SitePath.partnership(.activities(stored.slug)).href)
                Text(" · ")
                Link("Hent kalenderfil (iCalendar)", url: SitePath.partnership(.calendar(stored.slug)).href)
            }
        }
    }

    static func evaluations(_ model: Model) -> Component {
        let stored = model.stored
        let occasions = ["periode"] + model.activities.map(\.id.uuidString)
        return Tag("section", [("aria-labelledby", "evaluering")]) {
            Tag("h2", [("id", "evaluering")], text: "Evaluering")
            if !model.evaluatesFor.isEmpty {
                Paragraph { Link("Evaluér perioden", url: SitePath.partnership(.evaluation(stored.slug, "periode")).href) }
            }
            let answered = occasions.filter { occasion in model.evaluations.contains { $0.occasion == occasion } }
            if answered.isEmpty { Paragraph("Ingen parter har evalueret endnu.") }
            for occasion in answered {
                let questionnaire = occasion == "periode" ? Questionnaire.period : Questionnaire.activity
                let title = occasion == "periode" ? "Perioden" : model.activities.first { $0.id.uuidString == occasion }.map { "\($0.activity.title), \(DanishDate.dateTime($0.activity.startsAt))" } ?? ""
                let answers = model.evaluations.filter { $0.occasion == occasion }
                let parties = stored.parties.filter { party in answers.contains { $0.organisationID == party.organisationID } }
                DataTable(caption: "Evaluering: \(title)", headings: ["Spørgsmål"] + parties.map(\.name), rows: questionnaire.questions.map { question in
                    [Text(question.text)] + parties.map { party in
                        let answer = answers.first { $0.organisationID == party.organisationID }?.answers[question.id] ?? ""
                        return Text(question.kind == .scale && !answer.isEmpty ? "\(answer) af \(question.steps ?? 5)" : answer)
                    }
                })
            }
        }
    }

    static func publishing(_ model: Model) -> Component {
        let stored = model.stored
        let action = SitePath.partnership(.publish(stored.slug)).href
        return Tag("section", [("aria-labelledby", "eksempel")]) {
            Tag("h2", [("id", "eksempel")], text: "Vis som eksempel")
            if stored.publishedAt != nil {
                Paragraph {
                    Text("Partnerskabet er offentligt som ")
                    Link("eksempel", url: SitePath.partnership(.publicCase(stored.slug)).href)
                    Text(" med: \(stored.caseFields.map { DanishText.midSentence($0.label) }.joined(separator: ", ")).")
                }
            } else if !stored.caseFields.isEmpty {
                Paragraph("Foreslået vist med: \(stored.caseFields.map { DanishText.midSentence($0.label) }.joined(separator: ", ")). Det bliver offentligt, når alle parter har givet samtykke.")
            } else {
                Paragraph("Parterne kan vise partnerskabet som et offentligt eksempel, som andre kan lære af. Det kræver samtykke fra alle parter.")
            }
            if !stored.caseFields.isEmpty {
                DataTable(caption: "Samtykke til eksemplet", headings: ["Part", "Samtykke"], rows: stored.parties.map { party in
                    [Text(party.name), Text(party.publishConsentAt.map { "Givet \(DanishDate.dateTime($0))" } ?? "Ikke givet")]
                })
                for party in stored.parties where model.decidesFor.contains(party.organisationID) {
                    PartnershipShell.postForm(action, csrf: model.csrf, class: "inline-form") {
                        PartnershipShell.hidden("party", party.organisationID.uuidString)
                        if party.publishConsentAt == nil {
                            Tag("button", [("type", "submit"), ("class", "button"), ("name", "what"), ("value", "samtykke")], text: "Giv samtykke for \(party.name)")
                        } else {
                            Tag("button", [("type", "submit"), ("class", "button button-warning"), ("name", "what"), ("value", "traek-tilbage")],
                                text: "Træk samtykket tilbage for \(party.name)")
                        }
                    }
                }
            }
            if model.mayPropose {
                Tag("details", [("class", "panel")]) {
                    Tag("summary", text: stored.caseFields.isEmpty ? "Foreslå at vise partnerskabet som eksempel" : "Foreslå andre oplysninger")
                    Paragraph("Titel, form og skoleår vises altid. Et nyt forslag kræver samtykke fra alle parter igen.")
                    PartnershipShell.postForm(action, csrf: model.csrf) {
                        CheckboxesField(name: "fields", legend: "Eksemplet viser også", checked: Set(stored.caseFields.map(\.rawValue)), error: nil,
                                        options: CaseField.allCases.map { ($0.rawValue, $0.label) })
                        Tag("button", [("type", "submit"), ("class", "button"), ("name", "what"), ("value", "foreslaa")], text: "Send forslaget til parterne")
                    }
                }
            }
        }
    }

    static func worksheets(_ model: Model) -> Component {
        Tag("section", [("aria-labelledby", "vaerktoejer")]) {
            Tag("h2", [("id", "vaerktoejer")], text: "Værktøjer")
            if model.worksheets.isEmpty {
                Paragraph("I har ikke udfyldt nogen værktøjer sammen endnu.")
            } else {
                DataTable(caption: "Arbejdsark", headings: ["Arbejdsark", "Værktøj", "Udfyldt"], rows: model.worksheets.map { sheet in
                    [Link(sheet.title, url: SitePath.tool(.worksheet(sheet.id.uuidString)).href), Text(sheet.toolTitle),
                     Text("\(sheet.progress.done) af \(sheet.progress.total) (\(sheet.progress.percent) %)")]
                })
            }
            if model.mayWork {
                Paragraph {
                    Text("Udfyld et værktøj sammen – fx forventningsafstemning og evaluering: ")
                    Link("vælg et værktøj", url: SitePath.tool(.list).href)
                    Text(", og start et arbejdsark for partnerskabet.")
                }
            }
        }
    }

    static func documents(_ model: Model) -> Component {
        let stored = model.stored
        let (title, problems) = model.documentForm
        return Tag("section", [("aria-labelledby", "dokumenter")]) {
            Tag("h2", [("id", "dokumenter")], text: "Dokumenter")
            if model.documents.isEmpty { Paragraph("Der er ingen dokumenter endnu.") }
            if !model.documents.isEmpty {
                DataTable(caption: "Dokumenter", headings: ["Dokument", "Delt af", "Tidspunkt"] + (model.mayWork ? ["Handlinger"] : []), rows: model.documents.map { document in
                    var row: [Component] = [Link(document.title, url: SitePath.partnership(.document(stored.slug, document.id.uuidString.lowercased(), document.fileName)).href),
                                            Text(document.by), DanishDate.element(document.at)]
                    if model.mayWork {
                        row.append(PartnershipShell.postForm(SitePath.partnership(.removeDocument(stored.slug, document.id.uuidString.lowercased())).href,
                                                             csrf: model.csrf, class: "inline-form") {
                            Tag("button", [("type", "submit"), ("class", "link-button"), ("aria-label", "Fjern \(document.title)")], text: "Fjern")
                        })
                    }
                    return row
                })
            }
            if model.mayWork {
                Tag("form", [("class", "form"), ("method", "post"), ("action", SitePath.partnership(.documents(stored.slug)).href),
                             ("enctype", "multipart/form-data"), ("novalidate", "novalidate")]) {
                    CSRFField(token: model.csrf)
                    FileField(name: "file", label: "Del et dokument", hint: "PDF, Word, OpenDocument eller et billede.", error: PartnershipShell.error(problems, "file"))
                    FormField(name: "title", label: "Titel (valgfri)", value: title, hint: "Uden titel vises filens navn.", error: PartnershipShell.error(problems, "title"),
                              required: false)
                    Tag("button", [("type", "submit"), ("class", "button")], text: "Del dokumentet")
                }
            }
        }
    }

    static func comments(_ model: Model) -> Component {
        let stored = model.stored
        return Tag("section", [("aria-labelledby", "kommentarer")]) {
            Tag("h2", [("id", "kommentarer")], text: "Kommentarer")
            if model.comments.isEmpty { Paragraph("Ingen kommentarer endnu.") }
            Tag("ol", [("class", "comments")]) {
                for comment in model.comments {
                    Tag("li") {
                        Paragraph { Tag("strong", text: comment.authorName); Text(" "); DanishDate.element(comment.at) }
                        PartnershipShell.paragraphs(comment.body)
                    }
                }
            }
            if model.mayWork {
                PartnershipShell.postForm(SitePath.partnership(.comment(stored.slug)).href, csrf: model.csrf) {
                    TextAreaField(name: "body", label: "Skriv en kommentar", value: model.commentForm.0,
                                  hint: "Parternes kontaktpersoner får kommentaren på mail.", error: PartnershipShell.error(model.commentForm.1, "body"))
                    Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Send kommentar")
                }
            }
        }
    }
}

enum DetailsView {
    struct Model {
        var form: DetailsForm
        var forms: [PartnershipForm]
        var labels: PartnershipView.Labels
        var errors: [FieldProblem]
        var action: String
        var csrf: String
        var conflict: String?
    }

    static let fieldOrder = ["form", "title", "summary", "purpose", "goals", "subjects", "gradeLevels", "schoolYears", "classesExpected", "pupilsExpected"]

    /// The rules name a list's item ("subjects[2]"); the form has one field for the list.
    static func formProblems(_ problems: [FieldProblem]) -> [FieldProblem] {
        problems.map { problem in
            guard let bracket = problem.field.firstIndex(of: "[") else { return problem }
            return FieldProblem(field: String(problem.field[..<bracket]), message: problem.message)
        }
    }

    static func render(_ model: Model, title: String, partnership: StoredPartnership, site: SiteInfo) -> String {
        let meta = PartnershipShell.meta(title, crumbs: [PartnershipShell.crumb(partnership)], current: "Ret oplysningerne",
                                         errors: !model.errors.isEmpty || model.conflict != nil)
        return PageLayout.render(meta, site: site) {
            H1(title)
            if let conflict = model.conflict { ErrorAlert { Paragraph(conflict) } }
            if !model.errors.isEmpty { ErrorSummary(formProblems(model.errors), fieldOrder: fieldOrder) }
            PartnershipShell.postForm(model.action, csrf: model.csrf) {
                PartnershipShell.hidden("revision", String(model.form.revision ?? 0))
                fields(model.form, forms: model.forms, labels: model.labels, errors: model.errors, only: nil)
                Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Gem")
            }
        }
    }

    /// The detail fields; `only`: the fields of one step of the guided creation (nil: all).
    static func fields(_ form: DetailsForm, forms: [PartnershipForm], labels: PartnershipView.Labels, errors: [FieldProblem], only: Set<String>?) -> Component {
        let problems = formProblems(errors)
        let error = { PartnershipShell.error(problems, $0) }
        let shows = { (field: String) in only?.contains(field) ?? true }
        return ComponentGroup {
            if shows("form") {
                Tag("fieldset", [("class", error("form") == nil ? "field" : "field has-error"), ("id", "field-form")]) {
                    Tag("legend", text: "Partnerskabets form")
                    if let message = error("form") { Tag("span", [("class", "field-error")], text: "Fejl: \(message)") }
                    for (index, option) in forms.enumerated() {
                        Div {
                            VoidTag("input", [("type", "radio"), ("id", "field-form-\(index)"), ("name", "form"), ("value", option.slug),
                                              ("aria-describedby", "field-form-\(index)-hint")] + (form.form == option.slug ? [("checked", "checked")] : []))
                            Tag("label", [("for", "field-form-\(index)")], text: option.name)
                            Tag("span", [("class", "hint"), ("id", "field-form-\(index)-hint")], text: option.description)
                        }.class("choice")
                    }
                }
            }
            if shows("title") { FormField(name: "title", label: "Titel", value: form.title ?? "", hint: "Fx Naturfag på Naturcenter Vestskoven.", error: error("title")) }
            if shows("summary") { TextAreaField(name: "summary", label: "Kort beskrivelse", value: form.summary ?? "", rows: 3, error: error("summary")) }
            if shows("purpose") { TextAreaField(name: "purpose", label: "Formål", value: form.purpose ?? "", rows: 4, hint: "Hvorfor samarbejder I?", error: error("purpose")) }
            if shows("goals") { TextAreaField(name: "goals", label: "Mål", value: form.goals ?? "", rows: 4, hint: "Hvad skal eleverne lære, og hvordan ser I, at det er lykkedes?", error: error("goals")) }
            if shows("subjects") { CheckboxesField(name: "subjects", legend: "Fag (valgfrit)", checked: Set(form.subjects ?? []), error: error("subjects"), options: labels.subjects) }
            if shows("gradeLevels") { CheckboxesField(name: "gradeLevels", legend: "Klassetrin (valgfrit)", checked: Set(form.gradeLevels ?? []), error: error("gradeLevels"), options: labels.gradeLevels) }
            if shows("schoolYears") { FormField(name: "schoolYears", label: "Skoleår", value: form.schoolYears ?? "", hint: "Et eller flere, adskilt af komma, fx 2026/27, 2027/28.", error: error("schoolYears")) }
            if shows("classesExpected") { FormField(name: "classesExpected", label: "Forventet antal klasser (valgfrit)", value: form.classesExpected ?? "", error: error("classesExpected"), required: false) }
            if shows("pupilsExpected") { FormField(name: "pupilsExpected", label: "Forventet antal elever (valgfrit)", value: form.pupilsExpected ?? "", error: error("pupilsExpected"), required: false) }
        }
    }
}

enum PartnershipInvitationView {
    struct Model {
        var token: String
        var invitation: PartnershipSaving.OpenInvitation
        var organisations: [(UUID, String)]
        var csrf: String
    }

    static func render(_ model: Model, site: SiteInfo) -> String {
        let p = model.invitation.partnership
        let meta = PartnershipShell.meta("Invitation til \(p.partnership.title)", current: "Invitation")
        return PageLayout.render(meta, site: site) {
            H1("Invitation til partnerskabet \(p.partnership.title)")
            Paragraph("\(model.invitation.organisationName) er inviteret til at være part som \(DanishText.quoted(model.invitation.role)). Parterne er nu: \(p.parties.map(\.name).joined(separator: ", ")).")
            if model.organisations.isEmpty {
                Paragraph {
                    Text("Du er ikke leder, kontaktperson, koordinator eller administrator i en organisation i Samspil endnu. ")
                    Link("Registrér organisationen", url: SitePath.directory(.new).href)
                    Text(" (eller bliv medlem af den), og åbn så linket i mailen igen.")
                }
            } else {
                PartnershipShell.postForm(SitePath.partnership(.invitation).href, csrf: model.csrf) {
                    PartnershipShell.hidden("token", model.token)
                    RadiosField(name: "organisation", legend: "Hvilken af dine organisationer skal være part?", selected: model.organisations[0].0.uuidString,
                                options: model.organisations.map { ($0.0.uuidString, $0.1) })
                    Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Tag imod invitationen")
                }
            }
        }
    }
}
