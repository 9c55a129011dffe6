import Testing
@testable import SamspilCore

@Suite struct AccountTests {
    @Test func addressesAreTrimmedAndLowercased() {
        #expect(EmailAddress.normalise("  Anna.Berg@Skole.DK \n") == "anna.berg@skole.dk")
    }

    @Test(arguments: ["anna@skole.dk", "a.b+c@sub.kommune.dk", "æble@skole.dk"])
    func goodAddresses(email: String) {
        #expect(EmailAddress.problems(email).isEmpty)
    }

    @Test(arguments: ["", "anna", "anna@", "@skole.dk", "anna@skole", "anna@@skole.dk", "an na@skole.dk", "anna@.dk",
                      "anna@skole.dk.", "anna\u{0}@skole.dk", String(repeating: "a", count: 250) + "@x.dk"])
    func badAddresses(email: String) {
        let problems = EmailAddress.problems(email)
        #expect(problems.count == 1)
        #expect(problems.first?.field == "email")
    }

    @Test func passwordLengthIsCountedInCharacters() {
        let common: Set<String> = []
        #expect(PasswordPolicy.problems("1234567", common: common).first?.message == "Skriv en adgangskode med mindst 8 tegn.")
        #expect(PasswordPolicy.problems("hest-ko8", common: common).isEmpty)
        #expect(PasswordPolicy.problems("æøåæøåæø", common: common).isEmpty)
        #expect(!PasswordPolicy.problems("æøåæøåæ", common: common).isEmpty)
        #expect(PasswordPolicy.problems(String(repeating: "x", count: 128), common: common).isEmpty)
        #expect(PasswordPolicy.problems(String(repeating: "x", count: 129), common: common).first?.message == "Gør adgangskoden kortere: den må højst have 128 tegn.")
    }

    @Test func commonPasswordsAreRefusedWhateverTheirCase() {
        let common: Set<String> = ["password1", "sommer2026"]
        #expect(PasswordPolicy.problems("Password1", common: common).first?.message.contains("for almindelig") == true)
        #expect(PasswordPolicy.problems("SOMMER2026", common: common).count == 1)
        #expect(PasswordPolicy.problems("sommer i haven 2026", common: common).isEmpty)
    }

    @Test func noCompositionRules() {
        // Only letters, only digits, only spaces: length and commonness are the only rules.
        for password in ["abcdefghij", "9081726354", "          ", "lang sætning uden tal"] {
            #expect(PasswordPolicy.problems(password, common: []).isEmpty, "\(password)")
        }
    }

    @Test func administratorsIncludeEditors() {
        #expect(Role.administrator.includes(.editor))
        #expect(Role.administrator.includes(.administrator))
        #expect(!Role.editor.includes(.administrator))
        #expect(Role.editor.includes(.editor))
    }
}
