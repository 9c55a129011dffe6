import Fluent
import Foundation
import SamspilCore
import Vapor

/// Privacy: users see and download what the platform holds about them; administrators delete users. A
/// deleted user's materials stay (authorship is the credits text), and so do the audit log's lines (the
/// e-mail address there is text, as it was at the time).
///
/// Partnerships: a person's comments and calendar addresses, and invitations to their address, go with them; the
/// evaluation answers they gave for a party stay (they are the party's) with the name replaced by `deletedName`;
/// partnerships they started stay without naming them. A partnership's history (`partnership_events`), its
/// agreement versions and the parties' acceptances keep the name and address as text, like the audit log: they
/// are the record of what the parties agreed, and who accepted an agreement on a party's behalf is part of that
/// agreement (an acceptance signed "Slettet bruger" proves nothing to the other parties). Blanking them would
/// not remove the person from the platform either: the audit log keeps every one of these actions under the
/// same address. They are in "Mine data", found by the address.
///
/// Tools and worksheets: a person's own worksheets (with every answer, history entry and comment in them) and their
/// comments in other worksheets go with them; worksheets they started for an organisation or a partnership stay
/// without naming them. The answers they gave in those, and the item histories' entries of them, stay (they are the
/// owners' shared work) under `deletedName`, like evaluation answers. A tool's versions keep the editor's name and
/// address as text, like a material's revisions.
enum PersonalData {
    /// What stays in place of a deleted person's name where their contribution stays (evaluation answers, answers in
    /// worksheets).
    static let deletedName = "Slettet bruger"

    struct Export: Content, Equatable {
        struct SessionEntry: Content, Equatable { var startedAt: Date; var lastSeenAt: Date }
        struct ChangeEntry: Content, Equatable { var at: Date; var action: String; var subject: String }
        struct TokenEntry: Content, Equatable { var name: String; var startsWith: String; var createdAt: Date; var lastUsedAt: Date? }
        struct RevisionEntry: Content, Equatable { var at: Date; var material: String; var revision: Int; var action: String }
        var email: String
        var name: String
        var role: String
        var disabled: Bool
        var createdAt: Date
        var passwordChangedAt: Date
        var sessions: [SessionEntry]
        var failedLogins: [Date]
        var changes: [ChangeEntry]
        var mails: [String]
        var apiTokens: [TokenEntry]
        /// Revisions of materials saved by this account (the history names the e-mail address as text).
        var revisions: [RevisionEntry]
        /// Requests for a reset link not yet handled (they are deleted once the link is made).
        var resetRequests: [Date]
        /// Links sent to confirm the e-mail address (when sent, and when used).
        var emailVerifications: [LinkEntry]
        /// Sign-ups with this address counted against the limit of mails (`SignUpQueries.perEmail`).
        var signUpAttempts: [Date]
        /// Roles in organisations.
        var memberships: [MembershipEntry]
        /// Requests to join organisations, answered or not.
        var joinRequests: [JoinRequestEntry]
        /// Invitations sent to this address.
        var invitations: [InvitationEntry]
        /// Organisations this account registered (their addresses).
        var registeredOrganisations: [String]
        /// Single sign-on identities linked to the account.
        var signOnIdentities: [SignOnEntry]
        /// Partnerships this account started (the partnerships are the parties'; they stay without naming it).
        var startedPartnerships: [StartedPartnershipEntry]
        /// Comments written in partnerships.
        var partnershipComments: [CommentEntry]
        /// Documents shared in partnerships (they are the partnership's and stay, no longer naming the person).
        var partnershipDocuments: [DocumentEntry]
        /// Invitations to take part in a partnership sent to this address.
        var partnershipInvitations: [PartnershipInvitationEntry]
        /// Answers to evaluations given on behalf of a party.
        var evaluationAnswers: [EvaluationEntry]
        /// The choice of mails about partnerships (one by one or a daily digest), if made.
        var notificationSetting: String?
        /// Notifications waiting for the next daily digest.
        var pendingNotifications: [PendingNotificationEntry]
        /// Secret calendar addresses (what they show and when they were made; the address itself is not kept).
        var calendarFeeds: [CalendarFeedEntry]
        /// Entries in partnerships' histories naming this address (kept as text, like the audit log).
        var partnershipEvents: [PartnershipEventEntry]
        /// Agreement versions this address saved (kept as text).
        var agreementVersions: [AgreementVersionEntry]
        /// Agreement versions this address accepted on behalf of a party (kept as text).
        var agreementAcceptances: [AcceptanceEntry]
        /// Worksheets of the person's own, and those they started for an organisation or a partnership (these are the
        /// owners'; they stay without naming the person).
        var worksheets: [WorksheetEntry]
        /// Current answers in worksheets last saved by this account (answers in others' worksheets are the owners' and stay).
        var worksheetAnswers: [WorksheetAnswerEntry]
        /// Saves of answers in worksheets' item histories made by this account.
        var worksheetAnswerEvents: [WorksheetAnswerEntry]
        /// Comments written in worksheets.
        var worksheetComments: [WorksheetCommentEntry]
        /// Versions of tools this address saved (kept as text, like a material's revisions).
        var toolVersions: [ToolVersionEntry]
    }

