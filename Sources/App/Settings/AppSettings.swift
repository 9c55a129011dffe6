import Foundation
import SamspilCore

/// Configuration from environment variables. Every variable is listed in the README.
public struct AppSettings: Sendable {
    public var database: DatabaseLocation
    /// The address the service is reached at, for canonical links, feeds and the sitemap.
    public var publicURL: String
    /// Load the seed content and reference data on start (once per database).
    public var loadSeed: Bool
    public var logFormat: LogFormat
    public var contactEmail: String
    /// bcrypt work factor for passwords (`SAMSPIL_BCRYPT_COST`, 10–16; tests use less to run fast).
    public var bcryptCost: Int
    /// Cookies only over HTTPS, with the `__Host-` prefix (`SAMSPIL_SECURE_COOKIES`; default: when the
    /// public address is https).
    public var secureCookies: Bool
    /// How long a login lasts (`SAMSPIL_SESSION_IDLE_MINUTES`, `SAMSPIL_SESSION_MAX_HOURS`).
    public var sessionLifetime: SessionLifetime
    /// Where outgoing mail goes (`SAMSPIL_MAIL`) and whom it is from (`SAMSPIL_MAIL_FROM`).
    public var mail: MailSettings
    /// The largest file an editor may upload (`SAMSPIL_UPLOAD_MAX_MB`).
    public var uploadMaxMegabytes: Int
    /// How much memory each process may use for rendered public pages (`SAMSPIL_PAGE_CACHE_MB`; 0 turns the
    /// page cache off).
    public var pageCacheMegabytes: Int
    /// Single sign-on providers (OpenID Connect), each a button on the login page (`SAMSPIL_OIDC_PROVIDERS`).
    public var signOnProviders: [SignOnProvider]

    public init(database: DatabaseLocation, publicURL: String = "http://127.0.0.1:8080", loadSeed: Bool = true,
                logFormat: LogFormat = .text, contactEmail: String = "info@skoletjenesten.dk", bcryptCost: Int = 12,
                secureCookies: Bool? = nil, sessionLifetime: SessionLifetime = SessionLifetime(),
                mail: MailSettings = MailSettings(), uploadMaxMegabytes: Int = 20, pageCacheMegabytes: Int = 32,
                signOnProviders: [SignOnProvider] = []) {
        self.database = database
        self.publicURL = publicURL
        self.loadSeed = loadSeed
        self.logFormat = logFormat
        self.contactEmail = contactEmail
        self.bcryptCost = bcryptCost
        self.secureCookies = secureCookies ?? publicURL.lowercased().hasPrefix("https://")
        self.sessionLifetime = sessionLifetime
        self.mail = mail
        self.uploadMaxMegabytes = uploadMaxMegabytes
        self.pageCacheMegabytes = pageCacheMegabytes
        self.signOnProviders = signOnProviders
    }

    public static let bcryptCosts = 10...16

    struct InvalidSetting: Error, CustomStringConvertible {
        var description: String
    }

