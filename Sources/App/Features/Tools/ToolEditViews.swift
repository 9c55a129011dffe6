import Foundation
import SamspilCore

/// The editors' pages of tools: the list, the form (new and change), the import and the versions.
enum ToolEditViews {
    struct Entry {
        var slug: String
        var title: String
        var status: PublicationStatus
        var version: Int
        var updatedAt: Date
    }

    struct ListModel {
        var entries: [Entry]
        var notice: String?
    }

    /// The stored tool a page is about.
    struct StoredSummary {
        var slug: String
        var title: String
        var status: PublicationStatus
        var version: Int
    }

    struct FormModel {
        /// Nil for a new tool.
        var stored: StoredSummary?
        /// The fields as typed (or as stored).
        var form: ToolEditForm
        /// Problems by field key (`ToolEditForm.key`).
        var errors: [FieldProblem] = []
        /// Why a change was refused because someone saved first.
        var conflict: String?
        var notice: String?
        /// The materials to choose from; nil when there are too many for a list (then the address is typed).
        var materials: [(value: String, label: String)]?
        var audiences: [(value: String, label: String)]
        /// The key of the field of a row just added, which the page's focus starts on.
        var focus: String?
        var csrf: String

        init(stored: StoredSummary?, form: ToolEditForm, notice: String?, materials: [(value: String, label: String)]?,
             audiences: [(value: String, label: String)], csrf: String) {
            self.stored = stored
            self.form = form
            self.notice = notice
            self.materials = materials
            self.audiences = audiences
            self.csrf = csrf
        }
    }

    struct ImportModel {
        var json: String
        var status: String
        /// Problems by `ToolRules` path ("sections[1].items[3].steps"; "" for the document as a whole).
        var errors: [FieldProblem]
        var csrf: String
    }

    struct Version {
        var number: Int
        var createdAt: Date
        var author: String
    }

    struct VersionsModel {
        var tool: StoredSummary
        /// Newest first.
        var versions: [Version]
    }

    static func crumbs() -> [PageMeta.Crumb] {
        MaterialEditViews.crumbs() + [.init(label: "Værktøjer", href: SitePath.tool(.edit).href)]
    }

    static func notice(_ text: String?) -> Component {
        guard let text else { return ComponentGroup(members: []) }
        return ToolShell.notice(text)
    }

    // MARK: list

    static func list(_ model: ListModel, site: SiteInfo) -> String {
        let meta = PageMeta(title: "Værktøjer i redaktionen", canonical: nil, breadcrumbs: MaterialEditViews.crumbs(), currentCrumb: "Værktøjer")
        return PageLayout.render(meta, site: site) {
            H1("Værktøjer")
            notice(model.notice)
            Paragraph("Værktøjerne bliver til arbejdsark, som partnerskaber og organisationer udfylder sammen. Hver gang et værktøj gemmes, bliver det en ny version; et arbejdsark beholder den version, det blev startet på.")
            Paragraph {
                SafeLink(text: "Nyt værktøj", href: SitePath.tool(.new).href, attributes: [("class", "button button-primary")])
                Text(" ")
                SafeLink(text: "Importér fra JSON", href: SitePath.tool(.importFile).href, attributes: [("class", "button")])
            }
            if model.entries.isEmpty {
                Paragraph("Der er ingen værktøjer endnu.")
            } else {
                DataTable(caption: "Alle værktøjer, også kladder", headings: ["Titel", "Status", "Version", "Senest ændret", "Versioner"],
                          rows: model.entries.map { entry in
                    [SafeLink(text: entry.title, href: SitePath.tool(.change(entry.slug)).href), Text(entry.status.label), Text(String(entry.version)),
                     DanishDate.element(entry.updatedAt),
                     SafeLink(text: "Versioner", href: SitePath.tool(.versions(entry.slug)).href, attributes: [("aria-label", "Versioner af \(entry.title)")])]
                })
            }
        }
    }

    // MARK: form

    /// The form's field keys, top to bottom (error summaries list errors in this order).
    static func fieldOrder(_ form: ToolEditForm) -> [String] {
        var order = ["slug", "title", "introduction", "material", "audiences", "status", "sections"]
        for (s, section) in (form.sections ?? []).enumerated() {
            order += ["title", "id", "position", "items"].map { ToolEditForm.key(section: s, $0) }
            for i in (section.items ?? []).indices {
                order += ["text", "kind", "id", "steps", "lowLabel", "highLabel", "options"].map { ToolEditForm.key(section: s, item: i, $0) }
            }
        }
        return order
    }

