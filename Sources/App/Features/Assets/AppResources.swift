import Foundation

/// Files shipped in `Sources/App/Resources` (seed, reference data, stylesheets, OpenAPI document).
enum AppResources {
    static func url(_ relativePath: String) -> URL {
        Bundle.module.bundleURL.appendingPathComponent("Resources").appendingPathComponent(relativePath)
    }

    static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: url(relativePath))
    }
}
