import Vapor

/// Every path of the site and the API. Routes are registered from these and links are made from them,
/// so a link cannot point to a route that does not exist.
/// A parameter case given a `:name` placeholder yields the route pattern (see `SitePath.pattern`).
enum SitePath: Equatable, Sendable {
    case home
    case themes
    case theme(String)
    case themeFeed(String)
    case materials
    case material(String)
    case types
    case type(String)
    case audiences
    case audience(String)
    case topics
    case topic(String)
    case years
    case year(String)
    case search
    case login
    case logout
    case forgotPassword
    case resetPassword
    case editorHome
    case users
    case newUser
    case auditLog
    case myData
    case myDataDownload
    case deleteUser
    case disableUser
    case enableUser
    case editMaterials
    case newMaterial
    case editMaterial(String)
    case deleteMaterial(String)
    case previewMaterial(String)
    case uploadVersion(String)
    case materialVersions(String)
    case materialHistory(String)
    case materialRevision(String, String)
    case restoreRevision(String, String)
    case apiTokens
    case editThemes
    case newTheme
    case editTheme(String)
    case themeMaterials(String)
    case previewTheme(String)
    case deleteTheme(String)
    case revokeApiToken
    case file(String, String)
    case accessibility
    case privacy
    case feed
    case sitemap
    case robots
    case asset(String)
    case health
    case ready
    case directory(DirectoryPath)
    case api(ApiPath)
    case account(AccountPath)
    case membership(MembershipPath)
    case partnership(PartnershipPath)
    case tool(ToolPath)
    /// A person's secret calendar address (iCalendar), by its token.
    case calendarFeed(String)

    /// The directory of organisations and the municipalities.
    enum DirectoryPath: Equatable, Sendable {
        case list
        case csv
        case json
        case organisation(String)
        case new
        case edit(String)
        case approve(String)
        case pending
        case importFile
        case municipalities
        case municipality(String)
    }

    /// Who belongs to an organisation: its members, asking to join, invitations.
    enum MembershipPath: Equatable, Sendable {
        case members(String)
        case join(String)
        case invite(String)
        case decide(String)
        case giveRole(String)
        case removeRole(String)
        case invitation
    }

    /// Partnerships: a person's list, the guided creation, a partnership's pages, a municipality's list.
    enum PartnershipPath: Equatable, Sendable {
        case mine
        case new
        case invitation
        case calendars
        case municipality(String)
        case municipalityCSV(String)
        case show(String)
        case edit(String)
        case transition(String)
        case parties(String)
        case agreement(String)
        case agreementPrint(String)
        case accept(String)
        case activities(String)
        case activity(String, String)
        case comment(String)
        case evaluation(String, String)
        case calendar(String)
        case publish(String)
        case documents(String)
        case document(String, String, String)
        case removeDocument(String, String)
        /// Administrators' list of the forms of partnership (the typology), and one form.
        case forms
        case form(String)
        /// A person's choice of mails about partnerships: one by one, or a daily digest.
        case notifications
        /// Published cases, for anyone.
        case cases
        case publicCase(String)
    }

    /// Tools and the worksheets filled in from them; the editors' pages of tools; a municipality's overview.
    enum ToolPath: Equatable, Sendable {
        case list
        case show(String)
        case start(String)
        case municipality(String)
        case worksheets
        case worksheet(String)
        case item(String, String)
        case itemComment(String, String)
        case print(String)
        case csv(String)
        case json(String)
        case move(String)
        case share(String)
        case delete(String)
        case edit
        case new
        case importFile
        case change(String)
        case versions(String)
    }

    /// A person's own pages: making an account, confirming its address, "Min side".
    enum AccountPath: Equatable, Sendable {
        case signUp
        case verifyEmail
        case mySpace
        case resendVerification
        /// Leaving for a single sign-on provider (by its id), and coming back from it.
        case signOnStart(String)
        case signOnCallback(String)
    }

    enum ApiPath: Equatable, Sendable {
        case materials
        case material(String)
        case themes
        case theme(String)
        case vocabularies
        case search
        case openAPI
        case organisations
        case organisation(String)
        case municipalities
        case partnerships
        case partnership(String)
        case transitions(String)
        case agreementVersions(String)
        case acceptances(String)
        case activities(String)
        case activity(String, String)
        case evaluations(String)
        case tools
        case tool(String)
        case worksheets
        case worksheet(String)
        case worksheetAnswer(String, String)
    }

