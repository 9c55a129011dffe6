import Fluent
import Foundation
import SamspilCore
import SQLKit
import Vapor

/// The mails about partnerships, one by one through the outbox or — for those who chose it — gathered in one mail a
/// day at 7 o'clock Danish time. Every process's mail loop (`deliverMail`) asks for due digests; each person's
/// waiting notifications are taken by one `DELETE … RETURNING` in the transaction that writes the digest to the
/// outbox, so with any number of processes a notification is in exactly one mail.
enum NotificationDigest {
    static let hour = 7

    /// Mails `subject` and `body` to each recipient, now or in their next digest.
    static func send(to recipients: [(id: UUID, email: String)], subject: String, body: String, now: Date, on tx: any Database) async throws {
        guard !recipients.isEmpty else { return }
        let gathering = Set(try await NotificationSettingModel.query(on: tx).filter(\.$user.$id ~~ recipients.map(\.id)).filter(\.$digest == true)
            .all(\.$user.$id))
        for recipient in recipients {
            if gathering.contains(recipient.id) {
                let pending = PendingNotificationModel()
                pending.id = UUID()
                pending.createdAt = now
                pending.$user.id = recipient.id
                pending.subject = subject
                pending.body = body
                try await pending.create(on: tx)
            } else {
                try await Outbox.enqueue(to: recipient.email, subject: subject, body: body, now: now, on: tx)
            }
        }
    }

    /// The latest 7 o'clock (Danish time) at or before `now`: notifications from before it are due.
    static func cutoff(at now: Date) -> Date {
        let calendar = ActivityForm.calendar
        let today = calendar.date(bySettingHour: hour, minute: 0, second: 0, of: now) ?? now
        return today <= now ? today : calendar.date(byAdding: .day, value: -1, to: today) ?? today
    }

    /// Writes the due digests to the outbox; returns how many.
    @discardableResult
    static func sendDue(now: Date, on db: any Database) async throws -> Int {
        let cutoff = cutoff(at: now)
        struct Waiting: Decodable { let user_id: UUID }
        let users = try await (db as! any SQLDatabase).raw("""
            SELECT DISTINCT user_id FROM \(ident: PendingNotificationModel.schema) WHERE created_at < \(bind: cutoff)
            """).all(decoding: Waiting.self).map(\.user_id)
        var sent = 0
        for user in users {
            let mailed = try await db.writeTransaction { tx -> Bool in
                struct Taken: Decodable { let subject: String; let body: String; let created_at: Date }
                let taken = try await (tx as! any SQLDatabase).raw("""
                    DELETE FROM \(ident: PendingNotificationModel.schema) WHERE user_id = \(bind: user) AND created_at < \(bind: cutoff) \
                    RETURNING subject, body, created_at
                    """).all(decoding: Taken.self).sorted { $0.created_at < $1.created_at }
                guard !taken.isEmpty, let person = try await UserModel.find(user, on: tx), person.disabledAt == nil else { return false }
                try await Outbox.enqueue(to: person.email, subject: "Nyt fra dine partnerskaber (\(taken.count))", body: """
                    Hej

                    Her er, hvad der er sket i dine partnerskaber siden sidst:

                    \(taken.map { "— \(DanishDate.dateTime($0.created_at)): \($0.subject)\n\n\($0.body)" }.joined(separator: "\n\n"))

                    Du får én mail om dagen, fordi du har valgt det. Det kan du ændre på Min side.
                    """, now: now, on: tx)
                return true
            }
            if mailed { sent += 1 }
        }
        return sent
    }

    static func wantsDigest(_ userID: UUID, on db: any Database) async throws -> Bool {
        try await NotificationSettingModel.query(on: db).filter(\.$user.$id == userID).first()?.digest ?? false
    }

    /// Saves the choice. Choosing mails one by one sends what was waiting at the next digest time, as promised.
    static func choose(digest: Bool, for account: Account, now: Date, on db: any Database) async throws {
        try await db.writeTransaction { tx in
            if let existing = try await NotificationSettingModel.query(on: tx).filter(\.$user.$id == account.id).first() {
                existing.digest = digest
                existing.updatedAt = now
                try await existing.update(on: tx)
            } else {
                let setting = NotificationSettingModel()
                setting.id = UUID()
                setting.$user.id = account.id
                setting.digest = digest
                setting.updatedAt = now
                try await setting.create(on: tx)
            }
        }
    }
}

/// "Mails om partnerskaber" (`/min-side/mails`): one by one or a daily digest.
enum NotificationPages {
    static func register(on members: any RoutesBuilder) {
        members.get(SitePath.partnership(.notifications).pattern, use: show)
        members.post(SitePath.partnership(.notifications).pattern, use: save)
    }

    static func show(_ req: Request) async throws -> Response {
        let session = try req.requireSession()
        let digest = try await NotificationDigest.wantsDigest(session.account.id, on: req.db)
        return PageLayout.privateResponse(NotificationView.render(digest: digest, saved: req.query[String.self, at: "besked"].flatMap(Notice.init(rawValue:)) == .saved,
                                                                  csrf: session.csrfToken, site: req.site))
    }

    static func save(_ req: Request) async throws -> Response {
        let session = try req.requireSession()
        let form = try PartnershipPages.fields(req)
        guard let choice = form["mails"], ["hver", "dagligt"].contains(choice) else {
            throw SamspilError.invalid([FieldProblem(field: "mails", message: "Vælg, hvordan du vil have mails om dine partnerskaber.")])
        }
        try await NotificationDigest.choose(digest: choice == "dagligt", for: session.account, now: req.application.samspil.clock(), on: req.db)
        return req.redirect(to: SitePath.partnership(.notifications).href(notice: Notice.saved), redirectType: .normal)
    }

    enum Notice: String { case saved = "gemt" }
}

enum NotificationView {
    static func render(digest: Bool, saved: Bool, csrf: String, site: SiteInfo) -> String {
        let meta = PartnershipShell.meta("Mails om partnerskaber", current: "Mails om partnerskaber")
        return PageLayout.render(meta, site: site) {
            H1("Mails om partnerskaber")
            if saved { PartnershipShell.notice("Dit valg er gemt.") }
            Paragraph("Som kontaktperson for en part får du mail, når et partnerskab skifter tilstand, får en ny version af aftalen, en ny part eller en ny kommentar.")
            PartnershipShell.postForm(SitePath.partnership(.notifications).href, csrf: csrf) {
                RadiosField(name: "mails", legend: "Hvordan vil du have dem?", selected: digest ? "dagligt" : "hver",
                            options: [("hver", "Én mail hver gang der sker noget"), ("dagligt", "Samlet i én mail om dagen (kl. 7)")])
                Tag("button", [("type", "submit"), ("class", "button button-primary")], text: "Gem")
            }
        }
    }
}
