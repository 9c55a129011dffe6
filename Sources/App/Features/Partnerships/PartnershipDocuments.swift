import Fluent
import Foundation
import SamspilCore
import SQLKit
import Vapor

/// Documents shared in a partnership: uploaded into the shared file store with the materials' rules (the kind
/// from the content — PDF, Word, OpenDocument, images — and `SAMSPIL_UPLOAD_MAX_MB`), downloadable only by
/// those who may see the partnership, never through the public file address.
extension PartnershipSaving {
    static let documentTitleMaxLength = 200

    @discardableResult
    static func addDocument(slug: String, title rawTitle: String, fileName: String, bytes: [UInt8], by account: Account, now: Date,
                            on db: any Database) async throws -> UUID {
        let actor = try await MembershipQueries.actor(for: account, on: db)
        let stored = try await visible(slug: slug, actor: actor, on: db)
        try require(actor, .work, on: stored)
        var problems: [FieldProblem] = []
        let kind = StoredFileKind.detect(bytes)
        if bytes.isEmpty {
            problems.append(FieldProblem(field: "file", message: "Vælg en fil."))
        } else if kind == nil {
            problems.append(FieldProblem(field: "file", message: "Vælg en PDF-, Word-, OpenDocument- eller billedfil (PNG, JPEG, GIF, WebP). Filens indhold afgør, hvad den er – ikke dens navn."))
        }
        let title = rawTitle.trimmingCharacters(in: .whitespacesAndNewlines)
        if title.count > documentTitleMaxLength {
            problems.append(FieldProblem(field: "title", message: "Gør titlen kortere: den må højst have \(documentTitleMaxLength) tegn."))
        }
        if let problem = TextRules.nulProblem(title) { problems.append(FieldProblem(field: "title", message: problem)) }
        guard problems.isEmpty, let kind else { throw SamspilError.invalid(problems) }
        let name = StoredFileKind.safeName(fileName, kind: kind)
        let id = UUID()
        try await db.writeTransaction { tx in
            _ = try await claim(stored.id, now: now, on: tx)
            let file = VersionUpload.storedFile(bytes, kind: kind, name: name, now: now)
            try await file.create(on: tx)
            let document = PartnershipDocumentModel()
            document.id = id
            document.createdAt = now
            document.$partnership.id = stored.id
            document.$file.id = try file.requireID()
            document.title = title.isEmpty ? name : title
            document.$user.id = account.id
            try await document.create(on: tx)
            try await record("dokument", on: stored.id, comment: "delte dokumentet \(DanishText.quoted(document.title))", by: account, now: now, on: tx)
            try await AuditLog.record(.partnershipDocument, subject: "\(slug): \(name)", by: account, now: now, on: tx)
        }
        return id
    }

    static func removeDocument(slug: String, id: UUID, by account: Account, now: Date, on db: any Database) async throws {
        let actor = try await MembershipQueries.actor(for: account, on: db)
        let stored = try await visible(slug: slug, actor: actor, on: db)
        try require(actor, .work, on: stored)
        try await db.writeTransaction { tx in
            _ = try await claim(stored.id, now: now, on: tx)
            guard let document = try await PartnershipDocumentModel.query(on: tx).filter(\.$id == id).filter(\.$partnership.$id == stored.id).first() else {
                throw SamspilError.notFound("Dokumentet findes ikke (længere) i partnerskabet.")
            }
            let title = document.title
            // The file goes with the document (the foreign key cascades from the file).
            try await StoredFileModel.query(on: tx).filter(\.$id == document.$file.id).delete()
            try await record("dokument", on: stored.id, comment: "fjernede dokumentet \(DanishText.quoted(title))", by: account, now: now, on: tx)
            try await AuditLog.record(.partnershipDocument, subject: "\(slug): fjernet \(title)", by: account, now: now, on: tx)
        }
    }
}

extension PartnershipQueries {
    struct Document: Sendable, Equatable {
        var id: UUID
        var title: String
        var fileName: String
        var contentType: String
        var size: Int
        var at: Date
        /// Who shared it; "Slettet bruger" once their account is gone.
        var by: String
    }

