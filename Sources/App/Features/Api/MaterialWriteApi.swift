import Fluent
import Foundation
import SamspilCore
import Vapor

/// `POST /api/v1/materials`, `PUT`, `PATCH` and `DELETE /api/v1/materials/{slug}`, for holders of a personal
/// API token (`RequireApiToken`). The same rules and the same saving as the editor's pages (`MaterialSaving`);
/// problems come back as problem+json with one entry per field. `ETag` carries the material's revision; send
/// it back in `If-Match` and a change made in between is refused with 412 instead of overwritten.
enum MaterialWriteApi {
    static func create(_ req: Request) async throws -> Response {
        let vocabularies = try await VocabularyQueries.load(on: req.db)
        var object = try MaterialInput.object(req)
        if object["slug"] == nil {
            // Without a title (or with one that is not text) the slug made is a placeholder: the title's problem is
            // the one to report.
            let title = if case .string(let title)? = object["title"] { title } else { "" }
            object["slug"] = .string(MaterialInput.slug(fromTitle: title))
        }
        let material = try MaterialInput.material(from: object, vocabularies: vocabularies)
        let revision = try await MaterialSaving.create(material, by: try req.requireApiAccount(), now: req.application.samspil.clock(),
                                                       vocabularies: vocabularies, on: req.db)
        let response = try await saved(material.slug, revision: revision, vocabularies: vocabularies, req, status: .created)
        response.headers.replaceOrAdd(name: .location, value: SitePath.api(.material(material.slug)).href)
        return response
    }

    /// PUT replaces every field (absent ones become empty); PATCH is a JSON Merge Patch (RFC 7396) of the
    /// stored material. Versions (files and links) are kept: they are managed in the browser.
    static func replace(_ req: Request) async throws -> Response { try await update(req, patch: false) }
    static func patch(_ req: Request) async throws -> Response { try await update(req, patch: true) }

    private static func update(_ req: Request, patch: Bool) async throws -> Response {
        let (existing, revisionRead) = try await MaterialQueries.requireWithRevision(slug: req.parameters.get(SitePath.slug) ?? "", on: req.db)
        let vocabularies = try await VocabularyQueries.load(on: req.db)
        var object = try MaterialInput.object(req)
        // The slug is the path's; a body may not name one, not even the same (the document's bodies have none).
        if object["slug"] != nil {
            throw SamspilError.unprocessable([FieldProblem(field: "slug", message: "kan ikke ændres her; adressen står i stien.")])
        }
        if patch {
            // A member the material does not have is refused even when it is `null`: the merge would silently drop
            // it (RFC 7396), and the document allows no other members.
            let unknown = MaterialInput.unknownMembers(of: object)
            if !unknown.isEmpty { throw SamspilError.unprocessable(unknown) }
            if case .object(let merged) = JSONValue.mergePatch(.object(MaterialInput.object(of: existing)), .object(object)) { object = merged }
        }
        object["slug"] = .string(existing.slug)
        var material = try MaterialInput.material(from: object, vocabularies: vocabularies)
        material.versions = existing.versions
        material.createdAt = existing.createdAt
        // The change is based on the revision read with the material (or the one the client names): a save in
        // between is never overwritten.
        let expected = try ifMatch(req)
        guard let revision = try await MaterialSaving.update(material, startedFrom: expected ?? revisionRead, by: try req.requireApiAccount(),
                                                             now: req.application.samspil.clock(), vocabularies: vocabularies, on: req.db)
        else {
            if expected != nil { throw MaterialSaving.stale(existing.slug) }
            throw SamspilError.conflict("Materialet \"\(existing.slug)\" blev ændret samtidig. Intet er ændret; prøv igen.")
        }
        return try await saved(existing.slug, revision: revision, vocabularies: vocabularies, req, status: .ok)
    }

    static func delete(_ req: Request) async throws -> Response {
        let (existing, _) = try await MaterialQueries.requireWithRevision(slug: req.parameters.get(SitePath.slug) ?? "", on: req.db)
        try await MaterialSaving.delete(slug: existing.slug, expected: try ifMatch(req), by: try req.requireApiAccount(),
                                        now: req.application.samspil.clock(), on: req.db)
        return Response(status: .noContent)
    }

    // MARK: helpers

