import Fluent
import Foundation
import SamspilCore

/// Import of schools and learning environments from a spreadsheet's CSV, and export of the directory as CSV
/// and JSON. A school is matched to a stored one by institution number, a learning environment by name and
/// municipality (name compared without case); a match is updated (its address and status stay), anything
/// else is created, approved: imports are made by site administrators.
enum OrganisationTransfer {
    enum Outcome: Sendable, Equatable {
        case created, updated
        case refused([FieldProblem])
    }

    struct RowReport: Sendable, Equatable {
        /// The line of the file the row begins on (the header is line 1).
        var line: Int
        var name: String
        var outcome: Outcome
    }

    struct Report: Sendable {
        var encoding: String
        var rows: [RowReport]
        /// Whether anything was written: false for a dry run, and for a run with refused rows without `skipRefused`.
        var written: Bool
        var dryRun: Bool

        var created: Int { rows.filter { $0.outcome == .created }.count }
        var updated: Int { rows.filter { $0.outcome == .updated }.count }
        var refused: Int { rows.count - created - updated }

        /// One Danish line per row, as the command line and the upload page show them.
        var lines: [String] {
            rows.map { row in
                let name = row.name.isEmpty ? "" : " (\(row.name))"
                switch row.outcome {
                case .created: return "Linje \(row.line)\(name): \(written ? "oprettet" : "oprettes")"
                case .updated: return "Linje \(row.line)\(name): \(written ? "opdateret" : "opdateres")"
                case .refused(let problems):
                    return "Linje \(row.line)\(name): afvist – " + problems.map { "\($0.field): \($0.message)" }.joined(separator: " ")
                }
            }
        }

        var summary: String {
            let counts = "\(created) \(written ? "oprettet" : "oprettes"), \(updated) \(written ? "opdateret" : "opdateres"), \(refused) afvist"
            if written { return "Importeret (\(encoding)): \(counts)." }
            if dryRun { return "Prøvekørsel (\(encoding)), intet er gemt: \(counts)." }
            return "Intet er gemt (\(encoding)): \(counts). Ret de afviste rækker, eller vælg at springe dem over."
        }
    }

    /// Reads `bytes` and reports per row what would happen; writes when `dryRun` is false and no row is refused,
    /// or `skipRefused` is set (then the accepted rows), all in one transaction. Throws `.invalid` when the file as
    /// a whole cannot be read.
    static func importCSV(
        _ bytes: [UInt8], dryRun: Bool, skipRefused: Bool, by account: Account?, now: Date, on db: any Database
    ) async throws -> Report {
        let (text, encoding) = SpreadsheetText.decode(bytes)
        let lookup = try await lookup(on: db)
        let rows = try OrganisationCSV.read(text, lookup: lookup)
        if dryRun {
            let plan = try await plan(rows, on: db)
            return Report(encoding: encoding, rows: plan.reports, written: false, dryRun: true)
        }
        return try await db.writeTransaction { tx in
            // Planned inside the transaction, so matches are those of the data being written over.
            let plan = try await plan(rows, on: tx)
            let refused = plan.reports.contains { if case .refused = $0.outcome { true } else { false } }
            guard !refused || skipRefused else { return Report(encoding: encoding, rows: plan.reports, written: false, dryRun: false) }
            try await OrganisationStore.insert(plan.inserts, createdBy: account?.id, now: now, on: tx)
            for update in plan.updates { try await OrganisationStore.update(id: update.id, to: update.organisation, now: now, on: tx) }
            if !plan.inserts.isEmpty || !plan.updates.isEmpty {
                try await ContentRevision.bump(on: tx)
                if let account {
                    try await AuditLog.record(.organisationImport, subject: "\(plan.inserts.count) oprettet, \(plan.updates.count) opdateret",
                                              by: account, now: now, on: tx)
                }
            }
            return Report(encoding: encoding, rows: plan.reports, written: true, dryRun: false)
        }
    }

    private struct Plan {
        var reports: [RowReport] = []
        var inserts: [(id: UUID, organisation: Organisation)] = []
        var updates: [(id: UUID, organisation: Organisation)] = []
    }

    private static func plan(_ rows: [OrganisationCSV.Row], on db: any Database) async throws -> Plan {
        let reference = try await OrganisationStore.reference(on: db)
        struct Existing { let id: UUID; let slug: String; let status: OrganisationStatus }
        var schools: [String: Existing] = [:]
        var environments: [String: Existing] = [:]
        var slugs = Set<String>()
        for row in try await OrganisationModel.query(on: db).all() {
            slugs.insert(row.slug)
            let existing = Existing(id: try row.requireID(), slug: row.slug, status: OrganisationStatus(rawValue: row.status) ?? .pending)
            if row.kind == OrganisationKind.school.rawValue, let number = row.institutionNumber { schools[number] = existing }
            if row.kind == OrganisationKind.learningEnvironment.rawValue { environments[environmentKey(row.name, row.municipalityCode)] = existing }
        }
        var plan = Plan()
        var seen: [String: Int] = [:]
        for row in rows {
            guard var organisation = row.organisation else {
                plan.reports.append(RowReport(line: row.line, name: "", outcome: .refused(row.problems)))
                continue
            }
            let key = organisation.kind == .school ? "s:" + (organisation.institutionNumber ?? "")
                : "l:" + environmentKey(organisation.name, organisation.municipalityCode)
            let existing = organisation.kind == .school ? organisation.institutionNumber.flatMap { schools[$0] }
                : environments[environmentKey(organisation.name, organisation.municipalityCode)]
            organisation.slug = existing?.slug ?? "organisation"
            organisation.status = existing?.status ?? .approved
            var problems = row.problems + OrganisationRules.problems(organisation, reference: reference)
            if let first = seen[key], problems.isEmpty {
                let what = organisation.kind == .school ? "institutionsnummer" : "navn og kommune"
                problems.append(FieldProblem(field: organisation.kind == .school ? "institutionsnummer" : "navn",
                                             message: "Samme \(what) som linje \(first); hver organisation må kun stå én gang."))
            }
            guard problems.isEmpty else {
                let named = problems.map { FieldProblem(field: OrganisationCSV.column(for: $0.field), message: $0.message) }
                plan.reports.append(RowReport(line: row.line, name: organisation.name, outcome: .refused(named)))
                continue
            }
            seen[key] = row.line
            if let existing {
                plan.updates.append((existing.id, organisation))
                plan.reports.append(RowReport(line: row.line, name: organisation.name, outcome: .updated))
            } else {
                organisation.slug = freeSlug(for: organisation.name, taken: &slugs)
                plan.inserts.append((UUID(), organisation))
                plan.reports.append(RowReport(line: row.line, name: organisation.name, outcome: .created))
            }
        }
        return plan
    }

