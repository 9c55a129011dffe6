@testable import App
import Foundation
import SamspilCore
import Testing

/// The calendar files the app serves, read by a real iCalendar parser (Python's `icalendar`, through
/// `scripts/check-ical`): long Danish texts, punctuation that needs escaping, a cancelled and a held activity.
/// `.ci/run` installs `icalendar` before it runs the tests; on a machine without it the test says how to get it
/// and is skipped, unless `CI` is set, where a missing parser fails it.
@Suite struct CalendarFeedValidityTests {
    static func parserAvailable() -> Bool {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import icalendar"]
        probe.standardError = FileHandle.nullDevice
        do { try probe.run() } catch { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }

    @Test func theServedCalendarIsValidForARealParser() throws {
        guard Self.parserAvailable() || ProcessInfo.processInfo.environment["CI"] != nil else {
            print("CalendarFeedValidityTests: skipped, Python's icalendar is missing (pip install icalendar)")
            return
        }
        let start = frozenNow
        let activities = [
            Activity(title: "Besøg på museet: vikingetiden; sværd, skjolde og runer \\ en lang dag med 5.a og 5.b i Roskilde", startsAt: start,
                     endsAt: start.addingTimeInterval(3 * 3_600), place: "Vikingeskibsmuseet, Vindeboder 12, 4000 Roskilde", classes: "5.a, 5.b",
                     pupils: 48, teacher: "Mads Museum", status: .held),
            Activity(title: "Aflyst: workshop 🦆", startsAt: start.addingTimeInterval(86_400), endsAt: start.addingTimeInterval(90_000),
                     place: "", status: .cancelled),
        ].enumerated().map { index, activity in
            PartnershipQueries.StoredActivity(id: UUID(uuidString: "00000000-0000-0000-0000-00000000000\(index + 1)")!, revision: 2, activity: activity,
                                              partnershipSlug: "vikinger", partnershipTitle: "Vikinger på museet", updatedAt: frozenNow)
        }
        let text = ICalendar.document(name: "Vikinger på museet", events: PartnershipCalendar.events(activities, site: SnapshotTests.site), now: frozenNow)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("samspil-\(UUID().uuidString).ics")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/check-ical").path, file.path]
        let output = Pipe()
        check.standardOutput = output
        check.standardError = output
        try check.run()
        check.waitUntilExit()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(check.terminationStatus == 0, "scripts/check-ical: \(said)")
        #expect(said.contains("ok: 2 events"))
    }
}
