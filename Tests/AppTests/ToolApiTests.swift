@testable import App
import Fluent
import Foundation
import SamspilCore
import Testing
import Vapor
import VaporTesting

/// `/api/v1/tools` and `/api/v1/worksheets` on both databases: everyone reads the four seed tools; a school's
/// people start a worksheet and answer its items with their tokens, each answer guarded by its item's revision;
/// an outsider's token finds none of it, and no token is 401. Every answer is checked against the served document.
@Suite struct ToolApiTests {
    typealias Write = WriteApiTests
    typealias Api = PartnershipApiTests

    static let seedTools = ["det-gode-samarbejde", "opstart-skole-virksomhedssamarbejde", "plc-aaben-skole", "roller-og-relationer"]

    @Test(arguments: TestBackend.all)
    func toolsAreReadByEveryoneAndDraftsByEditors(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let api = try await Api.Client(app)
            let list = "/api/v1/tools", one = "/api/v1/tools/{slug}"

            // The seed's four tools, loaded at start, for anyone.
            let listed = try Api.object(try await api.send(.GET, list, list, token: nil))
            let items = try #require(listed["items"] as? [[String: Any]])
            #expect(Set(items.compactMap { $0["slug"] as? String }) == Set(Self.seedTools))
            let summary = try #require(items.first { $0["slug"] as? String == "det-gode-samarbejde" })
            #expect(summary["material"] as? String == "guide-til-det-gode-samarbejde" && summary["version"] as? Int == 1)
            #expect(summary["status"] as? String == "published" && summary["url"] as? String == "http://samspil.test/vaerktoejer/det-gode-samarbejde")
            #expect((summary["audiences"] as? [String])?.contains("skoler") == true)
            for slug in Self.seedTools {
                let read = try await api.send(.GET, "\(list)/\(slug)", one, token: nil)
                #expect(read.status == .ok && read.headers.first(name: .eTag) == "\"1\"", "\(slug)")
                let tool = try Api.object(read)
                let definition = try #require(try await ToolQueries.find(slug: slug, on: app.db)).definition
                #expect(tool["title"] as? String == definition.title && tool["revision"] as? Int == 1)
                let sections = try #require(tool["sections"] as? [[String: Any]])
                #expect(sections.map { $0["id"] as? String } == definition.sections.map(\.id))
                let itemIDs = sections.flatMap { ($0["items"] as? [[String: Any]]) ?? [] }.compactMap { $0["id"] as? String }
                #expect(itemIDs == definition.items.map(\.item.id))
            }
            let scale = try #require((try Api.object(try await api.send(.GET, "\(list)/det-gode-samarbejde", one, token: nil))["sections"] as? [[String: Any]])?
                .flatMap { ($0["items"] as? [[String: Any]]) ?? [] }.first { $0["id"] as? String == "forventning-enige" })
            #expect(scale["kind"] as? String == "skala" && scale["steps"] as? Int == 5 && scale["options"] == nil)
            #expect(try await api.send(.GET, "\(list)/findes-ikke", one, token: nil).status == .notFound)
            #expect(try await api.send(.GET, "\(list)?x=1", list, token: nil).status == .badRequest)
            #expect(try await api.send(.GET, "\(list)/det-gode-samarbejde?x=1", one, token: nil).status == .badRequest)
            #expect(try await api.send(.GET, list, list, token: "samspil_forkert").status == .unauthorized)

