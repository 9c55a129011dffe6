import Foundation

/// The kinds of file a material's version may be, recognised by their content (magic bytes), never by their
/// name or by what the browser claims.
public enum StoredFileKind: String, Sendable, CaseIterable {
    case pdf, docx, odt, png, jpeg, gif, webp

    public var contentType: String {
        switch self {
        case .pdf: "application/pdf"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .odt: "application/vnd.oasis.opendocument.text"
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .gif: "image/gif"
        case .webp: "image/webp"
        }
    }

    public var fileExtension: String { self == .jpeg ? "jpg" : rawValue }

    public var label: String {
        switch self {
        case .pdf: "PDF"
        case .docx: "Word"
        case .odt: "OpenDocument"
        case .png, .jpeg, .gif, .webp: "Billede"
        }
    }

    public init?(contentType: String) {
        guard let kind = Self.allCases.first(where: { $0.contentType == contentType }) else { return nil }
        self = kind
    }

    /// The kind of a file from its first bytes, or nil when it is none of the accepted kinds.
    /// DOCX and ODT are ZIP files: an ODT starts with its `mimetype` entry (stored first, uncompressed, by the
    /// format's rules); a DOCX holds `[Content_Types].xml` and a `word/` folder.
    public static func detect(_ bytes: [UInt8]) -> StoredFileKind? {
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset..<(offset + prefix.count)]) == prefix
        }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .webp }
        if starts([0x50, 0x4B, 0x03, 0x04]) {
            if starts(Array("mimetypeapplication/vnd.oasis.opendocument.text".utf8), at: 30) { return .odt }
            let head = Array(bytes.prefix(200_000))
            if contains(head, Array("[Content_Types].xml".utf8)) && contains(head, Array("word/".utf8)) { return .docx }
        }
        return nil
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        outer: for start in 0...(haystack.count - needle.count) {
            for offset in needle.indices where haystack[start + offset] != needle[offset] { continue outer }
            return true
        }
        return false
    }

    /// A file name safe to show and to send in `Content-Disposition`: letters, digits, `.`, `-`, `_`, with the
    /// kind's extension.
    public static func safeName(_ original: String, kind: StoredFileKind) -> String {
        let last = (original.replacingOccurrences(of: "\\", with: "/") as NSString).lastPathComponent
        let base = (last as NSString).deletingPathExtension
        let slug = Slug.make(from: base)
        return (slug.isEmpty ? "fil" : String(slug.prefix(80))) + "." + kind.fileExtension
    }
}
