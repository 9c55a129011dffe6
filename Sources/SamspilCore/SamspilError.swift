/// The one error type for domain failures. Messages are Danish and safe to show to users.
public enum SamspilError: Error, Sendable, Equatable {
    /// Something the user asked for does not exist.
    case notFound(String)
    /// Input that breaks the rules; each problem names its field.
    case invalid([FieldProblem])
    /// The request conflicts with the stored state (e.g. a slug in use).
    case conflict(String)
    /// The user may not do this (wrong role, or a form that failed its CSRF check).
    case forbidden(String)
    /// A whole record (not a query) breaks the rules; each problem names its field.
    case unprocessable([FieldProblem])
    /// The change was made against a revision that is no longer the current one.
    case stale(String)
    /// Too much at once (a burst of logins): try again after `retryAfter` seconds.
    case busy(String, retryAfter: Int)

    public var message: String {
        switch self {
        case .notFound(let message), .conflict(let message), .forbidden(let message), .stale(let message), .busy(let message, _): message
        case .invalid(let problems), .unprocessable(let problems): problems.map(\.description).joined(separator: "; ")
        }
    }
}

/// One problem with one field of some input.
public struct FieldProblem: Sendable, Equatable, CustomStringConvertible, Codable {
    /// Where the problem is: "materials[3] (fire-typer-af-partnerskaber)", or "" for a single record.
    public var record: String
    /// The field: "year", "credits.persons[0]", or a query parameter name.
    public var field: String
    public var message: String

    public init(record: String = "", field: String, message: String) {
        self.record = record
        self.field = field
        self.message = message
    }

    public var description: String {
        record.isEmpty ? "\(field): \(message)" : "\(record), \(field): \(message)"
    }
}

extension SamspilError {
    public static let unverifiedMessage = "Bekræft din e-mailadresse først: følg linket i mailen, eller bed om et nyt på Min side."
    /// What a person whose address is not verified yet is told, wherever they try to act.
    public static let unverified = SamspilError.forbidden(unverifiedMessage)
}
