import Foundation

/// A material as one compact byte string, for the search index's copy of each published material
/// (`search_documents.record`): a page of search results is then one read of 20 rows with two columns,
/// decoded here without `Codable`, instead of two queries over four tables decoded column by column.
///
/// Layout: a format byte, then every field in declaration order. Strings and byte counts are LEB128
/// varints followed by UTF-8; optional values start with 0 (absent) or 1; integers are zigzag varints;
/// dates are the 8 bytes (little-endian) of the `Double` seconds since 1970, as SQLite stores them.
/// `decode` returns nil for anything it did not write (another format byte, a cut or damaged record), so
/// the caller can fall back to the tables.
public enum MaterialRecord {
    public static let format: UInt8 = 1

    public static func encode(_ material: Material) -> [UInt8] {
        var writer = Writer()
        writer.bytes.reserveCapacity(64 + material.title.utf8.count + material.teaser.utf8.count + material.body.utf8.count)
        writer.bytes.append(format)
        writer.string(material.slug)
        writer.string(material.title)
        writer.optionalString(material.genre?.rawValue)
        writer.string(material.type)
        writer.string(material.teaser)
        writer.string(material.body)
        writer.string(material.credits.kind.rawValue)
        writer.strings(material.credits.persons)
        writer.optionalString(material.credits.organisation)
        writer.optionalInteger(material.year)
        writer.string(material.language.rawValue)
        writer.optionalInteger(material.readingMinutes)
        writer.strings(material.audiences)
        writer.strings(material.topics)
        writer.count(material.versions.count)
        for version in material.versions {
            writer.string(version.kind.rawValue)
            writer.optionalString(version.label)
            writer.string(version.availability.rawValue)
            writer.optionalString(version.url)
            writer.optionalString(version.fileName)
            writer.optionalString(version.contentType)
        }
        writer.string(material.status.rawValue)
        writer.optionalDate(material.createdAt)
        writer.optionalDate(material.updatedAt)
        return writer.bytes
    }

    /// Whether to decode the body: lists of materials show a card each, which needs the body only for its
    /// reading time, and making a `String` of every body was most of reading them.
    public enum Body: Sendable, Hashable {
        case text
        /// The body's first `bytes` bytes (cut where a character begins), and the reading time counted from all
        /// of it as for `readingTimeOnly`: a search hit's passage is looked for near the beginning only.
        case beginning(bytes: Int)
        /// An empty body, and the reading time counted from the stored body's bytes (as `readingMinutes` when
        /// none was entered, so `effectiveReadingMinutes` is what it would have been).
        case readingTimeOnly
        /// An empty body and nothing counted from it (feeds).
        case none
    }

    /// Reads the bytes where they are (a `Data` from the database, an array).
    public static func decode(_ bytes: some ContiguousBytes, body bodyMode: Body = .text) -> Material? {
        bytes.withUnsafeBytes { raw -> Material? in
            var reader = Reader(bytes: raw.bindMemory(to: UInt8.self))
            guard reader.byte() == format else { return nil }
            guard let slug = reader.string(), let title = reader.string(), let genre = reader.optionalString(),
                  let type = reader.string(), let teaser = reader.string(), let bodyBytes = reader.stringBytes() else { return nil }
            let body: String
            var bodyWords: Int?
            switch bodyMode {
            case .text: body = String(decoding: bodyBytes, as: UTF8.self)
            case .beginning(let limit):
                var end = min(limit, bodyBytes.count)
                while end > 0, end < bodyBytes.count, bodyBytes[end] & 0xC0 == 0x80 { end -= 1 }
                body = String(decoding: UnsafeBufferPointer(rebasing: bodyBytes[..<end]), as: UTF8.self)
                bodyWords = ReadingTime.words(inUTF8: bodyBytes) ?? ReadingTime.words(in: String(decoding: bodyBytes, as: UTF8.self))
            case .readingTimeOnly:
                body = ""
                bodyWords = ReadingTime.words(inUTF8: bodyBytes) ?? ReadingTime.words(in: String(decoding: bodyBytes, as: UTF8.self))
            case .none:
                body = ""
            }
            guard let creditKind = reader.string().flatMap(Credits.Kind.init(rawValue:)),
                  let persons = reader.strings(), let organisation = reader.optionalString(),
                  let year = reader.optionalInteger(),
                  let language = reader.string().flatMap(Language.init(rawValue:)),
                  var readingMinutes = reader.optionalInteger(),
                  let audiences = reader.strings(), let topics = reader.strings(),
                  let versionCount = reader.count() else { return nil }
            var versions: [MaterialVersion] = []
            for _ in 0..<versionCount {
                guard let kind = reader.string().flatMap(MaterialVersion.Kind.init(rawValue:)),
                      let label = reader.optionalString(),
                      let availability = reader.string().flatMap(MaterialVersion.Availability.init(rawValue:)),
                      let url = reader.optionalString(), let fileName = reader.optionalString(),
                      let contentType = reader.optionalString() else { return nil }
                versions.append(MaterialVersion(kind: kind, label: label, availability: availability, url: url,
                                                fileName: fileName, contentType: contentType))
            }
            guard let status = reader.string().flatMap(PublicationStatus.init(rawValue:)),
                  let createdAt = reader.optionalDate(), let updatedAt = reader.optionalDate(),
                  reader.isAtEnd else { return nil }
            if readingMinutes == nil, let bodyWords, bodyWords > 0 { readingMinutes = ReadingTime.minutes(forWords: bodyWords) }
            // A genre that is not (or no longer) known is dropped, as loading from the tables does.
            return Material(
                slug: slug, title: title, genre: genre.flatMap(Genre.init(rawValue:)), type: type, teaser: teaser, body: body,
                credits: Credits(kind: creditKind, persons: persons, organisation: organisation), year: year,
                language: language, readingMinutes: readingMinutes, audiences: audiences, topics: topics,
                versions: versions, status: status, createdAt: createdAt, updatedAt: updatedAt
            )
        }
    }

