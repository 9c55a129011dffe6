import Fluent
import Foundation
import SamspilCore
import SQLKit
import Vapor

/// `/api/v1/partnerships`: a token's account reads the partnerships it may see and works in them as on the pages.
/// Every route needs a token (no token: 401); a partnership the account may not see is 404, as if it did not
/// exist. Every change goes through `PartnershipSaving`, so `Permissions` and `PartnershipRules` decide; a change
/// based on an older revision (`If-Match`) is refused with 412.
enum PartnershipApi {
    static func register(on app: Application) {
        let slug = SitePath.slugPlaceholder
        let activity = SitePath.api(.activity(slug, ":id")).pattern
        // Any account's token (deny by default: no token, 401); `Permissions` decides the rest.
        let tokens = app.grouped(RequireApiToken(role: .member))
        let body = HTTPBodyStreamStrategy.collect(maxSize: "1mb")
        tokens.get(SitePath.api(.partnerships).pattern, use: list)
        tokens.on(.POST, SitePath.api(.partnerships).pattern, body: body, use: create)
        tokens.get(SitePath.api(.partnership(slug)).pattern, use: get)
        tokens.on(.PATCH, SitePath.api(.partnership(slug)).pattern, body: body, use: patch)
        tokens.on(.POST, SitePath.api(.transitions(slug)).pattern, body: body, use: transition)
        tokens.get(SitePath.api(.agreementVersions(slug)).pattern, use: agreementVersions)
        tokens.on(.POST, SitePath.api(.agreementVersions(slug)).pattern, body: body, use: saveAgreement)
        tokens.on(.POST, SitePath.api(.acceptances(slug)).pattern, body: body, use: accept)
        tokens.get(SitePath.api(.activities(slug)).pattern, use: activities)
        tokens.on(.POST, SitePath.api(.activities(slug)).pattern, body: body, use: createActivity)
        tokens.get(activity, use: getActivity)
        tokens.on(.PUT, activity, body: body, use: replaceActivity)
        tokens.get(SitePath.api(.evaluations(slug)).pattern, use: evaluations)
        tokens.on(.POST, SitePath.api(.evaluations(slug)).pattern, body: body, use: evaluate)
    }

    // MARK: partnerships

    /// The partnerships the account may see, most recently changed first.
    static func list(_ req: Request) async throws -> PartnershipListDTO {
        let page = try page(req.url.queryItems)
        let actor = try await MembershipQueries.actor(for: try req.requireApiAccount(), on: req.db)
        let (ids, total) = try await PartnershipQueries.visible(to: actor, page, on: req.db)
        let rows = Dictionary(try await PartnershipModel.query(on: req.db).filter(\.$id ~~ ids).all().map { (try $0.requireID(), $0) },
                              uniquingKeysWith: { first, _ in first })
        var stored: [StoredPartnership] = []
        for id in ids {
            guard let row = rows[id] else { continue }
            let partnership = try await PartnershipQueries.stored(row, on: req.db)
            // Deny by default: the query above finds what `Permissions` allows; this makes sure.
            if Permissions.allows(actor, .view, on: partnership.resource) { stored.append(partnership) }
        }
        let renewed = try await renewedFrom(stored, on: req.db)
        return PartnershipListDTO(items: stored.map { PartnershipDTO($0, renewedFrom: $0.renewedFrom.flatMap { renewed[$0] }, site: req.site) },
                                  total: total, limit: page.limit, offset: page.offset)
    }

    static func get(_ req: Request) async throws -> Response {
        try rejectQuery(req)
        return try await respond(try await context(req).stored, req)
    }

