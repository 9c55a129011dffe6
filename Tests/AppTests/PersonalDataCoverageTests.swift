@testable import App
import Fluent
import Foundation
import SamspilCore
import SQLKit
import Testing
import Vapor

/// Every table is classified: it holds a person's data (then it is in "Mine data" and the person's deletion
/// takes their rows), keeps a person's address as text on purpose (the audit log and material history: in
/// "Mine data", kept on deletion), or holds nobody's data. A new table that is not listed here fails the test,
/// and so does a listed table whose rows outlive the person's deletion or are missing from the export.
@Suite struct PersonalDataCoverageTests {
    /// How a table's rows belong to a person, as SQL over `:user` and `:email`, and the export's field for them.
    struct Link: Sendable { var condition: @Sendable (UUID, String) -> SQLQueryString; var export: String }

    /// The name of the person `everyPersonalTableIsExportedAndDeleted` makes: where a row outlives the person, their
    /// name must not (evaluation answers are the party's and stay).
    static let personName = "Per Son"

    static let personal: [String: Link] = [
        UserModel.schema: Link(condition: { id, _ in "id = \(bind: id)" }, export: "email"),
        SessionModel.schema: Link(condition: { id, _ in "user_id = \(bind: id)" }, export: "sessions"),
        ApiTokenModel.schema: Link(condition: { id, _ in "user_id = \(bind: id)" }, export: "apiTokens"),
        PasswordResetModel.schema: Link(condition: { id, _ in "user_id = \(bind: id)" }, export: "mails"),
        PasswordResetRequestModel.schema: Link(condition: { _, email in "email = \(bind: email)" }, export: "resetRequests"),
        EmailVerificationModel.schema: Link(condition: { id, _ in "user_id = \(bind: id)" }, export: "emailVerifications"),
        LoginFailureModel.schema: Link(condition: { _, email in "key IN (\(bind: "account:" + email), \(bind: "signup-mail:" + email))" }, export: "failedLogins"),
        OutboxMessageModel.schema: Link(condition: { _, email in "recipient = \(bind: email)" }, export: "mails"),
        MembershipModel.schema: Link(condition: { id, _ in "user_id = \(bind: id)" }, export: "memberships"),
        JoinRequestModel.schema: Link(condition: { id, _ in "user_id = \(bind: id)" }, export: "joinRequests"),
        InvitationModel.schema: Link(condition: { _, email in "email = \(bind: email)" }, export: "invitations"),
        OrganisationModel.schema: Link(condition: { id, _ in "created_by = \(bind: id)" }, export: "registeredOrganisations"),
        SignOnIdentityModel.schema: Link(condition: { id, _ in "user_id = \(bind: id)" }, export: "signOnIdentities"),
        // Partnerships stay (they are the parties'); only who started one is the person's.
        PartnershipModel.schema: Link(condition: { id, _ in "created_by = \(bind: id)" }, export: "startedPartnerships"),
        PartnershipCommentModel.schema: Link(condition: { id, _ in "user_id = \(bind: id)" }, export: "partnershipComments"),
        PartnershipDocumentModel.schema: Link(condition: { id, _ in "user_id = \(bind: id)" }, export: "partnershipDocuments"),
        NotificationSettingModel.schema: Link(condition: { id, _ in "user_id = \(bind: id)" }, export: "notificationSetting"),
        PendingNotificationModel.schema: Link(condition: { id, _ in "user_id = \(bind: id)" }, export: "pendingNotifications"),
        PartnershipInvitationModel.schema: Link(condition: { _, email in "email = \(bind: email)" }, export: "partnershipInvitations"),
        // The party's answers stay after the person's deletion, under neither their account nor their name.
        EvaluationAnswerModel.schema: Link(condition: { id, _ in "user_id = \(bind: id) OR person_name = \(bind: personName)" },
                                           export: "evaluationAnswers"),
        CalendarFeedModel.schema: Link(condition: { id, _ in "user_id = \(bind: id)" }, export: "calendarFeeds"),
        // The person's own worksheets go; those they started for others stay (the owners'), no longer naming them.
        WorksheetModel.schema: Link(condition: { id, _ in "user_id = \(bind: id) OR created_by = \(bind: id)" }, export: "worksheets"),
        // Answers in the owners' worksheets, and their history, stay after the deletion under neither account nor name.
        WorksheetAnswerModel.schema: Link(condition: { id, _ in "user_id = \(bind: id) OR author_name = \(bind: personName)" },
                                          export: "worksheetAnswers"),
        WorksheetAnswerEventModel.schema: Link(condition: { id, _ in "user_id = \(bind: id) OR author_name = \(bind: personName)" },
                                               export: "worksheetAnswerEvents"),
        WorksheetCommentModel.schema: Link(condition: { id, _ in "user_id = \(bind: id) OR author_name = \(bind: personName)" },
                                           export: "worksheetComments"),
    ]

