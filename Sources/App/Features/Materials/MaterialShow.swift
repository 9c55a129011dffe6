import Foundation
import SamspilCore
import Vapor

/// The material page: all metadata, its versions, related materials, and JSON-LD.
struct MaterialShowModel: Sendable {
    struct VersionRow: Sendable, Equatable {
        var label: String
        var kindLabel: String
        /// `nil` when the version is not available yet.
        var href: String?
        var note: String?
    }

    struct MetadataRow: Sendable, Equatable {
        var label: String
        var value: String
        var href: String?
    }

    var slug: String
    var card: MaterialCardModel
    var bodyHTML: String
    var language: SamspilCore.Language
    var metadata: [MetadataRow]
    var versions: [VersionRow]
    /// No body text and no version that can be opened: the page says so instead of looking empty.
    var isOnlyAnnounced: Bool
    var audiences: [(label: String, href: String)]
    var topics: [(label: String, href: String)]
    var themes: [(label: String, href: String)]
    var related: [MaterialCardModel]
    var jsonLD: String
    var canonical: String
    /// An editor's preview (any status): a banner says so, and the page names no canonical address.
    var isPreview = false
    /// The published tool made from the material (issue 14): "Brug værktøjet" leads to it.
    var tool: (slug: String, title: String)?

    init(material: Material, vocabularies: Vocabularies, themes: [Theme], related: [Material], site: SiteInfo) {
        slug = material.slug
        card = MaterialCardModel(material, vocabularies: vocabularies)
        bodyHTML = Markdown.html(material.body)
        language = material.language
        canonical = SitePath.material(material.slug).href
        var rows: [MetadataRow] = [
            MetadataRow(label: "Type", value: vocabularies.label(material.type, in: .materialType), href: SitePath.type(material.type).href),
        ]
        if let genre = material.genre { rows.append(MetadataRow(label: "Genre", value: genre.label)) }
        if !material.credits.persons.isEmpty {
            rows.append(MetadataRow(label: material.credits.kind == .written ? "Skrevet af" : "Udviklet af", value: material.credits.personList))
        }
        if let organisation = material.credits.organisation {
            rows.append(MetadataRow(label: "Udgiver", value: organisation))
        }
        if let year = material.year { rows.append(MetadataRow(label: "År", value: String(year), href: SitePath.year(String(year)).href)) }
        rows.append(MetadataRow(label: "Sprog", value: material.language.label))
        if let minutes = material.effectiveReadingMinutes {
            rows.append(MetadataRow(label: "Læsetid", value: "\(minutes) min."))
        }
        metadata = rows
        versions = material.versions.map { version in
            switch version.availability {
            case .link:
                VersionRow(label: version.displayLabel, kindLabel: version.kind.label, href: version.url, note: nil)
            case .file where version.url?.hasPrefix("/filer/") == true:
                VersionRow(label: version.displayLabel, kindLabel: version.kind.label, href: version.url,
                           note: StoredFileKind(contentType: version.contentType ?? "")?.label)
            case .file:
                VersionRow(label: version.displayLabel, kindLabel: version.kind.label, href: nil, note: "Filen er registreret, men kan endnu ikke hentes her.")
            case .unavailable:
                VersionRow(label: version.displayLabel, kindLabel: version.kind.label, href: nil, note: "Ikke tilgængelig endnu")
            }
        }
        isOnlyAnnounced = material.body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            && !material.versions.contains { $0.availability == .link || ($0.availability == .file && $0.url != nil) }
        audiences = material.audiences.map { (vocabularies.label($0, in: .audience), SitePath.audience($0).href) }
        topics = material.topics.map { (vocabularies.label($0, in: .topic), SitePath.topic($0).href) }
        self.themes = themes.map { ($0.title, SitePath.theme($0.slug).href) }
        self.related = related.map { MaterialCardModel($0, vocabularies: vocabularies) }
        jsonLD = MaterialJSONLD.make(material, vocabularies: vocabularies, url: site.absolute(canonical))
    }
}

