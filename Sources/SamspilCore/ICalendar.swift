import Foundation

/// One event of an iCalendar feed: what `ICalendar.document` writes as a VEVENT.
public struct CalendarEvent: Sendable, Equatable {
    /// STATUS of a VEVENT (RFC 5545 3.8.1.11); a calendar client removes a cancelled event it already has.
    public enum Status: String, Sendable {
        case confirmed = "CONFIRMED", tentative = "TENTATIVE", cancelled = "CANCELLED"
    }

    /// Globally unique and stable across feeds, e.g. "<uuid>@samspil": clients match updates by it.
    public var uid: String
    public var start: Date
    public var end: Date
    public var summary: String
    public var location: String?
    public var description: String?
    public var url: String?
    public var status: Status
    public var lastModified: Date
    /// Revision number; raise it when the event changes so clients take the new version.
    public var sequence: Int

    public init(
        uid: String, start: Date, end: Date, summary: String, location: String? = nil, description: String? = nil,
        url: String? = nil, status: Status, lastModified: Date, sequence: Int
    ) {
        self.uid = uid
        self.start = start
        self.end = end
        self.summary = summary
        self.location = location
        self.description = description
        self.url = url
        self.status = status
        self.lastModified = lastModified
        self.sequence = sequence
    }
}

/// An RFC 5545 iCalendar writer, written here because it is small and no package is needed for it.
public enum ICalendar {
    /// A whole VCALENDAR (PRODID "-//Samspil//Samspil//DA", VERSION 2.0, CALSCALE GREGORIAN, METHOD PUBLISH,
    /// X-WR-CALNAME = name) with one VEVENT per event. `now` is DTSTAMP.
    public static func document(name: String, events: [CalendarEvent], now: Date) -> String {
        var out = ""
        func line(_ name: String, _ value: String) { out += fold(name + ":" + value) }

        line("BEGIN", "VCALENDAR")
        line("PRODID", "-//Samspil//Samspil//DA")
        line("VERSION", "2.0")
        line("CALSCALE", "GREGORIAN")
        line("METHOD", "PUBLISH")
        line("X-WR-CALNAME", text(name))
        let stamp = utc(now)
        for event in events {
            line("BEGIN", "VEVENT")
            // UID is of value type TEXT (RFC 5545 3.8.4.7), so it is escaped like any other text.
            line("UID", text(event.uid))
            line("DTSTAMP", stamp)
            line("DTSTART", utc(event.start))
            line("DTEND", utc(event.end))
            line("SUMMARY", text(event.summary))
            if let location = event.location { line("LOCATION", text(location)) }
            if let description = event.description { line("DESCRIPTION", text(description)) }
            if let url = event.url { line("URL", uri(url)) }
            line("STATUS", event.status.rawValue)
            line("LAST-MODIFIED", utc(event.lastModified))
            line("SEQUENCE", String(event.sequence))
            line("END", "VEVENT")
        }
        line("END", "VCALENDAR")
        return out
    }

    /// Maximum length of a physical line in octets, without its CRLF (RFC 5545 3.1).
    static let lineLimit = 75

    /// Gregorian in UTC, fixed: the user's locale or calendar must not change the digits.
    private static let gregorianUTC: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// A DATE-TIME in UTC form, `YYYYMMDDTHHMMSSZ` (fractions of a second are dropped).
    static func utc(_ date: Date) -> String {
        let c = gregorianUTC.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let digits = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2) + "T" + pad(c.hour, 2) + pad(c.minute, 2) + pad(c.second, 2) + "Z"
    }

    /// A TEXT value (RFC 5545 3.3.11): `\`, `;` and `,` escaped, every kind of line break as `\n`, and other
    /// control characters removed, since the grammar does not allow them and they would break the line structure.
    static func text(_ value: String) -> String {
        var out = ""
        var afterCR = false
        for scalar in value.unicodeScalars {
            // CRLF is one break: the LF right after a CR was already written as `\n`.
            defer { afterCR = scalar == "\r" }
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r": out += "\\n"
            case "\n": if !afterCR { out += "\\n" }
            case "\t": out += "\t"
            default:
                if scalar.properties.generalCategory == .control { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A URI value is written as is (no TEXT escaping, which would change the address); only control
    /// characters go, because a line break inside it would start a new, forged property.
    static func uri(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars where scalar.properties.generalCategory != .control {
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// One content line, folded (RFC 5545 3.1) so no physical line exceeds 75 octets: CRLF and one space before
    /// each continuation, which counts towards its 75. Breaks fall between Unicode scalars, never inside the UTF-8
    /// bytes of one, so every physical line is valid UTF-8 for clients that read line by line.
    static func fold(_ contentLine: String) -> String {
        var out = ""
        var width = 0
        for scalar in contentLine.unicodeScalars {
            let size = UTF8.width(scalar)
            if width + size > lineLimit {
                out += "\r\n "
                width = 1
            }
            out.unicodeScalars.append(scalar)
            width += size
        }
        return out + "\r\n"
    }
}
