@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing
import Vapor
import VaporTesting

/// Import of schools and learning environments from CSV as spreadsheets write it, and the directory's export.
@Suite struct OrganisationTransferTests {
    static let header = "type;navn;institutionsnummer;skoletype;laeringsmiljoe;kommune;adresse;postnummer;by;hjemmeside;telefon;email;beskrivelse;fag;klassetrin;tilgaengelighed;breddegrad;laengdegrad"

    /// Good rows, and one of each kind of broken row.
    static let mixed = [
        header,
        "skole;Åby Skole;999201;folkeskole;;København;Skolevej 1;1000;København K;;;;;;0, 1;;;",
        "skole;Bad Skole;12345;folkeskole;;København;;;;;;;;;;;;",                      // bad institution number
        "laeringsmiljoe;Ukendt Museum;;;kulturhistoriske-museer;Atlantis;;;;;;;;;;;;",   // unknown municipality
        "skole;Åby Skole igen;999201;folkeskole;;Aarhus;;;;;;;;;;;;",                    // duplicate institution number
        "laeringsmiljoe;\"Museet; med semikolon\";;;Kulturhistoriske museer;101;;;;;;;\"To linjer\r\nmed \"\"citat\"\"\";historie;4;;55,7;12,5",
        "laeringsmiljoe;Formel-museet;;;biblioteker;Aarhus;;;;;+45 33 12 34 56;;;;;;;",
    ].joined(separator: "\r\n") + "\r\n"

    static func run(_ app: Application, _ text: String, encoding: [UInt8]? = nil, dryRun: Bool = false, skip: Bool = false) async throws -> OrganisationTransfer.Report {
        try await OrganisationTransfer.importCSV(encoding ?? Array(text.utf8), dryRun: dryRun, skipRefused: skip, by: nil, now: frozenNow, on: app.db)
    }

    static func count(_ app: Application) async throws -> Int {
        try await OrganisationModel.query(on: app.db).filter(\.$kind != "kommune").count()
    }

