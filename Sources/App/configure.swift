import Fluent
import Foundation
import Vapor

/// Configures an application: database, middleware, routes. Does not migrate or seed
/// (see `prepareDatabase`), so tests and commands decide when that happens.
public func configure(_ app: Application, settings: AppSettings, clock: @escaping @Sendable () -> Date = { Date() }) throws {
    app.samspil = SamspilContext(settings: settings, clock: clock)
    try DatabaseSetup.use(settings.database, on: app)
    app.migrations.add(Migrations.all)

    app.routes.defaultMaxBodySize = "64kb"
    app.middleware = Middlewares()
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(SecurityHeaders())
    app.middleware.use(ErrorResponder())
    app.middleware.use(PageCacheMiddleware(cache: app.samspil.pageCache))
    app.middleware.use(CurrentAccountMiddleware(cache: app.samspil.sessionCache))
    Routes.register(on: app)
    // Last, inside ErrorResponder (which turns its refusal into a page or problem+json), and after the routes,
    // from which it learns what each path accepts.
    app.middleware.use(MethodNotAllowed(routes: app.routes))
}

/// Migrates the database and, when configured, loads the seed (once per database).
public func prepareDatabase(_ app: Application) async throws {
    try await DatabaseSetup.prepare(app.samspil.settings.database, on: app)
    if app.samspil.settings.loadSeed {
        try await SeedLoader.loadIfNeeded(now: app.samspil.clock(), on: app.db, logger: app.logger)
    }
    // A database from before the search index existed (or restored without it) gets its index built once.
    if try await SearchIndexer.needsBuilding(on: app.db) {
        let count = try await SearchIndexer.reindexAll(on: app.db)
        app.logger.notice("search index built", metadata: ["materials": .stringConvertible(count)])
    }
}

/// Builds this process's in-memory search index before the first search needs it (`serve` calls it,
/// so the first user does not wait for it on a large index).
public func warmUpSearch(_ app: Application) async throws {
    let index = try await app.samspil.searchEngine.current(on: app.db).index
    app.logger.info("search index loaded", metadata: [
        "documents": .stringConvertible(index.liveDocuments), "terms": .stringConvertible(index.vocabulary.count),
    ])
}

/// Rebuilds the search index from the stored materials (`samspil reindex`).
public func rebuildSearchIndex(_ app: Application, progress: (@Sendable (Int, Int) async throws -> Void)? = nil) async throws -> Int {
    try await SearchIndexer.reindexAll(on: app.db, progress: progress)
}

/// What the application knows beyond Vapor's own configuration.
public struct SamspilContext: Sendable {
    public var settings: AppSettings
    public var clock: @Sendable () -> Date
    /// This process's in-memory search index.
    let searchEngine: SearchEngine
    /// This process's index of the directory.
    let organisationSearch = OrganisationSearch()
    /// The published cases, found beside the materials on the search page.
    let caseSearch = CaseSearch()
    /// Single sign-on providers' discovery documents and keys.
    let signOnCache = OpenIDConnect.Cache()
    /// The vocabularies this process read last (for search results).
    let vocabularies = VocabularyCache()
    /// Rendered public pages (`SAMSPIL_PAGE_CACHE_MB`).
    let pageCache: PageCache
    /// Sessions this process looked up in the last half second.
    let sessionCache = SessionCache()
    /// Password hashing, with this process's limit on hashings at once.
    let passwordHashing: PasswordHashing

    init(settings: AppSettings, clock: @escaping @Sendable () -> Date) {
        self.settings = settings
        self.clock = clock
        pageCache = PageCache(budgetBytes: settings.pageCacheMegabytes * 1_048_576)
        searchEngine = SearchEngine(revisions: pageCache)
        passwordHashing = PasswordHashing(cost: settings.bcryptCost)
    }

    var site: SiteInfo { SiteInfo(publicURL: settings.publicURL, contactEmail: settings.contactEmail) }
}

extension Application {
    private struct SamspilKey: StorageKey {
        typealias Value = SamspilContext
    }

    public var samspil: SamspilContext {
        get {
            guard let context = storage[SamspilKey.self] else { fatalError("configure(_:settings:) has not run") }
            return context
        }
        set { storage[SamspilKey.self] = newValue }
    }
}

extension Request {
    /// What the page shell needs: the site's facts and who is looking (a logged-in person's header is theirs).
    var site: SiteInfo {
        var site = application.samspil.site
        if let session = currentSession {
            site.viewer = SiteInfo.Viewer(name: session.account.name, csrfToken: session.csrfToken, isEditor: session.account.role.includes(.editor))
        }
        return site
    }
}
