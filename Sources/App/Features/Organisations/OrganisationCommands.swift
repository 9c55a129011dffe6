import Foundation
import SamspilCore
import Vapor

/// What the `samspil organisations` and `samspil demo` commands call.

/// The outcome of an organisation import, for the terminal.
public struct OrganisationImportResult: Sendable {
    /// One Danish line per row: created, updated or refused and why.
    public var lines: [String]
    public var summary: String
    public var written: Bool
    public var refused: Int
}

/// Imports schools and learning environments from a CSV file (see `OrganisationTransfer`). Migrates and loads
/// the reference data first if needed. A file that cannot be read at all throws `ContentImportError`.
public func importOrganisations(_ data: Data, dryRun: Bool, skipRefused: Bool, on app: Application) async throws -> OrganisationImportResult {
    let now = app.samspil.clock()
    try await SeedLoader.loadReferenceIfNeeded(now: now, on: app.db)
    do {
        let report = try await OrganisationTransfer.importCSV([UInt8](data), dryRun: dryRun, skipRefused: skipRefused, by: nil, now: now, on: app.db)
        return OrganisationImportResult(lines: report.lines, summary: report.summary, written: report.written, refused: report.refused)
    } catch SamspilError.invalid(let problems) {
        throw ContentImportError(lines: problems.map(\.description))
    }
}

/// The directory as CSV for Excel (`csv`) or JSON (`json`).
public func exportOrganisations(json: Bool, on app: Application) async throws -> Data {
    let items = try await OrganisationTransfer.exported(OrganisationQuery(), search: app.samspil.organisationSearch, on: app.db)
    return json ? try OrganisationTransfer.json(items, labels: try await .load(on: app.db), site: app.samspil.site) : OrganisationTransfer.csv(items)
}

/// Gives the person with the address a role in the organisation (by its slug): an operator's command, for the
/// first administrator of an organisation and for checks. Returns a Danish line saying what was done; the
/// refusal is a `SamspilError` with a Danish message (unknown person, organisation or role).
public func addMember(email: String, organisation slug: String, role rawRole: String, on app: Application) async throws -> String {
    try await migrateDatabase(app)
    guard let user = try await AccountQueries.find(email: EmailAddress.normalise(email), on: app.db) else {
        throw SamspilError.notFound("Der er ingen konto med adressen \(email).")
    }
    guard let stored = try await OrganisationStore.find(slug: slug, on: app.db) else {
        throw SamspilError.notFound("Organisationen \"\(slug)\" findes ikke.")
    }
    guard let role = OrganisationRole(rawValue: rawRole), stored.organisation.kind.roles.contains(role) else {
        throw SamspilError.invalid([FieldProblem(field: "role", message: "Vælg en af rollerne for \(DanishText.midSentence(stored.organisation.kind.label)): "
            + stored.organisation.kind.roles.map(\.rawValue).joined(separator: ", ") + ".")])
    }
    try await MembershipQueries.add(user: try user.requireID(), organisation: stored.id, role: role, now: app.samspil.clock(), on: app.db)
    return "\(user.email) er \(DanishText.midSentence(role.label)) i \(stored.organisation.name)."
}

/// Loads the fictional demo organisations (`Resources/Demo/organisationer.csv`): the reference data first, then
/// the file as an import, so running it again changes nothing. Returns the import's summary.
public func loadDemoOrganisations(on app: Application) async throws -> String {
    let result = try await importOrganisations(try AppResources.data("Demo/organisationer.csv"), dryRun: false, skipRefused: false, on: app)
    guard result.written else { throw ContentImportError(lines: result.lines) }
    return result.summary
}