    struct WorksheetEntry: Content, Equatable { var title: String; var tool: String; var owner: String; var createdAt: Date }
    /// `answer`: as saved; text that is not such an answer is handed out whole as its text.
    struct WorksheetAnswerEntry: Content, Equatable { var worksheet: String; var item: String; var answer: WorksheetAnswer; var at: Date }
    struct WorksheetCommentEntry: Content, Equatable { var worksheet: String; var item: String; var at: Date; var name: String; var body: String }
    struct ToolVersionEntry: Content, Equatable { var tool: String; var number: Int; var at: Date; var name: String }

    struct StartedPartnershipEntry: Content, Equatable { var slug: String; var title: String; var at: Date }
    struct CommentEntry: Content, Equatable { var partnership: String; var at: Date; var name: String; var body: String }
    struct DocumentEntry: Content, Equatable { var partnership: String; var at: Date; var title: String }
    struct PendingNotificationEntry: Content, Equatable { var at: Date; var subject: String; var body: String }
    struct PartnershipInvitationEntry: Content, Equatable {
        var partnership: String; var organisationName: String; var role: String; var invitedBy: String; var at: Date; var usedAt: Date?
    }
    struct EvaluationEntry: Content, Equatable {
        var partnership: String; var occasion: String; var organisation: String; var name: String; var at: Date; var answers: [String: String]
    }
    struct CalendarFeedEntry: Content, Equatable { var scope: String; var createdAt: Date }
    struct PartnershipEventEntry: Content, Equatable {
        var partnership: String; var at: Date; var kind: String; var from: String?; var to: String?; var name: String; var comment: String
    }
    struct AgreementVersionEntry: Content, Equatable { var partnership: String; var number: Int; var at: Date; var name: String }
    struct AcceptanceEntry: Content, Equatable { var partnership: String; var version: Int; var organisation: String; var at: Date; var name: String }

    struct SignOnEntry: Content, Equatable { var provider: String; var subject: String; var linkedAt: Date; var lastUsedAt: Date }

    struct MembershipEntry: Content, Equatable { var organisation: String; var role: String; var since: Date }
    struct JoinRequestEntry: Content, Equatable { var organisation: String; var role: String; var message: String; var at: Date; var outcome: String? }
    struct InvitationEntry: Content, Equatable { var organisation: String; var role: String; var invitedBy: String; var at: Date; var usedAt: Date? }

    struct LinkEntry: Content, Equatable { var sentAt: Date; var usedAt: Date? }

    /// The throttle's keys that hold the address (`LoginFailureQueries`, `SignUpQueries`).
    static func throttleKeys(email: String) -> [String] { ["account:" + email, "signup-mail:" + email] }

