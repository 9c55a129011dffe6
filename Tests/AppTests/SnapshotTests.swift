@testable import App
import Foundation
import SamspilCore
import Testing

/// Whole pages rendered from fixed view models, compared with committed files in `__Snapshots__`.
/// After an intended change, run `SNAPSHOT_RECORD=1 swift test --filter SnapshotTests` and review the diff.
@Suite struct SnapshotTests {
    static let site = SiteInfo(publicURL: "https://samspil.example", contactEmail: "kontakt@samspil.example")

    static let vocabularies = Vocabularies(
        materialTypes: [VocabularyTerm(slug: "publikation", label: "Publikation", pluralLabel: "Publikationer"),
                        VocabularyTerm(slug: "artikel", label: "Artikel", pluralLabel: "Artikler")],
        audiences: [VocabularyTerm(slug: "skoler", label: "Skoler"), VocabularyTerm(slug: "kommuner", label: "Kommuner")],
        topics: [VocabularyTerm(slug: "partnerskaber", label: "Partnerskaber")]
    )

    static let mapping = Material(
        slug: "samarbejder-og-partnerskaber", title: "Samarbejder og partnerskaber", genre: .kortlaegning, type: "publikation",
        teaser: "En kortlægning af nationale erfaringer.", body: "## Hovedpointer\n\n- Partnerskaber tager tid\n- Roller skal aftales",
        credits: Credits(kind: .developed, organisation: "Nationalt Netværk af Skoletjenester"), year: 2016,
        audiences: ["skoler", "kommuner"], topics: ["partnerskaber"],
        versions: [MaterialVersion(kind: .full, label: "Kortlægningen", availability: .link, url: "https://example.org/fuld.pdf"),
                   MaterialVersion(kind: .pixi, label: "Pixi-udgaven", availability: .unavailable)]
    )

    static let article = Material(
        slug: "behoever-vi-samarbete", title: "Behöver vi samarbete?", type: "artikel", teaser: "Har vi tid med nätverk?",
        credits: Credits(kind: .written, persons: ["Marianne Bomgren"], organisation: "Skoletjenesten Öresund"), year: 2019,
        language: .swedish, readingMinutes: 6, audiences: ["skoler"]
    )

    @Test func themePage() throws {
        let theme = Theme(slug: "samarbejder-og-partnerskaber", title: "Samarbejder og partnerskaber", section: "Om Skoletjenesten",
                          intro: "Både eksterne læringsmiljøer, kommuner og skoler kan bruge materialerne.",
                          materials: [Self.mapping.slug, Self.article.slug])
        let html = ThemeShow.render(ThemeShowModel(theme: theme, materials: [Self.mapping, Self.article], vocabularies: Self.vocabularies), site: Self.site).string
        try Snapshot.assert(html, named: "theme-page.html")
    }

    @Test func materialPage() throws {
        let model = MaterialShowModel(material: Self.mapping, vocabularies: Self.vocabularies,
                                      themes: [Theme(slug: "samarbejder-og-partnerskaber", title: "Samarbejder og partnerskaber")],
                                      related: [Self.article], site: Self.site)
        try Snapshot.assert(MaterialShow.render(model, site: Self.site).string, named: "material-page.html")
    }

    /// The login form after a failed attempt: the address kept, errors next to the fields and summarised.
    @Test func loginPageWithErrors() throws {
        let model = LoginPage.ViewModel(email: "anna@skole.dk", next: "/redaktion", csrfToken: "fixed-token",
                                        fieldErrors: [(field: "password", message: "Skriv din adgangskode.")])
        try Snapshot.assert(LoginView.render(model, site: Self.site), named: "login-page.html")
    }

    /// The login page with single sign-on providers after a refused answer from one of them.
    @Test func loginPageWithSignOnRefused() throws {
        var model = LoginPage.ViewModel(next: "/min-side", csrfToken: "fixed-token")
        model.error = OpenIDConnect.SignOnFailure.wrongNonce.message(provider: "UNI-Login")
        model.providers = [("UNI-Login", "/log-ind/sso/unilogin"), ("MitID Erhverv", "/log-ind/sso/mitid-erhverv")]
        try Snapshot.assert(LoginView.render(model, site: Self.site), named: "login-page-sign-on.html")
    }

    /// The sign-up form after mistakes: name and address kept, passwords never.
    @Test func signUpPageWithErrors() throws {
        let form = SignUpQueries.Form(name: "Lærke Lærer", email: "laerke@skole", password: nil, repeated: nil)
        let errors = [FieldProblem(field: "email", message: "Skriv en gyldig e-mailadresse, fx navn@skole.dk."),
                      FieldProblem(field: "repeated", message: "Skriv den samme adgangskode i begge felter.")]
        try Snapshot.assert(SignUpViews.form(form, errors: errors, csrf: "fixed-token", site: Self.site), named: "sign-up-page.html")
    }

    /// "Min side" of a person who has not confirmed their address yet.
    @Test func mySpaceUnconfirmed() throws {
        var site = Self.site
        site.viewer = SiteInfo.Viewer(name: "Lærke Lærer", csrfToken: "fixed-token", isEditor: false)
        let account = Account(id: UUID(uuidString: "00000000-0000-0000-0000-000000000001")!, email: "laerke@skole.dk", name: "Lærke Lærer",
                              role: .member, createdAt: Date(timeIntervalSince1970: 1_790_000_000), emailVerified: false)
        let model = MySpace.ViewModel(account: account, csrfToken: "fixed-token", notice: .verificationSent)
        try Snapshot.assert(MySpaceView.render(model, site: site), named: "my-space.html")
    }
}

enum Snapshot {
    struct Recorded: Error, CustomStringConvertible {
        var description: String
    }

    static func assert(_ actual: String, named name: String, filePath: String = #filePath) throws {
        let url = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__/\(name)")
        // Line breaks between tags make the committed file reviewable; they do not change the comparison.
        // Asset addresses carry a hash of the file (`samspil.0a1b2c3d4e.css`), which changes with every stylesheet
        // change; the snapshot keeps the plain name.
        let readable = actual.replacingOccurrences(of: "><", with: ">\n<")
            .replacingOccurrences(of: #"/assets/([a-z-]+)\.[0-9a-f]{10}\."#, with: "/assets/$1.", options: .regularExpression) + "\n"
        if ProcessInfo.processInfo.environment["SNAPSHOT_RECORD"] == "1" {
            try readable.write(to: url, atomically: true, encoding: .utf8)
            throw Recorded(description: "recorded \(name); run again without SNAPSHOT_RECORD")
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("no snapshot \(name); record it with SNAPSHOT_RECORD=1")
            return
        }
        #expect(readable == expected, "\(name) differs from the committed snapshot")
    }
}
