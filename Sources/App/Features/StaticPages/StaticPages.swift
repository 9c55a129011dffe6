import Vapor

/// The accessibility statement and the privacy and cookie page.
enum StaticPages {
    static func accessibility(_ req: Request) async throws -> Response {
        let site = req.site
        let meta = PageMeta(title: "Tilgængelighedserklæring", description: "Hvordan Samspil lever op til webtilgængelighedsloven.",
                            canonical: SitePath.accessibility.href, breadcrumbs: [.init(label: "Forside", href: SitePath.home.href)],
                            currentCrumb: "Tilgængelighedserklæring")
        return PageLayout.publicPage(PageLayout.page(meta, site: site) {
            H1("Tilgængelighedserklæring")
            Div {
                Paragraph("Samspil skal kunne bruges af alle. Løsningen er bygget efter WCAG 2.1 niveau AA, som webtilgængelighedsloven kræver af offentlige digitale løsninger.")
                H2("Sådan arbejder vi med tilgængelighed")
                List {
                    ListItem("Alle sider virker uden JavaScript og kan betjenes med tastatur alene.")
                    ListItem("Siderne har overskrifter, landmærker og brødkrummer, så de kan læses med skærmlæser.")
                    ListItem("Tekst og knapper har mindst den kontrast, WCAG 2.1 AA kræver.")
                    ListItem("Tekst på svensk og engelsk er markeret med sit sprog, så skærmlæsere udtaler den rigtigt.")
                    ListItem("Hver ændring testes automatisk med axe-core i en browser.")
                }
                H2("Kendte begrænsninger")
                Paragraph("Nogle materialer er PDF-filer fra samarbejdspartnere, som vi ikke selv har fremstillet. De kan have mangler i tilgængeligheden. Kontakt os, hvis du har brug for et materiale i en anden form.")
                H2("Kontakt")
                Paragraph {
                    Text("Oplever du problemer med tilgængeligheden, så skriv til ")
                    SafeLink(text: site.contactEmail, href: "mailto:\(site.contactEmail)")
                    Text(". Du kan også klage til Digitaliseringsstyrelsen, som fører tilsyn med webtilgængelighed.")
                }
            }.class("prose")
        })
    }

    static func privacy(_ req: Request) async throws -> Response {
        let site = req.site
        let meta = PageMeta(title: "Privatliv og cookies", description: "Hvilke oplysninger Samspil gemmer, og hvilke cookies siden bruger.",
                            canonical: SitePath.privacy.href, breadcrumbs: [.init(label: "Forside", href: SitePath.home.href)],
                            currentCrumb: "Privatliv og cookies")
        return PageLayout.publicPage(PageLayout.page(meta, site: site) {
            H1("Privatliv og cookies")
            Div {
                H2("Cookies")
                Paragraph("Samspil sætter ingen cookies, når du læser materialerne. Vi bruger ingen statistik- eller markedsføringscookies og henter intet fra tredjepart. Derfor spørger vi heller ikke om samtykke.")
                Paragraph("Kun redaktører, der logger ind, får to nødvendige cookies: en, der beskytter loginformularen mod forfalskede indsendelser (samspil-csrf), og en, der holder dem logget ind (samspil-session). Login-cookien slettes, når de logger ud, og holder op med at virke efter 30 minutter uden brug og senest 12 timer efter login.")
                H2("Oplysninger, vi gemmer")
                Paragraph("Serveren skriver en teknisk log over forespørgsler (tidspunkt, adresse på siden og svarkode) for at kunne rette fejl og holde tjenesten sikker. Loggen gemmes kortest muligt og deles ikke med andre.")
                Paragraph("Navne på forfattere vises på materialerne, fordi de er krediteret for deres arbejde.")
                H2("Dine rettigheder")
                Paragraph {
                    Text("Du har ret til indsigt i, berigtigelse og sletning af oplysninger om dig. Skriv til ")
                    SafeLink(text: site.contactEmail, href: "mailto:\(site.contactEmail)")
                    Text(". Du kan klage til Datatilsynet.")
                }
            }.class("prose")
        })
    }
}