    public enum LogFormat: String, Sendable { case text, json }

    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AppSettings {
        AppSettings(
            database: try DatabaseLocation.parse(environment["DATABASE_URL"]),
            publicURL: (environment["SAMSPIL_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://127.0.0.1:8080")
                .trimmingSuffix("/"),
            loadSeed: environment["SAMSPIL_SEED"].map { !["0", "false", "no"].contains($0.lowercased()) } ?? true,
            logFormat: LogFormat(rawValue: environment["LOG_FORMAT"]?.lowercased() ?? "text") ?? .text,
            contactEmail: environment["SAMSPIL_CONTACT_EMAIL"] ?? "info@skoletjenesten.dk",
            bcryptCost: try number(environment["SAMSPIL_BCRYPT_COST"], name: "SAMSPIL_BCRYPT_COST", default: 12, range: bcryptCosts),
            secureCookies: try flag(environment["SAMSPIL_SECURE_COOKIES"], name: "SAMSPIL_SECURE_COOKIES"),
            sessionLifetime: SessionLifetime(
                idle: Double(try number(environment["SAMSPIL_SESSION_IDLE_MINUTES"], name: "SAMSPIL_SESSION_IDLE_MINUTES", default: 30, range: 1...1_440)) * 60,
                absolute: Double(try number(environment["SAMSPIL_SESSION_MAX_HOURS"], name: "SAMSPIL_SESSION_MAX_HOURS", default: 12, range: 1...720)) * 3_600
            ),
            mail: try MailSettings.parse(environment["SAMSPIL_MAIL"], from: environment["SAMSPIL_MAIL_FROM"]),
            uploadMaxMegabytes: try number(environment["SAMSPIL_UPLOAD_MAX_MB"], name: "SAMSPIL_UPLOAD_MAX_MB", default: 20, range: 1...200),
            pageCacheMegabytes: try number(environment["SAMSPIL_PAGE_CACHE_MB"], name: "SAMSPIL_PAGE_CACHE_MB", default: 32, range: 0...4_096),
            signOnProviders: try SignOnProvider.parse(environment)
        )
    }

    static func flag(_ value: String?, name: String) throws -> Bool? {
        guard let value, !value.isEmpty else { return nil }
        switch value.lowercased() {
        case "1", "true", "yes": return true
        case "0", "false", "no": return false
        default: throw InvalidSetting(description: "\(name): true or false, not \"\(value)\"")
        }
    }

    static func number(_ value: String?, name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let value, !value.isEmpty else { return fallback }
        guard let number = Int(value), range.contains(number) else {
            throw InvalidSetting(description: "\(name): a whole number from \(range.lowerBound) to \(range.upperBound), not \"\(value)\"")
        }
        return number
    }

}

/// Outgoing mail. Every message goes through the outbox table first; a transport then delivers it.
public struct MailSettings: Sendable, Equatable {
    public enum Transport: Sendable, Equatable {
        /// One `.eml` file per message in a folder (development; the default, `data/mail`).
        case directory(String)
        /// Only recipient and subject in the log (the body may hold a secret link, and secrets are not logged).
        case log
        /// An SMTP server (production).
        case smtp(SMTPServer)
    }

    public var transport: Transport
    public var from: String

    public init(transport: Transport = .directory("data/mail"), from: String = "Samspil <ikke-svar@samspil.local>") {
        self.transport = transport
        self.from = from
    }

    static func parse(_ value: String?, from: String?) throws -> MailSettings {
        let sender = (from ?? "").isEmpty ? MailSettings().from : from!
        guard let value, !value.isEmpty else { return MailSettings(from: sender) }
        if value == "log" { return MailSettings(transport: .log, from: sender) }
        if value.hasPrefix("file:") {
            let path = String(value.dropFirst("file:".count))
            guard !path.isEmpty else { throw AppSettings.InvalidSetting(description: "SAMSPIL_MAIL: file: needs a folder, as in file:/var/lib/samspil/mail") }
            return MailSettings(transport: .directory(path), from: sender)
        }
        if value.lowercased().hasPrefix("smtp") {
            return MailSettings(transport: .smtp(try SMTPServer.parse(value)), from: sender)
        }
        throw AppSettings.InvalidSetting(description: "SAMSPIL_MAIL: log, file:/folder or smtp://user:password@host:587, not \"\(value.prefix { $0 != ":" })…\" (only the part before the first colon is shown, since the rest may hold a password)")
    }
}

/// Where the data lives, from `DATABASE_URL`.
public enum DatabaseLocation: Sendable, Equatable {
    case sqliteFile(path: String)
    case sqliteMemory
    /// `schema` puts every table in that PostgreSQL schema (used by tests to isolate runs).
    case postgres(url: String, schema: String?)

    static let defaultPath = "data/samspil.sqlite"

    struct InvalidURL: Error, CustomStringConvertible {
        var description: String
    }

