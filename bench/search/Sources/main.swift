import App
import ArgumentParser
import Foundation
import Logging
import NIOCore
import NIOPosix
import Vapor

/// In-process part of the search benchmark (`bench/search/run` drives it):
/// `load` stores a generated corpus, `index` times the index build, `query` times searches.
@main
struct SamspilBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "samspil-bench",
        abstract: "In-process search benchmark for Samspil.",
        subcommands: [Load.self, Index.self, Query.self]
    )
}

struct Options: ParsableArguments {
    @ArgumentParser.Option(help: "DATABASE_URL of the benchmark database, e.g. sqlite:///tmp/bench.sqlite")
    var database: String
}

struct Load: AsyncParsableCommand {
    @OptionGroup var options: Options
    @ArgumentParser.Option(help: "JSON-lines corpus from bench/search/generate.py") var corpus: String

    func run() async throws {
        try await withBenchApp(options.database) { app in
            let start = ContinuousClock.now
            let count = try await SearchBenchmarkSupport.load(corpus: URL(fileURLWithPath: corpus), on: app)
            printJSON(["documents": count, "load_seconds": seconds(ContinuousClock.now - start)])
        }
    }
}

struct Index: AsyncParsableCommand {
    @OptionGroup var options: Options

    func run() async throws {
        try await withBenchApp(options.database) { app in
            let start = ContinuousClock.now
            let count = try await SearchBenchmarkSupport.index(on: app)
            printJSON(["documents": count, "index_seconds": seconds(ContinuousClock.now - start)])
        }
    }
}

struct Query: AsyncParsableCommand {
    @OptionGroup var options: Options
    @ArgumentParser.Option(help: "One query per line") var queries: String

    func run() async throws {
        let lines = try String(contentsOfFile: queries, encoding: .utf8).split(separator: "\n").map(String.init)
        try await withBenchApp(options.database) { app in
            // Warm up: build the in-memory index and run every query once. That first pass is timed too
            // ("first_pass"), since it also fills the per-process caches (query-word expansions, word stems).
            _ = try await SearchBenchmarkSupport.search(lines.first ?? "", on: app)
            func timedPass() async throws -> (durations: [Double], hits: Int) {
                var durations: [Double] = []
                var hits = 0
                for line in lines {
                    let start = ContinuousClock.now
                    hits += try await SearchBenchmarkSupport.search(line, on: app)
                    durations.append(seconds(ContinuousClock.now - start) * 1_000)
                }
                return (durations.sorted(), hits)
            }
            let first = try await timedPass()
            let (durations, hits) = try await timedPass()
            func percentile(_ values: [Double], _ p: Double) -> Double { values[min(values.count - 1, Int(Double(values.count) * p))] }
            func percentile(_ p: Double) -> Double { percentile(durations, p) }
            printJSON(["queries": durations.count, "p50_ms": percentile(0.5), "p99_ms": percentile(0.99),
                       "first_pass_p50_ms": percentile(first.durations, 0.5), "first_pass_p99_ms": percentile(first.durations, 0.99),
                       "mean_hits": Double(hits) / Double(max(lines.count, 1))])
        }
    }
}

func withBenchApp(_ database: String, _ body: (Application) async throws -> Void) async throws {
    // As `samspil serve` does: Swift concurrency on NIO's event loop threads.
    _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    var settings = try AppSettings.fromEnvironment(["DATABASE_URL": database, "SAMSPIL_SEED": "true"])
    settings.loadSeed = true
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = .warning
        return handler
    }
    let app = try await Application.make(Environment(name: "production", arguments: ["samspil-bench"]))
    do {
        try configure(app, settings: settings)
        // Migrations and the seed (vocabularies and the 11 seed materials), as a real start does.
        try await prepareDatabase(app)
        try await body(app)
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}

func seconds(_ duration: Duration) -> Double {
    let (whole, attoseconds) = duration.components
    return Double(whole) + Double(attoseconds) / 1e18
}

func printJSON(_ object: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}
