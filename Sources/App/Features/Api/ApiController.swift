import Foundation
import SamspilCore
import SamspilSearch
import Vapor

/// `/api/v1`: the same queries as the pages, as JSON.
enum ApiController {
    static func listMaterials(_ req: Request) async throws -> MaterialListDTO {
        let vocabularies = try await VocabularyQueries.load(on: req.db)
        let parameters = req.url.queryItems.map { (name: $0.name, value: $0.value ?? "") }
        let themes = try await ThemeQueries.slugsToCheck(parameters, on: req.db)
        let query = try MaterialQuery.parse(parameters, vocabularies: vocabularies, themes: themes)
        let page = try await MaterialQueries.page(query, on: req.db)
        let publishers = try await OrganisationQueries.publishers(ofMaterials: page.items.map(\.slug), on: req.db)
        return MaterialListDTO(
            items: page.items.map { MaterialDTO($0, vocabularies: vocabularies, site: req.site, publisher: publishers[$0.slug]) },
            total: page.total, limit: page.request.limit, offset: page.request.offset
        )
    }

    /// A published material; with a valid API token (`Authorization: Bearer`), drafts too. The `ETag` is the
    /// revision to send in `If-Match` with a change.
    static func getMaterial(_ req: Request) async throws -> Response {
        try rejectQuery(req)
        let slug = req.parameters.get(SitePath.slug) ?? ""
        var visibility = MaterialQueries.Visibility.publishedOnly
        if let token = req.headers.bearerAuthorization?.token {
            guard let account = try await ApiTokenQueries.account(token: token, now: req.application.samspil.clock(), on: req.db) else {
                throw RequireApiToken.unauthorized
            }
            if account.role.includes(.editor) { visibility = .all }
        }
        // The revision first: if a save comes in between, the ETag is older than the body, never newer.
        guard let revision = try await MaterialQueries.revision(slug: slug, on: req.db),
              let material = try await MaterialQueries.find(slug: slug, visibility: visibility, on: req.db) else {
            throw SamspilError.notFound("Materialet \"\(slug)\" findes ikke.")
        }
        let publisher = try await OrganisationQueries.publishers(ofMaterials: [material.slug], on: req.db)[material.slug]
        let response = try await MaterialDTO(material, vocabularies: try await VocabularyQueries.load(on: req.db), site: req.site, publisher: publisher)
            .encodeResponse(for: req)
        response.headers.replaceOrAdd(name: .eTag, value: "\"\(revision)\"")
        return response
    }

    static func listThemes(_ req: Request) async throws -> ThemeListDTO {
        try rejectQuery(req)
        let themes = try await ThemeQueries.all(on: req.db)
        var items: [ThemeDTO] = []
        for theme in themes {
            let published = try await ThemeQueries.materials(of: theme, on: req.db).map(\.slug)
            items.append(dto(theme, materialSlugs: published, materials: nil, site: req.site))
        }
        return ThemeListDTO(items: items)
    }

    static func getTheme(_ req: Request) async throws -> ThemeDTO {
        try rejectQuery(req)
        let theme = try await ThemeQueries.require(slug: req.parameters.get(SitePath.slug) ?? "", on: req.db)
        let materials = try await ThemeQueries.materials(of: theme, on: req.db)
        let vocabularies = try await VocabularyQueries.load(on: req.db)
        let publishers = try await OrganisationQueries.publishers(ofMaterials: materials.map(\.slug), on: req.db)
        return dto(theme, materialSlugs: materials.map(\.slug),
                   materials: materials.map { MaterialDTO($0, vocabularies: vocabularies, site: req.site, publisher: publishers[$0.slug]) }, site: req.site)
    }

    static func vocabularies(_ req: Request) async throws -> VocabulariesDTO {
        try rejectQuery(req)
        let vocabularies = try await VocabularyQueries.load(on: req.db)
        return VocabulariesDTO(
            materialTypes: vocabularies.materialTypes.map { .init(slug: $0.slug, label: $0.label, pluralLabel: $0.displayPlural) },
            audiences: vocabularies.audiences.map { TermDTO(slug: $0.slug, label: $0.label) },
            topics: vocabularies.topics.map { TermDTO(slug: $0.slug, label: $0.label) },
            genres: Genre.allCases.map { TermDTO(slug: $0.rawValue, label: $0.label) },
            languages: Language.allCases.map { TermDTO(slug: $0.rawValue, label: $0.label) }
        )
    }

    static func search(_ req: Request) async throws -> Response {
        let clock = ContinuousClock()
        let start = clock.now
        let (dto, databaseTime) = try await searchResult(req)
        let searched = clock.now
        var headers = HTTPHeaders()
        headers.contentType = .json
        let response = Response(status: .ok, headers: headers, body: .init(buffer: ByteBuffer(bytes: try JSONWriter.bytes(of: dto))))
        response.headers.replaceOrAdd(name: "Server-Timing", value: ServerTiming.header(
            database: databaseTime, search: searched - start, render: clock.now - searched))
        return response
    }