    /// Starts a partnership, as an idea, for one of the account's organisations (`party`).
    static func create(_ req: Request) async throws -> Response {
        let account = try req.requireApiAccount()
        let object = try PartnershipInput.object(req)
        var input = PartnershipInput()
        input.members(object, allowed: PartnershipInput.detailFields.union(["party", "role", "otherParties"]), required: ["party"])
        let partnership = input.details(object, into: Partnership())
        let party = input.text(object["party"], "party", max: 500, nullable: false)
        let role = input.text(object["role"], "role", max: 200, nullable: false) ?? ""
        var others: [(slug: String, role: String)] = []
        for (path, other) in input.objects(object["otherParties"], "otherParties", allowed: ["organisation", "role"], required: ["organisation", "role"],
                                           max: PartnershipRules.maxParties - 1) {
            if let organisation = input.text(other["organisation"], path + ".organisation", max: 500, nullable: false),
               let role = input.text(other["role"], path + ".role", max: 200, nullable: false) {
                others.append((organisation, role))
            }
        }
        // The first party is one of the account's own organisations: any other is refused as `create` refuses it.
        let own = try await MembershipQueries.forUser(account.id, on: req.db)
        let first = own.first { $0.organisationSlug == party }?.organisationID
        if party != nil, first == nil { throw SamspilError.forbidden("Du kan kun starte et partnerskab for en organisation, du er medlem af.") }
        try input.check()
        var otherIDs: [(UUID, String)] = []
        for other in others {
            // An unknown slug becomes an id no organisation has, which `create` refuses as any organisation not in the registry.
            otherIDs.append((try await OrganisationStore.find(slug: other.slug, on: req.db)?.id ?? UUID(), other.role))
        }
        guard let first else { throw SamspilError.forbidden("Du kan kun starte et partnerskab for en organisation, du er medlem af.") }
        let stored = try await saving(renaming: otherPartyField) {
            try await PartnershipSaving.create(partnership, party: first, role: role, others: otherIDs, by: account, now: req.application.samspil.clock(),
                                               on: req.db)
        }
        let response = try await respond(stored, req, status: .created)
        response.headers.replaceOrAdd(name: .location, value: SitePath.api(.partnership(stored.slug)).href)
        return response
    }

    /// A JSON Merge Patch of the details; without `If-Match`, based on the revision read here.
    static func patch(_ req: Request) async throws -> Response {
        let context = try await context(req)
        let expected = try ifMatch(req, of: "partnerskabets")
        try PartnershipSaving.require(context.actor, .work, on: context.stored)
        let object = try PartnershipInput.object(req)
        var input = PartnershipInput()
        input.members(object, allowed: PartnershipInput.detailFields)
        let partnership = input.details(object, into: context.stored.partnership)
        try input.check()
        let saved = try await saving {
            try await PartnershipSaving.update(slug: context.stored.slug, to: partnership, expectedRevision: expected ?? context.stored.revision,
                                               by: context.account, now: context.now, on: req.db)
        }
        return try await respond(saved, req)
    }

