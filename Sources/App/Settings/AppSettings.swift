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

    public init(database: DatabaseLocation, publicURL: String = "http://127.0.0.1:8080", loadSeed: Bool = true,
                logFormat: LogFormat = .text, contactEmail: String = "info@skoletjenesten.dk", bcryptCost: Int = 12,
                secureCookies: Bool? = nil, sessionLifetime: SessionLifetime = SessionLifetime(),
                mail: MailSettings = MailSettings(), uploadMaxMegabytes: Int = 20, pageCacheMegabytes: Int = 32) {
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
            pageCacheMegabytes: try number(environment["SAMSPIL_PAGE_CACHE_MB"], name: "SAMSPIL_PAGE_CACHE_MB", default: 32, range: 0...4_096)
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