    /// The revision in `If-Match` (`"7"` or `W/"7"`), nil when the header is absent or `*`. Exactly the
    /// document's pattern `^(\*|(W/)?"[0-9]{1,18}")?$`: digits only (no sign), and few enough to be an `Int`.
    /// An empty value is an empty list of ETags (RFC 9110 §13.1.1), which no revision matches: it gives 0, which
    /// no material has (revisions start at 1), so the change is refused with 412 rather than made unguarded.
    static func ifMatch(_ req: Request) throws -> Int? {
        guard let header = req.headers.first(name: .ifMatch)?.trimmingCharacters(in: .whitespaces), header != "*" else { return nil }
        if header.isEmpty { return 0 }
        let tag = header.hasPrefix("W/") ? header.utf8.dropFirst(2) : header.utf8[...]
        let digits = tag.dropFirst().dropLast()
        guard tag.count >= 3, tag.first == UInt8(ascii: "\""), tag.last == UInt8(ascii: "\""), digits.count <= 18,
              digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }), let revision = Int(String(decoding: digits, as: UTF8.self))
        else {
            throw SamspilError.invalid([FieldProblem(field: "If-Match", message: "skal være materialets ETag, fx \"3\".")])
        }
        return revision
    }

    /// The stored material as the API shows it (drafts too), with its revision as ETag.
    private static func saved(_ slug: String, revision: Int, vocabularies: Vocabularies, _ req: Request, status: HTTPStatus) async throws -> Response {
        let material = try await MaterialQueries.find(slug: slug, visibility: .all, on: req.db)
        guard let material else { throw SamspilError.notFound("Materialet \"\(slug)\" findes ikke.") }
        let publisher = try await OrganisationQueries.publishers(ofMaterials: [slug], on: req.db)[slug]
        let response = try await MaterialDTO(material, vocabularies: vocabularies, site: req.site, publisher: publisher)
            .encodeResponse(status: status, for: req)
        response.headers.replaceOrAdd(name: .eTag, value: "\"\(revision)\"")
        return response
    }
}

/// The JSON a client sends for a material: the fields of `MaterialDTO` that can be written, by the same
/// names. Each field is checked for its JSON type here; the rules of content are `MaterialRules`'.
enum MaterialInput {
    static let fields: Set<String> = [
        "slug", "title", "genre", "type", "teaser", "body", "credits", "year", "language", "readingMinutes", "audiences", "topics", "status",
    ]
    static let creditFields: Set<String> = ["kind", "persons", "organisation"]

    /// The slug of a material created without one: made from the title, cut at a hyphen to fit, so that every
    /// title gives a usable slug; `materiale` when the title gives none (no letters or digits) or a reserved one.
    static func slug(fromTitle title: String) -> String {
        var slug = Slug.make(from: title)
        if slug.count > Slug.maxLength {
            // Whole words where there is a hyphen to cut at (a made slug has none at either end).
            let head = slug.prefix(Slug.maxLength + 1)
            slug = String(head.lastIndex(of: "-").map { head[..<$0] } ?? head.prefix(Slug.maxLength))
        }
        return slug.isEmpty || Slug.reserved.contains(slug) ? "materiale" : slug
    }

