import Foundation

/// Dates and times as Danish pages show them: "3. dec. 2026 14:05", Copenhagen time.
enum DanishDate {
    static func dateTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "da_DK")
        formatter.timeZone = TimeZone(identifier: "Europe/Copenhagen")
        formatter.dateFormat = "d. MMM yyyy HH:mm"
        return formatter.string(from: date)
    }

    /// The time of day, "14.05" (Danish writes the clock with a full stop).
    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "da_DK")
        formatter.timeZone = TimeZone(identifier: "Europe/Copenhagen")
        formatter.dateFormat = "HH.mm"
        return formatter.string(from: date)
    }
}

extension DanishDate {
    /// A `<time>` with the machine-readable moment in `datetime` (HTML requires it when the text is Danish).
    static func element(_ date: Date) -> Component {
        Tag("time", [("datetime", ISO8601DateFormatter().string(from: date))], text: dateTime(date))
    }
}