    static func documents(_ id: UUID, on db: any Database) async throws -> [Document] {
        struct Row: Decodable { let id: UUID; let title: String; let file_name: String; let content_type: String; let size: Int; let created_at: Date; let name: String? }
        return try await (db as! any SQLDatabase).raw("""
            SELECT d.id, d.title, f.file_name, f.content_type, f.size, d.created_at, u.name FROM \(ident: PartnershipDocumentModel.schema) d \
            JOIN \(ident: StoredFileModel.schema) f ON f.id = d.file_id LEFT JOIN \(ident: UserModel.schema) u ON u.id = d.user_id \
            WHERE d.partnership_id = \(bind: id) ORDER BY d.created_at, d.title
            """).all(decoding: Row.self).map {
            Document(id: $0.id, title: $0.title, fileName: $0.file_name, contentType: $0.content_type, size: $0.size, at: $0.created_at,
                     by: $0.name.map { $0.isEmpty ? "Ukendt" : $0 } ?? PersonalData.deletedName)
        }
    }
}

/// Uploading, downloading and removing a partnership's documents.
enum DocumentPages {
    static func register(on members: any RoutesBuilder, app: Application) {
        let slug = SitePath.slugPlaceholder
        members.on(.POST, SitePath.partnership(.documents(slug)).pattern,
                   body: .collect(maxSize: ByteCount(value: app.samspil.settings.uploadMaxMegabytes * 1_048_576 + 65_536)), use: upload)
        members.get(SitePath.partnership(.document(slug, ":document", ":name")).pattern, use: download)
        members.post(SitePath.partnership(.removeDocument(slug, ":document")).pattern, use: remove)
    }

    struct Form: Content {
        var title: String?
        var file: File?
        var _csrf: String?
    }

    static func upload(_ req: Request) async throws -> Response {
        let context = try await PartnershipPages.context(req)
        let form = req.postedForm(or: Form())
        try CSRF.verify(req, sent: form._csrf)
        // The route refuses larger bodies before reading them; this holds for whatever reaches the handler.
        guard (form.file?.data.readableBytes ?? 0) <= req.application.samspil.settings.uploadMaxMegabytes * 1_048_576 else { throw Abort(.payloadTooLarge) }
        do {
            try await PartnershipSaving.addDocument(slug: context.stored.slug, title: form.title ?? "", fileName: form.file?.filename ?? "",
                                                    bytes: form.file.map { Array($0.data.readableBytesView) } ?? [], by: context.session.account,
                                                    now: context.now, on: req.db)
        } catch SamspilError.invalid(let problems) {
            var model = try await PartnershipPages.pageModel(context, notice: nil, on: req.db)
            model.documentForm = (form.title ?? "", problems)
            return PageLayout.privateResponse(PartnershipView.render(model, site: req.site), status: .unprocessableEntity)
        }
        return req.redirect(to: SitePath.partnership(.show(context.stored.slug)).href(notice: PartnershipPages.Notice.documentAdded) + "#dokumenter",
                            redirectType: .normal)
    }

    static func download(_ req: Request) async throws -> Response {
        let context = try await PartnershipPages.context(req)
        guard let id = req.parameters.get("document").flatMap(UUID.init(uuidString:)),
              let document = try await PartnershipDocumentModel.query(on: req.db).filter(\.$id == id)
                .filter(\.$partnership.$id == context.stored.id).with(\.$file).first(),
              req.parameters.get("name") == document.file.fileName else {
            throw SamspilError.notFound("Dokumentet findes ikke i partnerskabet.")
        }
        return VersionUpload.serve(document.file, cacheControl: "private, no-store")
    }

    static func remove(_ req: Request) async throws -> Response {
        let context = try await PartnershipPages.context(req)
        try CSRF.verify(req, sent: (try? req.content.decode([String: String].self))?[CSRF.field])
        guard let id = req.parameters.get("document").flatMap(UUID.init(uuidString:)) else { throw SamspilError.notFound("Dokumentet findes ikke.") }
        try await PartnershipSaving.removeDocument(slug: context.stored.slug, id: id, by: context.session.account, now: context.now, on: req.db)
        return req.redirect(to: SitePath.partnership(.show(context.stored.slug)).href(notice: PartnershipPages.Notice.documentRemoved) + "#dokumenter",
                            redirectType: .normal)
    }
}