    static func searchResult(_ req: Request) async throws -> (SearchResultDTO, Duration) {
        let parameters = req.url.queryItems.map { (name: $0.name, value: $0.value ?? "") }
        let themes = try await ThemeQueries.slugsToCheck(parameters, on: req.db)
        // The vocabularies check the type, audience and topic filters (read for that before the search) and
        // label the result: without those filters, this process's copy does, if the search found it current.
        let filtersByVocabulary = parameters.contains { MaterialQuery.vocabularyParameterNames.contains($0.name) }
        let checking = filtersByVocabulary ? try await VocabularyQueries.load(on: req.db) : Vocabularies()
        let query = try MaterialQuery.parse(parameters, vocabularies: checking, themes: themes,
                                            names: MaterialQuery.searchParameterNames, sorts: [.relevance, .newest])
        let result = try await SearchQueries.search(query, engine: req.application.samspil.searchEngine, on: req.db)
        let vocabularies = filtersByVocabulary
            ? checking : try await req.application.samspil.vocabularies.vocabularies(at: result.vocabularyRevision, on: req.db)
        func values(_ counts: [String: Int], _ kind: VocabularyKind) -> [SearchResultDTO.FacetValueDTO] {
            vocabularies.terms(kind).compactMap { term in counts[term.slug].map { .init(value: term.slug, label: term.label, count: $0) } }
        }
        let facets = SearchResultDTO.FacetsDTO(
            type: values(result.facets.types, .materialType),
            audience: values(result.facets.audiences, .audience),
            topic: values(result.facets.topics, .topic),
            year: result.facets.years.keys.sorted(by: >).map { .init(value: String($0), label: String($0), count: result.facets.years[$0]!) },
            language: Language.allCases.compactMap { language in
                result.facets.languages[language.rawValue].map { .init(value: language.rawValue, label: language.label, count: $0) }
            }
        )
        let publishers = try await OrganisationQueries.publishers(ofMaterials: result.hits.items.map(\.material.slug), on: req.db)
        return (SearchResultDTO(
            query: query.text ?? "", total: result.hits.total, limit: query.page.limit, offset: query.page.offset,
            sort: query.sort.rawValue,
            items: result.hits.items.map { hit in
                .init(material: MaterialDTO(hit.material, vocabularies: vocabularies, site: req.site, publisher: publishers[hit.material.slug]),
                      score: hit.score,
                      snippet: (hit.snippet?.parts ?? [.init(hit.material.teaser, highlighted: false)]).map { .init(text: $0.text, highlighted: $0.highlighted) })
            },
            facets: facets, suggestion: result.suggestion,
            partial: result.partial.map { .init(matchedWords: $0.matched, queryWords: $0.of) }
        ), result.databaseTime)
    }

    /// The document names the slugs that exist now (`OpenAPIDocument`), so it is read fresh each time.
    static func openAPI(_ req: Request) async throws -> Response {
        try rejectQuery(req)
        let vocabularies = try await VocabularyQueries.load(on: req.db)
        let themes = try await ThemeQueries.allSlugs(on: req.db)
        var headers = HTTPHeaders()
        headers.contentType = .json
        let codes = try await OrganisationQueries.codes(on: req.db)
        let organisationReference = try await OrganisationStore.reference(on: req.db)
        let reference = OpenAPIDocument.Reference(
            municipalities: codes.municipalities.sorted(), regions: codes.regions.sorted(),
            subjects: organisationReference.subjects.sorted(), gradeLevels: organisationReference.gradeLevels.sorted(),
            partnershipForms: try await PartnershipQueries.forms(on: req.db).map(\.slug))
        return Response(status: .ok, headers: headers, body: .init(data: try OpenAPIDocument.data(vocabularies: vocabularies, themes: themes,
                                                                                                    reference: reference)))
    }

    private static func dto(_ theme: Theme, materialSlugs: [String], materials: [MaterialDTO]?, site: SiteInfo) -> ThemeDTO {
        ThemeDTO(slug: theme.slug, title: theme.title, section: theme.section, intro: theme.intro,
                 materialSlugs: materialSlugs, materials: materials, url: site.absolute(SitePath.theme(theme.slug).href))
    }

    /// Endpoints without parameters refuse any, so a typo is not silently ignored.
    private static func rejectQuery(_ req: Request) throws {
        let items = req.url.queryItems
        if !items.isEmpty {
            throw SamspilError.invalid(items.map { FieldProblem(field: $0.name, message: "er ikke en kendt parameter her.") })
        }
    }
}
