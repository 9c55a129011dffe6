import Foundation
import Testing
@testable import SamspilCore

@Suite struct MarkdownTests {
    @Test func paragraphsHeadingsAndLists() {
        let html = Markdown.html("# Overskrift\n\nFørste linje\nanden linje\n\n- et\n- to\n\n1. a\n2. b")
        #expect(html == "<h2>Overskrift</h2>\n<p>Første linje anden linje</p>\n<ul><li>et</li><li>to</li></ul>\n<ol><li>a</li><li>b</li></ol>")
    }

    @Test func inlineMarkup() {
        #expect(Markdown.html("**fed** og *kursiv* og `kode`") == "<p><strong>fed</strong> og <em>kursiv</em> og <code>kode</code></p>")
        #expect(Markdown.html("[Læs mere](https://example.org/a?b=1&c=2)") == "<p><a href=\"https://example.org/a?b=1&amp;c=2\">Læs mere</a></p>")
    }

    @Test func rawHTMLIsEscaped() {
        let html = Markdown.html("<script>alert(1)</script> <img src=x onerror=alert(1)>")
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(html.contains("&lt;script&gt;"))
    }

    /// A link to anything but the web, mail or this site shows its text alone: nothing of the address is left,
    /// however many parentheses it holds.
    @Test(arguments: [
        "javascript:alert(1)", "JAVASCRIPT:alert(1)", "javascript:alert((1))", "javascript:alert(document.cookie)",
        "data:text/html,x", "data:text/html,(x)", "//evil.example", "vbscript:x", "vbscript:msgbox(1)", " javascript:alert(1) ",
    ])
    func unsafeLinksBecomeText(url: String) {
        #expect(Markdown.html("[klik](\(url))") == "<p>klik</p>")
        #expect(Markdown.html("Før [klik](\(url)) efter.") == "<p>Før klik efter.</p>")
    }

    @Test func addressesWithBalancedParenthesesStayWhole() {
        #expect(Markdown.html("[Skole](https://da.wikipedia.org/wiki/Skole_(uddannelse)) og mere")
            == "<p><a href=\"https://da.wikipedia.org/wiki/Skole_(uddannelse)\">Skole</a> og mere</p>")
        #expect(Markdown.html("([a](https://a.dk/x) og [b](/b))") == "<p>(<a href=\"https://a.dk/x\">a</a> og <a href=\"/b\">b</a>)</p>")
        // Unbalanced: no link, the text as typed.
        #expect(Markdown.html("[a](https://a.dk/(x)") == "<p>[a](https://a.dk/(x)</p>")
    }

    @Test func quotesInLinkCannotBreakTheAttribute() {
        let html = Markdown.html("[x](https://a.dk/\"onmouseover=\"alert(1))")
        #expect(!html.contains("\"onmouseover"))
        #expect(html.contains("&quot;onmouseover"))
    }

    /// Plain text removes the marks "**", "`", "#" and "> " in that order, as four successive replacements would.
    @Test(arguments: [
        "# Overskrift\n\n**Fed** og `kode` > citat", "*`*", "***", ">> > x", "#> y", "æøå **ÆØÅ** ä ö", "", "ingen mærker",
        "> `>` **`**`**", "🙂**🙂**",
    ])
    func plainTextRemovesTheMarks(text: String) {
        var expected = text
        for mark in ["**", "`", "#", "> "] { expected = expected.replacingOccurrences(of: mark, with: "") }
        #expect(Markdown.plainText(text) == expected)
    }

    /// The same over random texts of marks, spaces and letters (fixed seed).
    @Test func plainTextRemovesTheMarksFromRandomTexts() {
        var generator = SeededGenerator(seed: 3)
        let pieces = ["*", "`", "#", ">", " ", "a", "æ", "\n", "🙂"]
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0..<24, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            plainTextRemovesTheMarks(text: text)
        }
    }

    /// The renderer works on UTF-8 bytes; it gives what the Character-by-Character renderer gave, over random
    /// texts of every mark, letters from several scripts, spaces of several kinds and line breaks (fixed seed).
    /// (Where the two may differ: a combining mark right after an ASCII mark, which the old renderer read as one
    /// character; such input is left out.)
    @Test func sameAsTheCharacterRenderer() {
        var generator = SeededGenerator(seed: 11)
        let pieces = ["*", "**", "`", "[", "]", "(", ")", "#", "# ", "## ", "- ", "* ", "1. ", "> ", ">", " ", "\t", "\u{00A0}", "\u{2003}",
                      "\n", "\n\n", "\r\n", "\r", "a", "ord", "æøå", "Ä", "中文", "🙂", "&", "<", ">", "\"", "'", "https://a.dk/x",
                      "javascript:alert(1)", "mailto:a@b.dk", "/sti", "//ond", "\u{2028}", "\u{0085}", "1", "12. ", "1234. "]
        for _ in 0..<5_000 {
            let text = (0..<Int.random(in: 0..<30, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(Markdown.html(text) == CharacterMarkdown.html(text), "\(text.debugDescription)")
        }
        for text in ["**fed** og *kursiv* og `kode`", "[Læs mere](https://example.org/a?b=1&c=2)", "[ a ]( https://a.dk )", "* *", "** **",
                     "*\u{00A0}x*", "*\u{2003}x*", "- *a* [b](/c) `d`\n  fortsat", "> **citat** <b>"] {
            #expect(Markdown.html(text) == CharacterMarkdown.html(text), "\(text.debugDescription)")
        }
    }
}
