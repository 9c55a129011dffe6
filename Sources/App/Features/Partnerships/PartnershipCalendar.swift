import Fluent
import Foundation
import SamspilCore
import Vapor

/// Activities as iCalendar (RFC 5545): one partnership's file for a logged-in person, and secret addresses a
/// calendar program can subscribe to — a person's own activities, an organisation's, a partnership's. Only the
/// token's hash is stored, so an address is shown once, when it is made; making a new one stops the old. What a
/// feed holds is decided when it is read, so a person who leaves an organisation stops seeing its activities.
enum PartnershipCalendar {
    static func register(on app: Application, members: any RoutesBuilder) {
        members.get(SitePath.partnership(.calendars).pattern, use: show)
        members.post(SitePath.partnership(.calendars).pattern, use: renew)
        members.get(SitePath.partnership(.calendar(SitePath.slugPlaceholder)).pattern, use: partnershipFile)
        app.get(SitePath.calendarFeed(":token").pattern, use: feed)
    }

    /// What an address shows.
    enum Scope: Equatable {
        case person
        case organisation(UUID)
        case partnership(UUID)

        init?(_ text: String) {
            if text == "person" { self = .person; return }
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let id = UUID(uuidString: parts[1]) else { return nil }
            switch parts[0] {
            case "organisation": self = .organisation(id)
            case "partnership": self = .partnership(id)
            default: return nil
            }
        }

        var text: String {
            switch self {
            case .person: "person"
            case .organisation(let id): "organisation:\(id.uuidString)"
            case .partnership(let id): "partnership:\(id.uuidString)"
            }
        }
    }

    static func events(_ activities: [PartnershipQueries.StoredActivity], site: SiteInfo) -> [CalendarEvent] {
        activities.map { item in
            let a = item.activity
            let details = [a.classes.isEmpty ? nil : "Klasser: \(a.classes)", a.pupils.map { "Elever: \($0)" }, a.teacher.isEmpty ? nil : "Underviser: \(a.teacher)",
                           "Partnerskab: \(item.partnershipTitle)"].compactMap { $0 }.joined(separator: "\n")
            return CalendarEvent(uid: "\(item.id.uuidString.lowercased())@samspil", start: a.startsAt, end: a.endsAt, summary: a.title,
                                 location: a.place.isEmpty ? nil : a.place, description: details,
                                 url: site.absolute(SitePath.partnership(.show(item.partnershipSlug)).href),
                                 status: a.status == .cancelled ? .cancelled : a.status == .held ? .confirmed : .tentative,
                                 lastModified: item.updatedAt, sequence: item.revision)
        }
    }

