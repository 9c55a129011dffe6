import Vapor

/// The app's own stylesheets, served from the bundle (no CDN).
enum Stylesheets {
    static func handler(_ file: String) -> @Sendable (Request) async throws -> Response {
        let data = (try? AppResources.data("Public/\(file)")) ?? Data()
        return { _ in
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: "text/css; charset=utf-8")
            headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
            return Response(status: .ok, headers: headers, body: .init(data: data))
        }
    }
}
