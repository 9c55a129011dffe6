@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing

@Suite struct StorageTests {
    /// The plain-SQL loader that search uses gives exactly what the Fluent models give.
    @Test(arguments: TestBackend.all)
    func loadingByIDMatchesTheModels(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            var material = TestContent.material("alle-felter", title: "Alle felter", year: 2021)
            material.credits = Credits(kind: .developed, persons: ["B Person", "A Person"], organisation: "Org")
            material.audiences = ["skoler", "plc"]
            material.topics = ["samarbejde"]
            material.versions = [MaterialVersion(kind: .pixi, label: "Kort", availability: .link, url: "https://example.org/a"), MaterialVersion(kind: .full, availability: .file, fileName: "a.pdf", contentType: "application/pdf")]
            try await MaterialQueries.save(material, now: frozenNow, on: app.db)
            let models = try await MaterialModel.query(on: app.db).with(\.$persons).with(\.$terms).with(\.$versions).all()
            #expect(models.count == 12)
            let loaded = try await MaterialQueries.byID(try models.map { try $0.requireID() }, on: app.db)
            for model in models {
                #expect(loaded[try model.requireID()] == model.domain(), "\(model.slug)")
            }
            #expect(try await MaterialQueries.byID([], on: app.db).isEmpty)
        }
    }

    @Test(arguments: TestBackend.all)
    func saveFindAndReplaceKeepsChildrenInOrder(backend: TestBackend) async throws {
        try await withApp(backend, seed: false) { app in
            try await VocabularyQueries.merge(TestContent.vocabularies, on: app.db)
            var material = TestContent.material("ny", title: "Ny", year: 2020)
            material.credits = Credits(kind: .written, persons: ["B", "A", "C"], organisation: "Org")
            material.versions = [
                MaterialVersion(kind: .pixi, label: "Kort", availability: .unavailable),
                MaterialVersion(kind: .full, availability: .link, url: "https://example.org/fuld.pdf"),
            ]
            try await MaterialQueries.save(material, now: frozenNow, on: app.db)
            let stored = try #require(try await MaterialQueries.find(slug: "ny", on: app.db))
            var expected = material
            expected.createdAt = frozenNow
            expected.updatedAt = frozenNow
            #expect(stored == expected)

            material.credits.persons = ["Z"]
            material.topics = []
            material.versions = []
            let later = frozenNow.addingTimeInterval(60)
            try await MaterialQueries.save(material, now: later, on: app.db)
            let replaced = try #require(try await MaterialQueries.find(slug: "ny", on: app.db))
            #expect(replaced.credits.persons == ["Z"])
            #expect(replaced.topics.isEmpty && replaced.versions.isEmpty)
            #expect(replaced.createdAt == frozenNow)
            #expect(replaced.updatedAt == later)
            #expect(try await MaterialPersonModel.query(on: app.db).count() == 1)
        }
    }

    @Test(arguments: TestBackend.all)
    func filtersSortAndPaginationAgreeOnBothBackends(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            func slugs(_ query: MaterialQuery) async throws -> [String] {
                try await MaterialQueries.page(query, on: app.db).items.map(\.slug)
            }
            #expect(try await MaterialQueries.page(MaterialQuery(), on: app.db).total == 11)
            #expect(try await slugs(MaterialQuery(language: .swedish)) == ["behoever-vi-samarbete-oever-organisationsgraenser"])
            #expect(try await slugs(MaterialQuery(audience: "plc")) == ["plc-saet-aaben-skole-paa-dagsordenen"])
            #expect(try await MaterialQueries.page(MaterialQuery(type: "publikation"), on: app.db).total == 7)
            #expect(try await MaterialQueries.page(MaterialQuery(year: 2016), on: app.db).total == 3)
            #expect(try await MaterialQueries.page(MaterialQuery(theme: "samarbejder-og-partnerskaber"), on: app.db).total == 11)
            let byTitle = try await slugs(MaterialQuery(sort: .title, page: PageRequest(limit: 100)))
            #expect(byTitle.first == "behoever-vi-samarbete-oever-organisationsgraenser")
            #expect(byTitle.last == "skole-virksomhedssamarbejde-med-kommunal-forankring-en-undersoegelse-af-organiseringer-og-erfaringer")
            let newest = try await MaterialQueries.page(MaterialQuery(sort: .newest, page: PageRequest(limit: 100)), on: app.db).items
            #expect(newest.compactMap(\.year) == newest.compactMap(\.year).sorted(by: >))
            let second = try await MaterialQueries.page(MaterialQuery(sort: .title, page: PageRequest(limit: 4, offset: 4)), on: app.db)
            #expect(second.items.map(\.slug) == Array(byTitle[4..<8]))
            #expect(second.total == 11)
        }
    }

    @Test(arguments: TestBackend.all)
    func draftsAreHiddenFromReaders(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            var draft = TestContent.material("kladde", title: "Kladde", year: 2021)
            draft.type = "artikel"
            draft.audiences = ["skoler"]
            draft.topics = []
            draft.status = .draft
            try await MaterialQueries.save(draft, now: frozenNow, on: app.db)
            #expect(try await MaterialQueries.find(slug: "kladde", on: app.db) == nil)
            #expect(try await MaterialQueries.find(slug: "kladde", visibility: .all, on: app.db) != nil)
            #expect(try await MaterialQueries.page(MaterialQuery(), on: app.db).total == 11)
            #expect(try await MaterialQueries.typeCounts(on: app.db)["artikel"] == 1)
        }
    }

    @Test(arguments: TestBackend.all)
    func aMaterialPageReadsItsThemesAndRelatedMaterials(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let material = try await MaterialQueries.require(slug: "fire-typer-af-partnerskaber", on: app.db)
            let page = try #require(try await PublishedReads.material(slug: material.slug, on: app.db))
            #expect(page.material == material, "the index's record holds the material as the tables do")
            #expect(page.themes.map(\.slug) == ["samarbejder-og-partnerskaber"])
            #expect(page.siblings.count == 10, "the theme's other materials")
            let related = try await CatalogueQueries.related(to: page.id, siblings: page.siblings, limit: 4,
                                                             engine: app.samspil.searchEngine, on: app.db)
            #expect(related.count == 4)
            #expect(!related.contains { $0.slug == material.slug })
            let years = related.map { $0.year ?? 0 }
            #expect(years == years.sorted(by: >), "newest first")
            // Without a theme, related means a shared topic.
            let topical = try await CatalogueQueries.related(to: page.id, siblings: [], limit: 50, engine: app.samspil.searchEngine, on: app.db)
            #expect(!topical.isEmpty && topical.allSatisfy { !Set($0.topics).isDisjoint(with: material.topics) })
            #expect(try await PublishedReads.material(slug: "findes-ikke", on: app.db) == nil)

            var draft = material
            draft.status = .draft
            try await MaterialQueries.save(draft, now: frozenNow, on: app.db)
            #expect(try await PublishedReads.material(slug: material.slug, on: app.db) == nil, "drafts are not public")
            let theme = try #require(try await PublishedReads.theme(slug: "samarbejder-og-partnerskaber", on: app.db))
            #expect(theme.theme.materials.contains(material.slug), "the theme still lists it")
            #expect(!theme.materials.contains { $0.slug == material.slug }, "but shows only published materials")
        }
    }

    @Test(arguments: TestBackend.all)
    func termAndYearCounts(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let audiences = try await MaterialQueries.termCounts(.audience, on: app.db)
            #expect(audiences["plc"] == 1)
            #expect(audiences["skoler"] == 11)
            let years = try await MaterialQueries.yearCounts(on: app.db)
            #expect(years.map(\.year) == [2019, 2018, 2017, 2016])
            #expect(years.map(\.count).reduce(0, +) == 11)
        }
    }
}

/// Small fixed content for storage and route tests.
enum TestContent {
    static let vocabularies = Vocabularies(
        materialTypes: [VocabularyTerm(slug: "artikel", label: "Artikel", pluralLabel: "Artikler")],
        audiences: [VocabularyTerm(slug: "skoler", label: "Skoler")],
        topics: [VocabularyTerm(slug: "samarbejde", label: "Samarbejde")]
    )

    static func material(_ slug: String, title: String, year: Int?) -> Material {
        Material(slug: slug, title: title, type: "artikel", teaser: "Om \(title).", body: "Brødtekst om **\(title)**.",
                 credits: Credits(kind: .developed, organisation: "Skoletjenesten"), year: year,
                 audiences: ["skoler"], topics: ["samarbejde"])
    }
}