    /// The address as text in a record of what happened; the export shows them, deletion keeps them.
    static let keptAsText: [String: Link] = [
        AuditEventModel.schema: Link(condition: { _, email in "actor = \(bind: email)" }, export: "changes"),
        MaterialRevisionModel.schema: Link(condition: { _, email in "actor = \(bind: email)" }, export: "revisions"),
        // A partnership's history, its agreement's versions and the parties' acceptances: the record of what was agreed
        // and who accepted on a party's behalf (see `PersonalData`).
        PartnershipEventModel.schema: Link(condition: { _, email in "actor_email = \(bind: email)" }, export: "partnershipEvents"),
        AgreementVersionModel.schema: Link(condition: { _, email in "author_email = \(bind: email)" }, export: "agreementVersions"),
        AgreementAcceptanceModel.schema: Link(condition: { _, email in "person_email = \(bind: email)" }, export: "agreementAcceptances"),
        // A tool's versions name who saved them, like a material's revisions.
        ToolVersionModel.schema: Link(condition: { _, email in "author_email = \(bind: email)" }, export: "toolVersions"),
    ]

    static let nobodys: Set<String> = [
        "materials", "material_persons", "material_terms", "material_versions", "themes", "theme_materials", "vocabulary_terms",
        "municipalities", "subjects", "grade_levels", "learning_environment_kinds", "applied_seeds", "search_documents",
        "search_stats", "search_changes", "stored_files", "content_state", "organisation_terms",
        // Partnerships' forms (the typology), parties (organisations), activities (the teacher is free text of the parties').
        PartnershipFormModel.schema, PartnershipPartyModel.schema, PartnershipActivityModel.schema,
        // Login attempts at a single sign-on provider under way: a hashed state, a nonce and a path, before anyone is known.
        "sign_on_attempts",
        // Tools (their definitions are in `tool_versions`).
        ToolModel.schema,
    ]

    static func tables(_ app: Application, backend: TestBackend) async throws -> Set<String> {
        struct Row: Decodable { let name: String }
        let sql = app.db as! any SQLDatabase
        let rows: [Row]
        switch backend {
        case .sqlite:
            rows = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all(decoding: Row.self)
        case .postgres:
            rows = try await sql.raw("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()").all(decoding: Row.self)
        }
        return Set(rows.map(\.name)).subtracting(["_fluent_migrations", "_fluent_enums"])
    }

    @Test(arguments: TestBackend.all)
    func everyTableIsClassified(backend: TestBackend) async throws {
        try await withApp(backend, seed: false) { app in
            let listed = Set(Self.personal.keys).union(Self.keptAsText.keys).union(Self.nobodys)
            let tables = try await Self.tables(app, backend: backend)
            #expect(tables.subtracting(listed).isEmpty, "tables not classified for privacy: \(tables.subtracting(listed).sorted())")
            #expect(listed.subtracting(tables).isEmpty, "listed tables that do not exist: \(listed.subtracting(tables).sorted())")
        }
    }

