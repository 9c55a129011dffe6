import Vapor

/// Every route of the application, in one place. Paths come from `SitePath`.
enum Routes {
    static func register(on app: Application) {
        let slug = SitePath.slugPlaceholder
        // Pages
        app.get(SitePath.home.pattern, use: HomePage.handle)
        app.get(SitePath.themes.pattern, use: ThemeIndex.handle)
        app.get(SitePath.theme(slug).pattern, use: ThemeShow.handle)
        app.get(SitePath.themeFeed(slug).pattern, use: AtomFeed.theme)
        app.get(SitePath.materials.pattern, use: MaterialListing.handler(.all))
        app.get(SitePath.material(slug).pattern, use: MaterialShow.handle)
        app.get(SitePath.types.pattern, use: ListingIndex.handler(.type))
        app.get(SitePath.type(slug).pattern, use: MaterialListing.handler(.type))
        app.get(SitePath.audiences.pattern, use: ListingIndex.handler(.audience))
        app.get(SitePath.audience(slug).pattern, use: MaterialListing.handler(.audience))
        app.get(SitePath.topics.pattern, use: ListingIndex.handler(.topic))
        app.get(SitePath.topic(slug).pattern, use: MaterialListing.handler(.topic))
        app.get(SitePath.years.pattern, use: ListingIndex.handler(.year))
        app.get(SitePath.year(slug).pattern, use: MaterialListing.handler(.year))
        app.get(SitePath.search.pattern, use: SearchPage.handle)
        app.get(SitePath.login.pattern, use: LoginPage.show)
        app.post(SitePath.login.pattern, use: LoginPage.submit)
        app.post(SitePath.logout.pattern, use: LoginPage.logout)
        app.get(SitePath.forgotPassword.pattern, use: PasswordResetPages.showRequest)
        app.post(SitePath.forgotPassword.pattern, use: PasswordResetPages.submitRequest)
        app.get(SitePath.resetPassword.pattern, use: PasswordResetPages.showReset)
        app.post(SitePath.resetPassword.pattern, use: PasswordResetPages.submitReset)
        // Editors and administrators only (deny by default: every route added here needs the role).
        let editors = app.grouped(RequireRole(role: .editor))
        editors.get(SitePath.editorHome.pattern, use: EditorHome.show)
        editors.get(SitePath.myData.pattern, use: PersonalData.show)
        editors.get(SitePath.myDataDownload.pattern, use: PersonalData.download)
        editors.get(SitePath.editMaterials.pattern, use: MaterialEdit.index)
        editors.get(SitePath.newMaterial.pattern, use: MaterialEdit.new)
        editors.post(SitePath.newMaterial.pattern, use: MaterialEdit.create)
        editors.get(SitePath.editMaterial(slug).pattern, use: MaterialEdit.edit)
        editors.post(SitePath.editMaterial(slug).pattern, use: MaterialEdit.update)
        editors.post(SitePath.deleteMaterial(slug).pattern, use: MaterialEdit.delete)
        editors.get(SitePath.previewMaterial(slug).pattern, use: MaterialEdit.preview)
        editors.on(.POST, SitePath.uploadVersion(slug).pattern,
                   body: .collect(maxSize: ByteCount(value: app.samspil.settings.uploadMaxMegabytes * 1_048_576 + 65_536)),
                   use: VersionUpload.upload)
        app.get(SitePath.file(":file", ":name").pattern, use: VersionUpload.download)
        let administrators = app.grouped(RequireRole(role: .administrator))
        administrators.get(SitePath.users.pattern, use: UserIndex.show)
        administrators.get(SitePath.newUser.pattern, use: UserAdmin.new)
        administrators.post(SitePath.newUser.pattern, use: UserAdmin.create)
        administrators.get(SitePath.auditLog.pattern, use: AuditLog.show)
        administrators.post(SitePath.deleteUser.pattern, use: PersonalData.deleteUser)
        administrators.post(SitePath.disableUser.pattern, use: UserAdmin.setDisabled(true))
        administrators.post(SitePath.enableUser.pattern, use: UserAdmin.setDisabled(false))
        app.get(SitePath.accessibility.pattern, use: StaticPages.accessibility)
        app.get(SitePath.privacy.pattern, use: StaticPages.privacy)
        // Feeds, metadata, assets, operations
        app.get(SitePath.feed.pattern, use: AtomFeed.all)
        app.get(SitePath.sitemap.pattern, use: SiteMapFile.sitemap)
        app.get(SitePath.robots.pattern, use: SiteMapFile.robots)
        app.get(SitePath.stylesheet.pattern, use: Stylesheets.handler("samspil.css"))
        app.get(SitePath.printStylesheet.pattern, use: Stylesheets.handler("print.css"))
        app.get(SitePath.health.pattern, use: Health.live)
        app.get(SitePath.ready.pattern, use: Health.ready)
        // API
        app.get(SitePath.api(.materials).pattern, use: ApiController.listMaterials)
        app.get(SitePath.api(.material(slug)).pattern, use: ApiController.getMaterial)
        app.get(SitePath.api(.themes).pattern, use: ApiController.listThemes)
        app.get(SitePath.api(.theme(slug)).pattern, use: ApiController.getTheme)
        app.get(SitePath.api(.vocabularies).pattern, use: ApiController.vocabularies)
        app.get(SitePath.api(.search).pattern, use: ApiController.search)
        app.get(SitePath.api(.openAPI).pattern, use: ApiController.openAPI)
    }
}
