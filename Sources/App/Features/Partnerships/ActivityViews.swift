import Foundation
import SamspilCore

/// A partnership's activities: the list, a month calendar and the form for a new one.
enum ActivitiesView {
    struct Model {
        var stored: StoredPartnership
        var activities: [PartnershipQueries.StoredActivity]
        var month: MonthCalendar.Month
        var form: ActivityForm
        var errors: [FieldProblem]
        var mayWork: Bool
        var labels: PartnershipView.Labels
        var csrf: String
    }

    static func table(_ activities: [PartnershipQueries.StoredActivity], slug: String, evaluates: Bool, edits: Bool) -> Component {
        DataTable(caption: "Aktiviteter", headings: ["Tidspunkt", "Aktivitet", "Sted", "Klasser", "Elever", "Underviser", "Status"] + (edits || evaluates ? ["Handlinger"] : []),
                  rows: activities.map { item in
            let a = item.activity
            var row: [Component] = [Text("\(DanishDate.dateTime(a.startsAt))–\(ActivityForm.local(a.endsAt).time)"), Text(a.title), Text(a.place), Text(a.classes),
                                    Text(a.pupils.map(String.init) ?? ""), Text(a.teacher), Text(a.status.label)]
            if edits || evaluates {
                row.append(ComponentGroup {
                    if edits { Link("Ret", url: SitePath.partnership(.activity(slug, item.id.uuidString)).href).attribute(named: "aria-label", value: "Ret \(a.title)") }
                    if edits && evaluates && a.status == .held { Text(" · ") }
                    if evaluates && a.status == .held {
                        Link("Evaluér", url: SitePath.partnership(.evaluation(slug, item.id.uuidString)).href).attribute(named: "aria-label", value: "Evaluér \(a.title)")
                    }
                })
            }
            return row
        })
    }