    /// A step in the life cycle. Renewing answers 201 with the new partnership (the next period).
    static func transition(_ req: Request) async throws -> Response {
        let context = try await context(req)
        let expected = try ifMatch(req, of: "partnerskabets")
        let object = try PartnershipInput.object(req)
        var input = PartnershipInput()
        input.members(object, allowed: ["transition", "comment"], required: ["transition"])
        let name = input.text(object["transition"], "transition", max: 500, nullable: false)
        let step = name.flatMap(PartnershipTransition.init(rawValue:))
        if name != nil, step == nil {
            input.problem("transition", "Skal være en af \(PartnershipTransition.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        let comment = input.text(object["comment"], "comment", max: PartnershipSaving.maxCommentLength) ?? ""
        try input.check()
        guard let step else { throw SamspilError.unprocessable([FieldProblem(field: "transition", message: "Mangler.")]) }
        let result = try await saving {
            try await PartnershipSaving.transition(slug: context.stored.slug, step, comment: comment, by: context.account, now: context.now,
                                                   publicURL: req.site.publicURL, expectedRevision: expected, on: req.db)
        }
        guard step == .renew else { return try await respond(result, req) }
        let response = try await respond(result, req, status: .created)
        response.headers.replaceOrAdd(name: .location, value: SitePath.api(.partnership(result.slug)).href)
        return response
    }

    // MARK: the agreement

    static func agreementVersions(_ req: Request) async throws -> AgreementVersionListDTO {
        try rejectQuery(req)
        let stored = try await context(req).stored
        let acceptances = try await PartnershipQueries.acceptances(stored.id, on: req.db)
        var items: [AgreementVersionDTO] = []
        for entry in try await PartnershipQueries.versionNumbers(stored.id, on: req.db) {
            guard let version = try await PartnershipQueries.version(stored.id, number: entry.number, on: req.db) else { continue }
            items.append(AgreementVersionDTO(version, acceptances: acceptances, slugs: slugs(of: stored)))
        }
        return AgreementVersionListDTO(items: items)
    }

    /// A new version of the agreement, based on version `basedOn`: 201, or 200 when it is the newest unchanged.
    static func saveAgreement(_ req: Request) async throws -> Response {
        let context = try await context(req)
        let expected = try ifMatch(req, of: "partnerskabets")
        try PartnershipSaving.require(context.actor, .work, on: context.stored)
        let object = try PartnershipInput.object(req)
        var input = PartnershipInput()
        let texts = ["contacts", "meetingRhythm", "communication", "evaluationMethod", "endingAndRenewal"]
        input.members(object, allowed: Set(texts + ["basedOn", "contributions", "payments", "evaluationDate"]), required: ["basedOn"])
        let basedOn = input.integer(object["basedOn"], "basedOn", in: 0...1_000_000, nullable: false)
        let parties = Dictionary(context.stored.parties.map { ($0.slug, $0.organisationID) }, uniquingKeysWith: { first, _ in first })
        func partyID(_ value: JSONValue?, _ field: String) -> UUID? {
            guard let slug = input.text(value, field, max: 500, nullable: false) else { return nil }
            guard let id = parties[slug] else { input.problem(field, "Er ikke part i partnerskabet."); return nil }
            return id
        }
        let long = PartnershipRules.longTextMaxLength
        var agreement = Agreement()
        for (path, member) in input.objects(object["contributions"], "contributions", allowed: ["party", "text"], required: ["party", "text"]) {
            if let party = partyID(member["party"], path + ".party"), let text = input.text(member["text"], path + ".text", max: long, nullable: false) {
                agreement.contributions.append(.init(party: party, text: text))
            }
        }
        for (path, member) in input.objects(object["payments"], "payments", allowed: ["party", "amount", "purpose"], required: ["party", "amount", "purpose"]) {
            let payer = partyID(member["party"], path + ".party")
            let text = input.text(member["amount"], path + ".amount", max: 500, nullable: false)
            let amount = text.flatMap(PartnershipInput.money)
            if text != nil, amount == nil {
                input.problem(path + ".amount", "Skriv beløbet i kroner med punktum og to decimaler, fx 12500.50 (fra 0 til 100000000.00).")
            }
            if let payer, let amount, let purpose = input.text(member["purpose"], path + ".purpose", max: long, nullable: false) {
                agreement.payments.append(.init(party: payer, amount: amount, purpose: purpose))
            }
        }
        agreement.contacts = input.text(object["contacts"], "contacts", max: long) ?? ""
        agreement.meetingRhythm = input.text(object["meetingRhythm"], "meetingRhythm", max: long) ?? ""
        agreement.communication = input.text(object["communication"], "communication", max: long) ?? ""
        agreement.evaluationMethod = input.text(object["evaluationMethod"], "evaluationMethod", max: long) ?? ""
        agreement.endingAndRenewal = input.text(object["endingAndRenewal"], "endingAndRenewal", max: long) ?? ""
        if object["evaluationDate"] != .null { agreement.evaluationDate = input.text(object["evaluationDate"], "evaluationDate", max: 500) }
        try input.check()
        guard let basedOn else { throw SamspilError.unprocessable([FieldProblem(field: "basedOn", message: "Mangler.")]) }
        let number: Int
        do {
            number = try await saving {
                try await PartnershipSaving.saveAgreement(slug: context.stored.slug, agreement, basedOn: basedOn, by: context.account, now: context.now,
                                                          publicURL: req.site.publicURL, expectedRevision: expected, on: req.db)
            }
        } catch SamspilError.stale(let message) {
            // `.stale` says either that another version was saved since `basedOn` (409: compare and send again) or that
            // the partnership's revision is not the one in `If-Match` (412).
            let current = try await PartnershipQueries.find(id: context.stored.id, on: req.db)
            if expected == nil || current?.agreementVersion != basedOn { throw SamspilError.conflict(message) }
            throw SamspilError.stale(message)
        }
        guard let version = try await PartnershipQueries.version(context.stored.id, number: number, on: req.db) else {
            throw SamspilError.notFound("Versionen findes ikke.")
        }
        let dto = AgreementVersionDTO(version, acceptances: try await PartnershipQueries.acceptances(context.stored.id, on: req.db),
                                      slugs: slugs(of: context.stored))
        return try await dto.encodeResponse(status: number == basedOn ? .ok : .created, for: req)
    }

    /// One party (`party`: its organisation slug) accepts a version; the last party's acceptance makes the partnership agreed.
    static func accept(_ req: Request) async throws -> Response {
        let context = try await context(req)
        let expected = try ifMatch(req, of: "partnerskabets")
        let object = try PartnershipInput.object(req)
        var input = PartnershipInput()
        input.members(object, allowed: ["party", "version"], required: ["party", "version"])
        let slug = input.text(object["party"], "party", max: 500, nullable: false)
        let version = input.integer(object["version"], "version", in: 1...1_000_000, nullable: false)
        try input.check()
        guard let slug, let version else { throw SamspilError.unprocessable([FieldProblem(field: "party", message: "Mangler.")]) }
        let party = try self.party(slug, of: context.stored, "acceptere aftalen")
        let everyone = try await saving {
            try await PartnershipSaving.accept(slug: context.stored.slug, version: version, party: party.organisationID, by: context.account, now: context.now,
                                               publicURL: req.site.publicURL, expectedRevision: expected, on: req.db)
        }
        let after = try await PartnershipQueries.find(id: context.stored.id, on: req.db) ?? context.stored
        return try await AcceptanceResultDTO(party: party.slug, version: version, everyoneAccepted: everyone, state: after.state.rawValue,
                                             acceptedVersion: after.acceptedVersion).encodeResponse(status: .created, for: req)
    }

    // MARK: activities

    static func activities(_ req: Request) async throws -> ActivityListDTO {
        try rejectQuery(req)
        let stored = try await context(req).stored
        return ActivityListDTO(items: try await PartnershipQueries.activities(of: stored, on: req.db).map(ActivityDTO.init))
    }

    static func getActivity(_ req: Request) async throws -> Response {
        try rejectQuery(req)
        let context = try await context(req)
        return try await respond(try await activity(req, context), req)
    }

    static func createActivity(_ req: Request) async throws -> Response {
        let context = try await context(req)
        try PartnershipSaving.require(context.actor, .work, on: context.stored)
        let activity = try activityInput(req)
        let id = try await saving(renaming: activityField) {
            try await PartnershipSaving.saveActivity(slug: context.stored.slug, id: nil, activity, expectedRevision: nil, by: context.account,
                                                     now: context.now, on: req.db)
        }
        let response = try await respond(try await stored(activity: id, context, req), req, status: .created)
        response.headers.replaceOrAdd(name: .location, value: SitePath.api(.activity(context.stored.slug, id.uuidString)).href)
        return response
    }

    /// Replaces an activity whole; `If-Match` names the activity's revision (its `ETag`).
    static func replaceActivity(_ req: Request) async throws -> Response {
        let context = try await context(req)
        let existing = try await activity(req, context)
        let expected = try ifMatch(req, of: "aktivitetens")
        try PartnershipSaving.require(context.actor, .work, on: context.stored)
        let activity = try activityInput(req)
        try await saving(renaming: activityField) {
            try await PartnershipSaving.saveActivity(slug: context.stored.slug, id: existing.id, activity, expectedRevision: expected, by: context.account,
                                                     now: context.now, on: req.db)
        }
        return try await respond(try await stored(activity: existing.id, context, req), req)
    }

    // MARK: evaluations

    static func evaluations(_ req: Request) async throws -> EvaluationListDTO {
        try rejectQuery(req)
        let stored = try await context(req).stored
        let slugs = slugs(of: stored)
        let items = try await PartnershipQueries.evaluations(stored.id, on: req.db).compactMap { evaluation in
            slugs[evaluation.organisationID].map {
                EvaluationDTO(occasion: evaluation.occasion, party: $0, personName: evaluation.personName, answers: evaluation.answers, updatedAt: evaluation.at)
            }
        }
        return EvaluationListDTO(items: items, questionnaires: .init(periode: .period, aktivitet: .activity))
    }

    /// A party's answers to the period's evaluation or an activity's: 201, or 200 when they replace its earlier answers.
    static func evaluate(_ req: Request) async throws -> Response {
        let context = try await context(req)
        let expected = try ifMatch(req, of: "partnerskabets")
        let object = try PartnershipInput.object(req)
        var input = PartnershipInput()
        input.members(object, allowed: ["occasion", "party", "answers"], required: ["occasion", "party", "answers"])
        var occasion = input.text(object["occasion"], "occasion", max: 500, nullable: false)
        if let text = occasion, text != "periode" {
            // An activity's id as the pages write it (upper case), so the pages find the answers too.
            occasion = PartnershipInput.matches(text, PartnershipInput.occasionPattern) ? UUID(uuidString: text)?.uuidString : nil
            if occasion == nil { input.problem("occasion", "Skriv periode eller id'et på en af partnerskabets aktiviteter.") }
        }
        let slug = input.text(object["party"], "party", max: 500, nullable: false)
        var answers: [String: String] = [:]
        switch object["answers"] {
        case .object(let members)?:
            for (id, value) in members {
                if let text = input.text(value, "answers.\(id)", max: PartnershipRules.longTextMaxLength, nullable: false) { answers[id] = text }
            }
        case nil: break
        default: input.problem("answers", "Har en forkert type (forventede et objekt).")
        }
        try input.check()
        guard let occasion, let slug else { throw SamspilError.unprocessable([FieldProblem(field: "party", message: "Mangler.")]) }
        let party = try self.party(slug, of: context.stored, "svare på evalueringen")
        let before = try await PartnershipQueries.evaluations(context.stored.id, on: req.db)
        let replacing = before.contains { $0.occasion == occasion && $0.organisationID == party.organisationID }
        try await saving(renaming: { "answers.\($0)" }) {
            try await PartnershipSaving.evaluate(slug: context.stored.slug, occasion: occasion, party: party.organisationID, answers: answers,
                                                 by: context.account, now: context.now, expectedRevision: expected, on: req.db)
        }
        guard let saved = try await PartnershipQueries.evaluations(context.stored.id, on: req.db)
            .first(where: { $0.occasion == occasion && $0.organisationID == party.organisationID }) else {
            throw SamspilError.notFound("Svarene blev ikke gemt.")
        }
        return try await EvaluationDTO(occasion: saved.occasion, party: party.slug, personName: saved.personName, answers: saved.answers, updatedAt: saved.at)
            .encodeResponse(status: replacing ? .ok : .created, for: req)
    }

    // MARK: helpers

    struct Context {
        var account: Account
        var actor: Actor
        var stored: StoredPartnership
        var now: Date
    }

    /// The token's account and the partnership of the path, if the account may see it (404 otherwise).
    static func context(_ req: Request) async throws -> Context {
        let account = try req.requireApiAccount()
        let actor = try await MembershipQueries.actor(for: account, on: req.db)
        let stored = try await PartnershipSaving.visible(slug: req.parameters.get(SitePath.slug) ?? "", actor: actor, on: req.db)
        return Context(account: account, actor: actor, stored: stored, now: req.application.samspil.clock())
    }

    /// Runs a change through `PartnershipSaving`, naming its problems as the API names the fields (`rename`), and
    /// giving problems with a body as 422 here, also those the pages show with 400 (`.invalid`).
    @discardableResult
    static func saving<T>(renaming rename: (String) -> String = { $0 }, _ change: () async throws -> T) async throws -> T {
        do {
            return try await change()
        } catch SamspilError.invalid(let problems), SamspilError.unprocessable(let problems) {
            throw SamspilError.unprocessable(problems.map { FieldProblem(record: $0.record, field: rename($0.field), message: $0.message) })
        }
    }

    /// The party one acts for (`party`: its organisation slug). One that is not a party is refused as `Permissions`
    /// refuses acting for it: 403.
    static func party(_ slug: String, of stored: StoredPartnership, _ doing: String) throws -> StoredPartnership.Party {
        guard let party = stored.parties.first(where: { $0.slug == slug }) else {
            throw SamspilError.forbidden("\(DanishText.quoted(slug)) er ikke part i partnerskabet. Du kan kun \(doing) for en af dets parter.")
        }
        return party
    }

    /// `create` names the other parties as the guided creation's fields: `otherParty`, `otherRole[1]`.
    static func otherPartyField(_ field: String) -> String {
        for (name, member) in [("otherParty", "organisation"), ("otherRole", "role")] where field.hasPrefix(name) {
            let index = field.dropFirst(name.count).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            return "otherParties[\(index.isEmpty ? "0" : index)].\(member)"
        }
        return field
    }

    /// The activity form's end time is `endsAt` here.
    static func activityField(_ field: String) -> String { field == "endTime" ? "endsAt" : field }

    /// The revision in `If-Match` (nil: absent or `*`), as materials read it.
    static func ifMatch(_ req: Request, of what: String) throws -> Int? {
        do {
            return try MaterialWriteApi.ifMatch(req)
        } catch SamspilError.invalid {
            throw SamspilError.invalid([FieldProblem(field: "If-Match", message: "Skal være \(what) ETag, fx \"3\".")])
        }
    }

    static func rejectQuery(_ req: Request) throws {
        let items = req.url.queryItems
        if !items.isEmpty {
            throw SamspilError.invalid(items.map { FieldProblem(field: $0.name, message: "Er ikke en kendt parameter her.") })
        }
    }

    /// `limit` and `offset`, each at most once; anything else is refused (400).
    static func page(_ items: [URLQueryItem]) throws -> SamspilCore.PageRequest {
        var problems: [FieldProblem] = []
        var values: [String: String] = [:]
        for item in items {
            guard ["limit", "offset"].contains(item.name) else {
                problems.append(FieldProblem(field: item.name, message: "Er ikke en kendt parameter her. Brug limit og offset."))
                continue
            }
            guard values.updateValue(item.value ?? "", forKey: item.name) == nil else {
                problems.append(FieldProblem(field: item.name, message: "Må kun angives én gang."))
                continue
            }
        }
        do {
            let page = try SamspilCore.PageRequest.parse(limit: values["limit"], offset: values["offset"])
            if problems.isEmpty { return page }
        } catch {
            if case .invalid(let pageProblems) = error { problems += pageProblems }
        }
        throw SamspilError.invalid(problems)
    }

    /// The slugs of the partnerships these renewed, by id.
    static func renewedFrom(_ partnerships: [StoredPartnership], on db: any Database) async throws -> [UUID: String] {
        let ids = partnerships.compactMap { $0.renewedFrom }
        guard !ids.isEmpty else { return [:] }
        return Dictionary(try await PartnershipModel.query(on: db).filter(\.$id ~~ ids).all().map { (try $0.requireID(), $0.slug) },
                          uniquingKeysWith: { first, _ in first })
    }

    /// The parties' organisation slugs by id.
    static func slugs(of stored: StoredPartnership) -> [UUID: String] {
        Dictionary(stored.parties.map { ($0.organisationID, $0.slug) }, uniquingKeysWith: { first, _ in first })
    }

    /// The partnership with its revision as `ETag`.
    static func respond(_ stored: StoredPartnership, _ req: Request, status: HTTPStatus = .ok) async throws -> Response {
        let renewed = try await renewedFrom([stored], on: req.db)
        let response = try await PartnershipDTO(stored, renewedFrom: stored.renewedFrom.flatMap { renewed[$0] }, site: req.site)
            .encodeResponse(status: status, for: req)
        response.headers.replaceOrAdd(name: .eTag, value: "\"\(stored.revision)\"")
        return response
    }

    /// The activity with its revision as `ETag`.
    static func respond(_ activity: PartnershipQueries.StoredActivity, _ req: Request, status: HTTPStatus = .ok) async throws -> Response {
        let response = try await ActivityDTO(activity).encodeResponse(status: status, for: req)
        response.headers.replaceOrAdd(name: .eTag, value: "\"\(activity.revision)\"")
        return response
    }

    /// The activity of the path (404 when the partnership has no such activity).
    static func activity(_ req: Request, _ context: Context) async throws -> PartnershipQueries.StoredActivity {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else {
            throw SamspilError.notFound("Aktiviteten findes ikke i partnerskabet.")
        }
        return try await stored(activity: id, context, req)
    }

    static func stored(activity id: UUID, _ context: Context, _ req: Request) async throws -> PartnershipQueries.StoredActivity {
        guard let row = try await PartnershipActivityModel.query(on: req.db).filter(\.$id == id).filter(\.$partnership.$id == context.stored.id).first() else {
            throw SamspilError.notFound("Aktiviteten findes ikke i partnerskabet.")
        }
        return try PartnershipQueries.activity(row, slug: context.stored.slug, title: context.stored.partnership.title)
    }

    static func activityInput(_ req: Request) throws -> Activity {
        var input = PartnershipInput()
        let activity = input.activity(try PartnershipInput.object(req))
        try input.check()
        guard let activity else { throw SamspilError.unprocessable([FieldProblem(field: "startsAt", message: "Mangler.")]) }
        return activity
    }
}