    static func export(userID: UUID, on db: any Database) async throws -> Export {
        guard let user = try await UserModel.find(userID, on: db) else { throw SamspilError.notFound("Kontoen findes ikke.") }
        let sessions = try await SessionModel.query(on: db).filter(\.$user.$id == userID).sort(\.$createdAt).all()
        let failures = try await LoginFailureModel.query(on: db).filter(\.$key == "account:" + user.email).sort(\.$at).all(\.$at)
        let changes = try await AuditEventModel.query(on: db).filter(\.$actor == user.email).sort(\.$at).all()
        let mails = try await OutboxMessageModel.query(on: db).filter(\.$recipient == user.email).sort(\.$createdAt).all()
        let tokens = try await ApiTokenQueries.list(userID: userID, on: db)
        let revisions = try await MaterialRevisionModel.query(on: db).filter(\.$actor == user.email).sort(\.$savedAt).with(\.$material).all()
        let resetRequests = try await PasswordResetRequestModel.query(on: db).filter(\.$email == user.email).sort(\.$requestedAt).all(\.$requestedAt)
        let verifications = try await EmailVerificationModel.query(on: db).filter(\.$user.$id == userID).sort(\.$createdAt).all()
        let signUps = try await LoginFailureModel.query(on: db).filter(\.$key == "signup-mail:" + user.email).sort(\.$at).all(\.$at)
        let memberships = try await MembershipQueries.forUser(userID, on: db)
        let requests = try await JoinRequestModel.query(on: db).filter(\.$user.$id == userID).sort(\.$createdAt).with(\.$organisation).all()
        let invitations = try await InvitationModel.query(on: db).filter(\.$email == user.email).sort(\.$createdAt).with(\.$organisation).all()
        let registered = try await OrganisationModel.query(on: db).filter(\.$createdBy == userID).sort(\.$slug).all(\.$slug)
        let identities = try await SignOnIdentityModel.query(on: db).filter(\.$user.$id == userID).sort(\.$createdAt).all()
        let started = try await PartnershipModel.query(on: db).filter(\.$createdBy == userID).sort(\.$createdAt).sort(\.$slug).all()
        let comments = try await PartnershipCommentModel.query(on: db).filter(\.$user.$id == userID).sort(\.$createdAt).with(\.$partnership).all()
        let documents = try await PartnershipDocumentModel.query(on: db).filter(\.$user.$id == userID).sort(\.$createdAt).with(\.$partnership).all()
        let partnershipInvitations = try await PartnershipInvitationModel.query(on: db).filter(\.$email == user.email).sort(\.$createdAt)
            .with(\.$partnership).all()
        let evaluations = try await EvaluationAnswerModel.query(on: db).filter(\.$user.$id == userID).sort(\.$createdAt)
            .with(\.$partnership).with(\.$organisation).all()
        let setting = try await NotificationSettingModel.query(on: db).filter(\.$user.$id == userID).first()
        let pending = try await PendingNotificationModel.query(on: db).filter(\.$user.$id == userID).sort(\.$createdAt).all()
        let feeds = try await CalendarFeedModel.query(on: db).filter(\.$user.$id == userID).sort(\.$createdAt).sort(\.$scope).all()
        let events = try await PartnershipEventModel.query(on: db).filter(\.$actorEmail == user.email).sort(\.$at).with(\.$partnership).all()
        let versions = try await AgreementVersionModel.query(on: db).filter(\.$authorEmail == user.email).sort(\.$createdAt).with(\.$partnership).all()
        let acceptances = try await AgreementAcceptanceModel.query(on: db).filter(\.$personEmail == user.email).sort(\.$acceptedAt)
            .with(\.$partnership).with(\.$organisation).all()
        let worksheets = try await WorksheetModel.query(on: db)
            .group(.or) { $0.filter(\.$user.$id == userID).filter(\.$createdBy.$id == userID) }
            .sort(\.$createdAt).sort(\.$title).with(\.$tool).all()
        let worksheetAnswers = try await WorksheetAnswerModel.query(on: db).filter(\.$user.$id == userID).sort(\.$updatedAt).sort(\.$itemID)
            .with(\.$worksheet).all()
        let worksheetEvents = try await WorksheetAnswerEventModel.query(on: db).filter(\.$user.$id == userID).sort(\.$at).sort(\.$itemID)
            .sort(\.$revision).with(\.$worksheet).all()
        let worksheetComments = try await WorksheetCommentModel.query(on: db).filter(\.$user.$id == userID).sort(\.$createdAt)
            .with(\.$worksheet).all()
        let toolVersions = try await ToolVersionModel.query(on: db).filter(\.$authorEmail == user.email).sort(\.$createdAt).sort(\.$number)
            .with(\.$tool).all()
        return Export(
            email: user.email, name: user.name, role: user.role, disabled: user.disabledAt != nil, createdAt: user.createdAt,
            passwordChangedAt: user.passwordChangedAt,
            sessions: sessions.map { .init(startedAt: $0.createdAt, lastSeenAt: $0.lastSeenAt) },
            failedLogins: failures,
            changes: changes.map { .init(at: $0.at, action: $0.action, subject: $0.subject) },
            mails: mails.map { "\($0.subject) (\($0.sentAt == nil ? "venter" : "sendt"))" },
            apiTokens: tokens.map { .init(name: $0.name, startsWith: $0.prefix, createdAt: $0.createdAt, lastUsedAt: $0.lastUsedAt) },
            revisions: revisions.map { .init(at: $0.savedAt, material: $0.material.slug, revision: $0.revision, action: $0.action) },
            resetRequests: resetRequests,
            emailVerifications: verifications.map { .init(sentAt: $0.createdAt, usedAt: $0.usedAt) },
            signUpAttempts: signUps,
            memberships: memberships.map { .init(organisation: $0.organisationSlug, role: $0.role.rawValue, since: $0.since) },
            joinRequests: requests.map { .init(organisation: $0.organisation.slug, role: $0.role, message: $0.message, at: $0.createdAt, outcome: $0.outcome) },
            invitations: invitations.map { .init(organisation: $0.organisation.slug, role: $0.role, invitedBy: $0.invitedBy, at: $0.createdAt, usedAt: $0.usedAt) },
            registeredOrganisations: registered,
            signOnIdentities: identities.map { .init(provider: $0.provider, subject: $0.subject, linkedAt: $0.createdAt, lastUsedAt: $0.lastUsedAt) },
            startedPartnerships: started.map { .init(slug: $0.slug, title: $0.title, at: $0.createdAt) },
            partnershipComments: comments.map { .init(partnership: $0.partnership.slug, at: $0.createdAt, name: $0.authorName, body: $0.body) },
            partnershipDocuments: documents.map { .init(partnership: $0.partnership.slug, at: $0.createdAt, title: $0.title) },
            partnershipInvitations: partnershipInvitations.map {
                .init(partnership: $0.partnership.slug, organisationName: $0.organisationName, role: $0.role, invitedBy: $0.invitedBy, at: $0.createdAt,
                      usedAt: $0.usedAt)
            },
            evaluationAnswers: evaluations.map {
                .init(partnership: $0.partnership.slug, occasion: $0.occasion, organisation: $0.organisation.slug, name: $0.personName, at: $0.updatedAt,
                      answers: answers($0.answers))
            },
            notificationSetting: setting.map { $0.digest ? "daily digest" : "one by one" },
            pendingNotifications: pending.map { .init(at: $0.createdAt, subject: $0.subject, body: $0.body) },
            calendarFeeds: feeds.map { .init(scope: $0.scope, createdAt: $0.createdAt) },
            partnershipEvents: events.map {
                .init(partnership: $0.partnership.slug, at: $0.at, kind: $0.kind, from: $0.fromState, to: $0.toState, name: $0.actorName, comment: $0.comment)
            },
            agreementVersions: versions.map { .init(partnership: $0.partnership.slug, number: $0.number, at: $0.createdAt, name: $0.authorName) },
            agreementAcceptances: acceptances.map {
                .init(partnership: $0.partnership.slug, version: $0.version, organisation: $0.organisation.slug, at: $0.acceptedAt, name: $0.personName)
            },
            worksheets: worksheets.map { .init(title: $0.title, tool: $0.tool.slug, owner: $0.ownerKind, createdAt: $0.createdAt) },
            worksheetAnswers: worksheetAnswers.map {
                .init(worksheet: $0.worksheet.title, item: $0.itemID, answer: worksheetAnswer($0.answer), at: $0.updatedAt)
            },
            worksheetAnswerEvents: worksheetEvents.map { .init(worksheet: $0.worksheet.title, item: $0.itemID, answer: worksheetAnswer($0.answer), at: $0.at) },
            worksheetComments: worksheetComments.map {
                .init(worksheet: $0.worksheet.title, item: $0.itemID, at: $0.createdAt, name: $0.authorName, body: $0.body)
            },
            toolVersions: toolVersions.map { .init(tool: $0.tool.slug, number: $0.number, at: $0.createdAt, name: $0.authorName) }
        )
    }

