@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing
import Vapor
import VaporTesting

/// Issue 11's findings about logins: the throttle under parallel attempts, a burst of logins beside page reads,
/// and whether the time of an answer tells that an address has an account.
/// Serialized: the burst would otherwise share the processor with the timing tests.
@Suite(.serialized) struct LoginHardeningTests {
    typealias Browser = LoginTests.Browser

    /// A login form post without a browser's cookie jar (each of a burst is its own visitor).
    static func postLogin(_ app: Application, email: String, password: String) async throws -> HTTPStatus {
        let csrf = SessionQueries.randomToken()
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        headers.replaceOrAdd(name: .origin, value: LoginTests.origin)
        headers.replaceOrAdd(name: .cookie, value: "samspil-csrf=\(csrf)")
        let body = ["email": email, "password": password, "_csrf": csrf]
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        return try await app.testing().sendRequest(.POST, "/log-ind", headers: headers, body: ByteBuffer(string: body)).status
    }

    /// 60 wrong passwords for one account at once: the attempt is counted before the password is checked, so at
    /// most the account's limit of them are checked (422), and every other one is refused unchecked (429).
    @Test(arguments: TestBackend.all)
    func parallelWrongPasswordsGetNoMoreChecksThanTheLimit(backend: TestBackend) async throws {
        try await LoginTests.withAccounts(backend) { app in
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for index in 0..<60 {
                    group.addTask { try await Self.postLogin(app, email: "redaktor@skole.dk", password: "forkert \(index)") }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            let checked = statuses.filter { $0 == .unprocessableEntity }.count
            let refused = statuses.filter { $0 == .tooManyRequests }.count
            #expect(checked == LoginThrottle.perAccount.limit, "exactly the limit is checked; got \(checked)")
            #expect(refused == 60 - checked, "every other attempt is refused: \(statuses)")
            // The right password is refused too now: the account's attempts are used up.
            #expect(try await Self.postLogin(app, email: "redaktor@skole.dk", password: LoginTests.password) == .tooManyRequests)
        }
    }

    /// 60 logins at once, at a real bcrypt cost, while pages are read: nothing answers 500, and no page read
    /// waits a second (hashing once held the thread pool SQLite's connections run on).
    @Test(arguments: TestBackend.all)
    func aBurstOfLoginsLeavesPageReadsAlone(backend: TestBackend) async throws {
        try await withApps(backend, count: 1, seed: true, sqliteFile: true, settings: { $0.bcryptCost = 10 }) { apps in
            let app = apps[0]
            let emails = (0..<12).map { "laerer\($0)@skole.dk" }
            for email in emails {
                _ = try await AccountQueries.create(email: email, password: LoginTests.password, role: .editor, now: frozenNow,
                                                    hashing: PasswordHashing(app), on: app.db)
            }
            let clock = ContinuousClock()
            let (logins, reads) = try await withThrowingTaskGroup(of: ([HTTPStatus], [(HTTPStatus, Duration)]).self) { group in
                for index in 0..<60 {
                    group.addTask {
                        // Five attempts per account (its limit), one in five with the right password.
                        let password = index % 5 == 0 ? LoginTests.password : "forkert \(index)"
                        return ([try await Self.postLogin(app, email: emails[index % emails.count], password: password)], [])
                    }
                }
                group.addTask {
                    var reads: [(HTTPStatus, Duration)] = []
                    for round in 0..<30 {
                        let path = round.isMultiple(of: 2) ? "/api/v1/materials" : "/materialer/fire-typer-af-partnerskaber"
                        let start = clock.now
                        let status = try await app.testing().sendRequest(.GET, path).status
                        reads.append((status, clock.now - start))
                        try await Task.sleep(for: .milliseconds(40))
                    }
                    return ([], reads)
                }
                return try await group.reduce(into: ([HTTPStatus](), [(HTTPStatus, Duration)]())) {
                    $0.0 += $1.0
                    $0.1 += $1.1
                }
            }
            #expect(logins.count == 60)
            #expect(logins.allSatisfy { [.seeOther, .unprocessableEntity, .tooManyRequests].contains($0) }, "\(logins)")
            #expect(logins.contains(.seeOther), "the right passwords got in")
            #expect(reads.count == 30 && reads.allSatisfy { $0.0 == .ok }, "\(reads.map(\.0))")
            let slowest = reads.map(\.1).max() ?? .zero
            #expect(slowest < .seconds(1), "a page read took \(slowest) during the burst: \(reads.map { $0.1.components.attoseconds / 1_000_000_000_000_000 })")
        }
    }

    /// Unknown, existing and disabled addresses cost the same work (a bcrypt check each), so the time of an answer
    /// does not tell them apart; the cases are timed in turns so that they share whatever else the machine does.
    @Test func aLoginTakesAsLongWhetherOrNotTheAccountExists() async throws {
        try await withApp(seed: false, settings: { $0.bcryptCost = 10 }) { app in
            let hashing = PasswordHashing(app)
            for email in ["aktiv@skole.dk", "spaerret@skole.dk"] {
                _ = try await AccountQueries.create(email: email, password: LoginTests.password, role: .editor, now: frozenNow, hashing: hashing, on: app.db)
            }
            _ = try await AccountQueries.disable(email: "spaerret@skole.dk", now: frozenNow, on: app.db)
            let clock = ContinuousClock()
            // Per round, each case's time against the existing account's in the same round (neighbours in time share
            // whatever else the machine does); the medians of those ratios must be near 1. Before the stand-in hash,
            // an unknown address took 3 % of an existing account's time.
            var ratios: [String: [Double]] = [:]
            var existing: [Duration] = []
            for round in 0..<15 {
                var times: [String: Duration] = [:]
                for email in ["ukendt@skole.dk", "aktiv@skole.dk", "spaerret@skole.dk"] {
                    let start = clock.now
                    let account = try await AccountQueries.verify(email: email, password: "forkert adgangskode", hashing: hashing, on: app.db)
                    #expect(account == nil)
                    times[email] = clock.now - start
                }
                guard round > 1, let reference = times["aktiv@skole.dk"] else { continue }  // the first rounds warm up
                existing.append(reference)
                for email in ["ukendt@skole.dk", "spaerret@skole.dk"] { ratios[email, default: []].append(times[email]! / reference) }
            }
            #expect(existing.sorted()[existing.count / 2] > .milliseconds(5), "a bcrypt check at cost 10 takes milliseconds")
            for (email, values) in ratios {
                let median = values.sorted()[values.count / 2]
                #expect(median > 0.67 && median < 1.5, "\(email) takes \(median) × an existing account's time")
            }
        }
    }

    /// A reset request is one insert whatever the address; the link is made later, only for an active account.
    @Test func aResetRequestTakesAsLongWhetherOrNotTheAccountExists() async throws {
        try await LoginTests.withAccounts(.sqlite) { app in
            let browser = Browser(app)
            let token = try await browser.csrfToken(on: "/glemt-adgangskode")
            let clock = ContinuousClock()
            var ratios: [Double] = []
            for round in 0..<21 {
                var times: [Duration] = []
                for email in ["ukendt@skole.dk", "redaktor@skole.dk"] {
                    let start = clock.now
                    #expect(try await browser.post("/glemt-adgangskode", ["email": email, "_csrf": token]).status == .ok)
                    times.append(clock.now - start)
                }
                if round > 1 { ratios.append(times[0] / times[1]) }
            }
            let median = ratios.sorted()[ratios.count / 2]
            #expect(median > 0.67 && median < 1.5, "an unknown address takes \(median) × an existing account's time")
            #expect(try await OutboxMessageModel.query(on: app.db).count() == 0, "nothing is decided while the visitor waits")
            try await PasswordResetQueries.processRequests(now: frozenNow, publicURL: LoginTests.origin, on: app.db)
            let mails = try await OutboxMessageModel.query(on: app.db).all()
            #expect(mails.count == PasswordResetQueries.perHour && mails.allSatisfy { $0.recipient == "redaktor@skole.dk" })
        }
    }

    /// Two processes handle the waiting requests together: each request becomes at most one link.
    @Test(arguments: TestBackend.all)
    func twoProcessesHandleEachResetRequestOnce(backend: TestBackend) async throws {
        try await withApps(backend, count: 2, seed: false) { apps in
            _ = try await AccountQueries.create(email: "redaktor@skole.dk", password: LoginTests.password, role: .editor, now: frozenNow,
                                                hashing: PasswordHashing(apps[0]), on: apps[0].db)
            for _ in 0..<2 { try await PasswordResetQueries.request(email: "redaktor@skole.dk", now: frozenNow, on: apps[0].db) }
            let handled = try await withThrowingTaskGroup(of: Int.self) { group in
                for app in apps {
                    group.addTask { try await PasswordResetQueries.processRequests(now: frozenNow, publicURL: LoginTests.origin, on: app.db) }
                }
                return try await group.reduce(0, +)
            }
            #expect(handled == 2)
            #expect(try await PasswordResetModel.query(on: apps[0].db).count() == 2)
            #expect(try await OutboxMessageModel.query(on: apps[0].db).count() == 2)
        }
    }
}
