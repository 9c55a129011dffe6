@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing
import Vapor
import VaporTesting

/// Editors write tools through their pages (issue 14), on both databases: a tool made in the form, rows added
/// without losing what was typed, a change that becomes version 2, a change refused because someone saved first,
/// a malformed definition refused field by field from the form and from the import, an import that creates a
/// tool and then a new version of it, and nobody but editors getting in.
@Suite struct ToolEditTests {
    typealias Browser = LoginTests.Browser
    static let list = "/redaktion/vaerktoejer"
    static let new = "/redaktion/vaerktoejer/ny"
    static let importPage = "/redaktion/vaerktoejer/import"

    /// The editors' routes, should the application not register them yet (`ToolPages` registers them; this
    /// only runs before the first request, when the route table is still open).
    static func editor(_ app: Application, _ email: String = "redaktor@skole.dk", name: String = "Rie Redaktør") async throws -> Browser {
        if try await AccountQueries.find(email: email, on: app.db) == nil {
            _ = try await AccountQueries.create(email: email, name: name, password: LoginTests.password, role: .editor, now: frozenNow,
                                                hashing: PasswordHashing(app), on: app.db)
        }
        let browser = Browser(app)
        #expect(try await browser.logIn(email).status == .seeOther)
        return browser
    }

    /// The fields of a form that holds `tool` as the form shows it.
    static func fields(_ tool: ToolDefinition, csrf: String, status: PublicationStatus = .published, revision: String? = nil,
                       action: String = "save") -> [(String, String)] {
        var fields: [(String, String)] = [("_csrf", csrf), ("action", action), ("title", tool.title), ("introduction", tool.introduction),
                                          ("material", tool.material ?? ""), ("status", status.rawValue)]
        if let revision { fields.append(("revision", revision)) } else { fields.append(("slug", tool.slug)) }
        fields += tool.audiences.map { ("audiences[]", $0) }
        for (s, section) in tool.sections.enumerated() {
            fields += [("sections[\(s)][id]", section.id), ("sections[\(s)][title]", section.title), ("sections[\(s)][position]", String(s + 1))]
            for (i, item) in section.items.enumerated() {
                let at = "sections[\(s)][items][\(i)]"
                fields += [("\(at)[id]", item.id), ("\(at)[kind]", item.kind), ("\(at)[text]", item.text), ("\(at)[steps]", item.steps.map(String.init) ?? ""),
                           ("\(at)[lowLabel]", item.lowLabel ?? ""), ("\(at)[highLabel]", item.highLabel ?? ""),
                           ("\(at)[options]", (item.options ?? []).joined(separator: "\n"))]
            }
        }
        return fields
    }

    /// The value of the hidden `revision` field on a page.
    static func revision(in html: String) throws -> String {
        let marker = "name=\"revision\" value=\""
        guard let start = html.range(of: marker)?.upperBound, let end = html[start...].firstIndex(of: "\"") else {
            throw LoginTests.TestFailure("no revision field")
        }
        return String(html[start..<end])
    }

    /// A definition that breaks four rules: an item without text, an unknown kind, a scale of one step, an id twice.
    static let malformed = ToolDefinition(slug: "skaev", title: "Et skævt værktøj", introduction: "", sections: [
        ToolSection(id: "start", title: "Start", items: [
            ToolItem(id: "dublet", kind: .reflection, text: "Hvad vil vi?"),
            ToolItem(id: "tom", kind: .reflection, text: ""),
            ToolItem(id: "quiz-1", rawKind: "quiz", text: "Hvad er hovedstaden?"),
            ToolItem(id: "skala", kind: .scale, text: "Hvor godt?", steps: 1, lowLabel: "Dårligt", highLabel: "Godt"),
            ToolItem(id: "dublet", kind: .checklist, text: "Aftal et møde."),
        ]),
    ])

    static let malformedMessages = [
        "Skriv punktets tekst.",
        "Vælg en slags punkt fra listen (refleksion, tjekpunkt, skala, enkeltvalg, flervalg, instruktion) – „quiz“ findes ikke.",
        "En skala skal have mellem 2 og 10 trin.",
        "Id'et „dublet“ bruges af et andet punkt. Giv hvert punkt sit eget.",
    ]

    static func count(on db: any Database) async throws -> Int {
        try await ToolModel.query(on: db).count()
    }

