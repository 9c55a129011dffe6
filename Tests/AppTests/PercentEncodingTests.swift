@testable import App
import Foundation
import Testing

/// The byte-level percent-encoding the pages' links use gives what Foundation's gives, for every ASCII character
/// and for random text with letters from everywhere.
@Suite struct PercentEncodingTests {
    static let pathAllowed = CharacterSet.urlPathAllowed.subtracting(["/"])
    static let queryAllowed = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+?#"))

    @Test func sameAsFoundation() {
        var samples = (0..<128).map { String(UnicodeScalar(UInt8($0))) } + ["", "samarbejde", "æøå ÆØÅ", "a b&c=d+e?f#g/h", "😀 ñ 中文", "100%"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let length = Int.random(in: 1...12, using: &generator)
            samples.append(String(String.UnicodeScalarView((0..<length).compactMap { _ in
                UnicodeScalar(UInt32.random(in: Bool.random(using: &generator) ? 0x20...0x7E : 0xA0...0x2FFF, using: &generator))
            })))
        }
        for sample in samples {
            #expect(PercentEncoding.pathComponent(sample) == sample.addingPercentEncoding(withAllowedCharacters: Self.pathAllowed), "\(sample)")
            #expect(PercentEncoding.queryValue(sample) == sample.addingPercentEncoding(withAllowedCharacters: Self.queryAllowed), "\(sample)")
        }
    }
}
