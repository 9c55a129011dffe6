import App
import ArgumentParser
import Foundation
import Logging
import SamspilCore
import NIOCore
import NIOPosix
import Vapor

@main
struct Samspil: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "samspil",
        abstract: "Samspil – videncenter og partnerskaber for den åbne skole.",
        subcommands: [Serve.self, Migrate.self, Import.self, Export.self, Reindex.self, User.self, Organisations.self, Demo.self],
        defaultSubcommand: Serve.self
    )
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Migrate, load the seed once, and serve HTTP.")

    @ArgumentParser.Option(name: [.customLong("hostname"), .customShort("H")], help: "Address to listen on.")
    var hostname = "127.0.0.1"

    @ArgumentParser.Option(name: [.customLong("port"), .customShort("p")], help: "Port to listen on.")
    var port = 8080

    func run() async throws {
        try await Self.serve(hostname: hostname, port: port, before: { _ in })
    }

    /// Migrates, loads the seed once, runs `before`, and serves until stopped.
    static func serve(hostname: String, port: Int, before: (Application) async throws -> Void) async throws {
        // Run Swift concurrency on NIO's event loop threads, as Vapor suggests: a request or a database reply
        // then continues on the thread it arrived on instead of hopping to another pool.
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        // Without SAMSPIL_PUBLIC_URL, links in feeds and canonical tags point at the address served here.
        let served = "http://\(hostname == "0.0.0.0" || hostname == "::" ? "127.0.0.1" : hostname):\(port)"
        try await withApplication(arguments: ["serve", "--hostname", hostname, "--port", String(port)], defaultPublicURL: served) { app in
            try await prepareDatabase(app)
            try await before(app)
            try await warmUpSearch(app)
            // Outgoing mail leaves the outbox every few seconds (any number of processes may do this).
            let mail = Task {
                while !Task.isCancelled {
                    do { _ = try await deliverMail(app) } catch { app.logger.warning("mail delivery round failed") }
                    try? await Task.sleep(for: .seconds(5))
                }
            }
            defer { mail.cancel() }
            try await app.execute()
        }
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load the fictional demo organisations, then serve HTTP as `serve` does.",
        discussion: "Fifteen made-up schools and learning environments in six municipalities (Resources/Demo/organisationer.csv). Running it again changes nothing. `serve` alone never loads them."
    )

    @ArgumentParser.Option(name: [.customLong("hostname"), .customShort("H")], help: "Address to listen on.")
    var hostname = "127.0.0.1"

    @ArgumentParser.Option(name: [.customLong("port"), .customShort("p")], help: "Port to listen on.")
    var port = 8080

    func run() async throws {
        try await Serve.serve(hostname: hostname, port: port) { app in
            do {
                let summary = try await loadDemoOrganisations(on: app)
                app.logger.notice("demo organisations loaded", metadata: ["result": .string(summary)])
            } catch let error as ContentImportError {
                throw CommandFailure(description: error.lines.joined(separator: "\n"))
            }
        }
    }
}

