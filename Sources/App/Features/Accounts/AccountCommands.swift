import Foundation
import SamspilCore
import Vapor

/// What `samspil user …` calls. Each migrates the database first, so the first administrator can be created
/// on a fresh database. Domain failures come back as `SamspilError` with a Danish message.

public func createAccount(
    email: String, name: String?, password: String, role: Role, on app: Application
) async throws -> Account {
    try await migrateDatabase(app)
    return try await AccountQueries.create(
        email: email, name: name, password: password, role: role, now: app.samspil.clock(),
        hashing: PasswordHashing(app), on: app.db
    )
}

public func listAccounts(on app: Application) async throws -> [Account] {
    try await migrateDatabase(app)
    return try await AccountQueries.all(on: app.db)
}

public func disableAccount(email: String, on app: Application) async throws -> Account {
    try await migrateDatabase(app)
    return try await AccountQueries.disable(email: email, now: app.samspil.clock(), on: app.db)
}

public func enableAccount(email: String, on app: Application) async throws -> Account {
    try await migrateDatabase(app)
    return try await AccountQueries.enable(email: email, now: app.samspil.clock(), on: app.db)
}

public func resetPassword(email: String, password: String, on app: Application) async throws -> Account {
    try await migrateDatabase(app)
    return try await AccountQueries.setPassword(
        email: email, password: password, now: app.samspil.clock(), hashing: PasswordHashing(app), on: app.db
    )
}
