import SQLKit

extension SQLRow {
    /// A nullable column's value. Decoding a row into a `Decodable` struct goes through Codable's keyed
    /// containers and, for an optional, a nested decoder per value; for the reads every search makes (its page
    /// of results, the vocabularies) that was a large part of their time. Non-optional types are converted
    /// directly by both drivers.
    func optional<T: Decodable>(_ column: String, as type: T.Type) throws -> T? {
        try decodeNil(column: column) ? nil : decode(column: column, as: T.self)
    }
}
