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

    /// The names of the page's fields, top to bottom: the material form (`MaterialField`'s order), then the
    /// forms for a new file and for deleting. Error summaries list errors in this order.
    static let fieldOrder = MaterialField.allCases.map(\.rawValue).flatMap { $0 == MaterialField.organisation.rawValue ? [$0, "publisher"] : [$0] }
        + ["kind", "label", "file", "confirm"]

    static func form(_ model: MaterialEdit.ViewModel, site: SiteInfo) -> String {
        let form = model.form
        // The heading and breadcrumb name the material as stored, not a title typed into a refused form.
        let storedTitle = model.storedTitle ?? form.title ?? ""
        let title = model.isNew ? "Nyt materiale" : "Rediger \(storedTitle)"
        var meta = PageMeta(title: title, canonical: nil, breadcrumbs: crumbs() + [.init(label: "Materialer", href: SitePath.editMaterials.href)],
                            currentCrumb: model.isNew ? "Nyt materiale" : storedTitle)
        meta.hasErrors = !model.errors.isEmpty || model.conflict
        func error(_ field: MaterialField) -> String? { model.errors.message(for: field.rawValue) }
        func label(_ field: MaterialField, optional: String? = nil) -> String { optional.map { "\(field.label) (\($0))" } ?? field.label }
        let action = model.isNew ? SitePath.newMaterial.href : SitePath.editMaterial(form.slug ?? "").href
        return PageLayout.render(meta, site: site) {
            H1(title)
            if let notice = model.notice { Tag("div", [("class", "alert"), ("role", "status")]) { Paragraph(notice) } }
            if model.conflict {
                ErrorAlert {
                    Paragraph("Materialet er blevet ændret af en anden, siden du åbnede det. Dine ændringer er ikke gemt, og intet er overskrevet. Åbn materialet igen i en ny fane for at se den nye udgave, og gem så dine ændringer her, hvis de stadig skal med.")
                }
            } else if !model.errors.isEmpty {
                ErrorSummary(model.errors, fieldOrder: fieldOrder)
            }
            Tag("form", [("class", "form form-wide"), ("method", "post"), ("action", action), ("novalidate", "novalidate")]) {
                CSRFField(token: model.csrfToken)
                VoidTag("input", [("type", "hidden"), ("name", "version"), ("value", form.version ?? "")])
                FormField(name: "title", label: label(.title), value: form.title ?? "", error: error(.title))
                if model.isNew {
                    FormField(name: "slug", label: label(.slug, optional: "valgfri"), value: form.slug ?? "",
                              hint: "Sidste del af adressen, fx fire-typer-af-partnerskaber. Laves af titlen, hvis feltet er tomt. Kan ikke ændres senere.",
                              error: error(.slug), required: false)
                } else {
                    Paragraph("\(MaterialField.slug.label): \(SitePath.material(form.slug ?? "").href)").class("hint")
                }
                SelectField(name: "genre", label: label(.genre, optional: "valgfri"), selected: form.genre ?? "",
                            options: [("", "Ingen")] + Genre.allCases.map { ($0.rawValue, $0.label) })
                SelectField(name: "type", label: label(.type), selected: form.type ?? "", error: error(.type),
                            options: [("", "Vælg type")] + model.vocabularies.materialTypes.map { ($0.slug, $0.label) })
                TextAreaField(name: "teaser", label: label(.teaser), value: form.teaser ?? "", rows: 3,
                              hint: "Vises i lister og søgeresultater.", error: error(.teaser))
                TextAreaField(name: "body", label: label(.body, optional: "valgfri"), value: form.body ?? "", rows: 12,
                              hint: "Adskil afsnit med en tom linje. Skriv ## foran en overskrift, - foran hvert punkt i en liste og stjerner om **fed** og *kursiv* tekst.",
                              error: error(.body))
                SelectField(name: "creditKind", label: label(.creditKind), selected: form.creditKind ?? "",
                            options: [(Credits.Kind.developed.rawValue, Credits.Kind.developed.label), (Credits.Kind.written.rawValue, Credits.Kind.written.label)])
                TextAreaField(name: "persons", label: label(.persons, optional: "valgfri"), value: form.persons ?? "", rows: 3, hint: "Én person pr. linje.",
                              error: error(.persons))
                FormField(name: "organisation", label: label(.organisation, optional: "valgfri"), value: form.organisation ?? "", required: false)
                FormField(name: "publisher", label: "Organisation i kataloget (valgfri)", value: form.publisher ?? "",
                          hint: "Adressen på organisationens side, fx demo-museet for /organisationer/demo-museet. Materialesiden linker til den.",
                          error: model.errors.message(for: "publisher"), required: false)
                FormField(name: "year", label: label(.year, optional: "valgfrit"), value: form.year ?? "", hint: "Fx 2019.", error: error(.year), required: false)
                SelectField(name: "language", label: label(.language), selected: form.language ?? "", options: Language.allCases.map { ($0.rawValue, $0.label) })
                FormField(name: "readingMinutes", label: label(.readingMinutes, optional: "valgfri"), value: form.readingMinutes ?? "",
                          hint: "Lad feltet stå tomt, så beregnes læsetiden ud fra teksten.", error: error(.readingMinutes), required: false)
                CheckboxesField(name: "audiences", legend: label(.audiences), checked: Set(form.audiences ?? []), error: error(.audiences),
                                options: model.vocabularies.audiences.map { ($0.slug, $0.label) })
                CheckboxesField(name: "topics", legend: label(.topics), checked: Set(form.topics ?? []), error: error(.topics),
                                options: model.vocabularies.topics.map { ($0.slug, $0.label) })
                RadiosField(name: "status", legend: label(.status), selected: form.status ?? PublicationStatus.draft.rawValue,
                            options: [(PublicationStatus.draft.rawValue, "Kladde – kun redaktionen kan se den"),
                                      (PublicationStatus.published.rawValue, "Udgivet – synlig for alle og i søgningen")])
                Tag("button", [("type", "submit"), ("class", "button button-primary")], text: model.isNew ? "Opret materiale" : "Gem ændringer")
            }
            if !model.isNew {
                Paragraph {
                    SafeLink(text: "Forhåndsvis det gemte materiale", href: SitePath.previewMaterial(form.slug ?? "").href)
                    Text(" · ")
                    SafeLink(text: "Historik", href: SitePath.materialHistory(form.slug ?? "").href)
                    if form.status == PublicationStatus.published.rawValue {
                        Text(" · ")
                        SafeLink(text: "Se materialet", href: SitePath.material(form.slug ?? "").href)
                    }
                }
                H2(MaterialField.versions.label)
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
                    SelectField(name: "kind", label: "Type af udgave", selected: MaterialVersion.Kind.full.rawValue,
                                options: MaterialVersion.Kind.allCases.map { ($0.rawValue, $0.label) })
                    FormField(name: "label", label: "Navn på udgaven (valgfrit)", hint: "Fx „Pixi-udgaven“. Står feltet tomt, bruges typen af udgave.", required: false)
                    FileField(name: "file", label: "Fil", hint: "PDF, Word (DOCX), OpenDocument (ODT) eller billede (PNG, JPEG, GIF, WebP).",
                              error: model.errors.message(for: "file"))
                    Tag("button", [("type", "submit"), ("class", "button")], text: "Tilføj fil")
                }
                H2("Slet materialet")
                Tag("form", [("class", "form"), ("method", "post"), ("action", SitePath.deleteMaterial(form.slug ?? "").href)]) {
                    CSRFField(token: model.csrfToken)
                    CheckboxesField(name: "confirm", legend: "Bekræft", checked: [], error: model.errors.message(for: "confirm"),
                                    options: [("ja", "Ja, slet materialet. Det kan ikke fortrydes.")], isArray: false)
                    Tag("button", [("type", "submit"), ("class", "button button-warning")], text: "Slet materialet")
                }
            }
        }
    }
}

