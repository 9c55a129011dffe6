@testable import App
import Foundation
import SamspilCore
import Testing

/// Every form after a failed submit, rendered from view models: the title begins with "Fejl:", the page's focus
/// starts on the error summary (no script), the summary lists the errors in the order of the fields on the page
/// and links to fields that exist, and the heading and breadcrumb are those of the page before the error.
@Suite struct FormErrorTests {
    static let site = SnapshotTests.site
    static let vocabularies = SnapshotTests.vocabularies

    /// A refused form and the same page before the error.
    struct Case {
        var name: String
        var refused: String
        var before: String
    }

    /// Problems for `fields` in reverse order (so an unsorted summary would fail), one message each.
    static func problems(_ fields: [String]) -> [FieldProblem] {
        fields.reversed().map { FieldProblem(field: $0, message: "Ret feltet \($0).") }
    }

    static var cases: [Case] {
        var cases: [Case] = []
        // Materials: new, and editing one whose title the editor emptied.
        let newForm = MaterialEdit.Form(title: "", creditKind: "developed", language: "da", status: "draft")
        func material(_ isNew: Bool, form: MaterialEdit.Form, stored: String?, errors: [FieldProblem]) -> String {
            MaterialEditViews.form(MaterialEdit.ViewModel(isNew: isNew, form: form, storedTitle: stored, errors: errors, vocabularies: vocabularies,
                                                          csrfToken: "t"), site: site)
        }
        let materialFields = ["title", "slug", "type", "teaser", "body", "persons", "year", "readingMinutes", "audiences", "topics"]
        cases.append(Case(name: "new material", refused: material(true, form: newForm, stored: nil, errors: problems(materialFields)),
                          before: material(true, form: newForm, stored: nil, errors: [])))
        var stored = MaterialEdit.form(from: SnapshotTests.mapping)
        stored.version = "3"
        var emptied = stored
        emptied.title = ""
        let editFields = materialFields.filter { $0 != "slug" } + ["file", "confirm"]
        cases.append(Case(name: "edited material", refused: material(false, form: emptied, stored: stored.title, errors: problems(editFields)),
                          before: material(false, form: stored, stored: stored.title, errors: [])))

        // Themes.
        let theme = ThemeEdit.Form(title: "Samarbejder", slug: "samarbejder", section: nil, intro: "", status: "published")
        var emptiedTheme = theme
        emptiedTheme.title = ""
        func themePage(_ form: ThemeEdit.Form, errors: [FieldProblem], isNew: Bool = false) -> String {
            ThemeEditViews.form(ThemeEdit.ViewModel(isNew: isNew, form: form, storedTitle: isNew ? nil : "Samarbejder", errors: errors,
                                                    addable: [("Fire typer", "fire-typer")], csrf: "t"), site: site)
        }
        cases.append(Case(name: "edited theme", refused: themePage(emptiedTheme, errors: problems(["title", "section", "intro", "material", "confirm"])),
                          before: themePage(theme, errors: [])))
        cases.append(Case(name: "new theme", refused: themePage(ThemeEdit.Form(), errors: problems(["title", "slug", "intro"]), isNew: true),
                          before: themePage(ThemeEdit.Form(), errors: [], isNew: true)))

        // Accounts.
        cases.append(Case(name: "new user",
                          refused: UserAdminViews.form(UserAdmin.Form(email: "x"), errors: problems(["email", "name"]), csrf: "t", site: site),
                          before: UserAdminViews.form(UserAdmin.Form(), errors: [], csrf: "t", site: site)))
        cases.append(Case(name: "login",
                          refused: LoginView.render(LoginPage.ViewModel(next: "/redaktion", csrfToken: "t",
                                                                        fieldErrors: problems(["email", "password"]).map { ($0.field, $0.message) }), site: site),
                          before: LoginView.render(LoginPage.ViewModel(next: "/redaktion", csrfToken: "t"), site: site)))
        cases.append(Case(name: "wrong password",
                          refused: LoginView.render(LoginPage.ViewModel(next: "/redaktion", csrfToken: "t", error: "E-mailadressen eller adgangskoden er forkert."), site: site),
                          before: LoginView.render(LoginPage.ViewModel(next: "/redaktion", csrfToken: "t"), site: site)))
        cases.append(Case(name: "password request",
                          refused: PasswordResetPages.requestPage(email: "x", error: "Skriv en gyldig e-mailadresse, fx navn@skole.dk.", sent: false, csrf: "t", site: site),
                          before: PasswordResetPages.requestPage(email: "", error: nil, sent: false, csrf: "t", site: site)))
        cases.append(Case(name: "password reset",
                          refused: PasswordResetPages.resetPage(token: "r", valid: true, errors: problems(["password", "repeated"]).map { ($0.field, $0.message) },
                                                                csrf: "t", site: site),
                          before: PasswordResetPages.resetPage(token: "r", valid: true, errors: [], csrf: "t", site: site)))
        cases.append(Case(name: "API tokens",
                          refused: ApiTokenViews.page(ApiTokenPages.ViewModel(tokens: [], csrf: "t", errors: problems(["name"])), site: site),
                          before: ApiTokenViews.page(ApiTokenPages.ViewModel(tokens: [], csrf: "t"), site: site)))
        return cases
    }