enum MaterialShow {
    static func handle(_ req: Request) async throws -> Response {
        let slug = req.parameters.get(SitePath.slug) ?? ""
        guard let page = try await PublishedReads.material(slug: slug, on: req.db) else {
            throw SamspilError.notFound("Materialet \"\(slug)\" findes ikke.")
        }
        let context = req.application.samspil
        let related = try await CatalogueQueries.related(to: page.id, siblings: page.siblings, limit: 4, engine: context.searchEngine, on: req.db)
        let vocabularies = try await context.vocabularies.vocabularies(at: page.vocabularyRevision, on: req.db)
        var model = MaterialShowModel(material: page.material, vocabularies: vocabularies, themes: page.themes, related: related, site: req.site)
        if let publisher = page.publisher {
            model.metadata.insert(.init(label: "Organisation", value: publisher.name, href: SitePath.directory(.organisation(publisher.slug)).href),
                                  at: min(model.metadata.count, model.metadata.firstIndex { $0.label == "Udgiver" }.map { $0 + 1 } ?? 2))
        }
        model.tool = page.tool
        return PageLayout.publicPage(render(model, site: req.site))
    }

    static func render(_ model: MaterialShowModel, site: SiteInfo) -> HTMLOutput {
        let lang = model.language == .danish ? nil : model.language.rawValue
        let meta = PageMeta(
            title: model.card.title,
            description: model.card.teaser,
            canonical: model.isPreview ? nil : model.canonical,
            breadcrumbs: [.init(label: "Forside", href: SitePath.home.href), .init(label: "Materialer", href: SitePath.materials.href)],
            currentCrumb: model.card.title,
            nav: .materials,
            jsonLD: model.jsonLD
        )
        return PageLayout.page(meta, site: site) {
            if model.isPreview {
                Tag("div", [("class", "alert alert-warning"), ("role", "status")]) {
                    Paragraph {
                        Text("Forhåndsvisning: sådan ser materialet ud for læserne, når det er udgivet. ")
                        SafeLink(text: "Tilbage til redigering", href: SitePath.editMaterial(model.slug).href)
                    }
                }
            }
            Article {
                Header {
                    Paragraph(model.card.typeLabel).class("material-type")
                    Tag("h1", lang.map { [("lang", $0)] } ?? []) {
                        if let genre = model.card.genreLabel {
                            Span("\(genre):").class("genre")
                            Text(" ")
                        }
                        Text(model.card.title)
                    }
                    Tag("p", [("class", "lead")] + (lang.map { [("lang", $0)] } ?? []), text: model.card.teaser)
                    if let credit = model.card.creditLine {
                        Paragraph(credit).class("credit-line")
                    }
                }.class("material-header")
                if !model.bodyHTML.isEmpty {
                    Tag("div", [("class", "material-body prose")] + (lang.map { [("lang", $0)] } ?? [])) {
                        RawHTML(model.bodyHTML)
                    }
                }
                if model.isOnlyAnnounced {
                    Div {
                        Paragraph {
                            Text("Materialet kan endnu ikke læses eller hentes her. Skriv til ")
                            SafeLink(text: site.contactEmail, href: "mailto:\(site.contactEmail)")
                            Text(", hvis du vil have det tilsendt.")
                        }
                    }.class("alert alert-info")
                }
                if let tool = model.tool {
                    Tag("section", [("class", "use-tool alert alert-info"), ("aria-labelledby", "tool-heading")]) {
                        H2("Brug værktøjet").id("tool-heading")
                        Paragraph("Udfyld materialet som et arbejdsark sammen med jeres partnerskab eller organisation, og vend tilbage til svarene.")
                        Paragraph { SafeLink(text: "Brug værktøjet: \(tool.title)", href: SitePath.tool(.show(tool.slug)).href) }
                    }
                }
                if !model.versions.isEmpty {
                    Tag("section", [("class", "versions"), ("aria-labelledby", "versions-heading")]) {
                        H2("Hent materialet").id("versions-heading")
                        List(model.versions.indices) { index in
                            VersionItem(version: model.versions[index])
                        }.class("version-list")
                    }
                }
                                Tag("section", [("class", "metadata"), ("aria-labelledby", "metadata-heading")]) {
                    H2("Om materialet").id("metadata-heading")
                    Tag("dl", [("class", "metadata-list")]) {
                        for row in model.metadata {
                            Div {
                                Tag("dt", text: row.label)
                                Tag("dd") {
                                    if let href = row.href { SafeLink(text: row.value, href: href) } else { Text(row.value) }
                                }
                            }.class("metadata-row")
                        }
                        if !model.audiences.isEmpty {
                            Div {
                                Tag("dt", text: "Målgrupper")
                                Tag("dd") { TagLinks(links: model.audiences) }
                            }.class("metadata-row")
                        }
                        if !model.topics.isEmpty {
                            Div {
                                Tag("dt", text: "Emner")
                                Tag("dd") { TagLinks(links: model.topics) }
                            }.class("metadata-row")
                        }
                        if !model.themes.isEmpty {
                            Div {
                                Tag("dt", text: "Temaer")
                                Tag("dd") { TagLinks(links: model.themes) }
                            }.class("metadata-row")
                        }
                    }
                }
                if !model.related.isEmpty {
                    Tag("section", [("class", "related"), ("aria-labelledby", "related-heading")]) {
                        H2("Relaterede materialer").id("related-heading")
                        MaterialList(cards: model.related, headingLevel: 3, compact: true)
                    }
                }
                // Only on paper (print.css): where the printout came from. The screen has the address bar.
                Paragraph("Materialets adresse: \(site.absolute(model.canonical))").class("print-only print-address")
            }.class("material")
        }
    }
}