    static func response(_ name: String, _ activities: [PartnershipQueries.StoredActivity], req: Request) -> Response {
        let text = ICalendar.document(name: name, events: events(activities, site: req.site), now: req.application.samspil.clock())
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/calendar; charset=utf-8")
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    static func partnershipFile(_ req: Request) async throws -> Response {
        let context = try await PartnershipPages.context(req)
        return response(context.stored.partnership.title, try await PartnershipQueries.activities(of: context.stored, on: req.db), req: req)
    }

    /// A subscribed address: the token's scope, read with the owner's rights as they are now.
    static func feed(_ req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        guard SessionQueries.isPlausible(token),
              let row = try await CalendarFeedModel.query(on: req.db).filter(\.$tokenHash == SessionQueries.hash(token)).with(\.$user).first(),
              row.user.disabledAt == nil, let scope = Scope(row.scope) else {
            throw SamspilError.notFound("Kalenderadressen findes ikke. Den kan være fornyet; hent den nye på Min side.")
        }
        let account = try row.user.domain()
        let actor = try await MembershipQueries.actor(for: account, on: req.db)
        let (name, activities) = try await contents(scope, actor: actor, on: req.db)
        return response(name, activities, req: req)
    }

    static func contents(_ scope: Scope, actor: Actor, on db: any Database) async throws -> (String, [PartnershipQueries.StoredActivity]) {
        switch scope {
        case .person:
            return ("Mine aktiviteter i Samspil", try await PartnershipQueries.activities(ofOrganisations: actor.memberships.map(\.organisation), on: db))
        case .organisation(let id):
            guard !actor.roles(in: id).isEmpty, let organisation = try await OrganisationStore.find(id: id, on: db) else { return ("Samspil", []) }
            return ("\(organisation.organisation.name) i Samspil", try await PartnershipQueries.activities(ofOrganisations: [id], on: db))
        case .partnership(let id):
            guard let stored = try await PartnershipQueries.find(id: id, on: db), Permissions.allows(actor, .view, on: stored.resource) else { return ("Samspil", []) }
            return (stored.partnership.title, try await PartnershipQueries.activities(of: stored, on: db))
        }
    }

    // MARK: the page of addresses

    static func choices(_ account: Account, on db: any Database) async throws -> [(scope: Scope, label: String)] {
        let memberships = try await MembershipQueries.forUser(account.id, on: db)
        var result: [(Scope, String)] = [(.person, "Alle mine aktiviteter")]
        var seen = Set<UUID>()
        for entry in memberships where seen.insert(entry.organisationID).inserted {
            result.append((.organisation(entry.organisationID), "Aktiviteter for \(entry.organisationName)"))
        }
        for summary in try await PartnershipQueries.forOrganisations(Array(seen), on: db) {
            result.append((.partnership(summary.id), "Partnerskabet \(summary.title)"))
        }
        return result
    }

    static func show(_ req: Request) async throws -> Response {
        let session = try req.requireSession()
        return PageLayout.privateResponse(CalendarsView.render(try await model(session, fresh: nil, on: req.db), site: req.site))
    }

    static func model(_ session: SessionQueries.Current, fresh: (Scope, String)?, on db: any Database) async throws -> CalendarsView.Model {
        let made = Dictionary(try await CalendarFeedModel.query(on: db).filter(\.$user.$id == session.account.id).all().map { ($0.scope, $0.createdAt) },
                              uniquingKeysWith: { first, _ in first })
        return CalendarsView.Model(items: try await choices(session.account, on: db).map { ($0.scope.text, $0.label, made[$0.scope.text]) },
                                   fresh: fresh.map { ($0.0.text, $0.1) }, csrf: session.csrfToken)
    }

    /// Makes a new address for a scope (the old one, if any, stops working) and shows it once.
    static func renew(_ req: Request) async throws -> Response {
        let session = try req.requireSession()
        let form = try PartnershipPages.fields(req)
        guard let scope = form["scope"].flatMap(Scope.init),
              try await choices(session.account, on: req.db).contains(where: { $0.scope == scope }) else {
            throw SamspilError.invalid([FieldProblem(field: "scope", message: "Vælg en af dine kalendere.")])
        }
        let token = SessionQueries.randomToken()
        let now = req.application.samspil.clock()
        try await req.db.writeTransaction { tx in
            try await CalendarFeedModel.query(on: tx).filter(\.$user.$id == session.account.id).filter(\.$scope == scope.text).delete()
            let row = CalendarFeedModel()
            row.id = UUID()
            row.createdAt = now
            row.$user.id = session.account.id
            row.scope = scope.text
            row.tokenHash = SessionQueries.hash(token)
            try await row.create(on: tx)
            try await AuditLog.record(.calendarFeed, subject: scope.text, by: session.account, now: now, on: tx)
        }
        let model = try await model(session, fresh: (scope, req.site.absolute(SitePath.calendarFeed(token).href)), on: req.db)
        return PageLayout.privateResponse(CalendarsView.render(model, site: req.site))
    }
}

enum CalendarsView {
    struct Model {
        var items: [(scope: String, label: String, madeAt: Date?)]
        var fresh: (scope: String, address: String)?
        var csrf: String
    }

    static func render(_ model: Model, site: SiteInfo) -> String {
        let meta = PartnershipShell.meta("Kalenderadresser", current: "Kalenderadresser")
        return PageLayout.render(meta, site: site) {
            H1("Kalenderadresser")
            Paragraph("Abonnér på aktiviteterne i Outlook, Google Kalender eller din telefons kalender med en hemmelig adresse. Adressen vises kun, når den laves – gem den i din kalender med det samme. Laver du en ny, holder den gamle op med at virke.")
            if let fresh = model.fresh {
                Tag("div", [("class", "alert"), ("role", "status")]) {
                    Paragraph("Din nye adresse (\(model.items.first { $0.scope == fresh.scope }?.label ?? "")):")
                    Paragraph { Tag("code", [("class", "secret")], text: fresh.address) }
                }
            }
            DataTable(caption: "Dine kalendere", headings: ["Kalender", "Adressen lavet", "Handling"], rows: model.items.map { item in
                [Text(item.label), Text(item.madeAt.map { "Lavet \(DanishDate.dateTime($0))" } ?? "Ingen endnu"),
                 PartnershipShell.postForm(SitePath.partnership(.calendars).href, csrf: model.csrf, class: "inline-form") {
                    PartnershipShell.hidden("scope", item.scope)
                    Tag("button", [("type", "submit"), ("class", "button button-small"), ("aria-label", "\(item.madeAt == nil ? "Lav adresse" : "Lav ny adresse") til \(item.label)")],
                        text: item.madeAt == nil ? "Lav adresse" : "Lav ny adresse")
                 }]
            })
        }
    }
}