    /// Where a field key is, for the error summary: "Afsnit 2, punkt 1" (nil for the tool's own fields).
    static func place(ofKey key: String) -> String? {
        let parts = key.split(separator: "-")
        guard parts.first == "sections", parts.count >= 3, let section = Int(parts[1]) else { return nil }
        if parts.count >= 5, parts[2] == "items", let item = Int(parts[3]) { return "Afsnit \(section + 1), punkt \(item + 1)" }
        return "Afsnit \(section + 1)"
    }

    static func form(_ model: FormModel, site: SiteInfo) -> String {
        let form = model.form
        let isNew = model.stored == nil
        let title = model.stored.map { "Rediger \($0.title)" } ?? "Nyt værktøj"
        var meta = PageMeta(title: title, canonical: nil, breadcrumbs: crumbs(), currentCrumb: model.stored?.title ?? "Nyt værktøj")
        meta.hasErrors = !model.errors.isEmpty || model.conflict != nil
        let action = model.stored.map { SitePath.tool(.change($0.slug)).href } ?? SitePath.tool(.new).href
        let errors = model.errors
        // The summary says where each problem is; the message by the field says what.
        let summary = errors.map { problem in
            FieldProblem(field: problem.field, message: place(ofKey: problem.field).map { "\($0): \(problem.message)" } ?? problem.message)
        }
        let saveLabel = isNew ? "Opret værktøjet" : "Gem ændringer"
        return PageLayout.render(meta, site: site) {
            H1(title)
            notice(model.notice)
            if let conflict = model.conflict {
                ErrorAlert {
                    Paragraph(conflict)
                    Paragraph("Dine ændringer er ikke gemt, og intet er overskrevet; de står i formularen herunder. Åbn værktøjet i en ny fane for at se den nye version. Gemmer du formularen igen, bliver dine ændringer til en ny version efter den.")
                }
            } else if !errors.isEmpty {
                ErrorSummary(summary, fieldOrder: fieldOrder(form))
            }
            if let stored = model.stored {
                Paragraph {
                    Text("Version \(stored.version) · \(stored.status.label). ")
                    SafeLink(text: "Versioner", href: SitePath.tool(.versions(stored.slug)).href)
                    Text(" · ")
                    SafeLink(text: stored.status == .published ? "Se værktøjet" : "Forhåndsvis værktøjet", href: SitePath.tool(.show(stored.slug)).href)
                }.class("hint")
            }
            Tag("form", [("class", "form form-wide"), ("method", "post"), ("action", action), ("novalidate", "novalidate")]) {
                CSRFField(token: model.csrf)
                if !isNew { VoidTag("input", [("type", "hidden"), ("name", "revision"), ("value", form.revision ?? "")]) }
                if isNew {
                    FormField(name: "slug", label: "Adresse (valgfri)", value: form.slug ?? "",
                              hint: "Sidste del af værktøjets adresse, fx det-gode-samarbejde. Laves af titlen, hvis feltet er tomt. Kan ikke ændres senere.",
                              error: errors.message(for: "slug"), required: false)
                } else if let stored = model.stored {
                    Paragraph("Adresse: \(SitePath.tool(.show(stored.slug)).href)").class("hint")
                }
                FormField(name: "title", label: "Titel", value: form.title ?? "", hint: "Højst \(ToolRules.titleMaxLength) tegn.", error: errors.message(for: "title"))
                TextAreaField(name: "introduction", label: "Indledning (valgfri)", value: form.introduction ?? "", rows: 5,
                              hint: "Hvad værktøjet er til, og hvordan man bruger det. Vises øverst på værktøjet og på arbejdsarkene.",
                              error: errors.message(for: "introduction"))
                materialField(model)
                CheckboxesField(name: "audiences", legend: "Målgrupper", checked: Set(form.audiences ?? []), error: errors.message(for: "audiences"),
                                options: model.audiences)
                RadiosField(name: "status", legend: "Status", selected: form.status ?? PublicationStatus.draft.rawValue,
                            options: [(PublicationStatus.draft.rawValue, "Kladde – kun redaktionen kan se det"),
                                      (PublicationStatus.published.rawValue, "Udgivet – alle kan se det og starte arbejdsark")])
                // The first button is the one Enter in a field presses: saving, not adding a row.
                saveButton(saveLabel)
                H2("Afsnit og punkter")
                Paragraph("Et værktøj har mindst ét afsnit med mindst ét punkt. Et punkt kan være et refleksionsspørgsmål, et tjekpunkt, en skala, et valg eller en vejledning. Tomme rækker og rækker med kryds i »Fjern« kommer ikke med, når der gemmes.").class("hint")
                if let error = errors.message(for: "sections") {
                    Tag("p", [("class", "field-error"), ("id", "field-sections"), ("tabindex", "-1")], text: "Fejl: \(error)")
                }
                for (s, section) in (form.sections ?? []).enumerated() {
                    sectionFieldset(s, section, model)
                }
                Paragraph {
                    Tag("button", [("type", "submit"), ("class", "button button-secondary"), ("name", "action"), ("value", ToolEditForm.addSectionAction)],
                        text: "Tilføj afsnit")
                }
                saveButton(saveLabel)
            }
            Paragraph { SafeLink(text: "Alle værktøjer", href: SitePath.tool(.edit).href) }
        }
    }

