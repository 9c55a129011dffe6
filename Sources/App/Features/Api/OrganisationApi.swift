import Foundation
import SamspilCore
import Vapor

/// `/api/v1/organisations`, `/api/v1/organisations/{slug}` (GET, and PATCH with a token) and
/// `/api/v1/municipalities`. The same queries as the directory's pages; changes go through `OrganisationSaving`,
/// so `Permissions` decides who may make them.
enum OrganisationApi {
    static func list(_ req: Request) async throws -> OrganisationListDTO {
        let codes = try await OrganisationQueries.codes(on: req.db)
        let parameters = req.url.queryItems.map { (name: $0.name, value: $0.value ?? "") }
        let query = try OrganisationQuery.parse(parameters, municipalities: codes.municipalities, regions: codes.regions)
        let page = try await OrganisationQueries.directory(query, search: req.application.samspil.organisationSearch, on: req.db)
        let stored = try await OrganisationStore.find(slugs: page.items.items.map(\.slug), on: req.db)
        let labels = try await OrganisationDTO.Labels.load(on: req.db)
        return OrganisationListDTO(
            items: stored.map { OrganisationDTO($0.organisation, updatedAt: $0.updatedAt, labels: labels, site: req.site) },
            total: page.items.total, limit: query.page.limit, offset: query.page.offset)
    }

    /// An approved organisation; a pending one too for a token whose account may see it. `ETag`: its revision.
    static func get(_ req: Request) async throws -> Response {
        if let unknown = req.url.queryItems.first {
            throw SamspilError.invalid([FieldProblem(field: unknown.name, message: "er ikke en kendt parameter her.")])
        }
        var account: Account?
        if let token = req.headers.bearerAuthorization?.token {
            guard let found = try await ApiTokenQueries.account(token: token, now: req.application.samspil.clock(), on: req.db) else {
                throw RequireApiToken.unauthorized
            }
            account = found
        }
        let stored = try await visible(req.parameters.get(SitePath.slug) ?? "", account: account, req)
        return try await respond(stored, req)
    }

    static func municipalities(_ req: Request) async throws -> MunicipalityListDTO {
        if let unknown = req.url.queryItems.first {
            throw SamspilError.invalid([FieldProblem(field: unknown.name, message: "er ikke en kendt parameter her.")])
        }
        let entries = try await OrganisationQueries.municipalities(on: req.db)
        return MunicipalityListDTO(items: entries.map {
            MunicipalityDTO(code: $0.code, name: $0.name, slug: $0.slug, regionCode: $0.regionCode, region: $0.region,
                            organisations: $0.organisations, url: req.site.absolute(SitePath.directory(.municipality($0.slug)).href))
        })
    }

    /// A JSON Merge Patch of the details in `OrganisationPatch`; `If-Match` guards against changes in between.
    static func patch(_ req: Request) async throws -> Response {
        let account = try req.requireApiAccount()
        let stored = try await visible(req.parameters.get(SitePath.slug) ?? "", account: account, req)
        let object = try MaterialInput.object(req)
        let expected = try MaterialWriteApi.ifMatch(req)
        let organisation = try apply(object, to: stored.organisation)
        let saved = try await OrganisationSaving.update(organisation, by: account, now: req.application.samspil.clock(),
                                                        expectedRevision: expected ?? stored.revision, on: req.db)
        return try await respond(saved, req)
    }

    /// The organisation of the path if this account (nil: anonymous) may see it; 404 otherwise, as if it did not exist.
    private static func visible(_ slug: String, account: Account?, _ req: Request) async throws -> StoredOrganisation {
        guard let stored = try await OrganisationStore.find(slug: slug, on: req.db), stored.organisation.kind != .municipality,
              Permissions.allows(try await MembershipQueries.actor(for: account, on: req.db), .view, on: stored.resource) else {
            throw SamspilError.notFound("Organisationen \"\(slug)\" findes ikke.")
        }
        return stored
    }

    private static func respond(_ stored: StoredOrganisation, _ req: Request) async throws -> Response {
        let dto = OrganisationDTO(stored.organisation, updatedAt: stored.updatedAt, labels: try await .load(on: req.db), site: req.site)
        let response = try await dto.encodeResponse(for: req)
        response.headers.replaceOrAdd(name: .eTag, value: "\"\(stored.revision)\"")
        return response
    }

    /// The members of `OrganisationPatch` applied to `organisation`; each member's JSON type and length (code points,
    /// as the document counts them) checked, every problem named. Texts are kept as sent, so what the document
    /// allows is what is stored; an empty text clears the field.
    static func apply(_ object: [String: JSONValue], to organisation: Organisation) throws -> Organisation {
        var result = organisation
        var problems: [FieldProblem] = []
        func text(_ key: String, _ value: JSONValue, max: Int) -> String?? {
            switch value {
            case .null: return .some(nil)
            case .string(let text):
                if text.unicodeScalars.count > max {
                    problems.append(FieldProblem(field: key, message: "Gør teksten kortere: den må højst have \(DanishText.number(max)) tegn."))
                    return .none
                }
                return .some(text.isEmpty ? nil : text)
            default:
                problems.append(FieldProblem(field: key, message: "Har en forkert type (forventede tekst eller null)."))
                return .none
            }
        }
        func list(_ key: String, _ value: JSONValue) -> [String]? {
            switch value {
            case .null: return []
            case .array(let items):
                var strings: [String] = []
                for (index, item) in items.enumerated() {
                    guard case .string(let string) = item else {
                        problems.append(FieldProblem(field: "\(key)[\(index)]", message: "Har en forkert type (forventede tekst)."))
                        continue
                    }
                    if strings.contains(string) {
                        problems.append(FieldProblem(field: "\(key)[\(index)]", message: "Står der allerede; nævn hvert kun én gang."))
                    }
                    strings.append(string)
                }
                return strings
            default:
                problems.append(FieldProblem(field: key, message: "Har en forkert type (forventede en liste eller null)."))
                return nil
            }
        }
        let short = OrganisationRules.shortTextMaxLength
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            switch key {
            case "name":
                if value == .null { problems.append(FieldProblem(field: key, message: "Kan ikke fjernes: en organisation skal have et navn.")) }
                else if let name = text(key, value, max: OrganisationRules.nameMaxLength) {
                    result.name = (name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                }
            case "street": if let value = text(key, value, max: short) { result.address.street = value }
            case "postcode": if let value = text(key, value, max: short) { result.address.postcode = value }
            case "town": if let value = text(key, value, max: short) { result.address.town = value }
            case "accessibility": if let value = text(key, value, max: short) { result.accessibility = value }
            case "description":
                if let value = text(key, value, max: OrganisationRules.descriptionMaxLength) { result.description = value ?? "" }
            case "subjects": if let value = list(key, value) { result.subjects = value }
            case "gradeLevels": if let value = list(key, value) { result.gradeLevels = value }
            default: problems.append(FieldProblem(field: key, message: "Kendes ikke eller kan ikke ændres her."))
            }
        }
        if !problems.isEmpty { throw SamspilError.unprocessable(problems) }
        return result
    }
}
