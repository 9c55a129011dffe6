/// Percent-encoding of addresses the pages link to, byte by byte: Foundation's `addingPercentEncoding` went through
/// `NSString` and a character set per call, and a search page makes dozens of links. Text that needs no encoding
/// (every slug) is returned as it is.
enum PercentEncoding {
    /// What a path component may hold unescaped: RFC 3986's unreserved characters, sub-delimiters but ";", ":" and
    /// "@" (Foundation's `urlPathAllowed` without "/").
    static func pathComponent(_ text: String) -> String {
        encode(text) { byte in
            byte != UInt8(ascii: ";") && (isUnreserved(byte) || isSubDelimiter(byte) || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "@"))
        }
    }

    /// What a query value may hold unescaped: as a path component, and "/" and "?", but not the characters that
    /// separate or end query items ("&", "=", "+", "#") nor "?" (Foundation's `urlQueryAllowed` without "&=+?#").
    static func queryValue(_ text: String) -> String {
        encode(text) { byte in
            switch byte {
            case UInt8(ascii: "&"), UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "#"): false
            default: isUnreserved(byte) || isSubDelimiter(byte) || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "@")
                || byte == UInt8(ascii: "/")
            }
        }
    }

    /// `application/x-www-form-urlencoded` as OAuth writes it: everything but the unreserved characters escaped
    /// (also what client_secret_basic encodes a client's id and secret with, RFC 6749 2.3.1).
    static func formValue(_ text: String) -> String {
        encode(text, allowed: isUnreserved)
    }

    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"): true
        default: false
        }
    }

    private static func isSubDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
             UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="): true
        default: false
        }
    }

    private static func encode(_ text: String, allowed: (UInt8) -> Bool) -> String {
        guard !text.utf8.allSatisfy(allowed) else { return text }
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count * 3)
        for byte in text.utf8 {
            if allowed(byte) {
                bytes.append(byte)
            } else {
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
