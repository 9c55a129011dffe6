import Foundation
import SamspilCore

/// The agreement's form. After a version saved by someone else in between, that version is shown above the
/// form, which still holds this person's text.
enum AgreementFormView {
    struct Model {
        var stored: StoredPartnership
        var form: AgreementForm
        var basedOn: Int
        var errors: [FieldProblem]
        var newer: PartnershipQueries.Version?
        var csrf: String
    }

    static func render(_ model: Model, site: SiteInfo) -> String {
        let stored = model.stored
        let meta = PartnershipShell.meta("Samarbejdsaftale for \(stored.partnership.title)", crumbs: [PartnershipShell.crumb(stored)],
                                         current: "Samarbejdsaftale", errors: !model.errors.isEmpty || model.newer != nil)
        let problems = AgreementForm.formProblems(model.errors, agreement: model.form.agreement)
        let error = { PartnershipShell.error(problems, $0) }
        let partyOptions = [("", "Vælg part")] + stored.parties.map { ($0.organisationID.uuidString, $0.name) }
        let rows = model.form.payments + Array(repeating: AgreementForm.PaymentRow(party: "", amount: "", purpose: ""), count: AgreementForm.extraRows)
        return PageLayout.render(meta, site: site) {
            H1("Samarbejdsaftale for \(stored.partnership.title)")
            if let newer = model.newer {
                ErrorAlert {
                    Paragraph("\(newer.authorName) gemte version \(newer.number) af aftalen \(DanishDate.dateTime(newer.createdAt)), mens du skrev. Din tekst er ikke gemt endnu; den står i formularen. Sammenlign med version \(newer.number) herunder, og gem, når din tekst skal være version \(newer.number + 1).")
                }
                Tag("details", [("class", "panel"), ("open", "open")]) {
                    Tag("summary", text: "Version \(newer.number), som den er gemt")
                    AgreementPrintView.body(newer.agreement, parties: stored.parties)
                }
            }
            if !problems.isEmpty {
                ErrorSummary(problems, fieldOrder: stored.parties.map { "contribution-\($0.organisationID.uuidString)" }
                    + rows.indices.flatMap { ["paymentParty-\($0)", "paymentAmount-\($0)", "paymentPurpose-\($0)"] }
                    + ["contacts", "meetingRhythm", "communication", "evaluationDate", "evaluationMethod", "endingAndRenewal"])
            }
            Paragraph(model.basedOn == 0 ? "Aftalen gemmes som version 1. Derefter skal hver part acceptere den." :
                        "Du retter version \(model.basedOn). Når du gemmer, bliver det version \(model.basedOn + 1), som alle parter skal acceptere igen.")
            PartnershipShell.postForm(SitePath.partnership(.agreement(stored.slug)).href, csrf: model.csrf) {
                PartnershipShell.hidden("basedOn", String(model.basedOn))
                Tag("fieldset", [("class", "field")]) {
                    Tag("legend", text: "Hvad hver part bidrager med og har ansvar for")
                    for party in stored.parties {
                        TextAreaField(name: "contribution-\(party.organisationID.uuidString)", label: party.name, value: model.form.contributions[party.organisationID] ?? "",
                                      rows: 3, error: error("contribution-\(party.organisationID.uuidString)"))
                    }
                }
                Tag("fieldset", [("class", "field"), ("id", "field-payments")]) {
                    Tag("legend", text: "Økonomi: hvem betaler hvad")
                    Tag("span", [("class", "hint")], text: "Beløb i kroner, fx 12.500 eller 12.500,50. Tomme rækker gemmes ikke.")
                    for (index, row) in rows.enumerated() {
                        Div {
                            SelectField(name: "paymentParty-\(index)", label: "Betaler (række \(index + 1))", selected: row.party,
                                        error: error("paymentParty-\(index)"), options: partyOptions)
                            FormField(name: "paymentAmount-\(index)", label: "Beløb i kr. (række \(index + 1))", value: row.amount,
                                      error: error("paymentAmount-\(index)"), required: false)
                            FormField(name: "paymentPurpose-\(index)", label: "Til hvad (række \(index + 1))", value: row.purpose,
                                      error: error("paymentPurpose-\(index)"), required: false)
                        }.class("payment-row")
                    }
                }
                TextAreaField(name: "contacts", label: "Kontaktpersoner", value: model.form.contacts, rows: 3, hint: "Navn, rolle og kontaktoplysninger for hver part.", error: error("contacts"))
                TextAreaField(name: "meetingRhythm", label: "Mødeaktivitet", value: model.form.meetingRhythm, rows: 2, hint: "Fx et planlægningsmøde i august og et evalueringsmøde i juni.", error: error("meetingRhythm"))
                TextAreaField(name: "communication", label: "Kommunikation", value: model.form.communication, rows: 2, error: error("communication"))
                FormField(name: "evaluationDate", label: "Evalueringsdato", value: model.form.evaluationDate, hint: "Dag-måned-år, fx 15-06-2027.", error: error("evaluationDate"), required: false)
                TextAreaField(name: "evaluationMethod", label: "Sådan evaluerer I", value: model.form.evaluationMethod, rows: 2, error: error("evaluationMethod"))
                TextAreaField(name: "endingAndRenewal", label: "Ophør og fornyelse", value: model.form.endingAndRenewal, rows: 2, hint: "Hvordan kan aftalen opsiges, og hvornår tager I stilling til at forny den?", error: error("endingAndRenewal"))
                Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Gem som version \(model.basedOn + 1)")
            }
        }
    }
}