    /// Evaluation answers as stored (JSON by question id); text that is not such JSON is handed out whole.
    private static func answers(_ json: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(json.utf8))) ?? ["svar": json]
    }

    /// An answer in a worksheet as stored (`WorksheetAnswer` as JSON); text that is not such JSON is handed out whole as its text.
    private static func worksheetAnswer(_ json: String) -> WorksheetAnswer {
        (try? JSONDecoder().decode(WorksheetAnswer.self, from: Data(json.utf8))) ?? WorksheetAnswer(text: json)
    }

    /// Deletes an account with its sessions, API tokens, reset and confirmation links, failed logins and sign-ups
    /// counted, memberships, requests to join, invitations to its address (to organisations and to partnerships),
    /// comments in partnerships, calendar addresses, and mail to it (sent or not); organisations and partnerships it
    /// registered or started no longer name it, and evaluation answers it gave for a party stay under `deletedName`.
    /// Its own worksheets go (with their answers, histories and comments), and so do its comments in others'; worksheets
    /// it started for others no longer name it, and its answers there (current and in the items' histories) stay under
    /// `deletedName`. Materials, their history, the audit log, partnerships' histories, agreement versions and
    /// acceptances, and tools' versions are untouched (they name the account's e-mail address as text; see the type's comment).
    static func deleteUser(email: String, on db: any Database) async throws {
        let user = try await AccountQueries.require(email: email, on: db)
        try await db.writeTransaction { tx in
            try await LoginFailureModel.query(on: tx).filter(\.$key ~~ throttleKeys(email: user.email)).delete()
            try await EmailVerificationModel.query(on: tx).filter(\.$user.$id == user.requireID()).delete()
            try await JoinRequestModel.query(on: tx).filter(\.$user.$id == user.requireID()).delete()
            try await InvitationModel.query(on: tx).filter(\.$email == user.email).delete()
            // The last administrator of an organisation cannot leave it by being deleted either.
            for membership in try await MembershipModel.query(on: tx).filter(\.$user.$id == user.requireID())
                .filter(\.$role == OrganisationRole.administrator.rawValue).all() {
                if try await MembershipQueries.administratorCount(membership.$organisation.id, on: tx) <= 1 {
                    throw SamspilError.conflict("\(user.email) er den eneste administrator af en organisation. Giv en anden rollen først.")
                }
            }
            try await MembershipModel.query(on: tx).filter(\.$user.$id == user.requireID()).delete()
            try await OutboxMessageModel.query(on: tx).filter(\.$recipient == user.email).delete()
            // Organisations the person registered stay (they are the organisation's), without naming who did it.
            try await OrganisationModel.query(on: tx).filter(\.$createdBy == user.requireID()).set(\.$createdBy, to: nil).update()
            try await SessionModel.query(on: tx).filter(\.$user.$id == user.requireID()).delete()
            try await SignOnIdentityModel.query(on: tx).filter(\.$user.$id == user.requireID()).delete()
            // Partnerships: the rows would also go (or lose the account) with the user's row through their foreign keys,
            // but the deletion says what it does, and a name must not outlive the person.
            try await NotificationSettingModel.query(on: tx).filter(\.$user.$id == user.requireID()).delete()
            try await PendingNotificationModel.query(on: tx).filter(\.$user.$id == user.requireID()).delete()
            // Shared documents are the partnership's: they stay, no longer naming who shared them.
            try await PartnershipDocumentModel.query(on: tx).filter(\.$user.$id == user.requireID()).set(\.$user.$id, to: nil).update()
            try await PartnershipCommentModel.query(on: tx).filter(\.$user.$id == user.requireID()).delete()
            try await CalendarFeedModel.query(on: tx).filter(\.$user.$id == user.requireID()).delete()
            try await PartnershipInvitationModel.query(on: tx).filter(\.$email == user.email).delete()
            try await EvaluationAnswerModel.query(on: tx).filter(\.$user.$id == user.requireID())
                .set(\.$user.$id, to: nil).set(\.$personName, to: deletedName).update()
            try await PartnershipModel.query(on: tx).filter(\.$createdBy == user.requireID()).set(\.$createdBy, to: nil).update()
            // Worksheets: the person's own go, and with them (by their foreign keys) every answer, history entry and
            // comment in them; those they started for an organisation or a partnership are the owners' and stay.
            try await WorksheetModel.query(on: tx).filter(\.$user.$id == user.requireID()).delete()
            try await WorksheetModel.query(on: tx).filter(\.$createdBy.$id == user.requireID()).set(\.$createdBy.$id, to: nil).update()
            try await WorksheetCommentModel.query(on: tx).filter(\.$user.$id == user.requireID()).delete()
            // Answers in the owners' worksheets are their shared work: they stay, under neither the account nor the name.
            try await WorksheetAnswerModel.query(on: tx).filter(\.$user.$id == user.requireID())
                .set(\.$user.$id, to: nil).set(\.$authorName, to: deletedName).update()
            try await WorksheetAnswerEventModel.query(on: tx).filter(\.$user.$id == user.requireID())
                .set(\.$user.$id, to: nil).set(\.$authorName, to: deletedName).update()
            try await ApiTokenModel.query(on: tx).filter(\.$user.$id == user.requireID()).delete()
            try await PasswordResetModel.query(on: tx).filter(\.$user.$id == user.requireID()).delete()
            try await PasswordResetRequestModel.query(on: tx).filter(\.$email == user.email).delete()
            try await user.delete(on: tx)
        }
    }

    // MARK: pages

    static func show(_ req: Request) async throws -> Response {
        let account = try req.requireSession().account
        let data = try await export(userID: account.id, on: req.db)
        let meta = PageMeta(title: "Mine data", canonical: nil, breadcrumbs: [.init(label: "Forside", href: SitePath.home.href), .init(label: "Min side", href: SitePath.account(.mySpace).href)], currentCrumb: "Mine data")
        let facts: [(String, String)] = [
            ("E-mailadresse", data.email), ("Navn", data.name), ("Rolle", Role(rawValue: data.role)?.label ?? data.role),
            ("Aktive logins", String(data.sessions.count)),
            ("Mislykkede logins (seneste 15 minutter)", String(data.failedLogins.count)),
            ("Ændringer i ændringsloggen", String(data.changes.count)), ("Mails sendt til dig", String(data.mails.count)),
            ("API-nøgler", String(data.apiTokens.count)), ("Revisioner af materialer, du har gemt", String(data.revisions.count)),
            ("Medlemskaber", String(data.memberships.count)), ("Anmodninger om medlemskab", String(data.joinRequests.count)),
            ("Invitationer til din adresse", String(data.invitations.count)),
            ("Koblinger til login-udbydere", String(data.signOnIdentities.count)),
            ("Partnerskaber, du har startet", String(data.startedPartnerships.count)),
            ("Kommentarer i partnerskaber", String(data.partnershipComments.count)),
            ("Dokumenter, du har delt i partnerskaber", String(data.partnershipDocuments.count)),
            ("Invitationer til partnerskaber sendt til din adresse", String(data.partnershipInvitations.count)),
            ("Evalueringer, du har besvaret for en part", String(data.evaluationAnswers.count)),
            ("Kalenderadresser", String(data.calendarFeeds.count)),
            ("Mails, der venter på din daglige samling", String(data.pendingNotifications.count)),
            ("Hændelser i partnerskabers historik", String(data.partnershipEvents.count)),
            ("Versioner af samarbejdsaftaler, du har gemt", String(data.agreementVersions.count)),
            ("Samarbejdsaftaler, du har accepteret for en part", String(data.agreementAcceptances.count)),
            ("Arbejdsark, der er dine egne eller du har startet", String(data.worksheets.count)),
            ("Svar i arbejdsark, du senest har gemt", String(data.worksheetAnswers.count)),
            ("Gemte svar i arbejdsarks historik", String(data.worksheetAnswerEvents.count)),
            ("Kommentarer i arbejdsark", String(data.worksheetComments.count)),
            ("Versioner af værktøjer, du har gemt", String(data.toolVersions.count)),
        ]
        return PageLayout.privateResponse(PageLayout.render(meta, site: req.site) {
            H1("Mine data")
            Paragraph("Her er alle de oplysninger, Samspil gemmer om dig som bruger. Materialer, du har skrevet, er krediteret med navne i teksten og hører ikke til din konto.")
            Paragraph("Partnerskabers historik, samarbejdsaftalernes versioner og parternes accept nævner dit navn og din e-mailadresse ved det, du har gjort. De bliver stående, hvis din konto slettes, ligesom ændringsloggen, for de viser, hvad parterne har aftalt. Det samme gælder de versioner af værktøjer, du har gemt.")
            Paragraph("Dine egne arbejdsark slettes sammen med din konto. Svar, du har givet i arbejdsark, der tilhører en organisation eller et partnerskab, bliver stående uden dit navn, for de er deres fælles arbejde.")
            Tag("dl") {
                for (term, value) in facts {
                    Tag("dt", text: term)
                    Tag("dd", text: value)
                }
            }
            Paragraph { SafeLink(text: "Hent alle oplysningerne som JSON", href: SitePath.myDataDownload.href, attributes: [("download", "mine-data.json")]) }
        })
    }

    static func download(_ req: Request) async throws -> Response {
        let account = try req.requireSession().account
        let data = try await export(userID: account.id, on: req.db)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"mine-data.json\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(data: try encoder.encode(data)))
    }

    struct DeleteForm: Content {
        var email: String?
        var confirm: String?
        var _csrf: String?
    }

    /// An administrator deletes a user (not themselves: another administrator must).
    static func deleteUser(_ req: Request) async throws -> Response {
        let form = req.postedForm(or: DeleteForm())
        try CSRF.verify(req, sent: form._csrf)
        let actor = try req.requireSession().account
        let email = EmailAddress.normalise(form.email ?? "")
        guard email != actor.email else { throw SamspilError.forbidden("Du kan ikke slette din egen konto. Bed en anden administrator om det.") }
        guard form.confirm == "ja" else {
            return req.redirect(to: SitePath.users.href + "?fejl=bekraeft", redirectType: .normal)
        }
        try await deleteUser(email: email, on: req.db)
        try await AuditLog.record(.userDelete, subject: email, by: actor, now: req.application.samspil.clock(), on: req.db)
        return req.redirect(to: SitePath.users.href, redirectType: .normal)
    }
}
