import Vapor

/// The `Server-Timing` header of search responses: time in the database, in the search around it
/// (expansion, snippets) and in rendering, so a benchmark can tell them apart.
enum ServerTiming {
    static func header(database: Duration, search: Duration, render: Duration) -> String {
        "db;dur=\(milliseconds(database)), search;dur=\(milliseconds(search - database)), render;dur=\(milliseconds(render))"
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.3f", Double(seconds) * 1_000 + Double(attoseconds) / 1e15)
    }
}
