import SamspilCore

/// The pages of `OrganisationForms`: what to register, the form of each kind, and the approval list.
enum OrganisationFormViews {
    static func crumbs() -> [PageMeta.Crumb] { [OrganisationViews.home, OrganisationViews.directory] }

    static func kindChoice(errors: [FieldProblem], site: SiteInfo) -> String {
        var meta = PageMeta(title: "Registrér en organisation", canonical: nil, breadcrumbs: crumbs(), currentCrumb: "Registrér", nav: .organisations)
        meta.hasErrors = !errors.isEmpty
        return PageLayout.render(meta, site: site) {
            H1("Registrér en organisation")
            if !errors.isEmpty { ErrorSummary(errors, fieldOrder: ["kind"]) }
            Paragraph("Organisationen bliver synlig for alle, når en af Samspils administratorer eller en koordinator i kommunen har godkendt den. Du bliver organisationens administrator.")
            Tag("form", [("class", "form"), ("method", "get"), ("action", SitePath.directory(.new).href)]) {
                Tag("fieldset", [("class", errors.isEmpty ? "field" : "field has-error"), ("id", "field-kind")]) {
                    Tag("legend", [], text: "Hvad vil du registrere?")
                    if let error = errors.message(for: "kind") { Tag("span", [("class", "field-error")], text: "Fejl: \(error)") }
                    for (index, kind) in OrganisationForms.registrableKinds.enumerated() {
                        Div {
                            VoidTag("input", [("type", "radio"), ("id", "field-kind-\(index)"), ("name", "kind"), ("value", kind.rawValue)])
                            Tag("label", [("for", "field-kind-\(index)")], text: kind.label)
                        }.class("choice")
                    }
                }
                Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Fortsæt")
            }
        }
    }

    /// The fields of the form, top to bottom, for the error summary's order.
    static let fieldOrder = ["name", "otherKind", "institutionNumber", "schoolKind", "environmentKind", "municipality", "street", "postcode", "town",
                             "website", "phone", "email", "description", "subjects", "gradeLevels", "accessibility", "latitude", "longitude"]

