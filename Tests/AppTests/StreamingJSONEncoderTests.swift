import Foundation
import Testing
import Vapor
@testable import App

/// The search API writes its JSON with `StreamingJSONEncoder`; it must mean what Vapor's `JSONEncoder`
/// (with ISO 8601 dates) would have written.
@Suite struct StreamingJSONEncoderTests {
    static func foundation<T: Encodable>(_ value: T) throws -> NSObject {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return try JSONSerialization.jsonObject(with: encoder.encode(value), options: [.fragmentsAllowed]) as! NSObject
    }

    static func streaming<T: Encodable>(_ value: T) throws -> NSObject {
        try JSONSerialization.jsonObject(with: Data(StreamingJSONEncoder().encode(value)), options: [.fragmentsAllowed]) as! NSObject
    }

    struct Everything: Encodable {
        enum Shape: Encodable { case circle(radius: Double), square(Int, label: String?), none }
        class Base: Encodable { var id = 7 }
        final class Derived: Base {
            var name = "afledt"
            private enum CodingKeys: String, CodingKey { case name }
            override func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(name, forKey: .name)
                try super.encode(to: container.superEncoder())
            }
        }
        struct Empty: Encodable {}

        var text = "citat \" skråstreg \\ / linje\nny\r\tfane \u{0}\u{1F} æøå 😀 \u{2028}"
        var numbers: [Double] = [0, -0.0, 0.1, 1e-7, 1e20, 12_345.678, -3, 2.5e300, Double.leastNonzeroMagnitude]
        var integers: [Int64] = [Int64.min, -1, 0, Int64.max]
        var small: [Int8] = [-128, 127]
        var unsigned: UInt64 = .max
        var float: Float = 0.25
        var flags = [true, false]
        var absent: String?
        var present: String? = "her"
        var date = Date(timeIntervalSince1970: 1_700_000_000)
        var data = Data([0, 1, 2, 255])
        var url = URL(string: "https://samspil.test/materialer/a?b=c")!
        var nested: [[String: [Int]]] = [["a": [1, 2], "b": []], [:]]
        var shapes: [Shape] = [.circle(radius: 2), .square(3, label: nil), .square(4, label: "fire"), .none]
        var derived = Derived()
        var empty = Empty()
        var optionals: [Int?] = [1, nil, 3]
    }

    @Test func meansWhatJSONEncoderWrites() throws {
        #expect(try Self.streaming(Everything()) == Self.foundation(Everything()))
        #expect(try Self.streaming("bare") == Self.foundation("bare"))
        #expect(try Self.streaming([Int]()) == Self.foundation([Int]()))
    }

    /// Strings are skipped eight bytes at a time up to a byte to escape: put every kind of such byte at every
    /// position of strings around that length, among ASCII and two-byte letters.
    @Test func everyByteToEscapeIsFoundWherever() throws {
        for special in ["\"", "\\", "\n", "\u{0}", "\u{1F}", "\t"] {
            for length in 0..<20 {
                for position in 0...length {
                    var text = String(repeating: "aø", count: length / 2) + (length % 2 == 1 ? "b" : "")
                    let index = text.index(text.startIndex, offsetBy: min(position, text.count))
                    text.insert(contentsOf: special, at: index)
                    #expect(try Self.streaming(text) == Self.foundation(text))
                    #expect(try Self.streaming([text, "/", text + special]) == Self.foundation([text, "/", text + special]))
                }
            }
        }
        for byte in 0..<0x80 {
            let text = "abcdefghij" + String(UnicodeScalar(UInt8(byte))) + "klmnopqrst"
            #expect(try Self.streaming(text) == Self.foundation(text))
        }
    }

    @Test func nonFiniteNumbersAreRefused() {
        #expect(throws: EncodingError.self) { try StreamingJSONEncoder().encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try StreamingJSONEncoder().encode(["x": Double.infinity]) }
    }

    /// Real search responses (every seed material, with snippets, facets and suggestion) read back as the
    /// DTO and written by JSONEncoder mean the same.
    @Test func searchResponsesMeanTheSame() async throws {
        try await withApp { app in
            for query in ["samarbejde", "", "partnerskap", "\"fire typer\"", "kortlaegnign"] {
                let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                let response = try await app.get("/api/v1/search?q=\(encoded)&limit=100")
                #expect(response.status == .ok)
                #expect(response.headers.contentType == .json)
                let data = Data(buffer: response.body)
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .iso8601
                let dto = try decoder.decode(SearchResultDTO.self, from: data)
                if query == "" { #expect(dto.items.count > 5) }
                #expect(try JSONSerialization.jsonObject(with: data) as! NSObject == Self.foundation(dto), "\(query)")
            }
        }
    }
}