    @Test(arguments: TestBackend.all)
    func anEditorCreatesAToolThroughTheForm(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let editor = try await Self.editor(app)
            #expect(try await editor.get("/redaktion").text.contains("href=\"\(Self.list)\""), "the editors' home links to the tools")
            let listPage = try await editor.get(Self.list)
            #expect(listPage.status == .ok)
            #expect(listPage.text.contains("Det gode samarbejde i fire faser"))
            #expect(listPage.text.contains("href=\"\(Self.new)\"") && listPage.text.contains("href=\"\(Self.importPage)\""))
            #expect(listPage.text.contains("href=\"\(Self.list)/det-gode-samarbejde/versioner\""))
            let blank = try await editor.get(Self.new)
            #expect(blank.status == .ok)
            #expect(blank.text.contains("name=\"sections[0][items][0][text]\""))
            #expect(blank.text.contains("<option value=\"guide-til-det-gode-samarbejde\">"), "the materials to choose from")
            let csrf = try await editor.csrfToken(on: Self.new)
            let before = try await Self.count(on: app.db)

            // "Tilføj punkt": the same form with one more item, everything typed kept, nothing saved.
            var typed: [(String, String)] = [
                ("_csrf", csrf), ("title", "Vores samarbejdsaftale"), ("introduction", "Brug arket, når I mødes første gang."),
                ("material", "guide-til-det-gode-samarbejde"), ("audiences[]", "skoler"), ("audiences[]", "kommuner"), ("status", "published"),
                ("sections[0][id]", ""), ("sections[0][title]", "Før vi går i gang"), ("sections[0][position]", "1"),
                ("sections[0][items][0][id]", ""), ("sections[0][items][0][kind]", "refleksion"), ("sections[0][items][0][text]", "Hvad vil vi opnå?"),
            ]
            let withItem = try await editor.post(Self.new, pairs: typed + [("action", "add-item-0")])
            #expect(withItem.status == .ok)
            for kept in ["value=\"Vores samarbejdsaftale\"", "Brug arket, når I mødes første gang.", "value=\"Før vi går i gang\"", "Hvad vil vi opnå?",
                         "<option value=\"guide-til-det-gode-samarbejde\" selected=\"selected\">", "value=\"kommuner\" checked=\"checked\"",
                         "value=\"published\" checked=\"checked\""] {
                #expect(withItem.text.contains(kept), "kept: \(kept)")
            }
            #expect(withItem.text.contains("name=\"sections[0][items][1][text]\" rows=\"3\" autofocus=\"autofocus\""), "the new item, focused")
            #expect(try await Self.count(on: app.db) == before, "nothing is saved")

            // "Tilføj afsnit": a second section, the new item's text kept too.
            typed += [("sections[0][items][1][id]", ""), ("sections[0][items][1][kind]", "skala"), ("sections[0][items][1][text]", "Hvor klar er vi?"),
                      ("sections[0][items][1][steps]", "5"), ("sections[0][items][1][lowLabel]", "Slet ikke"), ("sections[0][items][1][highLabel]", "Helt")]
            let withSection = try await editor.post(Self.new, pairs: typed + [("action", "add-section")])
            #expect(withSection.status == .ok)
            #expect(withSection.text.contains("name=\"sections[1][title]\""))
            #expect(withSection.text.contains("Hvor klar er vi?") && withSection.text.contains("value=\"Slet ikke\""))
            #expect(try await Self.count(on: app.db) == before)

            // Saved with the second section filled in; its ids and the address are made from the texts.
            typed += [("sections[1][id]", ""), ("sections[1][title]", "Aftaler"), ("sections[1][position]", "2"),
                      ("sections[1][items][0][id]", "aftal-moede"), ("sections[1][items][0][kind]", "tjekpunkt"), ("sections[1][items][0][text]", "Aftal et møde."),
                      // An added row left empty does not count.
                      ("sections[1][items][1][id]", ""), ("sections[1][items][1][kind]", "refleksion"), ("sections[1][items][1][text]", "")]
            let created = try await editor.post(Self.new, pairs: typed + [("action", "save")])
            #expect(created.status == .seeOther)
            let page = "\(Self.list)/vores-samarbejdsaftale"
            #expect(created.headers.first(name: .location) == "\(page)?besked=oprettet")
            let stored = try #require(try await ToolQueries.find(slug: "vores-samarbejdsaftale", on: app.db))
            #expect(stored.version == 1 && stored.status == .published)
            #expect(stored.definition == ToolDefinition(
                slug: "vores-samarbejdsaftale", title: "Vores samarbejdsaftale", introduction: "Brug arket, når I mødes første gang.",
                material: "guide-til-det-gode-samarbejde", audiences: ["skoler", "kommuner"], sections: [
                    ToolSection(id: "foer-vi-gaar-i-gang", title: "Før vi går i gang", items: [
                        ToolItem(id: "hvad-vil-vi-opnaa", kind: .reflection, text: "Hvad vil vi opnå?"),
                        ToolItem(id: "hvor-klar-er-vi", kind: .scale, text: "Hvor klar er vi?", steps: 5, lowLabel: "Slet ikke", highLabel: "Helt"),
                    ]),
                    ToolSection(id: "aftaler", title: "Aftaler", items: [ToolItem(id: "aftal-moede", kind: .checklist, text: "Aftal et møde.")]),
                ]))
            let shown = try await editor.get("\(page)?besked=oprettet")
            #expect(shown.status == .ok)
            #expect(shown.text.contains("Værktøjet er oprettet som version 1."))
            #expect(shown.text.contains("value=\"hvad-vil-vi-opnaa\""))
            #expect(try await editor.get(Self.list).text.contains("Vores samarbejdsaftale"))
            #expect(try await AuditLog.recent(on: app.db).contains { $0.actor == "redaktor@skole.dk" && $0.action == "tool.create" && $0.subject == "vores-samarbejdsaftale" })

            // The same address again is refused, with everything kept.
            let again = try await editor.post(Self.new, pairs: typed + [("slug", "vores-samarbejdsaftale")])
            #expect(again.status == .unprocessableEntity)
            #expect(again.text.contains("Adressen „vores-samarbejdsaftale“ bruges af et andet værktøj."))
            #expect(again.text.contains("href=\"#field-slug\""))
            // So is an address of the editors' own pages.
            let reserved = try await editor.post(Self.new, pairs: typed + [("slug", "import")])
            #expect(reserved.status == .unprocessableEntity)
            #expect(reserved.text.contains("Adressen „import“ bruges af redaktionens sider."))
            #expect(try await Self.count(on: app.db) == before + 1)
        }
    }

    @Test(arguments: TestBackend.all)
    func aChangeBecomesANewVersion(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let editor = try await Self.editor(app)
            let page = "\(Self.list)/det-gode-samarbejde"
            let form = try await editor.get(page)
            #expect(form.status == .ok)
            #expect(form.text.contains("Version 1 · Udgivet."))
            #expect(form.text.contains("value=\"Det gode samarbejde i fire faser\""))
            let csrf = try await editor.csrfToken(on: page)
            let stored = try #require(try await ToolQueries.find(slug: "det-gode-samarbejde", on: app.db))

            // A new title; the last section moved first by its position; an item removed with "Fjern".
            var tool = stored.definition
            tool.title = "Det gode samarbejde – fire faser"
            var fields = Self.fields(tool, csrf: csrf, revision: try Self.revision(in: form.text))
            let last = tool.sections.count - 1
            fields = fields.map { $0.0 == "sections[\(last)][position]" ? ($0.0, "0") : $0 }
            fields.append(("sections[0][items][0][remove]", "ja"))
            let saved = try await editor.post(page, pairs: fields)
            #expect(saved.status == .seeOther)
            #expect(saved.headers.first(name: .location) == "\(page)?besked=gemt")

            let changed = try #require(try await ToolQueries.find(slug: "det-gode-samarbejde", on: app.db))
            #expect(changed.version == 2)
            #expect(changed.definition.title == "Det gode samarbejde – fire faser")
            #expect(changed.definition.sections.map(\.id) == ["evaluering-og-forankring", "forventningsafstemning", "planlaegning", "gennemfoerelse"])
            #expect(changed.definition.sections[1].items.map(\.id) == stored.definition.sections[0].items.dropFirst().map(\.id))
            #expect(try await ToolQueries.definition(stored.id, version: 1, on: app.db) == stored.definition, "version 1 is kept")
            let versions = try await ToolQueries.versions(stored.id, on: app.db)
            #expect(versions.map(\.number) == [2, 1])
            #expect(versions.first?.authorName == "Rie Redaktør")

            let versionsPage = try await editor.get("\(page)/versioner")
            #expect(versionsPage.status == .ok)
            #expect(versionsPage.text.contains("2 (den nuværende)"))
            #expect(versionsPage.text.contains("Rie Redaktør"))
            #expect(versionsPage.text.contains("<time datetime=\""))
            let shown = try await editor.get("\(page)?besked=gemt")
            #expect(shown.text.contains("Ændringerne er gemt som en ny version."))
            #expect(shown.text.contains("Version 2 · Udgivet."))
            #expect(try await editor.get("\(Self.list)/findes-ikke").status == .notFound)
        }
    }

    @Test(arguments: TestBackend.all)
    func aChangeSavedInBetweenIsNotOverwritten(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let first = try await Self.editor(app)
            let second = try await Self.editor(app, "anden@skole.dk", name: "Anne Anden")
            let page = "\(Self.list)/det-gode-samarbejde"
            let stored = try #require(try await ToolQueries.find(slug: "det-gode-samarbejde", on: app.db))
            let revision = try Self.revision(in: try await first.get(page).text)
            #expect(try Self.revision(in: try await second.get(page).text) == revision)

            var mine = stored.definition
            mine.title = "Den første ændring"
            let saved = try await first.post(page, pairs: Self.fields(mine, csrf: try await first.csrfToken(on: page), revision: revision))
            #expect(saved.status == .seeOther)

            // The second editor started from the same revision: refused, the input kept, the newest revision taken.
            var theirs = stored.definition
            theirs.title = "Den anden ændring"
            theirs.sections[0].items[0].text = "Et spørgsmål, der ikke må gå tabt?"
            let csrf = try await second.csrfToken(on: page)
            let refused = try await second.post(page, pairs: Self.fields(theirs, csrf: csrf, revision: revision))
            #expect(refused.status == .conflict)
            #expect(refused.text.contains("Værktøjet \"det-gode-samarbejde\" er ændret af en anden, siden du hentede det."))
            #expect(refused.text.contains("Dine ændringer er ikke gemt, og intet er overskrevet"))
            #expect(refused.text.contains("<title>Fejl:"))
            #expect(refused.text.contains("value=\"Den anden ændring\""))
            #expect(refused.text.contains("Et spørgsmål, der ikke må gå tabt?"))
            let newest = try Self.revision(in: refused.text)
            #expect(newest != revision)
            #expect(try await ToolQueries.find(slug: "det-gode-samarbejde", on: app.db)?.definition.title == "Den første ændring")

            // A form without a revision cannot show that it overwrites nothing.
            let unguarded = try await second.post(page, pairs: Self.fields(theirs, csrf: csrf, revision: ""))
            #expect(unguarded.status == .conflict)

            // Saved again from the refused page, it becomes the next version.
            let again = try await second.post(page, pairs: Self.fields(theirs, csrf: csrf, revision: newest))
            #expect(again.status == .seeOther)
            let now = try #require(try await ToolQueries.find(slug: "det-gode-samarbejde", on: app.db))
            #expect(now.version == 3 && now.definition.title == "Den anden ændring")
        }
    }

    /// The issue's test: a malformed definition is refused with a Danish message at each field, from the form.
    @Test(arguments: TestBackend.all)
    func aMalformedDefinitionIsRefusedFromTheForm(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let editor = try await Self.editor(app)
            let csrf = try await editor.csrfToken(on: Self.new)
            let before = try await Self.count(on: app.db)
            // A removed first item: the rules count from the definition, the page from the form's rows.
            var tool = Self.malformed
            tool.sections[0].items.insert(ToolItem(id: "fjernet", kind: .reflection, text: "Fjernes."), at: 0)
            let refused = try await editor.post(Self.new, pairs: Self.fields(tool, csrf: csrf) + [("sections[0][items][0][remove]", "ja")])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("<title>Fejl:"))
            #expect(refused.text.contains("Der er fejl i formularen"))
            for message in Self.malformedMessages { #expect(refused.text.contains(message), "\(message)") }
            // Each message by its field, and linked from the summary.
            for (field, message) in [("sections-0-items-2-text", "Skriv punktets tekst."), ("sections-0-items-3-kind", "Vælg en slags punkt fra listen"),
                                     ("sections-0-items-4-steps", "En skala skal have mellem 2 og 10 trin."),
                                     ("sections-0-items-5-id", "Id'et „dublet“ bruges af et andet punkt.")] {
                #expect(refused.text.contains("id=\"field-\(field)-error\">Fejl: \(message)"), "\(field)")
                #expect(refused.text.contains("href=\"#field-\(field)\""), "\(field)")
            }
            #expect(refused.text.contains("Afsnit 1, punkt 3: Skriv punktets tekst."), "the summary says where")
            // Everything kept as typed, the unknown kind too, and the removed item still ticked.
            #expect(refused.text.contains("<option value=\"quiz\" selected=\"selected\">Ukendt: quiz</option>"))
            #expect(refused.text.contains("name=\"sections[0][items][4][steps]\" value=\"1\""))
            #expect(refused.text.contains("name=\"sections[0][items][0][remove]\" value=\"ja\" checked=\"checked\""))
            #expect(refused.text.contains("value=\"Et skævt værktøj\""))
            #expect(try await Self.count(on: app.db) == before, "nothing was saved")
            #expect(try await ToolQueries.find(slug: "skaev", on: app.db) == nil)

            // The same from a change: refused, the stored version untouched.
            let page = "\(Self.list)/det-gode-samarbejde"
            let revision = try Self.revision(in: try await editor.get(page).text)
            var changed = Self.malformed
            changed.slug = "det-gode-samarbejde"
            let refusedChange = try await editor.post(page, pairs: Self.fields(changed, csrf: csrf, revision: revision))
            #expect(refusedChange.status == .unprocessableEntity)
            for message in Self.malformedMessages { #expect(refusedChange.text.contains(message), "\(message)") }
            #expect(refusedChange.text.contains("href=\"#field-sections-0-items-1-text\""))
            #expect(try await ToolQueries.find(slug: "det-gode-samarbejde", on: app.db)?.version == 1)

            // A position that is not a number: its own message, and the rules' messages too.
            let fields = Self.fields(Self.malformed, csrf: csrf)
            let position = try await editor.post(Self.new, pairs: fields.map { $0.0 == "sections[0][position]" ? ($0.0, "først") : $0 })
            #expect(position.status == .unprocessableEntity)
            #expect(position.text.contains("id=\"field-sections-0-position-error\">Fejl: Skriv afsnittets placering som et helt tal, fx 2."))
            #expect(position.text.contains("Skriv punktets tekst."))
            // A tool with every section removed.
            let empty = try await editor.post(Self.new, pairs: fields + [("sections[0][remove]", "ja")])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.text.contains("id=\"field-sections\""))
            #expect(empty.text.contains("href=\"#field-sections\""))
            #expect(empty.text.contains("Et værktøj skal have mindst ét afsnit med mindst ét punkt."))
            #expect(try await Self.count(on: app.db) == before)
        }
    }

    /// The issue's test from the import: the same definition as JSON, refused with a message per field path.
    @Test(arguments: TestBackend.all)
    func aMalformedDefinitionIsRefusedFromTheImport(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let editor = try await Self.editor(app)
            let page = try await editor.get(Self.importPage)
            #expect(page.status == .ok)
            #expect(page.text.contains("enctype=\"multipart/form-data\""))
            let csrf = try await editor.csrfToken(on: Self.importPage)
            let before = try await Self.count(on: app.db)
            let json = String(decoding: try JSONEncoder().encode(Self.malformed), as: UTF8.self)
            let refused = try await editor.post(Self.importPage, ["_csrf": csrf, "json": json, "status": "published"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("<title>Fejl:"))
            for message in Self.malformedMessages { #expect(refused.text.contains(message), "\(message)") }
            for place in ["Afsnit 1, punkt 2, tekst (sections[0].items[1].text): Skriv punktets tekst.",
                          "Afsnit 1, punkt 3, slags (sections[0].items[2].kind): Vælg en slags punkt fra listen",
                          "Afsnit 1, punkt 4, trin (sections[0].items[3].steps): En skala skal have mellem 2 og 10 trin.",
                          "Afsnit 1, punkt 5, id (sections[0].items[4].id): Id'et „dublet“"] {
                #expect(refused.text.contains(place), "\(place)")
            }
            #expect(refused.text.contains("href=\"#field-json\""))
            #expect(refused.text.contains("Hvad er hovedstaden?"), "the JSON is kept")
            #expect(refused.text.contains("value=\"published\" checked=\"checked\""))
            #expect(try await Self.count(on: app.db) == before, "nothing was saved")

            // Not JSON, a missing member, nothing at all.
            let notJSON = try await editor.post(Self.importPage, ["_csrf": csrf, "json": "{ slug: skaev"])
            #expect(notJSON.status == .unprocessableEntity)
            #expect(notJSON.text.contains("Filen er ikke et gyldigt JSON-dokument med et værktøj."))
            let missing = try await editor.post(Self.importPage, ["_csrf": csrf, "json": #"{"slug": "skaev", "title": "Skævt", "introduction": "", "audiences": []}"#])
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.text.contains("Afsnit (sections): Mangler."))
            let nothing = try await editor.post(Self.importPage, ["_csrf": csrf, "json": "  "])
            #expect(nothing.status == .unprocessableEntity)
            #expect(nothing.text.contains("Indsæt et værktøj som JSON, eller vælg en fil med et."))
            #expect(try await Self.count(on: app.db) == before)
        }
    }

    @Test(arguments: TestBackend.all)
    func anImportCreatesAToolThenANewVersion(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let editor = try await Self.editor(app)
            let csrf = try await editor.csrfToken(on: Self.importPage)
            var tool = ToolDefinition(slug: "moedeark", title: "Mødeark", introduction: "Til det første møde.", material: "guide-til-det-gode-samarbejde",
                                      audiences: ["skoler"], sections: [ToolSection(id: "moede", title: "Mødet", items: [
                                          ToolItem(id: "dagsorden", kind: .checklist, text: "Lav en dagsorden."),
                                          ToolItem(id: "form", kind: .singleChoice, text: "Hvor mødes I?", options: ["På skolen", "Hos partneren"]),
                                      ])])
            let imported = try await editor.post(Self.importPage, ["_csrf": csrf, "json": String(decoding: try JSONEncoder().encode(tool), as: UTF8.self),
                                                                   "status": ToolEdit.keepStatus])
            #expect(imported.status == .seeOther)
            #expect(imported.headers.first(name: .location) == "\(Self.list)/moedeark?besked=importeret")
            let created = try #require(try await ToolQueries.find(slug: "moedeark", on: app.db))
            #expect(created.definition == tool && created.version == 1 && created.status == .draft)

            // The same slug again, as a file: a new version, the status kept.
            tool.title = "Mødeark til første møde"
            let file = try await editor.postMultipart(Self.importPage, fields: [("_csrf", csrf), ("json", ""), ("status", ToolEdit.keepStatus)],
                                                      fileName: "moedeark.json", contentType: "application/json",
                                                      bytes: Array(try JSONEncoder().encode(tool)))
            #expect(file.status == .seeOther)
            #expect(file.headers.first(name: .location) == "\(Self.list)/moedeark?besked=ny-version")
            let changed = try #require(try await ToolQueries.find(slug: "moedeark", on: app.db))
            #expect(changed.version == 2 && changed.status == .draft && changed.definition.title == "Mødeark til første møde")
            #expect(try await ToolQueries.versions(changed.id, on: app.db).map(\.number) == [2, 1])
            #expect(try await editor.get("\(Self.list)/moedeark?besked=ny-version").text.contains("Importen er gemt som en ny version af værktøjet."))
            #expect(try await editor.get("\(Self.list)/moedeark/versioner").text.contains("2 (den nuværende)"))
        }
    }

    @Test(arguments: TestBackend.all)
    func onlyEditorsGetIn(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            _ = try await AccountQueries.create(email: "laerer@skole.dk", password: LoginTests.password, role: .member, now: frozenNow,
                                                hashing: PasswordHashing(app), on: app.db)
            let member = Browser(app)
            #expect(try await member.logIn("laerer@skole.dk").status == .seeOther)
            let csrf = try await member.csrfToken(on: "/min-side")
            let before = try await Self.count(on: app.db)
            let tool = ToolDefinition(slug: "snyd", title: "Snyd", introduction: "", sections: [
                ToolSection(id: "a", title: "A", items: [ToolItem(id: "b", kind: .reflection, text: "C?")])])
            for path in [Self.list, Self.new, Self.importPage, "\(Self.list)/det-gode-samarbejde", "\(Self.list)/det-gode-samarbejde/versioner"] {
                #expect(try await member.get(path).status == .forbidden, "\(path)")
            }
            #expect(try await member.post(Self.new, pairs: Self.fields(tool, csrf: csrf)).status == .forbidden)
            #expect(try await member.post(Self.importPage, ["_csrf": csrf, "json": String(decoding: try JSONEncoder().encode(tool), as: UTF8.self)]).status == .forbidden)
            let anonymous = try await Browser(app).get(Self.new)
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers.first(name: .location) == "/log-ind?naeste=\(Self.new)")

            // An editor's form without its CSRF token is refused too.
            let editor = try await Self.editor(app)
            #expect(try await editor.post(Self.new, pairs: Self.fields(tool, csrf: "forkert")).status == .forbidden)
            #expect(try await editor.post(Self.importPage, ["_csrf": "", "json": "{}"]).status == .forbidden)
            #expect(try await Self.count(on: app.db) == before)
        }
    }
}
