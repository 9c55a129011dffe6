import Crypto
import Foundation
import SamspilCore
import Vapor

/// The app's own static files (stylesheets), served from the bundle (no CDN). Pages link them at an address
/// that carries a hash of the content (`samspil.3f2a9c1e07.css`): what such an address serves never changes,
/// so browsers keep it for a year without asking again, and a changed file gets a new address. The plain name
/// is served too (for old pages and bookmarks), but browsers must ask whether it changed.
enum StaticAssets {
    struct Asset: Sendable {
        var data: Data
        var contentType: String
        var versionedName: String
    }

    static let files = ["samspil.css", "print.css", "partnerships.css", "agreement-print.css", "tools.css", "worksheet-print.css", "worksheet.js"]

    /// By plain and by versioned name.
    private static let byName: [String: (asset: Asset, versioned: Bool)] = {
        var result: [String: (Asset, Bool)] = [:]
        for name in files {
            let data = (try? AppResources.data("Public/\(name)")) ?? Data()
            let hash = SHA256.hash(data: data).prefix(5).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
            let dot = name.lastIndex(of: ".") ?? name.endIndex
            let versioned = name[..<dot] + "." + hash + name[dot...]
            let type = name.hasSuffix(".css") ? "text/css; charset=utf-8" : "application/javascript; charset=utf-8"
            let asset = Asset(data: data, contentType: type, versionedName: String(versioned))
            result[name] = (asset, false)
            result[asset.versionedName] = (asset, true)
        }
        return result
    }()

    /// The address pages link a file at.
    static func href(_ name: String) -> String {
        SitePath.asset(byName[name]?.asset.versionedName ?? name).href
    }

    static func handle(_ req: Request) async throws -> Response {
        guard let name = req.parameters.get("file"), let (asset, versioned) = byName[name] else {
            throw SamspilError.notFound("Filen findes ikke.")
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: asset.contentType)
        headers.replaceOrAdd(name: .cacheControl, value: versioned ? "public, max-age=31536000, immutable" : "no-cache")
        return Response(status: .ok, headers: headers, body: .init(data: asset.data))
    }
}

private extension String {
    func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
