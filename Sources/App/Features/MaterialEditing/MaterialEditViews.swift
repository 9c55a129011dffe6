import Foundation
import SamspilCore

/// The editors' pages for materials: the list and the form.
enum MaterialEditViews {
    static func crumbs() -> [PageMeta.Crumb] {
        [.init(label: "Forside", href: SitePath.home.href), .init(label: "Redaktion", href: SitePath.editorHome.href)]
    }

    static func index(_ materials: [Material], vocabularies: Vocabularies, notice: String?, site: SiteInfo) -> String {
        let meta = PageMeta(title: "Materialer i redaktionen", canonical: nil, breadcrumbs: crumbs(), currentCrumb: "Materialer")
        return PageLayout.render(meta, site: site) {
            H1("Materialer")
            if let notice { Tag("div", [("class", "alert"), ("role", "status")]) { Paragraph(notice) } }
            Paragraph { SafeLink(text: "Nyt materiale", href: SitePath.newMaterial.href, attributes: [("class", "button button-primary")]) }
            DataTable(caption: "Alle materialer, også kladder", headings: ["Titel", "Type", "År", "Status"], rows: materials.map { material in
                [SafeLink(text: material.title, href: SitePath.editMaterial(material.slug).href),
                 Text(vocabularies.label(material.type, in: .materialType)), Text(material.year.map(String.init) ?? "–"),
                 Text(material.status == .published ? "Udgivet" : "Kladde")]
            })
        }
    }

