import Foundation

/// Values kept as JSON text in a column (tool definitions, worksheet answers, agreements, evaluation answers): keys
/// sorted, so the same value is always the same text.
enum StoredJSON {
    static func text<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
