@testable import App
import Foundation
import SamspilCore
import Testing

/// The membership pages rendered from fixed view models (see `SnapshotTests`).
@Suite struct MembershipSnapshotTests {
    static let site = SnapshotTests.site
    static let (anne, frida) = (UUID(uuidString: "00000000-0000-0000-0000-0000000000a1")!, UUID(uuidString: "00000000-0000-0000-0000-0000000000f1")!)

    /// An administrator's members page: a request waiting, two people, and the invitation form after a mistyped address.
    @Test func membersPageWithARequestAndARefusedInvitation() throws {
        var model = MembersView.Model(
            slug: "demo-museet", name: "Demo-museet", kind: .learningEnvironment,
            members: [MembershipQueries.Member(userID: Self.anne, email: "anne@demo-museet.example", name: "Anne Kurator", role: .administrator, since: frozenNow),
                      MembershipQueries.Member(userID: Self.anne, email: "anne@demo-museet.example", name: "Anne Kurator", role: .leader, since: frozenNow),
                      MembershipQueries.Member(userID: Self.frida, email: "frida@demo-museet.example", name: "Frida Formidler", role: .educator, since: frozenNow)],
            requests: [MembershipSaving.OpenRequest(id: UUID(uuidString: "00000000-0000-0000-0000-00000000000e")!, name: "Ole Udenfor",
                                                   email: "ole@example.dk", role: .educator, message: "Jeg underviser i naturfag.", at: frozenNow)],
            manages: true, decides: true, me: Self.anne, csrf: "fixed-token", notice: nil)
        model.invitation = (email: "frida@", role: "formidler",
                            errors: [FieldProblem(field: "email", message: "Skriv en gyldig e-mailadresse, fx navn@skole.dk.")])
        try Snapshot.assert(MembersView.render(model, site: Self.site), named: "members-page.html")
    }

    @Test func joinPage() throws {
        let model = JoinView.Model(slug: "eksempelskolen", name: "Eksempelskolen", kind: .school, form: MembershipPages.Form(), errors: [],
                                   sent: false, csrf: "fixed-token")
        try Snapshot.assert(JoinView.render(model, site: Self.site), named: "join-page.html")
    }
}
