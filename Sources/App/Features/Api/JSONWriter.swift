import Foundation

/// A value that writes its own JSON (the search API's response and what it holds; see `ApiModels+JSON`).
/// Codable's encoders (Foundation's, or a streaming one) spent more time per response than the search
/// itself, most of it in the machinery of keyed containers rather than in writing bytes.
///
/// What is written must mean what Vapor's `JSONEncoder` (ISO 8601 dates) writes for the same value: nil
/// optionals are left out, keys are the property names. A test compares the two on real responses.
protocol JSONWritable {
    func write(to json: JSONWriter) throws
}

/// Writes JSON bytes as it goes, with the commas between object fields and array elements.
final class JSONWriter {
    /// Written by one response's values, one at a time: the runtime's exclusivity check on every append was
    /// a fifth of the writing time.
    @exclusivity(unchecked) private(set) var bytes: [UInt8] = []
    /// Whether the innermost open object or array has an entry already (a comma goes before the next).
    @exclusivity(unchecked) private var hasEntry: [Bool] = []

    init() { bytes.reserveCapacity(64 * 1024) }

    static func bytes(of value: some JSONWritable) throws -> [UInt8] {
        let json = JSONWriter()
        try value.write(to: json)
        return json.bytes
    }

    // MARK: Objects and arrays

    func object(_ fields: () throws -> Void) rethrows {
        open(UInt8(ascii: "{"))
        try fields()
        close(UInt8(ascii: "}"))
    }

    func array<T>(_ elements: [T], _ element: (T) throws -> Void) rethrows {
        open(UInt8(ascii: "["))
        for value in elements {
            separate()
            try element(value)
        }
        close(UInt8(ascii: "]"))
    }

    func array(_ elements: [some JSONWritable]) throws {
        try array(elements) { try $0.write(to: self) }
    }

    /// Starts an object field: the comma before it if needed, the key and the colon.
    func key(_ key: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    private func open(_ bracket: UInt8) {
        bytes.append(bracket)
        hasEntry.append(false)
    }

    private func close(_ bracket: UInt8) {
        hasEntry.removeLast()
        bytes.append(bracket)
    }

    private func separate() {
        guard let last = hasEntry.indices.last else { return }
        if hasEntry[last] { bytes.append(UInt8(ascii: ",")) } else { hasEntry[last] = true }
    }

    // MARK: Fields

    func field(_ name: StaticString, _ value: String) { key(name); string(value) }
    func field(_ name: StaticString, _ value: Int) { key(name); raw(String(value)) }
    func field(_ name: StaticString, _ value: Bool) { key(name); raw(value ? "true" : "false") }
    func field(_ name: StaticString, _ value: Double) throws { key(name); try number(value) }
    func field(_ name: StaticString, _ value: Date) { key(name); string(value.formatted(.iso8601)) }
    func field(_ name: StaticString, _ value: some JSONWritable) throws { key(name); try value.write(to: self) }
    func field(_ name: StaticString, _ values: [some JSONWritable]) throws { key(name); try array(values) }
    func field(_ name: StaticString, _ values: [String]) { key(name); array(values) { string($0) } }

    // Absent optionals are left out, as JSONEncoder does.
    func field(_ name: StaticString, _ value: String?) { if let value { field(name, value) } }
    func field(_ name: StaticString, _ value: Int?) { if let value { field(name, value) } }
    func field(_ name: StaticString, _ value: Date?) { if let value { field(name, value) } }
    func field(_ name: StaticString, _ value: (some JSONWritable)?) throws { if let value { try field(name, value) } }

    // MARK: Values

    func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// Whole numbers as integers, as JSONEncoder writes them; others in Swift's shortest exact form.
    /// Non-finite numbers have no JSON form and are refused.
    func number(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "Not a JSON number."))
        }
        if value == value.rounded(), abs(value) < 1e15 { raw(String(Int64(value))) } else { raw(String(describing: value)) }
    }

    func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            guard let base = utf8.baseAddress else { return }
            var start = 0
            var index = 0
            while index < utf8.count {
                // Eight bytes at a time past those that need no escape (most text).
                while index + 8 <= utf8.count,
                      !Self.hasByteToEscape(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) {
                    index += 8
                }
                guard index < utf8.count else { break }
                let byte = utf8[index]
                index += 1
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index - 1]))
                switch byte {
                case UInt8(ascii: "\""): raw("\\\"")
                case UInt8(ascii: "\\"): raw("\\\\")
                case 0x0A: raw("\\n")
                case 0x0D: raw("\\r")
                case 0x09: raw("\\t")
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    raw("\\u00")
                    bytes.append(hex[Int(byte >> 4)])
                    bytes.append(hex[Int(byte & 0x0F)])
                }
                start = index
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Whether any of the eight bytes is below 0x20, a quote or a backslash (the classic "has a byte less than
    /// n" and "has a zero byte" bit tricks; exact as a yes/no answer).
    static func hasByteToEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ x: UInt64) -> Bool { (x &- ones) & ~x & high != 0 }
        let control = (word &- ones &* 0x20) & ~word & high != 0
        return control || hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5C))
    }
}
