// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "samspil",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "samspil", targets: ["samspil"]),
        .executable(name: "samspil-bench", targets: ["samspil-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // Already in the build through Vapor and PostgresNIO; the SMTP transport uses it for TLS.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.36.0"),
        // ID tokens of single sign-on (OpenID Connect): JWKS, signatures and claims.
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
    ],
    targets: [
        // Domain types and rules. No Vapor, no Fluent.
        .target(name: "SamspilCore"),
        // Text analysis for search: Snowball stemmers (Danish, Swedish, English), analyzer, term expansion.
        // No dependencies.
        .target(name: "SamspilSearch"),
        // The web application: routes, persistence, views.
        .target(
            name: "App",
            dependencies: [
                "SamspilCore",
                "SamspilSearch",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            resources: [.copy("Resources")]
        ),
        // Thin command-line front end: serve, migrate, import, export.
        .executableTarget(
            name: "samspil",
            dependencies: [
                "App",
                "SamspilCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // The in-process half of the search benchmark (bench/search/run drives it).
        .executableTarget(
            name: "samspil-bench",
            dependencies: [
                "App", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "bench/search/Sources"
        ),
        .testTarget(name: "SamspilCoreTests", dependencies: ["SamspilCore"]),
        .testTarget(name: "SamspilSearchTests", dependencies: ["SamspilSearch"], exclude: ["Fixtures"]),
        .testTarget(
            name: "AppTests",
            dependencies: [
                "App",
                "SamspilSearch",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                // The test provider of single sign-on signs its ID tokens.
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
