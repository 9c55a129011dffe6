import Vapor

/// Liveness and readiness for the process manager or load balancer.
enum Health {
    static func live(_ req: Request) async throws -> HealthDTO {
        HealthDTO(status: "ok")
    }

    static func ready(_ req: Request) async throws -> Response {
        let reachable = await DatabaseSetup.isReachable(req.db)
        let response = Response(status: reachable ? .ok : .serviceUnavailable)
        try response.content.encode(HealthDTO(status: reachable ? "ok" : "database unreachable"))
        return response
    }
}