    private static func environmentKey(_ name: String, _ municipality: String?) -> String {
        name.trimmingCharacters(in: .whitespaces).lowercased() + "\u{0}" + (municipality ?? "")
    }

    /// `OrganisationStore.freeSlug` over slugs already in memory (an import makes thousands).
    private static func freeSlug(for name: String, taken: inout Set<String>) -> String {
        var base = Slug.make(from: name)
        if base.isEmpty || OrganisationStore.reservedSlugs.contains(base) { base = "organisation" }
        base = String(base.prefix(Slug.maxLength - 6)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        var slug = base
        var number = 2
        while taken.contains(slug) {
            slug = "\(base)-\(number)"
            number += 1
        }
        taken.insert(slug)
        return slug
    }

    static func lookup(on db: any Database) async throws -> OrganisationCSV.Lookup {
        var lookup = OrganisationCSV.Lookup()
        for municipality in try await MunicipalityModel.query(on: db).all() { lookup.addMunicipality(code: municipality.code, name: municipality.name) }
        for kind in try await LearningEnvironmentKindModel.query(on: db).all() {
            lookup.environmentKinds[kind.slug] = kind.slug
            lookup.environmentKinds[kind.name.lowercased()] = kind.slug
        }
        for subject in try await SubjectModel.query(on: db).all() {
            lookup.subjects[subject.slug] = subject.slug
            lookup.subjects[subject.name.lowercased()] = subject.slug
        }
        for level in try await GradeLevelModel.query(on: db).all() {
            lookup.gradeLevels[level.code] = level.code
            lookup.gradeLevels[level.name.lowercased()] = level.code
        }
        return lookup
    }

    // MARK: export

    /// The approved organisations of the directory (filtered as the directory is), in name order; with search
    /// text, those the search finds, best first.
    static func exported(_ query: OrganisationQuery, search: OrganisationSearch, on db: any Database) async throws -> [Exported] {
        let municipalities = Dictionary(try await MunicipalityModel.query(on: db).all().map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        if let text = query.text {
            let ids = OrganisationSearch.search(text, query, in: try await search.current(on: db)).ids
            var byID: [UUID: Exported] = [:]
            for chunk in ids.chunked(into: 500) {
                for row in try await OrganisationModel.query(on: db).filter(\.$id ~~ Array(chunk))
                    .filter(\.$status == OrganisationStatus.approved.rawValue).with(\.$terms).all() {
                    byID[try row.requireID()] = Exported(organisation: row.domain(), updatedAt: row.updatedAt,
                                                          municipality: row.municipalityCode.flatMap { municipalities[$0] })
                }
            }
            return ids.compactMap { byID[$0] }
        }
        var builder = OrganisationModel.query(on: db).filter(\.$status == OrganisationStatus.approved.rawValue)
            .filter(\.$kind != OrganisationKind.municipality.rawValue)
        if let kind = query.kind { builder = builder.filter(\.$kind == kind.rawValue) }
        if let municipality = query.municipality { builder = builder.filter(\.$municipalityCode == municipality) }
        if let region = query.region {
            builder = builder.filter(\.$municipalityCode ~~ municipalities.values.filter { $0.regionCode == region }.map(\.code))
        }
        let rows = try await builder.sort(\.$sortName).sort(\.$slug).with(\.$terms).all()
        return rows.map { Exported(organisation: $0.domain(), updatedAt: $0.updatedAt, municipality: $0.municipalityCode.flatMap { municipalities[$0] }) }
    }

    struct Exported {
        var organisation: Organisation
        var updatedAt: Date
        var municipality: MunicipalityModel?
    }

    /// CSV for Excel: UTF-8 with a byte order mark (so Excel reads æ, ø, å), `;`, CRLF, formulas neutralised.
    static func csv(_ items: [Exported]) -> Data {
        var text = "\u{FEFF}" + OrganisationCSV.exportHeader + "\r\n"
        for item in items {
            text += OrganisationCSV.exportLine(item.organisation, municipalityName: item.municipality?.name, region: item.municipality?.region) + "\r\n"
        }
        return Data(text.utf8)
    }

    /// JSON: the organisations as the API shows them (`OrganisationDTO`), in one array.
    static func json(_ items: [Exported], labels: OrganisationDTO.Labels, site: SiteInfo) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(items.map { OrganisationDTO($0.organisation, updatedAt: $0.updatedAt, labels: labels, site: site) })
    }
}
