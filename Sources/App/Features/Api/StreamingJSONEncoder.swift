import Foundation

/// Encodes an `Encodable` value to JSON by writing bytes as it goes, for the large responses of the search
/// API: Foundation's `JSONEncoder` first builds a tree of every value (with a dictionary per object) and
/// then writes it, which took longer than the search itself.
///
/// The output means the same as `JSONEncoder` with `.iso8601` dates (Vapor's configuration): absent
/// optionals are left out, dates are ISO 8601 strings, `Data` is Base64, non-finite numbers are refused.
/// Object keys keep the order they are encoded in. A test compares the two on real responses.
///
/// Codable has no "container finished" call, so each value's encoder closes what it opened once the value's
/// `encode(to:)` returns, and a container closes its open nested container before it writes the next entry.
struct StreamingJSONEncoder {
    func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let output = JSONOutput()
        try output.value(value, codingPath: [])
        return output.bytes
    }
}

final class JSONOutput {
    /// Written only by the encoders of one `encode` call, one at a time: the runtime's exclusivity check
    /// on every append was a fifth of the encoding time.
    @exclusivity(unchecked) var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(16 * 1024) }

    /// - Parameter codingPath: built only when needed (a nested value, an error), not for every string.
    func value<T: Encodable>(_ value: T, codingPath: @autoclosure () -> [any CodingKey]) throws {
        // Comparing types is far cheaper than trying casts in turn (which every nested value would go through).
        if T.self == String.self { return string(value as! String) }
        if T.self == Int.self { return raw(String(value as! Int)) }
        if T.self == Double.self { return try number(value as! Double, codingPath()) }
        if T.self == Bool.self { return raw(value as! Bool ? "true" : "false") }
        if T.self == Float.self { return try number(Double(value as! Float), codingPath()) }
        if T.self == Date.self { return string((value as! Date).formatted(.iso8601)) }
        if T.self == URL.self { return string((value as! URL).absoluteString) }
        if T.self == Data.self { return string((value as! Data).base64EncodedString()) }
        if T.self is any BinaryInteger.Type { return raw(String(describing: value)) }
        let encoder = JSONValueEncoder(output: self, codingPath: codingPath())
        try value.encode(to: encoder)
        encoder.finish()
    }

    func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    func number(_ value: Double, _ codingPath: [any CodingKey]) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "Not a JSON number."))
        }
        // Whole numbers as integers, as JSONEncoder writes them; others in Swift's shortest exact form.
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

/// The encoder of one value: it writes an object, an array or a single value, whichever it is asked for.
final class JSONValueEncoder: Encoder {
    enum State { case empty, object, array, single }

    let output: JSONOutput
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    // Unchecked like `JSONOutput.bytes`: only this value's containers use them, one call at a time.
    @exclusivity(unchecked) private var state = State.empty
    @exclusivity(unchecked) private var entries = 0
    /// A nested container or super encoder still open: closed before the next entry.
    @exclusivity(unchecked) private var openChild: JSONValueEncoder?

    init(output: JSONOutput, codingPath: [any CodingKey]) {
        self.output = output
        self.codingPath = codingPath
    }

    /// Closes what this value opened; a value that wrote nothing becomes an empty object.
    func finish() {
        closeChild()
        switch state {
        case .empty: output.raw("{}")
        case .object: output.bytes.append(UInt8(ascii: "}"))
        case .array: output.bytes.append(UInt8(ascii: "]"))
        case .single: break
        }
    }

    private func closeChild() {
        openChild?.finish()
        openChild = nil
    }

    private func open(_ wanted: State) {
        guard state == .empty else { return }
        state = wanted
        output.bytes.append(wanted == .object ? UInt8(ascii: "{") : UInt8(ascii: "["))
    }

    /// Starts an object entry: closes an open child, writes the separator and the key.
    func key(_ key: any CodingKey) {
        closeChild()
        if entries > 0 { output.bytes.append(UInt8(ascii: ",")) }
        entries += 1
        output.string(key.stringValue)
        output.bytes.append(UInt8(ascii: ":"))
    }

    /// Starts an array element.
    func element() {
        closeChild()
        if entries > 0 { output.bytes.append(UInt8(ascii: ",")) }
        entries += 1
    }

    func child(_ path: [any CodingKey]) -> JSONValueEncoder {
        let child = JSONValueEncoder(output: output, codingPath: path)
        openChild = child
        return child
    }

    var count: Int { entries }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        open(.object)
        return KeyedEncodingContainer(JSONKeyedContainer<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        open(.array)
        return JSONUnkeyedContainer(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        if state == .empty { state = .single }
        return JSONSingleValueContainer(encoder: self)
    }
}

struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: JSONValueEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil(forKey key: Key) throws {
        encoder.key(key)
        encoder.output.raw("null")
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        encoder.key(key)
        try encoder.output.value(value, codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        encoder.key(key)
        return encoder.child(codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        encoder.key(key)
        return encoder.child(codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let key = JSONSuperKey()
        encoder.key(key)
        return encoder.child(codingPath + [key])
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        encoder.key(key)
        return encoder.child(codingPath + [key])
    }
}

struct JSONSuperKey: CodingKey {
    var stringValue: String { "super" }
    var intValue: Int? { nil }
    init() {}
    init?(stringValue: String) { nil }
    init?(intValue: Int) { nil }
}

struct JSONIndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
    let encoder: JSONValueEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { encoder.count }

    mutating func encodeNil() throws {
        encoder.element()
        encoder.output.raw("null")
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = codingPath + [JSONIndexKey(count)]
        encoder.element()
        try encoder.output.value(value, codingPath: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = codingPath + [JSONIndexKey(count)]
        encoder.element()
        return encoder.child(path).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = codingPath + [JSONIndexKey(count)]
        encoder.element()
        return encoder.child(path).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let path = codingPath + [JSONIndexKey(count)]
        encoder.element()
        return encoder.child(path)
    }
}

struct JSONSingleValueContainer: SingleValueEncodingContainer {
    let encoder: JSONValueEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws { encoder.output.raw("null") }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try encoder.output.value(value, codingPath: codingPath)
    }
}