    public static func parse(_ url: String?) throws -> DatabaseLocation {
        guard let url, !url.isEmpty else { return .sqliteFile(path: defaultPath) }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            return .postgres(url: url, schema: nil)
        }
        if url == "sqlite::memory:" { return .sqliteMemory }
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard path.hasPrefix("/"), path.count > 1 else {
                throw InvalidURL(description: "DATABASE_URL: an SQLite address needs an absolute path, as in sqlite:///var/lib/samspil/samspil.sqlite")
            }
            return .sqliteFile(path: path.removingPercentEncoding ?? path)
        }
        throw InvalidURL(description: "DATABASE_URL must start with sqlite:// or postgres:// (the value is not shown, as it may hold a password)")
    }

    var isPostgres: Bool { if case .postgres = self { true } else { false } }

    /// A description safe to log: never the password.
    public var safeDescription: String {
        switch self {
        case .sqliteFile(let path): "sqlite file \(path)"
        case .sqliteMemory: "sqlite in memory"
        case .postgres(let url, let schema):
            (URLComponents(string: url).map { "postgres \($0.host ?? "?"):\($0.port ?? 5432)\($0.path)" } ?? "postgres")
                + (schema.map { " schema \($0)" } ?? "")
        }
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}

/// An OpenID Connect provider people may log in with (UNI-Login, MitID Erhverv through a broker, a municipality's
/// own): `SAMSPIL_OIDC_PROVIDERS` lists their ids (`unilogin,mitid`), and for each id (upper case, `-` as `_`)
/// `SAMSPIL_OIDC_<ID>_ISSUER`, `_CLIENT_ID`, `_CLIENT_SECRET`, and optionally `_LABEL` (the button's name),
/// `_SCOPES` (default `openid email profile`) and `_INSTITUTION_CLAIM` (the claim holding institution numbers).
public struct SignOnProvider: Sendable, Equatable {
    /// In the login's addresses (`/log-ind/sso/<id>`): lower-case letters, digits and hyphens.
    public var id: String
    public var label: String
    /// The issuer exactly as the provider's ID tokens name it, without a trailing slash; its discovery document
    /// is at `<issuer>/.well-known/openid-configuration`.
    public var issuer: String
    public var clientID: String
    public var clientSecret: String
    public var scopes: String
    public var institutionClaim: String?

    public init(id: String, label: String, issuer: String, clientID: String, clientSecret: String,
                scopes: String = "openid email profile", institutionClaim: String? = nil) {
        self.id = id
        self.label = label
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.scopes = scopes
        self.institutionClaim = institutionClaim
    }

    static func parse(_ environment: [String: String]) throws -> [SignOnProvider] {
        let ids = (environment["SAMSPIL_OIDC_PROVIDERS"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var providers: [SignOnProvider] = []
        for id in ids {
            guard id.count <= 32, id.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
                throw AppSettings.InvalidSetting(description: "SAMSPIL_OIDC_PROVIDERS: \"\(id)\" is not an id (lower-case letters, digits, -)")
            }
            guard !providers.contains(where: { $0.id == id }) else {
                throw AppSettings.InvalidSetting(description: "SAMSPIL_OIDC_PROVIDERS: \"\(id)\" is named twice")
            }
            let prefix = "SAMSPIL_OIDC_" + id.uppercased().replacingOccurrences(of: "-", with: "_") + "_"
            func value(_ name: String) -> String? { environment[prefix + name].flatMap { $0.isEmpty ? nil : $0 } }
            func required(_ name: String) throws -> String {
                guard let found = value(name) else { throw AppSettings.InvalidSetting(description: "\(prefix + name) is missing (provider \(id))") }
                return found
            }
            let issuer = try required("ISSUER").trimmingSuffix("/")
            guard let url = URL(string: issuer), let host = url.host,
                  url.scheme == "https" || (url.scheme == "http" && ["127.0.0.1", "localhost", "::1"].contains(host)) else {
                throw AppSettings.InvalidSetting(description: "\(prefix)ISSUER: an https address (http only on this machine), not \"\(issuer)\"")
            }
            providers.append(SignOnProvider(
                id: id, label: value("LABEL") ?? id, issuer: issuer, clientID: try required("CLIENT_ID"), clientSecret: try required("CLIENT_SECRET"),
                scopes: value("SCOPES") ?? "openid email profile", institutionClaim: value("INSTITUTION_CLAIM")))
        }
        return providers
    }
}