    @Test(arguments: TestBackend.all)
    func aDryRunReportsEveryRowAndWritesNothing(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let report = try await Self.run(app, Self.mixed, dryRun: true)
            #expect(!report.written)
            #expect(report.rows.map(\.line) == [2, 3, 4, 5, 6, 8])
            #expect(report.lines[0] == "Linje 2 (Åby Skole): oprettes")
            #expect(report.lines[1] == "Linje 3 (Bad Skole): afvist – institutionsnummer: Skriv institutionsnummeret med seks cifre, fx 101001.")
            #expect(report.lines[2].hasPrefix("Linje 4 (Ukendt Museum): afvist – kommune: Kommunen „Atlantis“ findes ikke."))
            #expect(report.lines[3] == "Linje 5 (Åby Skole igen): afvist – institutionsnummer: Samme institutionsnummer som linje 2; hver organisation må kun stå én gang.")
            #expect(report.lines[4] == "Linje 6 (Museet; med semikolon): oprettes")
            #expect(report.lines[5] == "Linje 8 (Formel-museet): oprettes")
            #expect(report.summary == "Prøvekørsel (UTF-8), intet er gemt: 3 oprettes, 0 opdateres, 3 afvist.")
            #expect(try await Self.count(app) == 0)
        }
    }

    @Test(arguments: TestBackend.all)
    func aRealRunIsAllOrNothingUnlessRefusedRowsAreSkipped(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let refused = try await Self.run(app, Self.mixed)
            #expect(!refused.written && refused.summary.hasPrefix("Intet er gemt"))
            #expect(try await Self.count(app) == 0)

            let skipped = try await Self.run(app, Self.mixed, skip: true)
            #expect(skipped.written && skipped.created == 3 && skipped.refused == 3)
            #expect(try await Self.count(app) == 3)
            let museum = try #require(try await OrganisationStore.find(slug: "museet-med-semikolon", on: app.db)).organisation
            #expect(museum.description == "To linjer\nmed \"citat\"")
            #expect(museum.municipalityCode == "0101" && museum.environmentKind == "kulturhistoriske-museer")
            #expect(museum.subjects == ["historie"] && museum.gradeLevels == ["4"] && museum.latitude == 55.7 && museum.status == .approved)
            #expect(try await OrganisationStore.find(slug: "formel-museet", on: app.db)?.organisation.phone == "+45 33 12 34 56")

            // Again: matched by institution number and by name + municipality, so updated, not doubled.
            let good = [Self.header, "skole;Åby Skole (ny);999201;efterskole;;København;;;;;;;;;;;;",
                        "laeringsmiljoe;museet; med semikolon;;;kulturhistoriske-museer;0101;;;;;;;Ny tekst;;;;;"].joined(separator: "\n")
            // (the second row's name has a ; unquoted: it is too long a row and refused)
            let again = try await Self.run(app, good, skip: true)
            #expect(again.lines[0] == "Linje 2 (Åby Skole (ny)): opdateret")
            #expect(again.lines[1].hasPrefix("Linje 3: afvist – (række): Rækken har 19 felter"))
            let updated = [Self.header, "laeringsmiljoe;\"MUSEET; MED SEMIKOLON\";;;kulturhistoriske-museer;København;;;;;;;Ny tekst;;;;;"].joined(separator: "\n")
            #expect(try await Self.run(app, updated).lines == ["Linje 2 (MUSEET; MED SEMIKOLON): opdateret"])
            #expect(try await Self.count(app) == 3)
            let school = try #require(try await OrganisationModel.query(on: app.db).filter(\.$institutionNumber == "999201").first())
            #expect(school.name == "Åby Skole (ny)" && school.slug == "aaby-skole" && school.schoolKind == "efterskole")
        }
    }

    /// 2,000 rows with broken ones spread among them (a bad institution number, an unknown municipality, a
    /// duplicate, a letter lost to a wrong encoding): every row is reported, a dry run writes nothing, a run
    /// writes nothing, and a run that skips refused rows writes exactly the accepted ones.
    @Test(arguments: TestBackend.all)
    func twoThousandRowsWithBrokenOnesAmongThem(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            var rows = [Self.header]
            var broken: [Int: String] = [:]
            for n in 0..<2_000 {
                let line = n + 2
                switch n % 250 {
                case 17:
                    rows.append("skole;Skole \(n);\(n % 10_000);folkeskole;;København;;;;;;;;;;;;")
                    broken[line] = "institutionsnummer"
                case 53:
                    rows.append("laeringsmiljoe;Museum \(n);;;kulturhistoriske-museer;Atlantis;;;;;;;;;;;;")
                    broken[line] = "kommune"
                case 101:
                    rows.append("skole;Skole \(n) igen;\(800_000 + n - 1);folkeskole;;Aarhus;;;;;;;;;;;;")
                    broken[line] = "institutionsnummer"
                case 199:
                    rows.append("laeringsmiljoe;K\u{FFFD}ge Museum \(n);;;kulturhistoriske-museer;Køge;;;;;;;;;;;;")
                    broken[line] = "navn"
                default:
                    rows.append(n % 2 == 0 ? "skole;Skole \(n);\(800_000 + n);folkeskole;;Odense;;;;;;;;;0, 1;;;"
                                           : "laeringsmiljoe;Museum \(n);;;kulturhistoriske-museer;Aalborg;;;;;;;;historie;4;;;")
                }
            }
            let text = rows.joined(separator: "\r\n") + "\r\n"
            #expect(broken.count == 32)
            let dry = try await Self.run(app, text, dryRun: true)
            #expect(dry.rows.count == 2_000 && !dry.written && dry.refused == 32 && dry.created == 1_968)
            let refusedLines = dry.rows.filter { if case .refused = $0.outcome { true } else { false } }.map(\.line)
            #expect(refusedLines == broken.keys.sorted(), "each broken row, and no other, is refused")
            for row in dry.rows {
                guard case .refused(let problems) = row.outcome else { continue }
                #expect(problems.map(\.field).contains(broken[row.line] ?? "?") || dry.lines.contains { $0.contains("Linje \(row.line)") && $0.contains(broken[row.line] ?? "?") },
                        "line \(row.line): \(problems)")
            }
            #expect(try await Self.count(app) == 0)
            let refused = try await Self.run(app, text)
            #expect(!refused.written)
            #expect(try await Self.count(app) == 0, "all or nothing")
            let skipped = try await Self.run(app, text, skip: true)
            #expect(skipped.written && skipped.created == 1_968)
            #expect(try await Self.count(app) == 1_968)
        }
    }

    /// Windows-1252 (Excel's "CSV (semikolonsepareret)"), a UTF-8 byte order mark, commas.
    @Test func encodingsAndSeparatorsAsSpreadsheetsWriteThem() async throws {
        try await withApp { app in
            let text = Self.header + "\r\nskole;Ærø Friskole – Søby;999301;fri-og-privatskole;;Ærø;;;;;;;;;;;;\r\n"
            var windows: [UInt8] = []
            for scalar in text.unicodeScalars {
                windows.append(scalar == "–" ? 0x96 : UInt8(scalar.value))
            }
            let report = try await Self.run(app, "", encoding: windows, dryRun: true)
            #expect(report.encoding == "Windows-1252" && report.lines == ["Linje 2 (Ærø Friskole – Søby): oprettes"])

            let comma = "\u{FEFF}Type,Navn,Institutionsnummer,Skoletype,Kommune,Klassetrin\n" + "skole,Kommaskolen,999302,Folkeskole,751,\"0, 1, 2\"\n"
            let commaReport = try await Self.run(app, comma)
            #expect(commaReport.encoding == "UTF-8" && commaReport.lines == ["Linje 2 (Kommaskolen): oprettet"])
            let stored = try #require(try await OrganisationStore.find(slug: "kommaskolen", on: app.db)).organisation
            #expect(stored.municipalityCode == "0751" && stored.gradeLevels == ["0", "1", "2"] && stored.schoolKind == .folkeskole)

            await #expect(throws: SamspilError.self) { try await Self.run(app, "navn;by\nA;B\n") }
            await #expect(throws: SamspilError.self) { try await Self.run(app, Self.header + "\nskole;\"Åben") }
        }
    }

    @Test func theExportNeutralisesFormulasAndReadsBackIn() async throws {
        try await withApp { app in
            let rows = [Self.header, "laeringsmiljoe;=HYPERLINK(\"x\");;;biblioteker;Aarhus;@vej 1;;;;+45 33 12 34 56;;-minus;;;;;"].joined(separator: "\n")
            #expect(try await Self.run(app, rows).created == 1)
            let response = try await app.get("/organisationer.csv")
            #expect(response.status == .ok)
            #expect(response.headers.first(name: .contentType) == "text/csv; charset=utf-8")
            let bytes = Array(response.body.readableBytesView)
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
            let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
            let lines = text.components(separatedBy: "\r\n")
            #expect(lines[0] == OrganisationCSV.exportHeader && lines.count == 3 && lines[2].isEmpty)
            #expect(lines[1].hasPrefix("laeringsmiljoe;\"'=HYPERLINK(\"\"x\"\")\";;;biblioteker;0751;'@vej 1;;;;'+45 33 12 34 56;;'-minus;"))
            #expect(lines[1].hasSuffix(";hyperlink-x;Aarhus;Region Midtjylland"))
            // The export is a valid import: the same organisation, updated, nothing else.
            let again = try await Self.run(app, text)
            #expect(again.lines == ["Linje 2 (=HYPERLINK(\"x\")): opdateret"])
            let stored = try #require(try await OrganisationStore.find(slug: "hyperlink-x", on: app.db)).organisation
            #expect(stored.address.street == "@vej 1" && stored.phone == "+45 33 12 34 56" && stored.description == "-minus")

            let json = try await app.get("/organisationer.json")
            #expect(json.headers.contentType == .json)
            let items = try #require(try json.json() as? [[String: Any]])
            #expect(items.count == 1 && items[0]["slug"] as? String == "hyperlink-x")
            #expect((items[0]["municipality"] as? [String: Any])?["region"] as? String == "Region Midtjylland")
            #expect(try await app.get("/organisationer.csv?kind=skole").text.components(separatedBy: "\r\n").count == 2)
        }
    }

    @Test func onlySiteAdministratorsUseTheUploadPage() async throws {
        try await withApp { app in
            _ = try await OrganisationPageTests.account(app, "redaktor@skole.dk")
            _ = try await OrganisationPageTests.account(app, "admin@skole.dk", role: .administrator)
            let editor = try await OrganisationPageTests.browser(app, "redaktor@skole.dk")
            #expect(try await editor.get("/organisationer/import").status == .forbidden)
            let admin = try await OrganisationPageTests.browser(app, "admin@skole.dk")
            let page = try await admin.get("/organisationer/import")
            #expect(page.status == .ok && page.text.contains("enctype=\"multipart/form-data\""))
            let token = try await admin.csrfToken(on: "/organisationer/import")
            func upload(_ csv: String, write: Bool) async throws -> TestingHTTPResponse {
                let boundary = "grænse-123"
                var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(token)\r\n"
                if write { body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"write\"\r\n\r\nja\r\n" }
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"skoler.csv\"\r\nContent-Type: text/csv\r\n\r\n\(csv)\r\n--\(boundary)--\r\n"
                var headers = admin.cookieHeader
                headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
                headers.replaceOrAdd(name: .origin, value: LoginTests.origin)
                return try await app.testing().sendRequest(.POST, "/organisationer/import", headers: headers, body: ByteBuffer(string: body))
            }
            let dry = try await upload(Self.mixed, write: false)
            #expect(dry.status == .ok && dry.text.contains("Prøvekørsel (UTF-8), intet er gemt: 3 oprettes, 0 opdateres, 3 afvist."))
            #expect(dry.text.contains("Linje 3 (Bad Skole): afvist"))
            let all = try await upload(Self.mixed, write: true)
            #expect(all.text.contains("Intet er gemt (UTF-8)"))
            #expect(try await Self.count(app) == 0)
            let good = try await upload(Self.header + "\r\nskole;Åby Skole;999201;folkeskole;;København;;;;;;;;;;;;\r\n", write: true)
            #expect(good.text.contains("Importeret (UTF-8): 1 oprettet"))
            #expect(try await Self.count(app) == 1)
            let broken = try await upload("navn\r\nA\r\n", write: false)
            #expect(broken.status == .unprocessableEntity && broken.text.contains("Kolonnen „type“ mangler i første linje."))
            #expect(try await AuditLog.recent(on: app.db).first?.subject == "1 oprettet, 0 opdateret")
        }
    }
}
