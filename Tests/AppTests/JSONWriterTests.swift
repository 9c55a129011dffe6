import Foundation
import Testing
import Vapor
@testable import App

/// The search API writes its JSON itself (`JSONWritable`); it must mean what Vapor's `JSONEncoder` (with
/// ISO 8601 dates) would have written.
@Suite struct JSONWriterTests {
    static func foundation<T: Encodable>(_ value: T) throws -> NSObject {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return try JSONSerialization.jsonObject(with: encoder.encode(value), options: [.fragmentsAllowed]) as! NSObject
    }

    static func written(_ value: some JSONWritable) throws -> NSObject {
        try JSONSerialization.jsonObject(with: Data(JSONWriter.bytes(of: value)), options: [.fragmentsAllowed]) as! NSObject
    }

    /// Numbers and strings in one object, written both ways.
    struct Sample: Encodable, JSONWritable {
        var text: String
        var numbers: [Double] = []
        var texts: [String] = []
        var absent: String?

        func write(to json: JSONWriter) throws {
            try json.object {
                json.field("text", text)
                json.key("numbers")
                try json.array(numbers) { try json.number($0) }
                json.field("texts", texts)
                json.field("absent", absent)
            }
        }
    }

    @Test func numbersAndListsMeanWhatJSONEncoderWrites() throws {
        let sample = Sample(text: "citat \" skråstreg \\ / linje\nny\r\tfane \u{0}\u{1F} æøå 😀 \u{2028}",
                            numbers: [0, -0.0, 0.1, 1e-7, 1e20, 12_345.678, -3, 2.5e300, Double.leastNonzeroMagnitude, 1e15, 999_999_999_999_999],
                            texts: ["", "a", "\""])
        #expect(try Self.written(sample) == Self.foundation(sample))
        #expect(try Self.written(Sample(text: "")) == Self.foundation(Sample(text: "")))
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
                    let sample = Sample(text: text, texts: [text, "/", text + special])
                    #expect(try Self.written(sample) == Self.foundation(sample))
                }
            }
        }
        for byte in 0..<0x80 {
            let text = "abcdefghij" + String(UnicodeScalar(UInt8(byte))) + "klmnopqrst"
            #expect(try Self.written(Sample(text: text)) == Self.foundation(Sample(text: text)))
        }
    }

    @Test func nonFiniteNumbersAreRefused() {
        #expect(throws: EncodingError.self) { try JSONWriter.bytes(of: Sample(text: "", numbers: [Double.nan])) }
        #expect(throws: EncodingError.self) { try JSONWriter.bytes(of: Sample(text: "", numbers: [1, -Double.infinity])) }
    }

    /// Real searches (every seed material, with snippets, facets, suggestion, dates, absent and present
    /// optionals): the response object written directly means what JSONEncoder writes for it, and the
    /// API's response is that.
    @Test func searchResponsesMeanTheSame() async throws {
        try await withApp { app in
            for query in ["samarbejde", "", "partnerskap", "\"fire typer\"", "kortlaegnign"] {
                let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                let request = Request(application: app, url: URI(string: "/api/v1/search?q=\(encoded)&limit=100"), on: app.eventLoopGroup.next())
                let (dto, _) = try await ApiController.searchResult(request)
                if query == "" { #expect(dto.items.count > 5) }
                #expect(dto.items.contains { $0.material.genre != nil } || query != "")
                #expect(try Self.written(dto) == Self.foundation(dto), "\(query)")

                let response = try await app.get("/api/v1/search?q=\(encoded)&limit=100")
                #expect(response.status == .ok)
                #expect(response.headers.contentType == .json)
                #expect(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! NSObject == Self.foundation(dto), "\(query)")
            }
        }
    }
}