struct Organisations: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import schools and learning environments from CSV, or export the directory.",
        subcommands: [ImportCSV.self, ExportDirectory.self, Member.self]
    )

    struct Member: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "member",
            abstract: "Give a person (who has an account) a role in an organisation, e.g. its first administrator.",
            discussion: "Roles: skoleleder, laerer, plc, aaben-skole-kontakt (schools); leder, formidler (learning environments); koordinator (municipalities); administrator (all)."
        )

        @ArgumentParser.Argument(help: "The organisation's slug, as in its address (/organisationer/<slug> or /kommuner/<slug>).") var organisation: String
        @ArgumentParser.Argument(help: "The person's e-mail address.") var email: String
        @ArgumentParser.Argument(help: "The role.") var role: String

        func run() async throws {
            try await withApplication { app in
                do {
                    print(try await addMember(email: email, organisation: organisation, role: role, on: app))
                } catch let error as SamspilError {
                    throw CommandFailure(description: error.message)
                }
            }
        }
    }

    struct ImportCSV: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import schools and learning environments from a CSV file.",
            discussion: """
                `;` or `,`, UTF-8 (with or without BOM) or Windows-1252. Prints one line per row: created, updated or refused and why. \
                Nothing is written if a row is refused, unless --skip-refused. A school is updated when its institution number is \
                stored, a learning environment when its name and municipality are. Exit status 2 when rows were refused.
                """
        )

        @ArgumentParser.Argument(help: "The CSV file, or - for standard input.") var file: String
        @ArgumentParser.Flag(help: "Report what would happen; write nothing.") var dryRun = false
        @ArgumentParser.Flag(help: "Write the accepted rows even if others are refused.") var skipRefused = false

        func run() async throws {
            let data: Data
            do {
                data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw CommandFailure(description: "Cannot read \(file): \(error.localizedDescription)")
            }
            try await withApplication { app in
                try await migrateDatabase(app)
                do {
                    let result = try await importOrganisations(data, dryRun: dryRun, skipRefused: skipRefused, on: app)
                    for line in result.lines { print(line) }
                    print(result.summary)
                    if result.refused > 0 { throw ExitCode(2) }
                } catch let error as ContentImportError {
                    var standardError = StandardError()
                    print("Filen kan ikke læses; intet er gemt:", to: &standardError)
                    for line in error.lines { print("  - \(line)", to: &standardError) }
                    throw ExitCode(2)
                }
            }
        }
    }

    struct ExportDirectory: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Write the approved schools, learning environments and others as CSV for Excel (or JSON).")

        @ArgumentParser.Flag(help: "JSON instead of CSV.") var json = false

        func run() async throws {
            try await withApplication { app in
                try await migrateDatabase(app)
                try FileHandle.standardOutput.write(contentsOf: try await exportOrganisations(json: json, on: app))
            }
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or update the database schema, and nothing else.")

    func run() async throws {
        try await withApplication { app in
            try await migrateDatabase(app)
            app.logger.notice("database migrated")
        }
    }
}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import a content file written by `samspil export`.",
        discussion: "The whole file is checked first and written in one transaction: a bad file changes nothing."
    )

    @ArgumentParser.Argument(help: "The JSON file, or - for standard input.")
    var file: String

    func run() async throws {
        let data: Data
        do {
            data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw CommandFailure(description: "Cannot read \(file): \(error.localizedDescription)")
        }
        try await withApplication { app in
            try await migrateDatabase(app)
            let progress = ImportProgress()
            do {
                let report = try await importContent(data, on: app, progress: { done, total in progress.show(done, total) })
                progress.finish()
                print("Imported \(report.materials) materials, \(report.themes) themes, \(report.terms) vocabulary terms.")
            } catch let error as ContentImportError {
                progress.finish()
                var standardError = StandardError()
                print("Import refused; nothing was changed:", to: &standardError)
                for line in error.lines { print("  - \(line)", to: &standardError) }
                throw ExitCode(2)
            }
        }
    }
}

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write all content as JSON to standard output.",
        discussion: "Materials are written as they are read, a batch at a time, from one state of the database."
    )

    func run() async throws {
        try await withApplication { app in
            try await migrateDatabase(app)
            try await exportContent(on: app) { try FileHandle.standardOutput.write(contentsOf: $0) }
            try FileHandle.standardOutput.write(contentsOf: Data("\n".utf8))
        }
    }
}

struct Reindex: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Rebuild the search index from the stored materials.")

    func run() async throws {
        try await withApplication { app in
            try await migrateDatabase(app)
            let progress = ImportProgress()
            let count = try await rebuildSearchIndex(app, progress: { done, total in progress.show(done, total) })
            progress.finish()
            print("Indexed \(count) published materials.")
        }
    }
}

struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage accounts: create, list, disable, enable, reset.",
        discussion: "Each subcommand migrates the database first, so the first administrator can be created on a new one.",
        subcommands: [Create.self, List.self, Disable.self, Enable.self, Reset.self]
    )

    struct PasswordOptions: ParsableArguments {
        @ArgumentParser.Flag(help: "Read the password from the first line of standard input instead of asking for it.")
        var passwordStdin = false

        /// The password: the first line of standard input, or typed twice at a prompt that does not echo.
        func read() throws -> String {
            if passwordStdin {
                guard let line = readLine(strippingNewline: true) else { throw CommandFailure(description: "No password on standard input.") }
                return line
            }
            guard isatty(STDIN_FILENO) == 1 else {
                throw CommandFailure(description: "Standard input is not a terminal: pass the password with --password-stdin.")
            }
            let first = try Terminal.readSecret(prompt: "Adgangskode: ")
            let second = try Terminal.readSecret(prompt: "Gentag adgangskoden: ")
            guard first == second else { throw CommandFailure(description: "The two passwords differ; nothing was changed.") }
            return first
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account (an editor unless --admin).")

        @ArgumentParser.Flag(help: "Make the account an administrator.") var admin = false
        @ArgumentParser.Option(help: "The name shown for the account (default: the part of the address before @).")
        var name: String?
        @ArgumentParser.Argument(help: "E-mail address.") var email: String
        @OptionGroup var password: PasswordOptions

        func run() async throws {
            let secret = try password.read()
            try await withApplication { app in
                let account = try await accountCommand {
                    try await createAccount(email: email, name: name, password: secret, role: admin ? .administrator : .editor, on: app)
                }
                print("Created \(account.role.rawValue) \(account.email).")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the accounts.")

        func run() async throws {
            try await withApplication { app in
                for account in try await listAccounts(on: app) {
                    print([account.email, account.role.rawValue, account.disabled ? "disabled" : "active", account.name].joined(separator: "\t"))
                }
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account: it can no longer log in; what it wrote stays.")
        @ArgumentParser.Argument(help: "E-mail address.") var email: String

        func run() async throws {
            try await withApplication { app in
                let account = try await accountCommand { try await disableAccount(email: email, on: app) }
                print("Disabled \(account.email).")
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled account again.")
        @ArgumentParser.Argument(help: "E-mail address.") var email: String

        func run() async throws {
            try await withApplication { app in
                let account = try await accountCommand { try await enableAccount(email: email, on: app) }
                print("Enabled \(account.email).")
            }
        }
    }

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give an account a new password.")
        @ArgumentParser.Argument(help: "E-mail address.") var email: String
        @OptionGroup var password: PasswordOptions

        func run() async throws {
            let secret = try password.read()
            try await withApplication { app in
                let account = try await accountCommand { try await resetPassword(email: email, password: secret, on: app) }
                print("New password set for \(account.email).")
            }
        }
    }
}

/// Runs an account change; a broken rule or unknown account becomes a plain message and exit code 2.
func accountCommand(_ body: () async throws -> Account) async throws -> Account {
    do {
        return try await body()
    } catch let error as SamspilError {
        var standardError = StandardError()
        switch error {
        case .invalid(let problems), .unprocessable(let problems): for problem in problems { print(problem.message, to: &standardError) }
        case .notFound(let message), .conflict(let message), .forbidden(let message), .stale(let message), .busy(let message, _):
            print(message, to: &standardError)
        }
        throw ExitCode(2)
    }
}

/// Reading a secret from the terminal without echoing it.
enum Terminal {
    static func readSecret(prompt: String) throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var original = termios()
        guard tcgetattr(STDIN_FILENO, &original) == 0 else { throw CommandFailure(description: "Cannot read the terminal's settings.") }
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &original)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true) else { throw CommandFailure(description: "No password was typed.") }
        return line
    }
}

/// Creates, configures and always shuts down an application. Startup errors are printed plainly.
func withApplication(
    arguments: [String] = [], defaultPublicURL: String? = nil, _ body: (Application) async throws -> Void
) async throws {
    var settings: AppSettings
    do {
        settings = try AppSettings.fromEnvironment()
        if let defaultPublicURL, (ProcessInfo.processInfo.environment["SAMSPIL_PUBLIC_URL"] ?? "").isEmpty {
            settings.publicURL = defaultPublicURL
        }
    } catch {
        throw CommandFailure(description: String(describing: error))
    }
    let level = Logger.Level(rawValue: ProcessInfo.processInfo.environment["LOG_LEVEL"]?.lowercased() ?? "info") ?? .info
    LoggingSystem.bootstrap { label in
        switch settings.logFormat {
        case .json: JSONLogHandler(label: label, level: level)
        case .text:
            {
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }()
        }
    }
    let environment = Environment(
        name: ProcessInfo.processInfo.environment["SAMSPIL_ENV"] ?? "production",
        arguments: ["samspil"] + arguments
    )
    let app = try await Application.make(environment)
    do {
        try configure(app, settings: settings)
        try await body(app)
    } catch {
        try? await app.asyncShutdown()
        if let startup = error as? StartupError {
            throw CommandFailure(description: startup.description)
        }
        throw error
    }
    try await app.asyncShutdown()
}

/// Progress on the terminal for long imports; silent when standard error is not a terminal.
final class ImportProgress: @unchecked Sendable {
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var lastShown = -1
    private let lock = NSLock()

    func show(_ done: Int, _ total: Int) {
        guard isTerminal, total > 0 else { return }
        let percent = done * 100 / total
        lock.lock(); defer { lock.unlock() }
        guard percent != lastShown else { return }
        lastShown = percent
        FileHandle.standardError.write(Data("\rImporting… \(done)/\(total) (\(percent) %)".utf8))
    }

    func finish() {
        if isTerminal && lastShown >= 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

/// A failure of a command that needs no usage text: the message says what is wrong.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) { FileHandle.standardError.write(Data(string.utf8)) }
}