            // A draft: only an editor's token sees it, in the list and alone.
            let editorToken = try await Api.member(app, "redaktoer@samspil.dk", "Rie Redaktør", of: nil, as: [], role: .editor)
            let memberToken = try await Api.member(app, "medlem@samspil.dk", "Mie Medlem", of: nil, as: [])
            let editor = try #require(try await AccountQueries.find(email: "redaktoer@samspil.dk", on: app.db)).domain()
            var draft = try #require(try ToolSaving.seedTools().first)
            draft.slug = "nyt-vaerktoej"
            draft.title = "Nyt værktøj"
            _ = try await ToolSaving.create(draft, status: .draft, by: editor, now: frozenNow, on: app.db)
            for token in [nil, memberToken] {
                #expect(try await api.send(.GET, "\(list)/nyt-vaerktoej", one, token: token).status == .notFound)
                let slugs = (try Api.object(try await api.send(.GET, list, list, token: token))["items"] as? [[String: Any]])?.compactMap { $0["slug"] as? String }
                #expect(slugs?.contains("nyt-vaerktoej") == false)
            }
            let seen = try await api.send(.GET, "\(list)/nyt-vaerktoej", one, token: editorToken)
            #expect(try seen.status == .ok && Api.object(seen)["status"] as? String == "draft")
            let all = (try Api.object(try await api.send(.GET, list, list, token: editorToken))["items"] as? [[String: Any]])?.compactMap { $0["slug"] as? String }
            #expect(all?.contains("nyt-vaerktoej") == true && all?.count == 5)
        }
    }

    @Test(arguments: TestBackend.all)
    func aSchoolStartsAndAnswersAWorksheet(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let world = try await PartnershipJourneyTests.world(app)
            let leader = try await Api.member(app, "leder@eksempelskolen.dk", "Lis Leder", of: world.school, as: [.schoolLeader])
            let teacher = try await Api.member(app, "laerer@eksempelskolen.dk", "Tom Lærer", of: world.school, as: [.teacher])
            let curator = try await Api.member(app, "leder@demo-museet.dk", "Mads Museum", of: world.museum, as: [.leader])
            let outsider = try await Api.member(app, "leder@andenskolen.dk", "Olga Udenfor", of: world.other, as: [.schoolLeader])
            let administrator = try await Api.member(app, "admin@samspil.dk", "Ada Admin", of: nil, as: [], role: .administrator)
            let api = try await Client(app)
            let list = "/api/v1/worksheets", one = "/api/v1/worksheets/{id}", answers = "/api/v1/worksheets/{id}/answers/{item}"

            // Starting: refusals first, each as documented.
            let start = #"{"tool": "det-gode-samarbejde", "owner": {"kind": "organisation", "slug": "eksempelskolen"}, "title": " Vores samarbejde "}"#
            let broken = try await api.send(.POST, list, list, token: teacher, json: """
                {"tool": "Det gode", "owner": {"kind": "person", "slug": "eksempelskolen"}, "title": 7, "farve": "blå"}
                """)
            #expect(broken.status == .unprocessableEntity)
            #expect(Set(try Write.problems(broken).keys) == ["tool", "owner.slug", "title", "farve"])
            let noOwner = try await api.send(.POST, list, list, token: teacher, json: #"{"tool": "det-gode-samarbejde", "owner": {"kind": "kommune"}}"#)
            #expect(Set(try Write.problems(noOwner).keys) == ["owner.kind"])
            let missing = try await api.send(.POST, list, list, token: teacher, json: #"{"owner": {"kind": "organisation"}}"#)
            #expect(Set(try Write.problems(missing).keys) == ["tool", "owner.slug"])
            let long = try await api.send(.POST, list, list, token: teacher,
                                          json: #"{"tool": "det-gode-samarbejde", "owner": {"kind": "person"}, "title": "\#(String(repeating: "x", count: 201))"}"#)
            #expect(Set(try Write.problems(long).keys) == ["title"])
            #expect(try await api.send(.POST, list, list, token: teacher, json: "[]").status == .badRequest)
            #expect(try await api.send(.POST, list, list, token: teacher, json: start.replacingOccurrences(of: "det-gode-samarbejde", with: "findes-ikke")).status == .notFound)
            for other in ["demo-museet", "findes-ikke"] {
                let refused = try await api.send(.POST, list, list, token: teacher, json: start.replacingOccurrences(of: "eksempelskolen", with: other))
                #expect(refused.status == .forbidden, "\(other): another's organisation and none at all are answered alike")
            }
            let hiddenPartnership = try await api.send(.POST, list, list, token: teacher,
                                                       json: #"{"tool": "det-gode-samarbejde", "owner": {"kind": "partnerskab", "slug": "findes-ikke"}}"#)
            #expect(hiddenPartnership.status == .forbidden)

            let created = try await api.send(.POST, list, list, token: teacher, json: start)
            #expect(created.status == .created)
            let sheet = try Api.object(created)
            let id = try #require(sheet["id"] as? String)
            let path = "/api/v1/worksheets/\(id)"
            #expect(created.headers.first(name: .location) == path)
            #expect(sheet["title"] as? String == "Vores samarbejde" && sheet["ownerKind"] as? String == "organisation" && sheet["owner"] as? String == "Eksempelskolen")
            #expect(sheet["tool"] as? String == "det-gode-samarbejde" && sheet["toolVersion"] as? Int == 1 && sheet["shared"] as? Bool == false)
            #expect((sheet["progress"] as? [String: Int]) == ["done": 0, "total": 15])
            #expect((sheet["items"] as? [[String: Any]])?.allSatisfy { $0["revision"] as? Int == 0 && $0["answer"] == nil } == true)
            #expect(sheet["url"] as? String == "http://samspil.test/arbejdsark/\(id)")

            // The school's people read it (the API's document is the page's JSON export); the outsider finds nothing.
            let read = try await api.send(.GET, path, one, token: leader)
            #expect(read.status == .ok)
            let uuid = try #require(UUID(uuidString: id))
            let stored = try #require(try await WorksheetQueries.find(id: uuid, on: app.db))
            let definition = try #require(try await ToolQueries.definition(stored.toolID, version: 1, on: app.db))
            let export = WorksheetExport.document(stored, definition: definition, answers: [:], site: app.samspil.site)
            #expect(try read.content.decode(WorksheetExport.Document.self) == export)
            #expect(try await api.send(.GET, path + "?x=1", one, token: leader).status == .badRequest)

            // Answers: the first from revision 0; a second writer from 0 is told (412) and overwrites nothing.
            let reflection = path + "/answers/forventning-hvorfor"
            let first = try await api.send(.PUT, reflection, answers, token: teacher, json: #"{"text": "For elevernes skyld"}"#, ifMatch: "\"0\"")
            #expect(first.status == .ok && first.headers.first(name: .eTag) == "\"1\"")
            let item = try Api.object(first)
            #expect((item["answer"] as? [String: String]) == ["text": "For elevernes skyld"] && item["revision"] as? Int == 1)
            #expect(item["answeredBy"] as? String == "Tom Lærer" && item["section"] as? String == "Forventningsafstemning" && item["kind"] as? String == "refleksion")
            let late = try await api.send(.PUT, reflection, answers, token: leader, json: #"{"text": "For lærernes skyld"}"#, ifMatch: "\"0\"")
            #expect(late.status == .preconditionFailed)
            #expect(try Api.object(late)["detail"] as? String == "Punktet er ændret af en anden, siden du hentede det. Se begge svar, og vælg, hvad der skal stå.")
            #expect(try await api.send(.PUT, reflection, answers, token: leader, json: #"{"text": "For lærernes skyld"}"#, ifMatch: "\"7\"").status == .preconditionFailed)
            #expect(try await api.send(.PUT, reflection, answers, token: leader, json: #"{"text": "x"}"#, ifMatch: "").status == .preconditionFailed)
            #expect(try await WorksheetQueries.answers(stored.id, on: app.db)["forventning-hvorfor"]?.answer.text == "For elevernes skyld")
            let second = try await api.send(.PUT, reflection, answers, token: leader, json: #"{"text": "For alles skyld", "note": null}"#, ifMatch: "W/\"1\"")
            #expect(second.status == .ok && second.headers.first(name: .eTag) == "\"2\"")
            let over = try await api.send(.PUT, reflection, answers, token: teacher, json: #"{"text": "Fordi"}"#)
            #expect(over.status == .ok && over.headers.first(name: .eTag) == "\"3\"", "without If-Match the answer is saved over")
            #expect(try await api.send(.PUT, reflection, answers, token: teacher, json: #"{"text": "Fordi"}"#, ifMatch: "3").status == .badRequest)
            #expect(try await WorksheetQueries.history(stored.id, item: "forventning-hvorfor", on: app.db).map(\.revision) == [1, 2, 3])

            // A checklist item, a scale and a choice; what depends on the item is 422, naming the field.
            let checklist = path + "/answers/forventning-kontakt"
            let done = try await api.send(.PUT, checklist, answers, token: teacher,
                                          json: #"{"status": "faerdig", "responsible": "Lis", "deadline": "2027-03-01", "note": "Aftalt"}"#, ifMatch: "\"0\"")
            #expect(done.status == .ok)
            #expect((try Api.object(done)["answer"] as? [String: String]) == ["status": "faerdig", "responsible": "Lis", "deadline": "2027-03-01", "note": "Aftalt"])
            let badChecklist = try await api.send(.PUT, checklist, answers, token: teacher,
                                                  json: #"{"status": "snart", "deadline": "2027-02-29", "note": "a\u0000b", "farve": "blå", "value": 11}"#)
            #expect(badChecklist.status == .unprocessableEntity)
            #expect(Set(try Write.problems(badChecklist).keys) == ["status", "deadline", "note", "farve", "value"])
            let tooHigh = try await api.send(.PUT, path + "/answers/forventning-enige", answers, token: teacher, json: #"{"value": 6}"#)
            #expect(tooHigh.status == .unprocessableEntity)
            #expect(try Write.problems(tooHigh) == ["value": "Vælg et trin fra 1 til 5."])
            #expect(try await api.send(.PUT, path + "/answers/forventning-enige", answers, token: teacher, json: #"{"value": 4.0}"#).status == .ok)
            let choice = path + "/answers/planlaegning-form"
            let unknownChoice = try await api.send(.PUT, choice, answers, token: teacher, json: #"{"choices": ["Besøg på skolen", "Besøg på månen"]}"#)
            #expect(try Write.problems(unknownChoice) == ["choices": "Vælg blandt punktets muligheder."])
            let twice = try await api.send(.PUT, choice, answers, token: teacher, json: #"{"choices": ["Besøg på skolen", "Besøg på skolen"]}"#)
            #expect(Set(try Write.problems(twice).keys) == ["choices[1]"])
            #expect(try await api.send(.PUT, choice, answers, token: teacher, json: #"{"choices": ["Besøg på skolen", null]}"#).status == .unprocessableEntity)
            let chosen = try await api.send(.PUT, choice, answers, token: teacher, json: #"{"choices": ["Besøg på skolen", "Digitale forløb"]}"#)
            #expect(chosen.status == .ok)
            #expect(try await api.send(.PUT, path + "/answers/findes-ikke", answers, token: teacher, json: "{}").status == .notFound)
            #expect(try await api.send(.PUT, path + "/answers/forventning-hvorfor", answers, token: teacher, json: "[1]").status == .badRequest)

            // The worksheet as it is now.
            let now = try Api.object(try await api.send(.GET, path, one, token: teacher))
            #expect((now["progress"] as? [String: Int]) == ["done": 4, "total": 15])
            let nowItems = try #require(now["items"] as? [[String: Any]])
            #expect(nowItems.first { $0["id"] as? String == "forventning-hvorfor" }?["revision"] as? Int == 3)
            #expect((nowItems.first { $0["id"] as? String == "planlaegning-form" }?["answer"] as? [String: [String]]) == ["choices": ["Besøg på skolen", "Digitale forløb"]])

            // A worksheet of a partnership: its parties' people fill it in together.
            #expect(try await api.send(.POST, "/api/v1/partnerships", "/api/v1/partnerships", token: leader, json: Api.created).status == .created)
            let shared = try await api.send(.POST, list, list, token: curator,
                                            json: #"{"tool": "roller-og-relationer", "owner": {"kind": "partnerskab", "slug": "vikinger-paa-museet"}}"#)
            #expect(shared.status == .created)
            let sharedSheet = try Api.object(shared)
            let sharedPath = "/api/v1/worksheets/\(try #require(sharedSheet["id"] as? String))"
            #expect(sharedSheet["title"] as? String == (try await ToolQueries.find(slug: "roller-og-relationer", on: app.db))?.definition.title, "the tool's title")
            #expect(sharedSheet["ownerKind"] as? String == "partnerskab" && sharedSheet["owner"] as? String == "Vikinger på museet")
            #expect(try await api.send(.PUT, sharedPath + "/answers/foer-laerer", answers, token: teacher, json: #"{"text": "Klar"}"#, ifMatch: "\"0\"").status == .ok)
            #expect(try await api.send(.PUT, sharedPath + "/answers/foer-intro", answers, token: teacher, json: "{}").status == .notFound, "an instruction has no answer")

            // Lists: each person's own worksheets.
            for (token, count) in [(teacher, 2), (leader, 2), (curator, 1), (outsider, 0), (administrator, 0)] {
                let page = try Api.object(try await api.send(.GET, list, list, token: token))
                #expect((page["items"] as? [[String: Any]])?.count == count)
            }
            let mine = try #require((try Api.object(try await api.send(.GET, list, list, token: curator))["items"] as? [[String: Any]])?.first)
            #expect(mine["tool"] as? String == "roller-og-relationer" && (mine["progress"] as? [String: Int])?["done"] == 1)
            #expect(try await api.send(.GET, list + "?tool=x", list, token: teacher).status == .badRequest)

            // Who may not: the administrator reads only; the outsider finds nothing, as if nothing were there; no token is 401.
            #expect(try await api.send(.GET, path, one, token: administrator).status == .ok)
            let reader = try await api.send(.PUT, reflection, answers, token: administrator, json: #"{"text": "Nej"}"#)
            #expect(reader.status == .forbidden)
            let hidden: [(HTTPMethod, String, String, String?)] = [(.GET, path, one, nil), (.PUT, reflection, answers, #"{"text": "Nej"}"#)]
            for (method, url, template, json) in hidden {
                let answer = try await api.send(method, url, template, token: outsider, json: json)
                #expect(answer.status == .notFound, "\(method) \(url)")
                let nothing = try await api.send(method, url.replacingOccurrences(of: id, with: UUID().uuidString), template, token: outsider, json: json)
                #expect(try Api.object(answer)["detail"] as? String == Api.object(nothing)["detail"] as? String, "the same answer as for nothing")
                for token in [nil, "samspil_forkert"] {
                    let anonymous = try await api.send(method, url, template, token: token, json: json)
                    #expect(anonymous.status == .unauthorized, "\(method) \(url)")
                    #expect(anonymous.headers.first(name: .wwwAuthenticate) == "Bearer realm=\"samspil\"")
                }
            }
            #expect(try await api.send(.GET, "/api/v1/worksheets/ikke-et-id", one, token: teacher).status == .notFound)
            for token in [nil, "samspil_forkert"] {
                #expect(try await api.send(.GET, list, list, token: token).status == .unauthorized)
                #expect(try await api.send(.POST, list, list, token: token, json: start).status == .unauthorized)
            }
            #expect(try await WorksheetQueries.answers(stored.id, on: app.db)["forventning-hvorfor"]?.answer.text == "Fordi", "nobody else changed it")
        }
    }

    /// Bodies at the boundaries of `WorksheetAnswerInput`, for a checklist item: saved exactly when the document allows them.
    @Test(arguments: TestBackend.all)
    func answersAtTheDocumentsBoundaries(backend: TestBackend) async throws {
        try await withApp(backend) { app in
            let world = try await PartnershipJourneyTests.world(app)
            let teacher = try await Api.member(app, "laerer@eksempelskolen.dk", "Tom Lærer", of: world.school, as: [.teacher])
            let api = try await Client(app)
            let created = try await api.send(.POST, "/api/v1/worksheets", "/api/v1/worksheets", token: teacher,
                                             json: #"{"tool": "det-gode-samarbejde", "owner": {"kind": "person"}}"#)
            let id = try #require(try Api.object(created)["id"] as? String)
            let path = "/api/v1/worksheets/\(id)/answers/forventning-kontakt"
            let combining = String(repeating: "e\u{301}", count: 100)  // 200 code points, 100 characters
            let choices = (1...21).map { "\"valg \($0)\"" }
            let cases: [(String, String, Bool)] = [
                ("empty", "{}", true),
                ("every member null", #"{"text": null, "status": null, "responsible": null, "deadline": null, "note": null, "value": null, "choices": null}"#, true),
                ("responsible of 200 code points", #"{"responsible": "\#(combining)"}"#, true),
                ("responsible of 201 code points in 101 characters", #"{"responsible": "\#(combining)e"}"#, false),
                ("responsible with U+0000", #"{"responsible": "a\u0000"}"#, false),
                ("text with U+0000 on a checklist item", #"{"text": "\u0000"}"#, false),
                ("note of 20000 characters", #"{"note": "\#(String(repeating: "n", count: 20_000))"}"#, true),
                ("note of 20001 characters", #"{"note": "\#(String(repeating: "n", count: 20_001))"}"#, false),
                ("an empty deadline", #"{"deadline": ""}"#, true),
                ("a leap day", #"{"deadline": "2028-02-29"}"#, true),
                ("no leap day", #"{"deadline": "2027-02-29"}"#, false),
                ("a deadline with a sign", #"{"deadline": "+202-01-01"}"#, false),
                ("a deadline with a time", #"{"deadline": "2027-03-01T10:00:00Z"}"#, false),
                ("every status", #"{"status": "ikke-relevant"}"#, true),
                ("an unknown status", #"{"status": "Færdig"}"#, false),
                ("a step", #"{"value": 10}"#, true),
                ("step 0", #"{"value": 0}"#, false),
                ("step 11", #"{"value": 11}"#, false),
                ("step 2.0", #"{"value": 2.0}"#, true),
                ("step 2.5", #"{"value": 2.5}"#, false),
                ("step as text", #"{"value": "2"}"#, false),
                ("no choices", #"{"choices": []}"#, true),
                ("a choice twice", #"{"choices": ["a", "a"]}"#, false),
                ("20 choices", "{\"choices\": [" + choices.prefix(20).joined(separator: ", ") + "]}", true),
                ("21 choices", "{\"choices\": [" + choices.joined(separator: ", ") + "]}", false),
                ("a null choice", #"{"choices": [null]}"#, false),
                ("text as a number", #"{"text": 1}"#, false),
                ("an unknown member", #"{"farve": null}"#, false),
            ]
            let document = try await OpenAPITests.document(app)
            let validator = SchemaValidator(document: document)
            let schema: [String: Any] = ["$ref": "#/components/schemas/WorksheetAnswerInput"]
            for (name, json, allowed) in cases {
                // The test's validator knows no `maxItems`: it checks the rest of the document here.
                let problems = validator.problems(try JSONSerialization.jsonObject(with: Data(json.utf8)), schema)
                if !problems.contains(where: { $0.contains("unsupported") }) { #expect(problems.isEmpty == allowed, "\(name): \(problems)") }
                let response = try await api.send(.PUT, path, "/api/v1/worksheets/{id}/answers/{item}", token: teacher, json: json)
                #expect(response.status == (allowed ? .ok : .unprocessableEntity), "\(name): \(response.status) \(response.text.prefix(300))")
            }
        }
    }

    typealias Client = Api.Client
}