    /// The request body as a JSON object.
    static func object(_ req: Request) throws -> [String: JSONValue] {
        guard let buffer = req.body.data, buffer.readableBytes > 0 else {
            throw SamspilError.invalid([FieldProblem(field: "body", message: "mangler: send materialet som JSON.")])
        }
        guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView)) else {
            throw SamspilError.invalid([FieldProblem(field: "body", message: "er ikke et JSON-objekt.")])
        }
        return object
    }

    /// A stored material as input (what PATCH merges into).
    static func object(of material: Material) -> [String: JSONValue] {
        func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        return [
            "slug": .string(material.slug), "title": .string(material.title), "genre": optional(material.genre?.rawValue),
            "type": .string(material.type), "teaser": .string(material.teaser), "body": .string(material.body),
            "credits": .object([
                "kind": .string(material.credits.kind.rawValue), "persons": .array(material.credits.persons.map(JSONValue.string)),
                "organisation": optional(material.credits.organisation),
            ]),
            "year": material.year.map(JSONValue.integer) ?? .null, "language": .string(material.language.rawValue),
            "readingMinutes": material.readingMinutes.map(JSONValue.integer) ?? .null,
            "audiences": .array(material.audiences.map(JSONValue.string)), "topics": .array(material.topics.map(JSONValue.string)),
            "status": .string(material.status.rawValue),
        ]
    }

    /// A problem for each member of `object` (and of its `credits`) that a material does not have.
    static func unknownMembers(of object: [String: JSONValue]) -> [FieldProblem] {
        var problems = object.keys.sorted().filter { !fields.contains($0) }.map { key in
            FieldProblem(field: key, message: key == "versions" ? "kan ikke skrives gennem API'et; filer og links tilføjes i browseren." : "er ikke et kendt felt.")
        }
        if case .object(let credits)? = object["credits"] {
            problems += credits.keys.sorted().filter { !creditFields.contains($0) }.map { FieldProblem(field: "credits.\($0)", message: "er ikke et kendt felt.") }
        }
        return problems
    }

    /// The material an input object describes; throws `.unprocessable` with every problem found.
    static func material(from object: [String: JSONValue], vocabularies: Vocabularies) throws -> Material {
        var problems: [FieldProblem] = []
        func problem(_ field: String, _ message: String) { problems.append(FieldProblem(field: field, message: message)) }
        problems += unknownMembers(of: object)
        // Lengths are counted here as the OpenAPI document counts them (`maxLength`: Unicode code points) and as
        // sent, before trimming and line-break normalising: `MaterialRules` counts characters after those, which
        // is never more, so the two agree on what they allow and the document stays exact. U+0000 is refused by
        // the rules (`TextRules`), for every text the document describes.
        func text(_ value: JSONValue?, _ field: String, maxLength: Int? = nil) -> String? {
            switch value {
            case nil, .null?: return nil
            case .string(let text)?:
                if let maxLength, text.unicodeScalars.count > maxLength { problem(field, "må højst være \(maxLength) tegn.") }
                return text
            default: problem(field, "skal være en tekst."); return nil
            }
        }
        // JSON has one kind of number; 2023.0 is an integer to JSON Schema, so it is one here too.
        func integer(_ value: JSONValue?, _ field: String) -> Int? {
            switch value {
            case nil, .null?: return nil
            case .integer(let number)?: return number
            case .number(let number)? where Int(exactly: number) != nil: return Int(exactly: number)
            default: problem(field, "skal være et helt tal."); return nil
            }
        }
        // A list may be null or absent (empty), but its items are texts: a null item is not skipped.
        func texts(_ value: JSONValue?, _ field: String) -> [String] {
            switch value {
            case nil, .null?: return []
            case .array(let items)?:
                return items.enumerated().compactMap { item in
                    let path = "\(field)[\(item.offset)]"
                    if item.element == .null { problem(path, "skal være en tekst."); return nil }
                    return text(item.element, path)
                }
            default: problem(field, "skal være en liste af tekster."); return []
            }
        }
        func choice<T: RawRepresentable>(_ value: JSONValue?, _ field: String, _ type: T.Type, allowed: [String]) -> T? where T.RawValue == String {
            guard let raw = text(value, field) else { return nil }
            guard let chosen = T(rawValue: raw) else {
                problem(field, "\"\(raw)\" er ikke en af \(allowed.joined(separator: ", "))."); return nil
            }
            return chosen
        }
        var creditsObject: [String: JSONValue] = [:]
        switch object["credits"] {
        case nil, .null?: break
        case .object(let members)?:
            creditsObject = members
        default: problem("credits", "skal være et objekt med kind, persons og organisation.")
        }
        let organisation = text(creditsObject["organisation"], "credits.organisation")?.trimmingCharacters(in: .whitespacesAndNewlines)
        let material = Material(
            slug: text(object["slug"], "slug") ?? "",
            title: (text(object["title"], "title", maxLength: MaterialRules.titleMaxLength) ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
            genre: choice(object["genre"], "genre", Genre.self, allowed: Genre.allCases.map(\.rawValue)),
            type: text(object["type"], "type") ?? "",
            teaser: Markdown.normalisingLineBreaks(text(object["teaser"], "teaser", maxLength: MaterialRules.teaserMaxLength) ?? "")
                .trimmingCharacters(in: .whitespacesAndNewlines),
            body: Markdown.normalisingLineBreaks(text(object["body"], "body", maxLength: MaterialRules.bodyMaxLength) ?? ""),
            credits: Credits(
                kind: choice(creditsObject["kind"], "credits.kind", Credits.Kind.self, allowed: Credits.Kind.allCases.map(\.rawValue)) ?? .developed,
                persons: texts(creditsObject["persons"], "credits.persons"),
                organisation: (organisation ?? "").isEmpty ? nil : organisation
            ),
            year: integer(object["year"], "year"),
            language: choice(object["language"], "language", Language.self, allowed: Language.allCases.map(\.rawValue)) ?? .danish,
            readingMinutes: integer(object["readingMinutes"], "readingMinutes"),
            audiences: texts(object["audiences"], "audiences"),
            topics: texts(object["topics"], "topics"),
            status: choice(object["status"], "status", PublicationStatus.self, allowed: PublicationStatus.allCases.map(\.rawValue)) ?? .draft
        )
        // A length problem found above is found again by the rules when the trimmed text is still too long.
        for rule in MaterialRules.problems(material, vocabularies: vocabularies) where !problems.contains(rule) { problems.append(rule) }
        if !problems.isEmpty { throw SamspilError.unprocessable(problems) }
        return material
    }
}
