import Foundation
import Testing
@testable import SamspilCore

@Suite struct ICalendarTests {
    // 2026-03-12 09:00 and 11:30 UTC; DTSTAMP 2026-03-01 12:00 UTC; last modified 2026-02-01 08:15:05 UTC.
    let start = Date(timeIntervalSince1970: 1_773_306_000)
    let end = Date(timeIntervalSince1970: 1_773_315_000)
    let now = Date(timeIntervalSince1970: 1_772_366_400)
    let modified = Date(timeIntervalSince1970: 1_769_933_705)

    func event(summary: String = "Besøg på Naturskolen", status: CalendarEvent.Status = .confirmed) -> CalendarEvent {
        CalendarEvent(
            uid: "0b6f1c2e-5d7a-4e8b-9c3f-2a1d4e5f6a7b@samspil", start: start, end: end, summary: summary,
            status: status, lastModified: modified, sequence: 0
        )
    }

    /// The physical lines of `text` without their CRLF; fails the test if a line does not end with CRLF.
    func physicalLines(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [[UInt8]] {
        let bytes = Array(text.utf8)
        #expect(bytes.suffix(2) == [13, 10], "the last line ends with CRLF", sourceLocation: sourceLocation)
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == 13, index + 1 < bytes.count, bytes[index + 1] == 10 {
                lines.append(current)
                current = []
                index += 2
                continue
            }
            #expect(bytes[index] != 10 && bytes[index] != 13, "no bare CR or LF", sourceLocation: sourceLocation)
            current.append(bytes[index])
            index += 1
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// RFC 5545 unfolding: a line that begins with a space continues the previous one.
    func unfold(_ lines: [[UInt8]]) -> [String] {
        var logical: [[UInt8]] = []
        for line in lines {
            if line.first == 32, !logical.isEmpty {
                logical[logical.count - 1] += line.dropFirst()
            } else {
                logical.append(line)
            }
        }
        return logical.map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func writesOneSimpleEventExactly() {
        let output = ICalendar.document(name: "Samspil – arrangementer", events: [event()], now: now)
        let expected = [
            "BEGIN:VCALENDAR",
            "PRODID:-//Samspil//Samspil//DA",
            "VERSION:2.0",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:Samspil – arrangementer",
            "BEGIN:VEVENT",
            "UID:0b6f1c2e-5d7a-4e8b-9c3f-2a1d4e5f6a7b@samspil",
            "DTSTAMP:20260301T120000Z",
            "DTSTART:20260312T090000Z",
            "DTEND:20260312T113000Z",
            "SUMMARY:Besøg på Naturskolen",
            "STATUS:CONFIRMED",
            "LAST-MODIFIED:20260201T081505Z",
            "SEQUENCE:0",
            "END:VEVENT",
            "END:VCALENDAR",
        ].map { $0 + "\r\n" }.joined()
        #expect(output == expected)
        // Compared as bytes too: String equality would accept a different line ending of equal meaning.
        #expect(Array(output.utf8) == Array(expected.utf8))
        #expect(output.utf8.count == 399)
    }

    @Test func writesOptionalPropertiesAndEscapesText() {
        var event = event(summary: "Møde; kaffe, kage\\ og\nmere\r\nting\rslut")
        event.location = "Nørrebrogade 1, 2200 København N"
        event.description = "Linje 1\n\nLinje 3\tmed tab, bell\u{7}, nul\u{0} og DEL\u{7F}."
        event.url = "https://samspil.dk/begivenheder/moede?a=1,2;b=3\r\nX-EVIL:1"
        event.sequence = 3
        let lines = unfold(physicalLines(ICalendar.document(name: "a;b,c\\d", events: [event], now: now)))
        #expect(lines.contains("X-WR-CALNAME:a\\;b\\,c\\\\d"))
        #expect(lines.contains("SUMMARY:Møde\\; kaffe\\, kage\\\\ og\\nmere\\nting\\nslut"))
        #expect(lines.contains("LOCATION:Nørrebrogade 1\\, 2200 København N"))
        // Blank lines survive as two `\n`; tab stays; other control characters go.
        #expect(lines.contains("DESCRIPTION:Linje 1\\n\\nLinje 3\tmed tab\\, bell\\, nul og DEL."))
        // A URI is not TEXT: `,` and `;` stay as they are, but a line break cannot smuggle in a property.
        #expect(lines.contains("URL:https://samspil.dk/begivenheder/moede?a=1,2;b=3X-EVIL:1"))
        #expect(!lines.contains { $0.hasPrefix("X-EVIL") })
        #expect(lines.contains("SEQUENCE:3"))
        // Properties in the order the writer promises.
        let names = lines.map { String($0.prefix { $0 != ":" }) }
        #expect(names.drop { $0 != "SUMMARY" }.prefix(5) == ["SUMMARY", "LOCATION", "DESCRIPTION", "URL", "STATUS"])
    }

    @Test func foldsALongDanishSummaryAtThe75OctetBoundary() throws {
        // Chosen so that each fold point falls inside a multi-byte character: the duck (4 octets) at octet 74
        // of the first line, the en dash (3 octets) and then the "å" (2 octets) at the end of the continuations.
        let summary = "Åben skole på Nørrebro: Vi besøger naturskolen Søndermarken 🦆 og går en tur ved søen – børn fra "
            + "0.–3. årgang er velkomne – også søskende; tag madpakkerne med og to flasker vand, så alle får nok at "
            + "drikke på turen langs søen"
        let output = ICalendar.document(name: "Samspil", events: [event(summary: summary)], now: now)
        let physical = physicalLines(output)
        for line in physical {
            #expect(line.count <= 75, "\(String(decoding: line, as: UTF8.self))")
            // Each physical line is valid UTF-8 on its own: no character was cut in two.
            #expect(String(validating: line, as: UTF8.self) != nil)
        }
        let start = try #require(physical.firstIndex { $0.starts(with: Array("SUMMARY:".utf8)) })
        let folded = physical[start...].prefix { $0 == physical[start] || $0.first == 32 }
        #expect(folded.map(\.count) == [73, 73, 74, 40])
        #expect(String(decoding: folded.first!, as: UTF8.self) == "SUMMARY:Åben skole på Nørrebro: Vi besøger naturskolen Søndermarken ")
        #expect(String(decoding: folded.last!, as: UTF8.self) == " år nok at drikke på turen langs søen")
        let escaped = summary.replacingOccurrences(of: ";", with: "\\;").replacingOccurrences(of: ",", with: "\\,")
        #expect(unfold(physical).contains("SUMMARY:" + escaped))
        // Short lines are left alone.
        #expect(unfold(physical).count == physical.count - 3)
    }

    @Test func foldsAt75OctetsExactly() {
        let ascii = ICalendar.fold("SUMMARY:" + String(repeating: "a", count: 67))
        #expect(ascii.utf8.count == 75 + 2)
        let longer = ICalendar.fold("SUMMARY:" + String(repeating: "a", count: 68 + 74))
        #expect(longer == "SUMMARY:" + String(repeating: "a", count: 67) + "\r\n " + String(repeating: "a", count: 74) + "\r\n " + "a\r\n")
    }

    @Test func writesCancelledEvents() {
        var cancelled = event(status: .cancelled)
        cancelled.sequence = 2
        let lines = unfold(physicalLines(ICalendar.document(name: "Samspil", events: [cancelled], now: now)))
        #expect(lines.contains("STATUS:CANCELLED"))
        #expect(!lines.contains("STATUS:CONFIRMED"))
        #expect(lines.contains("SEQUENCE:2"))
        #expect(CalendarEvent.Status.tentative.rawValue == "TENTATIVE")
    }

    @Test func anEmptyCalendarIsStillACalendar() {
        let output = ICalendar.document(name: "Ingen arrangementer", events: [], now: now)
        #expect(output == """
            BEGIN:VCALENDAR\r
            PRODID:-//Samspil//Samspil//DA\r
            VERSION:2.0\r
            CALSCALE:GREGORIAN\r
            METHOD:PUBLISH\r
            X-WR-CALNAME:Ingen arrangementer\r
            END:VCALENDAR\r\n
            """)
        #expect(!output.contains("VEVENT"))
    }

    @Test func timesAreUTCWholeSecondsWhateverTheDate() {
        #expect(ICalendar.utc(Date(timeIntervalSince1970: 0.999)) == "19700101T000000Z")
        // 2024-02-29 23:59:59 UTC: a leap day, just before midnight (Danish time would already be 1 March).
        #expect(ICalendar.utc(Date(timeIntervalSince1970: 1_709_251_199)) == "20240229T235959Z")
    }
}
