import Fluent
import Foundation
import SamspilCore
import SQLKit
import Vapor

/// Uploading a file as a version of a material (PDF, DOCX, ODT or an image), and serving it.
/// The kind comes from the content; the size limit is `SAMSPIL_UPLOAD_MAX_MB` (the route refuses larger
/// bodies with 413 before reading them whole).
enum VersionUpload {
    struct Form: Content {
        var kind: String?
        var label: String?
        var file: File?
        var _csrf: String?
    }

    static func upload(_ req: Request) async throws -> Response {
        let (existing, revisionRead) = try await MaterialQueries.requireWithRevision(slug: req.parameters.get(SitePath.slug) ?? "", on: req.db)
        let form = req.postedForm(or: Form())
        try CSRF.verify(req, sent: form._csrf)
        let vocabularies = try await VocabularyQueries.load(on: req.db)
        func refuse(_ message: String) async throws -> Response {
            var model = MaterialEdit.ViewModel(isNew: false, form: try await MaterialEdit.currentForm(existing, on: req.db),
                                               vocabularies: vocabularies, csrfToken: try req.requireSession().csrfToken)
            model.errors = [FieldProblem(field: "file", message: message)]
            return PageLayout.privateResponse(MaterialEditViews.form(model, site: req.site), status: .unprocessableEntity)
        }
        guard let file = form.file, file.data.readableBytes > 0 else { return try await refuse("Vælg en fil.") }
        // The route refuses larger bodies before reading them; this holds for whatever reaches the handler.
        let limit = req.application.samspil.settings.uploadMaxMegabytes
        guard file.data.readableBytes <= limit * 1_048_576 else { throw Abort(.payloadTooLarge) }
        let bytes = Array(file.data.readableBytesView)
        guard let kind = StoredFileKind.detect(bytes) else {
            return try await refuse("Vælg en PDF-, Word-, OpenDocument- eller billedfil (PNG, JPEG, GIF, WebP). Filens indhold afgør, hvad den er – ikke dens navn.")
        }
        let name = StoredFileKind.safeName(file.filename, kind: kind)
        let now = req.application.samspil.clock()
        let actor = try req.requireSession().account
        var material = existing
        let stored = storedFile(bytes, kind: kind, name: name, now: now)
        let label = (form.label ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        material.versions.append(MaterialVersion(
            kind: MaterialVersion.Kind(rawValue: form.kind ?? "") ?? .full, label: label.isEmpty ? nil : String(label.prefix(200)),
            availability: .file, url: SitePath.file(stored.id!.uuidString.lowercased(), name).href, fileName: name, contentType: kind.contentType
        ))
        let saved = try await MaterialSaving.update(material, startedFrom: revisionRead, action: .materialFile, by: actor, now: now,
                                                    vocabularies: vocabularies, on: req.db) { tx in try await stored.create(on: tx) }
        guard saved != nil else { throw SamspilError.conflict("Materialet blev ændret samtidig. Prøv igen.") }
        return req.redirect(to: SitePath.editMaterial(existing.slug).href + "?besked=fil", redirectType: .normal)
    }

    struct OrderForm: Content {
        var index: String?
        var action: String?
        var version: String?
        var _csrf: String?
    }

    /// Moves a version up or down in the list, or removes it from the material. The stored file is kept (old
    /// revisions name it), but once no published material lists it, only editors can download it.
    static func reorder(_ req: Request) async throws -> Response {
        let existing = try await MaterialEdit.requireMaterial(req)
        let form = req.postedForm(or: OrderForm())
        try CSRF.verify(req, sent: form._csrf)
        guard let index = form.index.flatMap(Int.init), existing.versions.indices.contains(index) else {
            throw SamspilError.notFound("Udgaven findes ikke (længere). Genindlæs siden.")
        }
        var material = existing
        switch form.action {
        case "up" where index > 0: material.versions.swapAt(index, index - 1)
        case "down" where index < material.versions.count - 1: material.versions.swapAt(index, index + 1)
        case "remove": material.versions.remove(at: index)
        default: throw SamspilError.invalid([FieldProblem(field: "action", message: "skal være op, ned eller fjern.")])
        }
        var saved: Int?
        if let startedFrom = form.version.flatMap(Int.init) {
            saved = try await MaterialSaving.update(material, startedFrom: startedFrom, by: try req.requireSession().account,
                                                    now: req.application.samspil.clock(), vocabularies: try await VocabularyQueries.load(on: req.db), on: req.db)
        }
        guard saved != nil else {
            throw SamspilError.conflict("Materialet er blevet ændret, siden du åbnede siden. Intet er ændret. Genindlæs siden, og prøv igen.")
        }
        return req.redirect(to: SitePath.editMaterial(existing.slug).href + "?besked=udgaver", redirectType: .normal)
    }

    /// Serves a stored file with its type and a download name. Files of published materials are public;
    /// others only for logged-in editors. A partnership's documents are never served here (only from the
    /// partnership, to those who may see it).
    static func download(_ req: Request) async throws -> Response {
        guard let id = req.parameters.get("file").flatMap(UUID.init(uuidString:)),
              let file = try await StoredFileModel.find(id, on: req.db),
              req.parameters.get("name") == file.fileName,
              try await PartnershipDocumentModel.query(on: req.db).filter(\.$file.$id == id).count() == 0 else {
            throw SamspilError.notFound("Filen findes ikke.")
        }
        if (req.currentSession?.account.role ?? .member) < .editor {
            struct Row: Decodable { let count: Int }
            let published = try await (req.db as! any SQLDatabase).raw("""
                SELECT COUNT(*) AS count FROM \(ident: MaterialVersionModel.schema) v JOIN \(ident: MaterialModel.schema) m ON m.id = v.material_id \
                WHERE v.url = \(bind: SitePath.file(id.uuidString.lowercased(), file.fileName).href) AND m.status = \(bind: PublicationStatus.published.rawValue)
                """).first(decoding: Row.self)?.count ?? 0
            guard published > 0 else { throw SamspilError.notFound("Filen findes ikke.") }
        }
        return serve(file, cacheControl: "private, max-age=3600")
    }

    /// A new row of the shared file store (not yet saved), with a fresh id.
    static func storedFile(_ bytes: [UInt8], kind: StoredFileKind, name: String, now: Date) -> StoredFileModel {
        let stored = StoredFileModel()
        stored.id = UUID()
        stored.createdAt = now
        stored.contentType = kind.contentType
        stored.fileName = name
        stored.size = bytes.count
        stored.data = Data(bytes)
        return stored
    }

    /// A stored file as a response: its type, its name, shown in the browser when it can show it (PDF, images).
    static func serve(_ file: StoredFileModel, cacheControl: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: file.contentType)
        let disposition = file.contentType == StoredFileKind.pdf.contentType || file.contentType.hasPrefix("image/") ? "inline" : "attachment"
        headers.replaceOrAdd(name: .contentDisposition, value: "\(disposition); filename=\"\(file.fileName)\"")
        headers.replaceOrAdd(name: .cacheControl, value: cacheControl)
        return Response(status: .ok, headers: headers, body: .init(data: file.data))
    }
}