    static func matches(_ pattern: String, in html: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: html, range: NSRange(html.startIndex..., in: html)).compactMap { match in
            Range(match.range(at: 1), in: html).map { String(html[$0]) }
        }
    }

    /// From the first `start` to the first `</end>` after it.
    static func element(_ start: String, until end: String, in html: String) -> String? {
        guard let from = html.range(of: start), let to = html.range(of: "</\(end)>", range: from.upperBound..<html.endIndex) else { return nil }
        return String(html[from.lowerBound..<to.upperBound])
    }

    @Test(arguments: cases.map(\.name))
    func aRefusedFormLeadsToItsErrorsInFormOrder(name: String) throws {
        let page = try #require(Self.cases.first { $0.name == name })
        let html = page.refused
        // "Fejl:" first in the title, and only after an error.
        let title = try #require(Self.matches("<title>([^<]*)</title>", in: html).first)
        #expect(title.hasPrefix("Fejl: "), "\(title)")
        #expect(!(Self.matches("<title>([^<]*)</title>", in: page.before).first ?? "").hasPrefix("Fejl"))
        #expect(title == "Fejl: " + (Self.matches("<title>([^<]*)</title>", in: page.before).first ?? ""))
        // One element takes the focus: the error message, focusable by script-free autofocus, out of the tab order.
        #expect(html.components(separatedBy: " autofocus=").count == 2)
        let alert = try #require(Self.matches("(<div [^>]*autofocus[^>]*>)", in: html).first)
        #expect(alert.contains("tabindex=\"-1\"") && alert.contains("role=\"alert\""))
        #expect(!page.before.contains("autofocus"))
        // The heading and breadcrumb are the page's own, not what was typed.
        let heading = Self.element("<h1", until: "h1", in: html)
        #expect(heading != nil && heading == Self.element("<h1", until: "h1", in: page.before))
        let crumbs = Self.element("class=\"breadcrumbs\"", until: "nav", in: html)
        #expect(crumbs != nil && crumbs == Self.element("class=\"breadcrumbs\"", until: "nav", in: page.before))
        // The summary's links: in the order of their fields on the page, each to a field that is there.
        let links = Self.matches("href=\"#field-([A-Za-z]+)\"", in: html)
        let fields = Self.matches("id=\"field-([A-Za-z]+)\"", in: html)
        #expect(links.allSatisfy(fields.contains), "\(links) not all in \(fields)")
        #expect(links == fields.filter(links.contains), "summary \(links), page \(fields)")
    }

    /// The rules' own order is not the form's: the material rules find "teaser" before "year", the form
    /// parser "year" before them; the summary sorts by the page.
    @Test func theSummarySortsByThePageAndDropsRepeats() {
        let summary = ErrorSummary(errors: [("year", "b"), ("title", "a"), ("zzz", "c"), ("title", "a"), ("teaser", "d")],
                                   fieldOrder: MaterialEditViews.fieldOrder)
        #expect(summary.ordered.map(\.field) == ["title", "teaser", "year", "zzz"])
    }

    /// Destructive buttons look like warnings, never like "Gem ændringer".
    @Test func destructiveButtonsAreWarnings() {
        var form = MaterialEdit.form(from: SnapshotTests.mapping)
        form.version = "1"
        let edit = MaterialEditViews.form(MaterialEdit.ViewModel(isNew: false, form: form, vocabularies: Self.vocabularies, csrfToken: "t"), site: Self.site)
        #expect(edit.contains("class=\"button button-warning\">Slet materialet</button>"))
        #expect(edit.contains("class=\"button button-primary\">Gem ændringer</button>"))
        let theme = ThemeEditViews.form(ThemeEdit.ViewModel(isNew: false, form: ThemeEdit.Form(title: "T", slug: "t"), csrf: "t"), site: Self.site)
        #expect(theme.contains("class=\"button button-warning\">Slet temaet</button>"))
        #expect(RevokeTokenForm(id: UUID(), name: "Regneark", csrf: "t").render().contains("button-warning"))
        #expect(DeleteUserForm(email: "a@b.dk", csrf: "t").render().contains("button-warning"))
    }
}