    static func form(_ model: MaterialEdit.ViewModel, site: SiteInfo) -> String {
        let form = model.form
        let title = model.isNew ? "Nyt materiale" : "Rediger \(form.title ?? "")"
        let meta = PageMeta(title: title, canonical: nil, breadcrumbs: crumbs() + [.init(label: "Materialer", href: SitePath.editMaterials.href)],
                            currentCrumb: model.isNew ? "Nyt materiale" : (form.title ?? ""))
        func error(_ field: String) -> String? { model.errors.message(for: field) }
        let action = model.isNew ? SitePath.newMaterial.href : SitePath.editMaterial(form.slug ?? "").href
        let labels: [String: String] = [
            "title": "Titel", "slug": "Adresse", "type": "Type", "teaser": "Kort beskrivelse", "body": "Tekst", "year": "År",
            "readingMinutes": "Læsetid", "audiences": "Målgrupper", "topics": "Emner", "credits.persons": "Personer", "confirm": "Slet",
        ]
        return PageLayout.render(meta, site: site) {
            H1(title)
            if let notice = model.notice { Tag("div", [("class", "alert"), ("role", "status")]) { Paragraph(notice) } }
            if model.conflict {
                Tag("div", [("class", "alert alert-error"), ("role", "alert")]) {
                    Paragraph("Materialet er blevet ændret af en anden, siden du åbnede det. Dine ændringer er ikke gemt, og intet er overskrevet. Åbn materialet igen i en ny fane for at se den nye udgave, og gem så dine ændringer her, hvis de stadig skal med.")
                }
            }
            if !model.errors.isEmpty {
                ErrorSummary(errors: model.errors.map { ($0.field.prefix { $0 != "." }.description, "\(labels[$0.field] ?? $0.field): \($0.message)") })
            }
            Tag("form", [("class", "form form-wide"), ("method", "post"), ("action", action), ("novalidate", "novalidate")]) {
                CSRFField(token: model.csrfToken)
                VoidTag("input", [("type", "hidden"), ("name", "version"), ("value", form.version ?? "")])
                FormField(name: "title", label: "Titel", value: form.title ?? "", error: error("title"))
                if model.isNew {
                    FormField(name: "slug", label: "Adresse (valgfri)", value: form.slug ?? "",
                              hint: "Sidste del af adressen, fx fire-typer-af-partnerskaber. Laves af titlen, hvis feltet er tomt. Kan ikke ændres senere.",
                              error: error("slug"), required: false)
                } else {
                    Paragraph("Adresse: \(SitePath.material(form.slug ?? "").href)").class("hint")
                }
                SelectField(name: "genre", label: "Genre (valgfri)", selected: form.genre ?? "",
                            options: [("", "Ingen")] + Genre.allCases.map { ($0.rawValue, $0.label) })
                SelectField(name: "type", label: "Type", selected: form.type ?? "", error: error("type"),
                            options: [("", "Vælg type")] + model.vocabularies.materialTypes.map { ($0.slug, $0.label) })
                TextAreaField(name: "teaser", label: "Kort beskrivelse", value: form.teaser ?? "", rows: 3,
                              hint: "Vises i lister og søgeresultater.", error: error("teaser"))
                TextAreaField(name: "body", label: "Tekst (valgfri)", value: form.body ?? "", rows: 12,
                              hint: "Afsnit adskilles af en tom linje. ## giver en overskrift, - en punktliste, **fed** og *kursiv*.", error: error("body"))
                SelectField(name: "creditKind", label: "Kreditering", selected: form.creditKind ?? "",
                            options: [(Credits.Kind.developed.rawValue, "Udviklet af"), (Credits.Kind.written.rawValue, "Skrevet af")])
                TextAreaField(name: "persons", label: "Personer (valgfri)", value: form.persons ?? "", rows: 3, hint: "Én person pr. linje.",
                              error: error("credits"))
                FormField(name: "organisation", label: "Organisation (valgfri)", value: form.organisation ?? "", required: false)
                FormField(name: "year", label: "År (valgfrit)", value: form.year ?? "", hint: "Fx 2019.", error: error("year"), required: false)
                SelectField(name: "language", label: "Sprog", selected: form.language ?? "", options: Language.allCases.map { ($0.rawValue, $0.label) })
                FormField(name: "readingMinutes", label: "Læsetid i minutter (valgfri)", value: form.readingMinutes ?? "",
                          hint: "Udelades den, beregnes den af teksten.", error: error("readingMinutes"), required: false)
                CheckboxesField(name: "audiences", legend: "Målgrupper", checked: Set(form.audiences ?? []), error: error("audiences"),
                                options: model.vocabularies.audiences.map { ($0.slug, $0.label) })
                CheckboxesField(name: "topics", legend: "Emner", checked: Set(form.topics ?? []), error: error("topics"),
                                options: model.vocabularies.topics.map { ($0.slug, $0.label) })
                RadiosField(name: "status", legend: "Status", selected: form.status ?? PublicationStatus.draft.rawValue,
                            options: [(PublicationStatus.draft.rawValue, "Kladde – kun redaktionen kan se den"),
                                      (PublicationStatus.published.rawValue, "Udgivet – synlig for alle og i søgningen")])
                Tag("button", [("type", "submit"), ("class", "button button-primary")], text: model.isNew ? "Opret materiale" : "Gem ændringer")
            }
            if !model.isNew {
                Paragraph {
                    SafeLink(text: "Forhåndsvis (det gemte)", href: SitePath.previewMaterial(form.slug ?? "").href)
                    Text(" · ")
                    SafeLink(text: "Historik", href: SitePath.materialHistory(form.slug ?? "").href)
                    if form.status == PublicationStatus.published.rawValue {
                        Text(" · ")
                        SafeLink(text: "Se materialet", href: SitePath.material(form.slug ?? "").href)
                    }
                }
                H2("Udgaver")
                if form.versionsSummary.isEmpty {
                    Paragraph("Ingen udgaver endnu.")
                } else {
                    Tag("ol", [("class", "version-list")]) {
                        for (index, line) in form.versionsSummary.enumerated() {
                            Tag("li") {
                                Text(line + " ")
                                ReorderForm(action: SitePath.materialVersions(form.slug ?? "").href,
                                            hidden: [("index", String(index)), ("version", form.version ?? "")], itemLabel: line,
                                            isFirst: index == 0, isLast: index == form.versionsSummary.count - 1, csrf: model.csrfToken)
                            }
                        }
                    }
                }
                Tag("form", [("class", "form"), ("method", "post"), ("action", SitePath.uploadVersion(form.slug ?? "").href), ("enctype", "multipart/form-data")]) {
                    CSRFField(token: model.csrfToken)
                    SelectField(name: "kind", label: "Slags udgave", selected: MaterialVersion.Kind.full.rawValue,
                                options: MaterialVersion.Kind.allCases.map { ($0.rawValue, $0.label) })
                    FormField(name: "label", label: "Navn på udgaven (valgfrit)", hint: "Fx Pixi-udgaven. Ellers bruges slagsen.", required: false)
                    FileField(name: "file", label: "Fil", hint: "PDF, Word (DOCX), OpenDocument (ODT) eller billede (PNG, JPEG, GIF, WebP).",
                              error: error("file"))
                    Tag("button", [("type", "submit"), ("class", "button")], text: "Tilføj fil")
                }
                H2("Slet materialet")
                Tag("form", [("class", "form"), ("method", "post"), ("action", SitePath.deleteMaterial(form.slug ?? "").href)]) {
                    CSRFField(token: model.csrfToken)
                    CheckboxesField(name: "confirm", legend: "Bekræft", checked: [], error: error("confirm"),
                                    options: [("ja", "Ja, slet materialet. Det kan ikke fortrydes.")], isArray: false)
                    Tag("button", [("type", "submit"), ("class", "button")], text: "Slet materialet")
                }
            }
        }
    }
}