    private static func saveButton(_ label: String) -> Component {
        Paragraph {
            Tag("button", [("type", "submit"), ("class", "button button-primary"), ("name", "action"), ("value", "save")], text: label)
        }
    }

    private static func materialField(_ model: FormModel) -> Component {
        let selected = model.form.material ?? ""
        let error = model.errors.message(for: "material")
        guard var materials = model.materials else {
            return FormField(name: "material", label: "Materiale (valgfrit)", value: selected,
                             hint: "Adressen på det materiale, værktøjet kommer fra, fx guide-til-det-gode-samarbejde for /materialer/guide-til-det-gode-samarbejde.",
                             error: error, required: false)
        }
        // A material that is not (or no longer) there stays chosen, so the refused form shows what was sent.
        if !selected.isEmpty, !materials.contains(where: { $0.value == selected }) { materials.append((selected, "\(selected) (findes ikke)")) }
        return SelectField(name: "material", label: "Materiale (valgfrit)", selected: selected, error: error,
                           options: [("", "Intet materiale")] + materials)
    }

    private static func sectionFieldset(_ s: Int, _ section: ToolEditForm.Section, _ model: FormModel) -> Component {
        let errors = model.errors
        func key(_ field: String) -> String { ToolEditForm.key(section: s, field) }
        func name(_ field: String) -> String { ToolEditForm.name(section: s, field) }
        let heading = (section.title ?? "").trimmingCharacters(in: .whitespaces)
        let items = section.items ?? []
        return Tag("fieldset", [("class", "tool-section"), ("id", "afsnit-\(s + 1)")]) {
            Tag("legend", text: heading.isEmpty ? "Afsnit \(s + 1)" : "Afsnit \(s + 1): \(heading)")
            textField(key("title"), name: name("title"), label: "Overskrift", value: section.title ?? "", error: errors.message(for: key("title")),
                      autofocus: model.focus == key("title"))
            textField(key("id"), name: name("id"), label: "Id (valgfrit)", value: section.id ?? "",
                      hint: "Små bogstaver, tal og bindestreg, fx forventninger. Laves af overskriften, hvis feltet er tomt.",
                      error: errors.message(for: key("id")))
            textField(key("position"), name: name("position"), label: "Placering", value: section.position ?? "",
                      hint: "Afsnittene gemmes i rækkefølge efter dette tal.", error: errors.message(for: key("position")), numeric: true)
            if let error = errors.message(for: key("items")) {
                Tag("p", [("class", "field-error"), ("id", "field-\(key("items"))"), ("tabindex", "-1")], text: "Fejl: \(error)")
            }
            for (i, item) in items.enumerated() {
                itemFieldset(s, i, item, model)
            }
            Paragraph {
                Tag("button", [("type", "submit"), ("class", "button button-secondary"), ("name", "action"), ("value", ToolEditForm.addItemAction(s)),
                               ("aria-label", "Tilføj punkt i afsnit \(s + 1)")], text: "Tilføj punkt")
            }
            removeBox(key("remove"), name: name("remove"), checked: section.remove == ToolEditForm.removeValue,
                      label: "Fjern afsnit \(s + 1) og dets punkter, når der gemmes")
        }
    }

