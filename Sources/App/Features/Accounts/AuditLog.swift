import Fluent
import Foundation
import SamspilCore
import Vapor

/// The audit log: every change an editor or administrator makes, recorded in the change's transaction,
/// readable by administrators at `/redaktion/log`.
enum AuditLog {
    enum Action: String, CaseIterable {
        case materialCreate = "material.create"
        case materialUpdate = "material.update"
        case materialDelete = "material.delete"
        case materialFile = "material.file"
        case materialRestore = "material.restore"
        /// A material as the seed or an import stored it: the first revision of its history, recorded at the
        /// first save after the load (never in the audit log, which holds what people did).
        case materialLoad = "material.load"
        case themeCreate = "theme.create"
        case themeUpdate = "theme.update"
        case themeDelete = "theme.delete"
        case tokenCreate = "token.create"
        case tokenRevoke = "token.revoke"
        case userCreate = "user.create"
        case userDelete = "user.delete"
        case userDisable = "user.disable"
        case userEnable = "user.enable"
        case accountSignUp = "account.signup"
        case accountVerify = "account.verify"
        case accountSignOn = "account.signon"
        case membershipRequest = "membership.request"
        case membershipAccept = "membership.accept"
        case membershipDecline = "membership.decline"
        case membershipInvite = "membership.invite"
        case membershipJoin = "membership.join"
        case membershipRole = "membership.role"
        case membershipRemove = "membership.remove"
        case organisationCreate = "organisation.create"
        case organisationUpdate = "organisation.update"
        case organisationApprove = "organisation.approve"
        case organisationImport = "organisation.import"
        case partnershipCreate = "partnership.create"
        case partnershipUpdate = "partnership.update"
        case partnershipParty = "partnership.party"
        case partnershipInvite = "partnership.invite"
        case partnershipTransition = "partnership.transition"
        case agreementVersion = "partnership.agreement"
        case agreementAccept = "partnership.accept"
        case activitySave = "partnership.activity"
        case partnershipComment = "partnership.comment"
        case partnershipEvaluate = "partnership.evaluate"
        case calendarFeed = "calendar.feed"
        case partnershipPublish = "partnership.publish"
        case partnershipFormCreate = "partnership-form.create"
        case partnershipFormUpdate = "partnership-form.update"
        case partnershipFormMove = "partnership-form.move"
        case partnershipFormDelete = "partnership-form.delete"
        case partnershipDocument = "partnership.document"
        case toolCreate = "tool.create"
        case toolUpdate = "tool.update"
        case worksheetCreate = "worksheet.create"
        case worksheetMove = "worksheet.move"
        case worksheetShare = "worksheet.share"
        case worksheetDelete = "worksheet.delete"

        var label: String {
            switch self {
            case .materialCreate: "Oprettede materiale"
            case .materialUpdate: "Ændrede materiale"
            case .materialDelete: "Slettede materiale"
            case .materialFile: "Tilføjede fil til materiale"
            case .materialRestore: "Gendannede materiale"
            case .materialLoad: "Indlæst (startindhold eller import)"
            case .themeCreate: "Oprettede tema"
            case .themeUpdate: "Ændrede tema"
            case .themeDelete: "Slettede tema"
            case .tokenCreate: "Oprettede API-nøgle"
            case .tokenRevoke: "Tilbagekaldte API-nøgle"
            case .userCreate: "Oprettede bruger"
            case .userDelete: "Slettede bruger"
            case .userDisable: "Spærrede bruger"
            case .userEnable: "Åbnede bruger"
            case .accountSignUp: "Oprettede sin konto"
            case .accountVerify: "Bekræftede sin e-mailadresse"
            case .accountSignOn: "Loggede ind med single sign-on første gang (kontoen koblet eller oprettet)"
            case .membershipRequest: "Bad om at blive medlem"
            case .membershipAccept: "Godkendte et medlem"
            case .membershipDecline: "Afviste en anmodning om medlemskab"
            case .membershipInvite: "Inviterede et medlem"
            case .membershipJoin: "Blev medlem via invitation"
            case .membershipRole: "Gav et medlem en rolle"
            case .membershipRemove: "Fjernede en rolle fra et medlem"
            case .organisationCreate: "Registrerede organisation"
            case .organisationUpdate: "Ændrede organisation"
            case .organisationApprove: "Godkendte organisation"
            case .organisationImport: "Importerede organisationer"
            case .partnershipCreate: "Oprettede partnerskab"
            case .partnershipUpdate: "Ændrede partnerskabets oplysninger"
            case .partnershipParty: "Tilføjede en part til et partnerskab"
            case .partnershipInvite: "Inviterede en part til et partnerskab"
            case .partnershipTransition: "Ændrede partnerskabets tilstand"
            case .agreementVersion: "Gemte en version af en samarbejdsaftale"
            case .agreementAccept: "Accepterede en samarbejdsaftale for en part"
            case .activitySave: "Planlagde eller ændrede en aktivitet"
            case .partnershipComment: "Skrev en kommentar i et partnerskab"
            case .partnershipEvaluate: "Svarede på en evaluering"
            case .calendarFeed: "Lavede en ny kalenderadresse"
            case .partnershipPublish: "Foreslog eller gav samtykke til et partnerskab som eksempel"
            case .partnershipFormCreate: "Oprettede en partnerskabsform"
            case .partnershipFormUpdate: "Ændrede en partnerskabsform"
            case .partnershipFormMove: "Flyttede en partnerskabsform i rækkefølgen"
            case .partnershipFormDelete: "Slettede en partnerskabsform"
            case .partnershipDocument: "Delte eller fjernede et dokument i et partnerskab"
            case .toolCreate: "Oprettede værktøj"
            case .toolUpdate: "Gemte en ny version af et værktøj"
            case .worksheetCreate: "Startede et arbejdsark"
            case .worksheetMove: "Flyttede et arbejdsark til værktøjets nyeste version"
            case .worksheetShare: "Delte et arbejdsark med kommunens koordinatorer eller holdt op med det"
            case .worksheetDelete: "Slettede et arbejdsark"
            }
        }
    }

    struct Entry: Sendable, Equatable {
        var at: Date
        var actor: String
        var action: String
        var subject: String
    }

    static func record(_ action: Action, subject: String, by actor: Account, now: Date, on db: any Database) async throws {
        let event = AuditEventModel()
        event.id = UUID()
        event.at = now
        event.actor = actor.email
        event.action = action.rawValue
        event.subject = subject
        try await event.create(on: db)
    }

    static func recent(limit: Int = 200, on db: any Database) async throws -> [Entry] {
        try await AuditEventModel.query(on: db).sort(\.$at, .descending).limit(limit).all()
            .map { Entry(at: $0.at, actor: $0.actor, action: $0.action, subject: $0.subject) }
    }

    static func show(_ req: Request) async throws -> Response {
        let entries = try await recent(on: req.db)
        let meta = PageMeta(title: "Ændringslog", canonical: nil, breadcrumbs: MaterialEditViews.crumbs(), currentCrumb: "Ændringslog")
        return PageLayout.privateResponse(PageLayout.render(meta, site: req.site) {
            H1("Ændringslog")
            Paragraph("De seneste \(entries.count) ændringer, nyeste først.")
            DataTable(caption: "Hvem ændrede hvad og hvornår", headings: ["Tidspunkt", "Hvem", "Hvad", "Emne"], rows: entries.map { entry in
                [Text(DanishDate.dateTime(entry.at)), Text(entry.actor), Text(Action(rawValue: entry.action)?.label ?? entry.action),
                 Text(entry.subject)]
            })
        })
    }
}
