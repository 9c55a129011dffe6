import Foundation
import SamspilCore
import Vapor

/// Logging in with an OpenID Connect provider: `/log-ind/sso/<id>` sends the person to the provider with a new
/// `state`, `nonce` and PKCE challenge (the state also in a cookie of this browser); `/log-ind/sso/<id>/svar`
/// takes the provider's answer, checks it (`OpenIDConnect`), logs the person in (`SingleSignOnSaving`) and goes
/// on to where they were going. Every refusal is the login page again with a Danish message.
enum SingleSignOnPages {
    static func register(on app: Application) {
        app.get(SitePath.account(.signOnStart(SitePath.slugPlaceholder)).pattern, use: start)
        app.get(SitePath.account(.signOnCallback(SitePath.slugPlaceholder)).pattern, use: callback)
    }

    /// Attempts one address may start: enough for a school sharing an address, too few to fill the table.
    static let perAddress = LoginThrottle(limit: 60, window: 600)

    private static func provider(_ req: Request) throws -> SignOnProvider {
        let id = req.parameters.get(SitePath.slug) ?? ""
        guard let provider = req.application.samspil.settings.signOnProviders.first(where: { $0.id == id }) else {
            throw SamspilError.notFound("Samspil kender ikke login-udbyderen \"\(id)\".")
        }
        return provider
    }

    static func start(_ req: Request) async throws -> Response {
        let provider = try provider(req)
        let context = req.application.samspil
        let now = context.clock()
        let next = LoginPage.safeNext(req.query[String.self, at: "naeste"])
        if case .wait(let seconds) = try await LoginFailureQueries.claim([("sign-on:\(req.clientAddress ?? "?")", perAddress)], now: now, on: req.db) {
            let response = try refuse(req, provider: provider, message: "Der er startet for mange login-forsøg herfra. Vent \(LoginPage.minutes(seconds)), og prøv igen.",
                                      status: .tooManyRequests)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(seconds))
            return response
        }
        let metadata: OpenIDConnect.Metadata
        do {
            metadata = try await context.signOnCache.metadata(provider, client: req.client)
        } catch {
            return try refuse(req, provider: provider, failure: error)
        }
        let attempt = try await SingleSignOnSaving.begin(provider: provider, next: next, now: now, on: req.db)
        let response = req.redirect(to: OpenIDConnect.authorizationURL(
            provider, metadata: metadata, state: attempt.state, nonce: attempt.nonce, verifier: attempt.verifier, publicURL: context.settings.publicURL),
            redirectType: .normal)
        response.cookies[Cookies.signOn(context.settings)] = Cookies.value(attempt.state, settings: context.settings,
                                                                           maxAge: Int(SingleSignOnSaving.attemptLifetime))
        return response
    }

    static func callback(_ req: Request) async throws -> Response {
        let provider = try provider(req)
        let context = req.application.samspil
        let now = context.clock()
        let state = req.query[String.self, at: "state"] ?? ""
        // The attempt is taken whatever the answer says, so a state is spent once, even by a refusal.
        let taken = state.isEmpty || state.utf8.count > 100 ? nil : try await SingleSignOnSaving.take(state: state, now: now, on: req.db)
        if let error = req.query[String.self, at: "error"] {
            let reason = req.query[String.self, at: "error_description"] ?? error
            return try refuse(req, provider: provider, failure: OpenIDConnect.SignOnFailure.providerRefused(String(reason.prefix(200))))
        }
        // The answer must come to the browser that left for the provider (its cookie holds the state), for the
        // provider it left for, within the attempt's lifetime.
        guard let taken, taken.provider == provider.id, req.cookies[Cookies.signOn(context.settings)]?.string == state,
              let code = req.query[String.self, at: "code"], !code.isEmpty else {
            return try refuse(req, provider: provider, failure: OpenIDConnect.SignOnFailure.attemptUnknown)
        }
        let account: Account
        let asked: [String]
        do {
            let identity = try await OpenIDConnect.identity(
                code: code, verifier: taken.code_verifier, nonce: taken.nonce, provider: provider, cache: context.signOnCache,
                client: req.client, publicURL: context.settings.publicURL, now: now)
            account = try await SingleSignOnSaving.signIn(identity, provider: provider, now: now, hashing: PasswordHashing(req.application), on: req.db)
            asked = try await SingleSignOnSaving.proposeMemberships(identity.institutionNumbers, account: account, provider: provider, now: now,
                                                                   publicURL: context.settings.publicURL, on: req.db)
        } catch let failure as OpenIDConnect.SignOnFailure {
            return try refuse(req, provider: provider, failure: failure)
        }
        let response = try await LoginPage.logIn(account, req, redirectTo: asked.isEmpty ? taken.next : MySpace.href(notice: .proposed))
        response.cookies[Cookies.signOn(context.settings)] = Cookies.expired(settings: context.settings)
        return response
    }

    private static func refuse(_ req: Request, provider: SignOnProvider, failure: any Error) throws -> Response {
        guard let failure = failure as? OpenIDConnect.SignOnFailure else { throw failure }
        // What went wrong, never a token or a secret.
        req.logger.notice("single sign-on refused", metadata: ["provider": .string(provider.id), "reason": .string("\(failure)")])
        let status: HTTPResponseStatus = failure == .providerUnreachable ? .badGateway : .badRequest
        return try refuse(req, provider: provider, message: failure.message(provider: provider.label), status: status)
    }

    private static func refuse(_ req: Request, provider: SignOnProvider, message: String, status: HTTPResponseStatus) throws -> Response {
        let (token, cookie) = CSRF.token(for: req)
        var model = LoginPage.ViewModel(next: SitePath.account(.mySpace).href, csrfToken: token)
        model.error = message
        model.providers = LoginPage.providers(req)
        let response = LoginPage.render(model, site: req.site, status: status, setting: cookie, on: req)
        response.cookies[Cookies.signOn(req.application.samspil.settings)] = Cookies.expired(settings: req.application.samspil.settings)
        return response
    }
}