struct VersionItem: Component {
    var version: MaterialShowModel.VersionRow

    var body: Component {
        ListItem {
            Span(version.label).class("version-kind")
            Text(" ")
            if let href = version.href {
                SafeLink(text: "Åbn \(DanishText.midSentence(version.kindLabel))", href: href, attributes: [("class", "button button-secondary")])
            } else {
                Span(version.note ?? "").class("status-note")
            }
        }.class(version.href == nil ? "version version-unavailable" : "version")
    }
}

/// schema.org metadata for a material page, in the order of its keys' names. Written with `JSONWriter`:
/// `JSONSerialization` of the same dictionary was a fifth of a material page's time (bench/pages).
enum MaterialJSONLD {
    static func make(_ material: Material, vocabularies: Vocabularies, url: String) -> String {
        let json = JSONWriter()
        func organisation(_ name: String) {
            json.object {
                json.field("@type", "Organization")
                json.field("name", name)
            }
        }
        json.object {
            json.field("@context", "https://schema.org")
            json.field("@type", ["LearningResource", "CreativeWork"])
            if !material.audiences.isEmpty {
                json.key("audience")
                json.array(material.audiences) { audience in
                    json.object {
                        json.field("@type", "Audience")
                        json.field("audienceType", vocabularies.label(audience, in: .audience))
                    }
                }
            }
            if !material.credits.persons.isEmpty {
                json.key("author")
                json.array(material.credits.persons) { person in
                    json.object {
                        json.field("@type", "Person")
                        json.field("name", person)
                    }
                }
            } else if let name = material.credits.organisation {
                json.key("author")
                json.array([name], organisation)
            }
            json.field("datePublished", material.year.map(String.init))
            json.field("description", material.teaser)
            json.field("genre", material.genre?.label)
            json.field("headline", material.title)
            json.field("inLanguage", material.language.rawValue)
            if !material.topics.isEmpty {
                json.field("keywords", material.topics.map { vocabularies.label($0, in: .topic) }.joined(separator: ", "))
            }
            json.field("learningResourceType", vocabularies.label(material.type, in: .materialType))
            json.field("name", material.displayTitle)
            if let name = material.credits.organisation {
                json.key("publisher")
                organisation(name)
            }
            json.field("timeRequired", material.effectiveReadingMinutes.map { "PT\($0)M" })
            json.field("url", url)
        }
        return String(decoding: json.bytes, as: UTF8.self)
    }
}
