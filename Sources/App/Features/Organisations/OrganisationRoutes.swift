import Vapor

/// The routes of organisations and municipalities (pages, exports, API), registered from `Routes`.
enum OrganisationRoutes {
    static func register(on app: Application) {
        let slug = SitePath.slugPlaceholder
        app.get(SitePath.directory(.list).pattern, use: OrganisationPages.directory)
        app.get(SitePath.directory(.csv).pattern, use: OrganisationPages.exportCSV)
        app.get(SitePath.directory(.json).pattern, use: OrganisationPages.exportJSON)
        app.get(SitePath.directory(.municipalities).pattern, use: OrganisationPages.municipalities)
        app.get(SitePath.directory(.municipality(slug)).pattern, use: OrganisationPages.municipality)
        // Logged in (any account); `Permissions` decides the rest in each handler. Registered before the
        // profile, whose slug parameter would otherwise take "ny" and "godkendelse".
        let accounts = app.grouped(RequireAccount())
        accounts.get(SitePath.directory(.new).pattern, use: OrganisationForms.new)
        accounts.post(SitePath.directory(.new).pattern, use: OrganisationForms.create)
        accounts.get(SitePath.directory(.pending).pattern, use: OrganisationForms.pending)
        accounts.get(SitePath.directory(.edit(slug)).pattern, use: OrganisationForms.edit)
        accounts.post(SitePath.directory(.edit(slug)).pattern, use: OrganisationForms.update)
        accounts.post(SitePath.directory(.approve(slug)).pattern, use: OrganisationForms.approve)
        accounts.get(SitePath.directory(.importFile).pattern, use: OrganisationImportPage.show)
        accounts.on(.POST, SitePath.directory(.importFile).pattern,
                    body: .collect(maxSize: ByteCount(value: app.samspil.settings.uploadMaxMegabytes * 1_048_576 + 65_536)),
                    use: OrganisationImportPage.upload)
        app.get(SitePath.directory(.organisation(slug)).pattern, use: OrganisationPages.profile)
        // API
        app.get(SitePath.api(.organisations).pattern, use: OrganisationApi.list)
        app.get(SitePath.api(.organisation(slug)).pattern, use: OrganisationApi.get)
        app.get(SitePath.api(.municipalities).pattern, use: OrganisationApi.municipalities)
        // Any account's token (deny by default: no token, 401); `Permissions` decides in `OrganisationSaving`.
        app.grouped(RequireApiToken(role: .editor))
            .on(.PATCH, SitePath.api(.organisation(slug)).pattern, body: .collect(maxSize: "1mb"), use: OrganisationApi.patch)
    }
}