    static func calendar(_ activities: [PartnershipQueries.StoredActivity], month: MonthCalendar.Month, slug: String) -> Component {
        let inMonth = activities.compactMap { item -> (Int, PartnershipQueries.StoredActivity)? in
            let (inside, day) = month.contains(item.activity.startsAt)
            return inside ? (day, item) : nil
        }
        let here = SitePath.partnership(.activities(slug)).href
        return Tag("section", [("aria-labelledby", "kalender")]) {
            Tag("h2", [("id", "kalender")], text: month.label)
            Tag("nav", [("aria-label", "Måneder"), ("class", "month-nav")]) {
                Link("← \(month.previous.label)", url: here + "?maaned=" + month.previous.text)
                Text(" ")
                Link("\(month.next.label) →", url: here + "?maaned=" + month.next.text)
            }
            Tag("table", [("class", "month")]) {
                Tag("caption", [("class", "sr-only")], text: "Aktiviteter i \(DanishText.midSentence(month.label))")
                Tag("thead") {
                    Tag("tr") {
                        for (short, day) in [("Man", "Mandag"), ("Tir", "Tirsdag"), ("Ons", "Onsdag"), ("Tor", "Torsdag"), ("Fre", "Fredag"), ("Lør", "Lørdag"), ("Søn", "Søndag")] {
                            Tag("th", [("scope", "col")]) { Tag("abbr", [("title", day)], text: short) }
                        }
                    }
                }
                Tag("tbody") {
                    for week in month.weeks {
                        Tag("tr") {
                            for day in week {
                                Tag("td") {
                                    if let day {
                                        Tag("span", [("class", "day")], text: String(day))
                                        for (_, item) in inMonth.filter({ $0.0 == day }) {
                                            Tag("span", [("class", "event event-\(item.activity.status.rawValue)")],
                                                text: "\(ActivityForm.local(item.activity.startsAt).time) \(item.activity.title)\(item.activity.status == .cancelled ? " (aflyst)" : "")")
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static func fields(_ form: ActivityForm, labels: PartnershipView.Labels, errors: [FieldProblem]) -> Component {
        let error = { PartnershipShell.error(errors, $0) }
        return ComponentGroup {
            FormField(name: "title", label: "Aktivitet", value: form.title ?? "", hint: "Fx Besøg på museet: vikingetiden.", error: error("title"))
            FormField(name: "date", label: "Dato", type: "date", value: form.date ?? "", hint: "Fx 15-03-2027, hvis din browser ikke viser en kalender.", error: error("date"))
            FormField(name: "startTime", label: "Fra kl.", type: "time", value: form.startTime ?? "", error: error("startTime"))
            FormField(name: "endTime", label: "Til kl.", type: "time", value: form.endTime ?? "", error: error("endTime"))
            FormField(name: "place", label: "Sted", value: form.place ?? "", error: error("place"), required: false)
            FormField(name: "classes", label: "Klasser", value: form.classes ?? "", hint: "Fx 5.a, 5.b.", error: error("classes"), required: false)
            SelectField(name: "gradeLevel", label: "Klassetrin", selected: form.gradeLevel ?? "", error: error("gradeLevel"), options: [("", "Ikke valgt")] + labels.gradeLevels)
            FormField(name: "pupils", label: "Antal elever", value: form.pupils ?? "", error: error("pupils"), required: false)
            SelectField(name: "subject", label: "Fag", selected: form.subject ?? "", error: error("subject"), options: [("", "Ikke valgt")] + labels.subjects)
            FormField(name: "teacher", label: "Hvem underviser", value: form.teacher ?? "", error: error("teacher"), required: false)
            SelectField(name: "status", label: "Status", selected: form.status ?? ActivityStatus.planned.rawValue, error: error("status"),
                        options: ActivityStatus.allCases.map { ($0.rawValue, $0.label) })
        }
    }

    static let fieldOrder = ["title", "date", "startTime", "endTime", "place", "classes", "gradeLevel", "pupils", "subject", "teacher", "status"]

    static func render(_ model: Model, site: SiteInfo) -> String {
        let stored = model.stored
        let meta = PartnershipShell.meta("Aktiviteter i \(stored.partnership.title)", crumbs: [PartnershipShell.crumb(stored)], current: "Aktiviteter",
                                         errors: !model.errors.isEmpty)
        return PageLayout.render(meta, site: site) {
            H1("Aktiviteter i \(stored.partnership.title)")
            if !model.errors.isEmpty { ErrorSummary(model.errors, fieldOrder: fieldOrder) }
            if model.activities.isEmpty { Paragraph("Der er ingen aktiviteter endnu.") } else {
                table(model.activities, slug: stored.slug, evaluates: false, edits: model.mayWork)
            }
            calendar(model.activities, month: model.month, slug: stored.slug)
            if model.mayWork {
                Tag("h2", text: "Planlæg en aktivitet")
                PartnershipShell.postForm(SitePath.partnership(.activities(stored.slug)).href, csrf: model.csrf) {
                    fields(model.form, labels: model.labels, errors: model.errors)
                    Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Gem aktiviteten")
                }
            }
        }
    }
}

/// One activity's form. After a change saved by someone else in between, their version is shown above the
/// form, which still holds this person's input.
enum ActivityEditView {
    struct Model {
        var stored: StoredPartnership
        var activity: PartnershipQueries.StoredActivity
        var form: ActivityForm
        var errors: [FieldProblem]
        var newer: PartnershipQueries.StoredActivity?
        var labels: PartnershipView.Labels
        var csrf: String
    }

    static func render(_ model: Model, site: SiteInfo) -> String {
        let stored = model.stored
        let meta = PartnershipShell.meta("Ret \(model.activity.activity.title)", crumbs: [PartnershipShell.crumb(stored)], current: "Ret aktivitet",
                                         errors: !model.errors.isEmpty || model.newer != nil)
        return PageLayout.render(meta, site: site) {
            H1("Ret \(model.activity.activity.title)")
            if let newer = model.newer {
                ErrorAlert { Paragraph("En anden har ændret aktiviteten, mens du rettede den. Dine ændringer er ikke gemt endnu; de står i formularen. Sådan er den gemt nu:") }
                ActivitiesView.table([newer], slug: stored.slug, evaluates: false, edits: false)
            }
            if !model.errors.isEmpty { ErrorSummary(model.errors, fieldOrder: ActivitiesView.fieldOrder) }
            PartnershipShell.postForm(SitePath.partnership(.activity(stored.slug, model.activity.id.uuidString)).href, csrf: model.csrf) {
                PartnershipShell.hidden("revision", String(model.form.revision ?? model.activity.revision))
                ActivitiesView.fields(model.form, labels: model.labels, errors: model.errors)
                Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Gem ændringerne")
            }
        }
    }
}

/// One party's answers to an evaluation (after an activity, or of the period).
enum EvaluationView {
    struct Model {
        var stored: StoredPartnership
        var occasion: String
        var title: String
        var questionnaire: Questionnaire
        var parties: [(UUID, String)]
        var party: UUID
        var answers: [String: String]
        var errors: [FieldProblem]
        var csrf: String
    }

    static func render(_ model: Model, site: SiteInfo) -> String {
        let stored = model.stored
        let meta = PartnershipShell.meta(model.title, crumbs: [PartnershipShell.crumb(stored)], current: "Evaluering", errors: !model.errors.isEmpty)
        return PageLayout.render(meta, site: site) {
            H1(model.title)
            if !model.errors.isEmpty {
                ErrorSummary(model.errors.map { FieldProblem(field: "q-" + $0.field, message: $0.message) }, fieldOrder: model.questionnaire.questions.map { "q-" + $0.id })
            }
            Paragraph("Hver part svarer for sig; svarene vises side om side på partnerskabets side. Svarer I igen, erstatter det partens tidligere svar.")
            PartnershipShell.postForm(SitePath.partnership(.evaluation(stored.slug, model.occasion)).href, csrf: model.csrf) {
                if model.parties.count == 1 {
                    PartnershipShell.hidden("party", model.parties[0].0.uuidString)
                    Paragraph("Du svarer for \(model.parties[0].1).")
                } else {
                    RadiosField(name: "party", legend: "Du svarer for", selected: model.party.uuidString, options: model.parties.map { ($0.0.uuidString, $0.1) })
                }
                for question in model.questionnaire.questions {
                    let error = model.errors.first { $0.field == question.id }?.message
                    switch question.kind {
                    case .scale:
                        let steps = question.steps ?? 5
                        let id = "field-q-\(question.id)"
                        Tag("fieldset", [("class", error == nil ? "field scale" : "field scale has-error"), ("id", id),
                                         ("aria-describedby", error == nil ? "\(id)-hint" : "\(id)-hint \(id)-error")]) {
                            Tag("legend", text: question.text)
                            Tag("span", [("class", "hint"), ("id", "\(id)-hint")], text: "1 = \(question.lowLabel ?? ""), \(steps) = \(question.highLabel ?? "")")
                            if error != nil { Tag("span", [("class", "field-error"), ("id", "\(id)-error")], text: "Fejl: Vælg et svar fra 1 til \(steps).") }
                            for step in 1...steps {
                                Div {
                                    VoidTag("input", [("type", "radio"), ("id", "q-\(question.id)-\(step)"), ("name", "q-\(question.id)"), ("value", String(step))]
                                        + (model.answers[question.id] == String(step) ? [("checked", "checked")] : []))
                                    Tag("label", [("for", "q-\(question.id)-\(step)")], text: String(step))
                                }.class("choice")
                            }
                        }
                    case .text:
                        TextAreaField(name: "q-\(question.id)", label: question.text, value: model.answers[question.id] ?? "", rows: 3, error: error)
                    }
                }
                Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Gem svarene")
            }
        }
    }
}