    private static func itemFieldset(_ s: Int, _ i: Int, _ item: ToolEditForm.Item, _ model: FormModel) -> Component {
        let errors = model.errors
        func key(_ field: String) -> String { ToolEditForm.key(section: s, item: i, field) }
        func name(_ field: String) -> String { ToolEditForm.name(section: s, item: i, field) }
        let kind = item.kind ?? ""
        var kinds = ToolItemKind.allCases.map { (value: $0.rawValue, label: $0.label) }
        if !kind.isEmpty, ToolItemKind(rawValue: kind) == nil { kinds.append((kind, "Ukendt: \(kind)")) }
        let detailFields = ["steps", "lowLabel", "highLabel", "options"]
        let detailValues = [item.steps, item.lowLabel, item.highLabel, item.options]
        let showDetails = [.scale, .singleChoice, .multipleChoice].contains(ToolItemKind(rawValue: kind))
            || detailValues.contains { !($0 ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
            || detailFields.contains { errors.message(for: key($0)) != nil }
        return Tag("fieldset", [("class", "tool-item"), ("id", "afsnit-\(s + 1)-punkt-\(i + 1)")]) {
            Tag("legend", text: "Afsnit \(s + 1), punkt \(i + 1)")
            textArea(key("text"), name: name("text"), label: "Tekst", value: item.text ?? "", rows: 3, hint: "Spørgsmålet, opgaven eller vejledningen.",
                     error: errors.message(for: key("text")), autofocus: model.focus == key("text"))
            FieldFrame(name: key("kind"), label: "Slags", error: errors.message(for: key("kind"))) { id, aria in
                Tag("select", [("id", id), ("name", name("kind"))] + aria) {
                    for option in kinds {
                        Tag("option", [("value", option.value)] + (option.value == kind ? [("selected", "selected")] : []), text: option.label)
                    }
                }
            }
            textField(key("id"), name: name("id"), label: "Id (valgfrit)", value: item.id ?? "",
                      hint: "Små bogstaver, tal og bindestreg, fx maal-1. Laves af teksten, hvis feltet er tomt. Ændr det ikke på et punkt, der er i brug: svarene hører til id'et.",
                      error: errors.message(for: key("id")))
            Tag("details", showDetails ? [("open", "open")] : []) {
                Tag("summary", text: "Skala og valgmuligheder")
                textField(key("steps"), name: name("steps"), label: "Antal trin", value: item.steps ?? "",
                          hint: "Kun for en skala: 2 til \(ToolRules.maxSteps).", error: errors.message(for: key("steps")), numeric: true)
                textField(key("lowLabel"), name: name("lowLabel"), label: "Laveste trin betyder", value: item.lowLabel ?? "",
                          hint: "Kun for en skala, fx Slet ikke.", error: errors.message(for: key("lowLabel")))
                textField(key("highLabel"), name: name("highLabel"), label: "Højeste trin betyder", value: item.highLabel ?? "",
                          hint: "Kun for en skala, fx I høj grad.", error: errors.message(for: key("highLabel")))
                textArea(key("options"), name: name("options"), label: "Muligheder", value: item.options ?? "", rows: 4,
                         hint: "Kun for »Vælg én« og »Vælg flere«: én mulighed pr. linje, 2 til \(ToolRules.maxOptions).",
                         error: errors.message(for: key("options")))
            }
            removeBox(key("remove"), name: name("remove"), checked: item.remove == ToolEditForm.removeValue,
                      label: "Fjern punkt \(i + 1) i afsnit \(s + 1), når der gemmes")
        }
    }

    /// A one-line field whose id (`field-<key>`) differs from its input name (`sections[0][title]`).
    private static func textField(_ key: String, name: String, label: String, value: String, hint: String? = nil, error: String?,
                                  numeric: Bool = false, autofocus: Bool = false) -> Component {
        FieldFrame(name: key, label: label, hint: hint, error: error) { id, aria in
            VoidTag("input", [("type", "text"), ("id", id), ("name", name), ("value", value)] + (numeric ? [("inputmode", "numeric")] : [])
                + (autofocus ? [("autofocus", "autofocus")] : []) + aria)
        }
    }

    private static func textArea(_ key: String, name: String, label: String, value: String, rows: Int, hint: String? = nil, error: String?,
                                 autofocus: Bool = false) -> Component {
        FieldFrame(name: key, label: label, hint: hint, error: error) { id, aria in
            Tag("textarea", [("id", id), ("name", name), ("rows", String(rows))] + (autofocus ? [("autofocus", "autofocus")] : []) + aria, text: value)
        }
    }

    private static func removeBox(_ key: String, name: String, checked: Bool, label: String) -> Component {
        Div {
            VoidTag("input", [("type", "checkbox"), ("id", "field-\(key)"), ("name", name), ("value", ToolEditForm.removeValue)]
                + (checked ? [("checked", "checked")] : []))
            Tag("label", [("for", "field-\(key)")], text: label)
        }.class("choice")
    }

    // MARK: import

    static func importPage(_ model: ImportModel, site: SiteInfo) -> String {
        var meta = PageMeta(title: "Importér værktøj", canonical: nil, breadcrumbs: crumbs(), currentCrumb: "Importér")
        meta.hasErrors = !model.errors.isEmpty
        // Every problem points at the text area, saying where in the definition it is.
        let summary = model.errors.map { problem -> FieldProblem in
            let place = ToolPath(problem.field).place
            let at = problem.field.isEmpty ? "" : (place.isEmpty ? "\(problem.field): " : "\(place) (\(problem.field)): ")
            return FieldProblem(field: "json", message: at + problem.message)
        }
        return PageLayout.render(meta, site: site) {
            H1("Importér værktøj fra JSON")
            if !summary.isEmpty { ErrorSummary(summary, fieldOrder: ["json"]) }
            Paragraph("Indsæt et værktøj som JSON, eller vælg en fil med det. Har intet værktøj adressen (slug), oprettes et nyt; ellers gemmes importen som en ny version af det værktøj, der har adressen. Arbejdsark, der er startet, beholder deres version.")
            Paragraph {
                Text("Et værktøj har felterne slug, title, introduction, material (valgfrit), audiences og sections; hvert afsnit id, title og items; hvert punkt id, kind (")
                Text(ToolItemKind.allCases.map(\.rawValue).joined(separator: ", "))
                Text(") og text, en skala også steps, lowLabel og highLabel, et valg options.")
            }.class("hint")
            Tag("form", [("class", "form form-wide"), ("method", "post"), ("action", SitePath.tool(.importFile).href), ("enctype", "multipart/form-data"),
                         ("novalidate", "novalidate")]) {
                CSRFField(token: model.csrf)
                TextAreaField(name: "json", label: "Værktøjet som JSON", value: model.json, rows: 16,
                              hint: "Står der både tekst her og en fil herunder, bruges filen.",
                              error: summary.isEmpty ? nil : "Værktøjet er ikke gemt. Ret fejlene i listen øverst, og prøv igen.")
                FieldFrame(name: "file", label: "Eller en fil (valgfri)", hint: "En JSON-fil med ét værktøj.") { id, aria in
                    VoidTag("input", [("type", "file"), ("id", id), ("name", "file"), ("accept", ".json,application/json")] + aria)
                }
                RadiosField(name: "status", legend: "Status", selected: model.status,
                            options: [(ToolEdit.keepStatus, "Som nu – et nyt værktøj bliver en kladde"),
                                      (PublicationStatus.draft.rawValue, "Kladde – kun redaktionen kan se det"),
                                      (PublicationStatus.published.rawValue, "Udgivet – alle kan se det og starte arbejdsark")])
                Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Importér")
            }
            Paragraph { SafeLink(text: "Alle værktøjer", href: SitePath.tool(.edit).href) }
        }
    }

    // MARK: versions

    static func versions(_ model: VersionsModel, site: SiteInfo) -> String {
        let tool = model.tool
        let meta = PageMeta(title: "Versioner af \(tool.title)", canonical: nil,
                            breadcrumbs: crumbs() + [.init(label: tool.title, href: SitePath.tool(.change(tool.slug)).href)], currentCrumb: "Versioner")
        return PageLayout.render(meta, site: site) {
            H1("Versioner af \(tool.title)")
            Paragraph("Hver gang værktøjet gemmes, bliver det en ny version. Et arbejdsark beholder den version, det blev startet på, indtil nogen flytter det til en nyere.")
            DataTable(caption: "Versionerne, nyeste først", headings: ["Version", "Gemt", "Af"], rows: model.versions.map { version in
                [Text(version.number == tool.version ? "\(version.number) (den nuværende)" : String(version.number)),
                 DanishDate.element(version.createdAt), Text(version.author)]
            })
            Paragraph {
                SafeLink(text: "Rediger værktøjet", href: SitePath.tool(.change(tool.slug)).href)
                Text(" · ")
                SafeLink(text: "Alle værktøjer", href: SitePath.tool(.edit).href)
            }
        }
    }
}