    private struct Writer {
        var bytes: [UInt8] = []

        mutating func count(_ value: Int) { varint(UInt64(value)) }

        mutating func varint(_ value: UInt64) {
            var value = value
            while value >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
                value >>= 7
            }
            bytes.append(UInt8(value))
        }

        mutating func integer(_ value: Int) {
            let wide = Int64(value)
            varint(UInt64(bitPattern: (wide << 1) ^ (wide >> 63)))
        }

        mutating func string(_ value: String) {
            count(value.utf8.count)
            bytes.append(contentsOf: value.utf8)
        }

        mutating func strings(_ values: [String]) {
            count(values.count)
            for value in values { string(value) }
        }

        mutating func date(_ value: Date) {
            var bits = value.timeIntervalSince1970.bitPattern
            for _ in 0..<8 {
                bytes.append(UInt8(truncatingIfNeeded: bits))
                bits >>= 8
            }
        }

        mutating func optionalString(_ value: String?) {
            bytes.append(value == nil ? 0 : 1)
            if let value { string(value) }
        }

        mutating func optionalInteger(_ value: Int?) {
            bytes.append(value == nil ? 0 : 1)
            if let value { integer(value) }
        }

        mutating func optionalDate(_ value: Date?) {
            bytes.append(value == nil ? 0 : 1)
            if let value { date(value) }
        }
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var offset = 0

        var isAtEnd: Bool { offset == bytes.count }

        mutating func byte() -> UInt8? {
            guard offset < bytes.count else { return nil }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func varint() -> UInt64? {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while let byte = byte() {
                guard shift < 64 else { return nil }
                result |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return result }
                shift += 7
            }
            return nil
        }

        mutating func count() -> Int? {
            guard let value = varint(), value <= UInt64(bytes.count - offset) else { return nil }
            return Int(value)
        }

        mutating func integer() -> Int? {
            guard let value = varint() else { return nil }
            let decoded = Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
            return Int(exactly: decoded)
        }

        /// A string's bytes, without making a `String` of them.
        mutating func stringBytes() -> UnsafeBufferPointer<UInt8>? {
            guard let length = count() else { return nil }
            defer { offset += length }
            return UnsafeBufferPointer(rebasing: bytes[offset..<offset + length])
        }

        mutating func string() -> String? {
            guard let length = count() else { return nil }
            defer { offset += length }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<offset + length]), as: UTF8.self)
        }

        mutating func strings() -> [String]? {
            guard let count = count() else { return nil }
            var result: [String] = []
            result.reserveCapacity(count)
            for _ in 0..<count {
                guard let value = string() else { return nil }
                result.append(value)
            }
            return result
        }

        mutating func date() -> Date? {
            guard bytes.count - offset >= 8 else { return nil }
            var bits: UInt64 = 0
            for index in (0..<8).reversed() { bits = bits << 8 | UInt64(bytes[offset + index]) }
            offset += 8
            return Date(timeIntervalSince1970: Double(bitPattern: bits))
        }

        /// Whether an optional value follows; nil when the flag is damaged.
        mutating func presence() -> Bool? {
            switch byte() {
            case 0: false
            case 1: true
            default: nil
            }
        }

        /// `.some(nil)` when absent, nil when damaged (likewise below).
        mutating func optionalString() -> String?? {
            guard let present = presence() else { return nil }
            return present ? string().map { .some($0) } : .some(nil)
        }

        mutating func optionalInteger() -> Int?? {
            guard let present = presence() else { return nil }
            return present ? integer().map { .some($0) } : .some(nil)
        }

        mutating func optionalDate() -> Date?? {
            guard let present = presence() else { return nil }
            return present ? date().map { .some($0) } : .some(nil)
        }
    }
}
