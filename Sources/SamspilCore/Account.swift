import Foundation

/// What a user may do. Site-wide roles now; organisation-scoped roles (coordinator in a municipality, staff
/// at a school or an external learning environment) will be grants of a role on an organisation, checked by
/// the same `allows` question.
public enum Role: String, Codable, Sendable, CaseIterable, Comparable {
    /// Anyone with an account: teachers, coordinators, educators. What they may do comes from their
    /// memberships of organisations (`Permissions`), not from a site role.
    case member
    /// Maintains materials and themes.
    case editor
    /// Everything an editor does, and manages users and reads the audit log.
    case administrator

    public var label: String {
        switch self {
        case .member: "Bruger"
        case .editor: "Redaktør"
        case .administrator: "Administrator"
        }
    }

    /// Whether this role includes everything `other` may do.
    public func includes(_ other: Role) -> Bool { other <= self }

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// An account as the domain sees it (never with its password hash).
public struct Account: Sendable, Equatable, Codable {
    public var id: UUID
    public var email: String
    public var name: String
    public var role: Role
    public var disabled: Bool
    public var createdAt: Date
    /// Whether the person has shown that the e-mail address is theirs (a link sent to it, an invitation, an
    /// identity provider's verified address, or an administrator who made the account).
    public var emailVerified: Bool

    public init(id: UUID, email: String, name: String, role: Role, disabled: Bool = false, createdAt: Date, emailVerified: Bool = true) {
        self.id = id
        self.email = email
        self.name = name
        self.role = role
        self.disabled = disabled
        self.createdAt = createdAt
        self.emailVerified = emailVerified
    }
}

/// E-mail addresses as accounts use them: trimmed and lowercased, so "Anna@Skole.dk" and "anna@skole.dk" are
/// one account.
public enum EmailAddress {
    public static let maxLength = 254

    public static func normalise(_ raw: String) -> String {
        raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// Problems with an address (already normalised), in Danish; empty when it can be used.
    /// Deliberately simple: one "@", something before it, a domain with a dot after it, no spaces or
    /// control characters. Whether mail arrives is what proves an address.
    public static func problems(_ email: String, field: String = "email") -> [FieldProblem] {
        if email.isEmpty { return [FieldProblem(field: field, message: "Skriv en e-mailadresse.")] }
        if email.count > maxLength {
            return [FieldProblem(field: field, message: "Gør e-mailadressen kortere: den må højst have \(maxLength) tegn.")]
        }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        let isWellFormed = parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && !email.unicodeScalars.contains { $0.properties.isWhitespace || $0.properties.generalCategory == .control }
        return isWellFormed ? [] : [FieldProblem(field: field, message: "Skriv en gyldig e-mailadresse, fx navn@skole.dk.")]
    }
}

/// The password rules (OWASP ASVS 5.0 V6.2): 8 to 128 characters, any characters, no composition rules,
/// and not one of the common passwords the platform ships.
public enum PasswordPolicy {
    public static let minimumLength = 8
    public static let maximumLength = 128

    /// Problems with a new password, in Danish; empty when it can be used.
    /// - Parameter common: common passwords, lowercased.
    public static func problems(_ password: String, common: Set<String>, field: String = "password") -> [FieldProblem] {
        let length = password.count
        if length < minimumLength {
            return [FieldProblem(field: field, message: "Skriv en adgangskode med mindst \(minimumLength) tegn.")]
        }
        if length > maximumLength {
            return [FieldProblem(field: field, message: "Gør adgangskoden kortere: den må højst have \(maximumLength) tegn.")]
        }
        if common.contains(password.lowercased()) {
            return [FieldProblem(field: field, message: "Vælg en adgangskode, der er sværere at gætte – den er for almindelig. Flere ord i træk er gode.")]
        }
        return []
    }
}

extension Account {
    /// How a record names the person: their name, or their address when they gave none.
    public var shownName: String { name.isEmpty ? email : name }
}