    static func form(_ model: OrganisationForms.ViewModel, site: SiteInfo) -> String {
        let form = model.form
        let kind = model.kind
        let title = model.stored.map { "Redigér \($0.name)" } ?? "Registrér \(DanishText.midSentence(kind.label))"
        var meta = PageMeta(title: title, canonical: nil, breadcrumbs: crumbs() + (model.stored.map {
            [PageMeta.Crumb(label: $0.name, href: SitePath.directory(.organisation($0.slug)).href)]
        } ?? []), currentCrumb: model.stored == nil ? "Registrér" : "Redigér", nav: .organisations)
        // Rules name the n-th subject or grade level (`subjects[2]`); the form has one field for all of them.
        let errors = model.errors.map { problem in
            FieldProblem(field: String(problem.field.prefix { $0 != "[" }), message: problem.message)
        }
        meta.hasErrors = !errors.isEmpty
        func error(_ field: String) -> String? { errors.message(for: field) }
        let action = model.stored.map { SitePath.directory(.edit($0.slug)).href } ?? SitePath.directory(.new).href
        return PageLayout.render(meta, site: site) {
            H1(title)
            if let notice = model.notice { Tag("div", [("class", "alert"), ("role", "status")]) { Paragraph(notice) } }
            if !errors.isEmpty { ErrorSummary(errors, fieldOrder: fieldOrder) }
            Tag("form", [("class", "form form-wide"), ("method", "post"), ("action", action), ("novalidate", "novalidate")]) {
                CSRFField(token: model.csrf)
                VoidTag("input", [("type", "hidden"), ("name", "kind"), ("value", kind.rawValue)])
                FormField(name: "name", label: "Navn", value: form.name ?? "", error: error("name"))
                if kind == .other {
                    FormField(name: "otherKind", label: "Slags organisation", value: form.otherKind ?? "",
                              hint: "Med dine egne ord, fx netværk, professionshøjskole eller afdeling af Skoletjenesten.", error: error("otherKind"))
                }
                if kind == .school {
                    FormField(name: "institutionNumber", label: "Institutionsnummer", value: form.institutionNumber ?? "",
                              hint: "Seks cifre, som i Børne- og Undervisningsministeriets institutionsregister, fx 101001.", error: error("institutionNumber"))
                    SelectField(name: "schoolKind", label: "Slags skole", selected: form.schoolKind ?? "", error: error("schoolKind"),
                                options: [("", "Vælg slags skole")] + SchoolKind.allCases.map { ($0.rawValue, $0.label) })
                }
                if kind == .learningEnvironment {
                    SelectField(name: "environmentKind", label: "Slags læringsmiljø", selected: form.environmentKind ?? "", error: error("environmentKind"),
                                options: [("", "Vælg slags læringsmiljø")] + model.choices.environmentKinds)
                }
                SelectField(name: "municipality", label: kind == .other ? "Kommune (valgfri)" : "Kommune", selected: form.municipality ?? "",
                            error: error("municipality"), options: [("", "Vælg kommune")] + model.choices.municipalities)
                FormField(name: "street", label: "Adresse (valgfri)", value: form.street ?? "", error: error("street"), required: false)
                FormField(name: "postcode", label: "Postnummer (valgfrit)", value: form.postcode ?? "", error: error("postcode"), required: false)
                FormField(name: "town", label: "By (valgfri)", value: form.town ?? "", error: error("town"), required: false)
                FormField(name: "website", label: "Hjemmeside (valgfri)", type: "url", value: form.website ?? "", hint: "Fx https://www.eksempel.dk",
                          error: error("website"), required: false)
                FormField(name: "phone", label: "Telefon (valgfri)", type: "tel", value: form.phone ?? "", error: error("phone"), required: false)
                FormField(name: "email", label: "E-mail (valgfri)", type: "email", value: form.email ?? "", error: error("email"), required: false)
                if kind != .school {
                    TextAreaField(name: "description", label: "Beskrivelse (valgfri)", value: form.description ?? "", rows: 8,
                                  hint: "Hvad tilbyder I skolerne? Adskil afsnit med en tom linje.", error: error("description"))
                }
                if kind == .learningEnvironment {
                    CheckboxesField(name: "subjects", legend: "Fag, I arbejder med (valgfrit)", checked: Set(form.subjects ?? []), error: error("subjects"),
                                    options: model.choices.subjects)
                }
                if kind != .other {
                    CheckboxesField(name: "gradeLevels", legend: kind == .school ? "Klassetrin på skolen" : "Klassetrin, I tager imod (valgfrit)",
                                    checked: Set(form.gradeLevels ?? []), error: error("gradeLevels"), options: model.choices.gradeLevels)
                }
                if kind == .learningEnvironment {
                    TextAreaField(name: "accessibility", label: "Tilgængelighed (valgfri)", value: form.accessibility ?? "", rows: 3,
                                  hint: "Fx adgang for kørestolsbrugere, toiletter, støj.", error: error("accessibility"))
                    FormField(name: "latitude", label: "Breddegrad (valgfri)", value: form.latitude ?? "", hint: "Fx 55,6761", error: error("latitude"), required: false)
                    FormField(name: "longitude", label: "Længdegrad (valgfri)", value: form.longitude ?? "", hint: "Fx 12,5683", error: error("longitude"), required: false)
                }
                Tag("button", [("type", "submit"), ("class", "button button-primary")], text: model.stored == nil ? "Registrér" : "Gem ændringer")
            }
        }
    }

    static func pending(_ items: [OrganisationSummary], notice: String?, csrf: String, site: SiteInfo) -> String {
        let meta = PageMeta(title: "Afventer godkendelse", canonical: nil, breadcrumbs: crumbs(), currentCrumb: "Afventer godkendelse", nav: .organisations)
        return PageLayout.render(meta, site: site) {
            H1("Afventer godkendelse")
            if let notice { Tag("div", [("class", "alert"), ("role", "status")]) { Paragraph(notice) } }
            if items.isEmpty {
                Paragraph("Ingen organisationer venter på din godkendelse.")
            } else {
                Paragraph("Organisationer, du kan godkende. Godkendte organisationer bliver synlige for alle.")
                DataTable(caption: "Registrerede organisationer, der venter", headings: ["Navn", "Slags", "Kommune", "Handling"], rows: items.map { item in
                    [SafeLink(text: item.name, href: SitePath.directory(.organisation(item.slug)).href), Text(OrganisationViews.kindLine(item.kind, detail: item.detail)),
                     Text(item.municipality ?? "–"),
                     Tag("form", [("class", "inline-form"), ("method", "post"), ("action", SitePath.directory(.approve(item.slug)).href)]) {
                         CSRFField(token: csrf)
                         Tag("button", [("type", "submit"), ("class", "button button-small"), ("aria-label", "Godkend \(item.name)")], text: "Godkend")
                     }]
                })
            }
        }
    }
}