    /// A person with rows in every personal table: each shows in the export, and none is left after deletion.
    @Test(arguments: TestBackend.all)
    func everyPersonalTableIsExportedAndDeleted(backend: TestBackend) async throws {
        try await withApp(backend, seed: false) { app in
            let hashing = PasswordHashing(app)
            let email = "person@skole.dk"
            let person = try await AccountQueries.create(email: email, name: Self.personName, password: SignUpTests.password, role: .member, now: frozenNow,
                                                         hashing: hashing, verified: false, on: app.db)
            let admin = try await AccountQueries.create(email: "admin@skole.dk", password: SignUpTests.password, role: .administrator, now: frozenNow,
                                                        hashing: hashing, on: app.db)
            let (schoolID, museumID) = (UUID(), UUID())
            var museum = OrganisationStorageTests.museum()
            museum.status = .approved
            try await OrganisationStore.insert([(schoolID, OrganisationStorageTests.school())], createdBy: nil, now: frozenNow, on: app.db)
            try await OrganisationStore.insert([(museumID, museum)], createdBy: person.id, now: frozenNow, on: app.db)
            try await MembershipQueries.add(user: admin.id, organisation: museumID, role: .administrator, now: frozenNow, on: app.db)
            _ = try await SessionQueries.start(userID: person.id, now: frozenNow, on: app.db)
            _ = try await ApiTokenQueries.create(name: "nøgle", userID: person.id, now: frozenNow, on: app.db)
            try await PasswordResetQueries.sendLink(email: email, now: frozenNow, publicURL: "http://samspil.test", purpose: .reset, on: app.db)
            try await PasswordResetQueries.request(email: email, now: frozenNow, on: app.db)
            #expect(try await SignUpQueries.resend(userID: person.id, now: frozenNow, publicURL: "http://samspil.test", on: app.db))
            _ = try await LoginFailureQueries.claim(email: email, address: "10.0.0.1", now: frozenNow, on: app.db)
            // A leader: one who accepts an agreement on the museum's behalf.
            try await MembershipQueries.add(user: person.id, organisation: museumID, role: .leader, now: frozenNow, on: app.db)
            var verified = person
            verified.emailVerified = true
            try await MembershipSaving.requestToJoin(account: verified, slug: "eksempelskolen", role: .teacher, message: "Hej", now: frozenNow,
                                                     publicURL: "http://samspil.test", on: app.db)
            try await MembershipSaving.invite(account: admin, slug: "demo-museet", email: email, role: .leader, now: frozenNow,
                                              publicURL: "http://samspil.test", on: app.db)
            let provider = SignOnProvider(id: "test", label: "Test-login", issuer: "https://id.example", clientID: "samspil", clientSecret: "hemmelig")
            _ = try await SingleSignOnSaving.signIn(OpenIDConnect.Identity(subject: "per-123", email: email, emailVerified: true, name: nil,
                                                                           institutionNumbers: []), provider: provider, now: frozenNow, hashing: hashing, on: app.db)
            // A partnership the person starts for the museum, with their comment, agreement, acceptance and evaluation;
            // the museum's administrator invites another organisation at the person's address; a calendar address.
            // Mails about partnerships in a daily digest: the administrator's comment waits for it.
            try await NotificationDigest.choose(digest: true, for: verified, now: frozenNow, on: app.db)
            let started = try await PartnershipSaving.create(Partnership(title: "Vikinger på museet", form: "specialudviklet-forloeb", schoolYears: ["2026/27"]),
                                                             party: museumID, role: "Værtsmuseum", by: verified, now: frozenNow, on: app.db)
            try await PartnershipSaving.comment(slug: started.slug, body: "Hvornår mødes vi?", by: verified, now: frozenNow,
                                                publicURL: "http://samspil.test", on: app.db)
            try await PartnershipSaving.comment(slug: started.slug, body: "Velkommen", by: admin, now: frozenNow, publicURL: "http://samspil.test", on: app.db)
            try await PartnershipSaving.addDocument(slug: started.slug, title: "Plan", fileName: "plan.pdf", bytes: Array("%PDF-1.4\n%%EOF\n".utf8),
                                                    by: verified, now: frozenNow, on: app.db)
            try await PartnershipSaving.saveAgreement(slug: started.slug, Agreement(meetingRhythm: "To møder om året"), basedOn: 0, by: verified,
                                                      now: frozenNow, publicURL: "http://samspil.test", on: app.db)
            try await PartnershipSaving.accept(slug: started.slug, version: 1, party: museumID, by: verified, now: frozenNow,
                                               publicURL: "http://samspil.test", on: app.db)
            try await PartnershipSaving.evaluate(slug: started.slug, occasion: "periode", party: museumID,
                                                 answers: ["maal": "4", "samarbejde": "5", "udbytte": "3", "laering": "Meget", "fremad": "Ja"],
                                                 by: verified, now: frozenNow, on: app.db)
            try await PartnershipSaving.inviteParty(slug: started.slug, email: email, organisationName: "Per Sons skole", role: "Skole", by: admin,
                                                    now: frozenNow, publicURL: "http://samspil.test", on: app.db)
            let feed = CalendarFeedModel()
            feed.id = UUID()
            feed.createdAt = frozenNow
            feed.$user.id = person.id
            feed.scope = PartnershipCalendar.Scope.person.text
            feed.tokenHash = SessionQueries.hash(SessionQueries.randomToken())
            try await feed.create(on: app.db)
            // Tools: the person's own worksheet and one they start for the museum, each with an answer (and so an entry
            // in the item's history) and a comment; the museum's administrator answers another item there. A tool the
            // person saves as an editor (`ToolSaving` leaves roles to its callers).
            try await app.db.writeTransaction { tx in try await ToolSaving.loadSeed(now: frozenNow, on: tx) }
            let ownSheet = try await WorksheetSaving.start(tool: "det-gode-samarbejde", for: .person, title: "Mine noter", by: verified,
                                                           now: frozenNow, on: app.db)
            let museumSheet = try await WorksheetSaving.start(tool: "det-gode-samarbejde", for: .organisation(museumID), title: "Museets samarbejde",
                                                              by: verified, now: frozenNow, on: app.db)
            for id in [ownSheet, museumSheet] {
                let stored = try #require(try await WorksheetQueries.find(id: id, on: app.db))
                try await WorksheetSaving.saveAnswer(stored, item: "forventning-hvorfor", WorksheetAnswer(text: "Eleverne skal møde historien."),
                                                     basedOn: 0, by: verified, now: frozenNow, on: app.db)
                try await WorksheetSaving.comment(stored, item: "forventning-hvorfor", body: "Skal vi spørge eleverne?", by: verified,
                                                  now: frozenNow, on: app.db)
            }
            let museumStored = try #require(try await WorksheetQueries.find(id: museumSheet, on: app.db))
            try await WorksheetSaving.saveAnswer(museumStored, item: "forventning-ressourcer", WorksheetAnswer(text: "To formidlere."), basedOn: 0,
                                                 by: admin, now: frozenNow, on: app.db)
            var toolEditor = verified
            toolEditor.role = .editor
            var tool = try #require(try ToolSaving.seedTools().first { $0.slug == "det-gode-samarbejde" })
            tool.slug = "per-sons-samarbejde"
            // Without the seed there are neither materials nor audiences to refer to.
            tool.material = nil
            tool.audiences = []
            _ = try await ToolSaving.create(tool, status: .draft, by: toolEditor, now: frozenNow, on: app.db)

            let sql = app.db as! any SQLDatabase
            struct Count: Decodable { let n: Int64 }
            func rows(_ table: String, _ link: Link) async throws -> Int64 {
                try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table) WHERE (\(link.condition(person.id, email)))").first(decoding: Count.self)?.n ?? 0
            }
            let export = try JSONSerialization.jsonObject(with: JSONEncoder().encode(try await PersonalData.export(userID: person.id, on: app.db))) as? [String: Any]
            for (table, link) in Self.personal {
                #expect(try await rows(table, link) > 0, "the test gave the person no row in \(table)")
                let field = export?[link.export]
                #expect((field as? [Any]).map { !$0.isEmpty } ?? (field != nil), "\(table) is not in Mine data (\(link.export))")
            }
            var kept: [String: Int64] = [:]
            for (table, link) in Self.keptAsText {
                kept[table] = try await rows(table, link)
                // Saving a material needs the seeded vocabularies; its history is MaterialHistoryTests'.
                #expect(kept[table] ?? 0 > 0 || table == MaterialRevisionModel.schema, "the test gave the person no row in \(table)")
                let field = export?[link.export]
                #expect((field as? [Any]).map { !$0.isEmpty || kept[table] == 0 } ?? false, "\(table) is not in Mine data (\(link.export))")
            }

            try await PersonalData.deleteUser(email: email, on: app.db)
            for (table, link) in Self.personal {
                #expect(try await rows(table, link) == 0, "\(table) keeps the deleted person's rows")
            }
            for (table, link) in Self.keptAsText {
                #expect(try await rows(table, link) == kept[table], "\(table) is a record kept as text, but the deletion changed it")
            }
            #expect(try await EvaluationAnswerModel.query(on: app.db).all().map(\.personName) == [PersonalData.deletedName],
                    "the party's answers stay, without the person's name")
            #expect(try await WorksheetQueries.find(id: ownSheet, on: app.db) == nil, "the person's own worksheet goes with them")
            #expect(try await WorksheetQueries.find(id: museumSheet, on: app.db) != nil, "the museum's worksheet stays")
            let answers = try await WorksheetQueries.answers(museumSheet, on: app.db)
            #expect(answers["forventning-hvorfor"]?.answer.text == "Eleverne skal møde historien." && answers["forventning-hvorfor"]?.authorName == PersonalData.deletedName,
                    "the museum's answers stay, without the person's name")
            #expect(answers["forventning-ressourcer"]?.authorName == admin.shownName, "others' answers keep their names")
            #expect(try await WorksheetQueries.history(museumSheet, item: "forventning-hvorfor", on: app.db).map(\.authorName) == [PersonalData.deletedName])
            #expect(try await WorksheetQueries.comments(museumSheet, on: app.db).isEmpty, "the person's comments go")
            #expect(try await WorksheetAnswerModel.query(on: app.db).filter(\.$worksheet.$id == ownSheet).count() == 0)
        }
    }
}
