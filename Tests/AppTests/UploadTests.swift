@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing
import Vapor
import VaporTesting

@Suite struct UploadTests {
    typealias Browser = LoginTests.Browser

    static let pdf = Array("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".utf8)

    /// A multipart/form-data body with the CSRF token, a kind and one file.
    static func upload(_ browser: Browser, slug: String, token: String, fileName: String, bytes: [UInt8]) async throws -> TestingHTTPResponse {
        try await browser.postMultipart("/redaktion/materialer/\(slug)/filer", fields: [("_csrf", token), ("kind", "full"), ("label", "Hele rapporten")],
                                        fileName: fileName, bytes: bytes)
    }

    @Test(arguments: TestBackend.all)
    func aPDFIsStoredAndDownloadsWithItsType(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let editor = try await MaterialEditTests.editor(app)
            let slug = "fire-typer-af-partnerskaber"
            let token = try await editor.csrfToken(on: "/redaktion/materialer/\(slug)")
            let response = try await Self.upload(editor, slug: slug, token: token, fileName: "Fire Typer (endelig).PDF", bytes: Self.pdf)
            #expect(response.status == .seeOther)
            let material = try #require(try await MaterialQueries.find(slug: slug, on: app.db))
            let version = try #require(material.versions.last)
            #expect(version.availability == .file && version.contentType == "application/pdf" && version.fileName == "fire-typer-endelig.pdf")
            let href = try #require(version.url)
            #expect(try await app.get("/materialer/\(slug)").text.contains(href))
            let download = try await app.get(href)
            #expect(download.status == .ok)
            #expect(download.headers.first(name: .contentType) == "application/pdf")
            #expect(download.headers.first(name: .contentDisposition) == "inline; filename=\"fire-typer-endelig.pdf\"")
            #expect(Array(download.body.readableBytesView) == Self.pdf)
            #expect(try await app.get(href.replacingOccurrences(of: "endelig", with: "andet")).status == .notFound)
        }
    }

    /// Two app instances on one database: a file uploaded through one downloads from the other.
    @Test(arguments: TestBackend.all)
    func anUploadIsServedByEveryProcess(backend: TestBackend) async throws {
        try await withApps(backend, count: 2) { apps in
            let editor = try await MaterialEditTests.editor(apps[0])
            let slug = "fire-typer-af-partnerskaber"
            let token = try await editor.csrfToken(on: "/redaktion/materialer/\(slug)")
            #expect(try await Self.upload(editor, slug: slug, token: token, fileName: "rapport.pdf", bytes: Self.pdf).status == .seeOther)
            let page = try await apps[1].get("/materialer/\(slug)").text
            let href = try #require(page.range(of: "/filer/[0-9a-f-]+/rapport.pdf", options: .regularExpression).map { String(page[$0]) })
            let download = try await apps[1].get(href)
            #expect(download.status == .ok)
            #expect(Array(download.body.readableBytesView) == Self.pdf)
            // And the session made through the first is valid on the second.
            let second = Browser(apps[1])
            second.cookies = editor.cookies
            #expect(try await second.get("/redaktion/materialer").status == .ok)
        }
    }

    @Test func aFileNamedPDFThatIsNotOneIsRefused() async throws {
        try await withApp { app in
            let editor = try await MaterialEditTests.editor(app)
            let slug = "fire-typer-af-partnerskaber"
            let token = try await editor.csrfToken(on: "/redaktion/materialer/\(slug)")
            let html = Array("<html><script>alert(1)</script></html>".utf8)
            let response = try await Self.upload(editor, slug: slug, token: token, fileName: "rapport.pdf", bytes: html)
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains("Filens indhold afgør"))
            #expect(try await StoredFileModel.query(on: app.db).count() == 0)
        }
    }

    @Test func aTooLargeFileIsRefused() async throws {
        try await withApp { app in
            let editor = try await MaterialEditTests.editor(app)
            let slug = "fire-typer-af-partnerskaber"
            let token = try await editor.csrfToken(on: "/redaktion/materialer/\(slug)")
            let big = Self.pdf + [UInt8](repeating: 0x20, count: 21 * 1_048_576)
            let response = try await Self.upload(editor, slug: slug, token: token, fileName: "stor.pdf", bytes: big)
            #expect(response.status == .payloadTooLarge)
            #expect(try await StoredFileModel.query(on: app.db).count() == 0)
        }
    }

    @Test func aDraftsFileIsOnlyForEditors() async throws {
        try await withApp { app in
            let editor = try await MaterialEditTests.editor(app)
            let token = try await editor.csrfToken(on: "/redaktion/materialer/ny")
            _ = try await editor.post("/redaktion/materialer/ny", MaterialEditTests.fields(token, status: "draft"))
            let slug = "zebrafinker-paa-skolebesoeg"
            #expect(try await Self.upload(editor, slug: slug, token: token, fileName: "a.pdf", bytes: Self.pdf).status == .seeOther)
            let href = try #require(try await MaterialQueries.find(slug: slug, visibility: .all, on: app.db)?.versions.last?.url)
            #expect(try await app.get(href).status == .notFound)
            #expect(try await editor.get(href).status == .ok)
        }
    }

    @Test func kindsAreRecognisedByContent() {
        #expect(StoredFileKind.detect(Self.pdf) == .pdf)
        #expect(StoredFileKind.detect([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == .png)
        #expect(StoredFileKind.detect([0xFF, 0xD8, 0xFF, 0xE0]) == .jpeg)
        #expect(StoredFileKind.detect(Array("GIF89a....".utf8)) == .gif)
        #expect(StoredFileKind.detect(Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)) == .webp)
        let odt = [0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 26) + Array("mimetypeapplication/vnd.oasis.opendocument.text".utf8)
        #expect(StoredFileKind.detect(odt) == .odt)
        let docx = [0x50, 0x4B, 0x03, 0x04] + Array("....[Content_Types].xml....word/document.xml".utf8)
        #expect(StoredFileKind.detect(docx) == .docx)
        #expect(StoredFileKind.detect([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]) == nil, "any other zip is refused")
        #expect(StoredFileKind.detect(Array("MZ executable".utf8)) == nil)
        #expect(StoredFileKind.detect([]) == nil)
        #expect(StoredFileKind.safeName("../../etc/passwd.pdf", kind: .pdf) == "passwd.pdf")
        #expect(StoredFileKind.safeName("C:\\Mine\\rapport.exe", kind: .pdf) == "rapport.pdf")
        #expect(StoredFileKind.safeName("Årsrapport 2024.docx", kind: .docx) == "aarsrapport-2024.docx")
    }
}