    /// Path components (unescaped).
    var components: [String] {
        switch self {
        case .home: []
        case .themes: ["temaer"]
        case .theme(let slug): ["temaer", slug]
        case .themeFeed(let slug): ["temaer", slug, "feed.atom"]
        case .materials: ["materialer"]
        case .material(let slug): ["materialer", slug]
        case .types: ["typer"]
        case .type(let slug): ["typer", slug]
        case .audiences: ["maalgrupper"]
        case .audience(let slug): ["maalgrupper", slug]
        case .topics: ["emner"]
        case .topic(let slug): ["emner", slug]
        case .years: ["aar"]
        case .year(let year): ["aar", year]
        case .search: ["soeg"]
        case .login: ["log-ind"]
        case .logout: ["log-ud"]
        case .forgotPassword: ["glemt-adgangskode"]
        case .resetPassword: ["nulstil-adgangskode"]
        case .editorHome: ["redaktion"]
        case .users: ["redaktion", "brugere"]
        case .newUser: ["redaktion", "brugere", "ny"]
        case .auditLog: ["redaktion", "log"]
        case .myData: ["min-side", "mine-data"]
        case .myDataDownload: ["min-side", "mine-data.json"]
        case .deleteUser: ["redaktion", "brugere", "slet"]
        case .disableUser: ["redaktion", "brugere", "spaer"]
        case .enableUser: ["redaktion", "brugere", "aabn"]
        case .editMaterials: ["redaktion", "materialer"]
        case .newMaterial: ["redaktion", "materialer", "ny"]
        case .editMaterial(let slug): ["redaktion", "materialer", slug]
        case .deleteMaterial(let slug): ["redaktion", "materialer", slug, "slet"]
        case .previewMaterial(let slug): ["redaktion", "materialer", slug, "forhaandsvisning"]
        case .uploadVersion(let slug): ["redaktion", "materialer", slug, "filer"]
        case .materialVersions(let slug): ["redaktion", "materialer", slug, "udgaver"]
        case .materialHistory(let slug): ["redaktion", "materialer", slug, "historik"]
        case .materialRevision(let slug, let revision): ["redaktion", "materialer", slug, "historik", revision]
        case .restoreRevision(let slug, let revision): ["redaktion", "materialer", slug, "historik", revision, "gendan"]
        case .apiTokens: ["redaktion", "api-noegler"]
        case .editThemes: ["redaktion", "temaer"]
        case .newTheme: ["redaktion", "temaer", "ny"]
        case .editTheme(let slug): ["redaktion", "temaer", slug]
        case .themeMaterials(let slug): ["redaktion", "temaer", slug, "materialer"]
        case .previewTheme(let slug): ["redaktion", "temaer", slug, "forhaandsvisning"]
        case .deleteTheme(let slug): ["redaktion", "temaer", slug, "slet"]
        case .revokeApiToken: ["redaktion", "api-noegler", "tilbagekald"]
        case .file(let id, let name): ["filer", id, name]
        case .accessibility: ["tilgaengelighed"]
        case .privacy: ["privatliv"]
        case .feed: ["feed.atom"]
        case .sitemap: ["sitemap.xml"]
        case .robots: ["robots.txt"]
        case .asset(let name): ["assets", name]
        case .health: ["healthz"]
        case .ready: ["readyz"]
        case .membership(let membership):
            switch membership {
            case .members(let slug): ["organisationer", slug, "medlemmer"]
            case .join(let slug): ["organisationer", slug, "bliv-medlem"]
            case .invite(let slug): ["organisationer", slug, "medlemmer", "inviter"]
            case .decide(let slug): ["organisationer", slug, "medlemmer", "anmodninger"]
            case .giveRole(let slug): ["organisationer", slug, "medlemmer", "rolle"]
            case .removeRole(let slug): ["organisationer", slug, "medlemmer", "fjern"]
            case .invitation: ["invitation"]
            }
        case .partnership(let path):
            switch path {
            case .mine: ["partnerskaber"]
            case .new: ["partnerskaber", "ny"]
            case .invitation: ["partnerskaber", "invitation"]
            case .calendars: ["min-side", "kalender"]
            case .municipality(let slug): ["partnerskaber", "kommune", slug]
            case .municipalityCSV(let slug): ["partnerskaber", "kommune", slug, "partnerskaber.csv"]
            case .show(let slug): ["partnerskaber", slug]
            case .edit(let slug): ["partnerskaber", slug, "rediger"]
            case .transition(let slug): ["partnerskaber", slug, "forloeb"]
            case .parties(let slug): ["partnerskaber", slug, "parter"]
            case .agreement(let slug): ["partnerskaber", slug, "aftale"]
            case .agreementPrint(let slug): ["partnerskaber", slug, "aftale", "print"]
            case .accept(let slug): ["partnerskaber", slug, "aftale", "accepter"]
            case .activities(let slug): ["partnerskaber", slug, "aktiviteter"]
            case .activity(let slug, let id): ["partnerskaber", slug, "aktiviteter", id]
            case .comment(let slug): ["partnerskaber", slug, "kommentarer"]
            case .evaluation(let slug, let occasion): ["partnerskaber", slug, "evaluering", occasion]
            case .calendar(let slug): ["partnerskaber", slug, "kalender.ics"]
            case .publish(let slug): ["partnerskaber", slug, "eksempel"]
            case .documents(let slug): ["partnerskaber", slug, "dokumenter"]
            case .document(let slug, let id, let name): ["partnerskaber", slug, "dokumenter", id, name]
            case .removeDocument(let slug, let id): ["partnerskaber", slug, "dokumenter", id, "fjern"]
            case .forms: ["redaktion", "partnerskabsformer"]
            case .form(let slug): ["redaktion", "partnerskabsformer", slug]
            case .notifications: ["min-side", "mails"]
            case .cases: ["eksempler"]
            case .publicCase(let slug): ["eksempler", slug]
            }
        case .tool(let path):
            switch path {
            case .list: ["vaerktoejer"]
            case .show(let slug): ["vaerktoejer", slug]
            case .start(let slug): ["vaerktoejer", slug, "arbejdsark"]
            case .municipality(let slug): ["vaerktoejer", "kommune", slug]
            case .worksheets: ["arbejdsark"]
            case .worksheet(let id): ["arbejdsark", id]
            case .item(let id, let item): ["arbejdsark", id, "punkter", item]
            case .itemComment(let id, let item): ["arbejdsark", id, "punkter", item, "kommentarer"]
            case .print(let id): ["arbejdsark", id, "print"]
            case .csv(let id): ["arbejdsark", id, "arbejdsark.csv"]
            case .json(let id): ["arbejdsark", id, "arbejdsark.json"]
            case .move(let id): ["arbejdsark", id, "version"]
            case .share(let id): ["arbejdsark", id, "deling"]
            case .delete(let id): ["arbejdsark", id, "slet"]
            case .edit: ["redaktion", "vaerktoejer"]
            case .new: ["redaktion", "vaerktoejer", "ny"]
            case .importFile: ["redaktion", "vaerktoejer", "import"]
            case .change(let slug): ["redaktion", "vaerktoejer", slug]
            case .versions(let slug): ["redaktion", "vaerktoejer", slug, "versioner"]
            }
        case .calendarFeed(let token): ["kalender", token]
        case .account(let account):
            switch account {
            case .signUp: ["opret-konto"]
            case .verifyEmail: ["bekraeft-email"]
            case .mySpace: ["min-side"]
            case .resendVerification: ["min-side", "bekraeft-igen"]
            case .signOnStart(let provider): ["log-ind", "sso", provider]
            case .signOnCallback(let provider): ["log-ind", "sso", provider, "svar"]
            }
        case .directory(let path):
            switch path {
            case .list: ["organisationer"]
            case .csv: ["organisationer.csv"]
            case .json: ["organisationer.json"]
            case .organisation(let slug): ["organisationer", slug]
            case .new: ["organisationer", "ny"]
            case .edit(let slug): ["organisationer", slug, "rediger"]
            case .approve(let slug): ["organisationer", slug, "godkend"]
            case .pending: ["organisationer", "godkendelse"]
            case .importFile: ["organisationer", "import"]
            case .municipalities: ["kommuner"]
            case .municipality(let slug): ["kommuner", slug]
            }
        case .api(let api):
            ["api", "v1"] + {
                switch api {
                case .materials: ["materials"]
                case .material(let slug): ["materials", slug]
                case .themes: ["themes"]
                case .theme(let slug): ["themes", slug]
                case .vocabularies: ["vocabularies"]
                case .search: ["search"]
                case .openAPI: ["openapi.json"]
                case .organisations: ["organisations"]
                case .organisation(let slug): ["organisations", slug]
                case .municipalities: ["municipalities"]
                case .partnerships: ["partnerships"]
                case .partnership(let slug): ["partnerships", slug]
                case .transitions(let slug): ["partnerships", slug, "transitions"]
                case .agreementVersions(let slug): ["partnerships", slug, "agreement-versions"]
                case .acceptances(let slug): ["partnerships", slug, "acceptances"]
                case .activities(let slug): ["partnerships", slug, "activities"]
                case .activity(let slug, let id): ["partnerships", slug, "activities", id]
                case .evaluations(let slug): ["partnerships", slug, "evaluations"]
                case .tools: ["tools"]
                case .tool(let slug): ["tools", slug]
                case .worksheets: ["worksheets"]
                case .worksheet(let id): ["worksheets", id]
                case .worksheetAnswer(let id, let item): ["worksheets", id, "answers", item]
                }
            }()
        }
    }

    /// The path for links, percent-encoded.
    var href: String {
        "/" + components.map(PercentEncoding.pathComponent).joined(separator: "/")
    }

    /// The path with a page number for paginated listings (`?side=2`); page 1 has none.
    func href(page: Int) -> String {
        page > 1 ? "\(href)?side=\(page)" : href
    }

    /// The path with a notice for the page to show (`?besked=…`), typed so a page only shows its own.
    func href<Notice: RawRepresentable>(notice: Notice?) -> String where Notice.RawValue == String {
        href + (notice.map { "?besked=" + PercentEncoding.queryValue($0.rawValue) } ?? "")
    }

    /// The login page that leads back to `path` afterwards (`/log-ind?naeste=…`).
    static func login(returningTo path: String) -> String {
        login.href + "?naeste=" + PercentEncoding.queryValue(path)
    }

    /// The route pattern, for registration.
    var pattern: [PathComponent] { components.map { PathComponent(stringLiteral: $0) } }

    /// The name of the slug parameter in patterns.
    static let slug = "slug"
    static let slugPlaceholder = ":slug"
    /// The name of the revision parameter in patterns.
    static let revision = "revision"
    static let revisionPlaceholder = ":revision"
}
