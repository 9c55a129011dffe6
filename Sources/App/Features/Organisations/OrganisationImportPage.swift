import Foundation
import SamspilCore
import Vapor

/// `/organisationer/import`: a site administrator uploads a CSV file of schools and learning environments, sees
/// per row what would happen (a dry run, the default) or what happened, and the export of the directory.
enum OrganisationImportPage {
    struct Form: Content {
        var file: File?
        /// "ja" for the real run; anything else is a dry run.
        var write: String?
        var skipRefused: String?
        var _csrf: String?
    }

    static func show(_ req: Request) async throws -> Response {
        let session = try req.requireSession()
        try await requireAllowed(req)
        return PageLayout.privateResponse(render(report: nil, errors: [], csrf: session.csrfToken, site: req.site))
    }

    static func upload(_ req: Request) async throws -> Response {
        let session = try req.requireSession()
        try await requireAllowed(req)
        let form = req.postedForm(or: Form())
        try CSRF.verify(req, sent: form._csrf)
        func refuse(_ problems: [FieldProblem]) -> Response {
            PageLayout.privateResponse(render(report: nil, errors: problems, csrf: session.csrfToken, site: req.site), status: .unprocessableEntity)
        }
        guard let file = form.file, file.data.readableBytes > 0 else { return refuse([FieldProblem(field: "file", message: "Vælg en CSV-fil.")]) }
        do {
            let report = try await OrganisationTransfer.importCSV(
                Array(file.data.readableBytesView), dryRun: form.write != "ja", skipRefused: form.skipRefused == "ja",
                by: session.account, now: req.application.samspil.clock(), on: req.db)
            return PageLayout.privateResponse(render(report: report, errors: [], csrf: session.csrfToken, site: req.site))
        } catch SamspilError.invalid(let problems) {
            return refuse(problems.map { FieldProblem(field: "file", message: "\($0.record.isEmpty ? "" : $0.record + ": ")\($0.message)") })
        }
    }

    private static func requireAllowed(_ req: Request) async throws {
        guard Permissions.allows(try await OrganisationPages.actor(req), .importOrganisations) else {
            throw SamspilError.forbidden("Kun Samspils administratorer kan importere organisationer.")
        }
    }

    static func render(report: OrganisationTransfer.Report?, errors: [FieldProblem], csrf: String, site: SiteInfo) -> String {
        var meta = PageMeta(title: "Importér organisationer", canonical: nil, breadcrumbs: OrganisationFormViews.crumbs(),
                            currentCrumb: "Importér", nav: .organisations)
        meta.hasErrors = !errors.isEmpty
        return PageLayout.render(meta, site: site) {
            H1("Importér organisationer")
            if !errors.isEmpty { ErrorSummary(errors, fieldOrder: ["file", "write", "skipRefused"]) }
            if let report {
                Tag("div", [("class", report.written ? "alert alert-success" : "alert alert-info"), ("role", "status")]) { Paragraph(report.summary) }
                if !report.rows.isEmpty {
                    H2(report.written ? "Resultat pr. række" : "Hvad der ville ske pr. række")
                    List(report.lines) { line in ListItem { Text(line) } }.class("import-report")
                }
            }
            Paragraph("Skoler og eksterne læringsmiljøer fra et regneark gemt som CSV (semikolon eller komma, UTF-8 eller Windows-1252). En skole opdateres, hvis institutionsnummeret findes; et læringsmiljø, hvis navn og kommune findes. Alt andet oprettes som godkendt.")
            Paragraph {
                Text("Se formatet i ")
                SafeLink(text: "et eksempel (CSV)", href: SitePath.directory(.csv).href)
                Text(": eksporten af kataloget kan importeres igen.")
            }
            Tag("form", [("class", "form"), ("method", "post"), ("action", SitePath.directory(.importFile).href), ("enctype", "multipart/form-data")]) {
                CSRFField(token: csrf)
                FieldFrame(name: "file", label: "CSV-fil", hint: "Første linje skal navngive kolonnerne, fx type;navn;institutionsnummer;kommune.",
                           error: errors.message(for: "file")) { id, aria in
                    VoidTag("input", [("type", "file"), ("id", id), ("name", "file"), ("accept", ".csv,text/csv")] + aria)
                }
                CheckboxesField(name: "write", legend: "Gem", checked: [], options: [("ja", "Gem i kataloget (uden kryds: en prøvekørsel, der intet gemmer)")], isArray: false)
                CheckboxesField(name: "skipRefused", legend: "Afviste rækker", checked: [],
                                options: [("ja", "Spring afviste rækker over og gem resten (uden kryds gemmes intet, hvis en række afvises)")], isArray: false)
                Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Læs filen")
            }
        }
    }
}