/// The agreement to print (A4, its own print stylesheet), and its body, which the partnership page shows too.
enum AgreementPrintView {
    struct Model {
        var stored: StoredPartnership
        var formName: String
        var version: PartnershipQueries.Version
        var acceptances: [PartnershipQueries.Acceptance]
        var address: String
        var printedAt: Date
    }

    static func body(_ agreement: Agreement, parties: [StoredPartnership.Party]) -> Component {
        let name = { (id: UUID) in parties.first { $0.organisationID == id }?.name ?? "Tidligere part" }
        return Div {
            Tag("h3", text: "Parternes bidrag og ansvar")
            Tag("dl", [("class", "facts")]) {
                for party in parties {
                    Tag("dt", text: party.name)
                    Tag("dd") { PartnershipShell.paragraphs(agreement.contribution(of: party.organisationID).isEmpty ? "Ikke beskrevet." : agreement.contribution(of: party.organisationID)) }
                }
            }
            Tag("h3", text: "Økonomi")
            if agreement.payments.isEmpty {
                Paragraph("Ingen beløb i aftalen.")
            } else {
                DataTable(caption: "Hvem betaler hvad", headings: ["Betaler", "Til hvad", "Beløb"],
                          rows: agreement.payments.map { [Text(name($0.party)), Text($0.purpose), Text($0.amount.danish)] }
                            + [[Text("I alt"), Text(""), Text(agreement.total().danish)]])
            }
            let texts = [("Kontaktpersoner", agreement.contacts), ("Mødeaktivitet", agreement.meetingRhythm), ("Kommunikation", agreement.communication),
                         ("Evalueringsdato", agreement.evaluationDate.map(AgreementForm.danishDate) ?? ""), ("Sådan evaluerer I", agreement.evaluationMethod),
                         ("Ophør og fornyelse", agreement.endingAndRenewal)].filter { !$0.1.isEmpty }
            if !texts.isEmpty {
                Tag("dl", [("class", "facts")]) {
                    for (label, text) in texts {
                        Tag("dt", text: label)
                        Tag("dd") { PartnershipShell.paragraphs(text) }
                    }
                }
            }
        }.class("agreement")
    }

    static func render(_ model: Model, site: SiteInfo) -> String {
        let stored = model.stored
        var meta = PartnershipShell.meta("Samarbejdsaftale: \(stored.partnership.title)", crumbs: [PartnershipShell.crumb(stored)], current: "Udskrift af aftalen")
        meta.stylesheets.append(("agreement-print.css", "print"))
        return PageLayout.render(meta, site: site) {
            Tag("article", [("class", "agreement-print")]) {
                H1("Samarbejdsaftale: \(stored.partnership.title)")
                Paragraph("Version \(model.version.number) af \(DanishDate.dateTime(model.version.createdAt)) · \(model.formName) · Skoleår \(stored.partnership.schoolYears.joined(separator: ", "))")
                Tag("h2", text: "Parter")
                Tag("ul") {
                    for party in stored.parties { Tag("li", text: "\(party.name) – \(party.role)") }
                }
                if !stored.partnership.purpose.isEmpty { Tag("h2", text: "Formål"); PartnershipShell.paragraphs(stored.partnership.purpose) }
                if !stored.partnership.goals.isEmpty { Tag("h2", text: "Mål"); PartnershipShell.paragraphs(stored.partnership.goals) }
                Tag("h2", text: "Aftalen")
                body(model.version.agreement, parties: stored.parties)
                Tag("section", [("class", "acceptances")]) {
                    Tag("h2", text: "Accept af version \(model.version.number)")
                    DataTable(caption: "Hvem accepterede hvad og hvornår", headings: ["Part", "Accepteret af", "Tidspunkt"], rows: stored.parties.map { party in
                        let accepted = model.acceptances.first { $0.organisationID == party.organisationID }
                        return [Text(party.name), Text(accepted?.personName ?? "Ikke accepteret"), Text(accepted.map { DanishDate.dateTime($0.at) } ?? "–")]
                    })
                }
                Paragraph("Udskrevet \(DanishDate.dateTime(model.printedAt)) fra \(model.address)").class("print-address")
                Paragraph("Brug browserens udskriftsfunktion for at gemme aftalen som PDF.").class("screen-only")
            }
        }
    }
}
