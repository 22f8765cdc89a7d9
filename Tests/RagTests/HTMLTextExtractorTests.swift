import Testing

@testable import Rag

@Suite("HTML text extractor")
struct HTMLTextExtractorTests {
    private let extractor = HTMLTextExtractor()

    private func text(_ html: String) -> String {
        extractor.text(fromHTML: html)
    }

    // MARK: Tags and structure

    @Test func nestedInlineTagsDisappear() {
        #expect(
            text("<div><p>Hello <b>bold <i>and <a href=\"/x\">linked</a></i></b> world</p></div>")
                == "Hello bold and linked world")
        #expect(text("un<span>break</span>able") == "unbreakable")
    }

    @Test func blockElementsBecomeParagraphsAndLines() {
        #expect(text("<p>One</p><p>Two</p>") == "One\n\nTwo")
        #expect(text("<h1>Title</h1>Intro<div>Body</div>") == "Title\n\nIntro\n\nBody")
        #expect(text("first<br>second<br/>third<BR />fourth") == "first\nsecond\nthird\nfourth")
        #expect(text("<ul><li>apples</li><li>pears</li></ul><p>after</p>") == "apples\npears\n\nafter")
        #expect(text("<table><tr><td>a</td><td>b</td></tr><tr><th>c</th></tr></table>") == "a b\nc")
        #expect(text("<section><article><p>deep</p></article></section>") == "deep")
    }

    @Test func titleIsKeptAsTheFirstParagraph() {
        let html = """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>My &amp; Doc</title>
            <link rel="stylesheet" href="x.css"></head>
            <body><p>Body text.</p></body></html>
            """
        #expect(text(html) == "My & Doc\n\nBody text.")
    }

    @Test func tagNamesAreCaseInsensitive() {
        #expect(text("<P>a</P><SCRIPT>alert(1)</SCRIPT><Div>b</dIV>") == "a\n\nb")
    }

    // MARK: Hidden content

    @Test func scriptStyleNoscriptAndTemplateContentIsDropped() {
        let html = """
            <p>before</p>
            <script type="text/javascript">var s = "</div><p>not text</p>"; if (a < b && c > d) {}</script>
            <style>p > span { content: "</p>"; }</style>
            <noscript><p>enable JavaScript</p></noscript>
            <template><p>hidden <template>nested</template> still hidden</p></template>
            <p>after</p>
            """
        #expect(text(html) == "before\n\nafter")
    }

    @Test func onlyTheMatchingEndTagEndsAScript() {
        #expect(text("<script>document.write('</scr' + 'ipt>'); x = '</scripts>'</script>shown") == "shown")
        #expect(text("<script>if (a </script >shown") == "shown")
        #expect(text("<script>never closed <p>lost</p>") == "")
    }

    @Test func commentsAreDropped() {
        #expect(text("a<!-- hidden -->b") == "ab")
        #expect(text("a<!-- x > y -- z -->b") == "ab")
        #expect(text("a<!---->b<!-->c<!--->d") == "abcd")
        #expect(text("a<!-- x --!>b") == "ab")
        #expect(text("<!-- <script> --><p>kept</p>") == "kept")
        #expect(text("visible<!-- never closed <p>gone</p>") == "visible")
        #expect(text("<?xml version=\"1.0\"?><![CDATA[ x ]]>text") == "text")
    }

    // MARK: Character references

    @Test func namedEntitiesAreDecoded() {
        #expect(text("&amp; &lt; &gt; &quot; &apos;") == "& < > \" '")
        #expect(text("caf&eacute; &Eacute;t&eacute; na&iuml;ve &Ntilde; &szlig; &yuml;") == "café Été naïve Ñ ß ÿ")
        #expect(text("&copy; &reg; &trade; &hellip; &mdash; &ndash; &euro; &pound; &yen; &cent;") == "© ® ™ … — – € £ ¥ ¢")
        #expect(text("&lsquo;a&rsquo; &ldquo;b&rdquo; &laquo;c&raquo;") == "‘a’ “b” «c»")
        #expect(text("&sect; &deg; &plusmn; &times; &divide; &middot; &bull; &alpha;&Omega; &rarr;") == "§ ° ± × ÷ · • αΩ →")
    }

    @Test func everyLatin1EntityIsKnown() {
        let names = [
            "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf",
            "laquo", "not", "shy", "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro",
            "para", "middot", "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
        ]
        for (offset, name) in names.enumerated() where name != "nbsp" {
            let expected = String(Character(Unicode.Scalar(UInt32(0xA0 + offset))!))
            #expect(text("&\(name);") == expected, "&\(name);")
        }
        #expect(text("&Agrave;&aacute;&ETH;&THORN;&thorn;&oslash;&Oslash;&aelig;&AElig;") == "ÀáÐÞþøØæÆ")
    }

    @Test func numericReferencesAreDecoded() {
        #expect(text("&#233;&#xE9;&#XE9;&#x00e9;") == "éééé")
        #expect(text("&#8364; &#x20AC; &#128512;") == "€ € 😀")
        #expect(text("&#65&#66;C") == "ABC")  // the ";" may be missing
    }

    @Test func invalidNumericReferencesBecomeReplacementCharacters() {
        #expect(text("&#0;") == "\u{FFFD}")
        #expect(text("&#xD800;") == "\u{FFFD}")
        #expect(text("&#x110000;") == "\u{FFFD}")
        #expect(text("&#99999999999999999999;") == "\u{FFFD}")
        #expect(text("&#150;&#x80;") == "–€")  // Windows-1252, as browsers read them
    }

    @Test func unknownOrIncompleteReferencesStayAsWritten() {
        #expect(text("&foo; &unknownentity;") == "&foo; &unknownentity;")
        #expect(text("AT&T & co") == "AT&T & co")
        #expect(text("&#; &#x; &") == "&#; &#x; &")
        #expect(text("?a=1&copyright=2") == "?a=1&copyright=2")
        #expect(text("&copy 2024 &amp more") == "© 2024 & more")  // legacy names need no ";"
        #expect(text("&hellip no") == "&hellip no")  // but only those
    }

    @Test func noBreakSpacesCollapseLikeSpaces() {
        #expect(text("a&nbsp;&nbsp; b\u{00A0}c") == "a b c")
    }

    // MARK: Malformed input

    @Test func malformedHTMLKeepsItsText() {
        #expect(text("<p>Hello <b>world") == "Hello world")
        #expect(text("1 < 2 and 3 > 2, <3 and < / x") == "1 < 2 and 3 > 2, <3 and < / x")
        #expect(text("<a title=\"x > y\" data-x='a>b'>link</a> text") == "link text")
        #expect(text("<a href=\"unclosed>link</a> rest") == "link rest")
        #expect(text("text <div class=") == "text")
        #expect(text("</p></div>stray</b> end tags") == "stray end tags")
        #expect(text("a</>b</ 3>c") == "abc")
        #expect(text("<") == "<")
        #expect(text("x</") == "x</")
        #expect(text("<p unterminated") == "")
    }

    @Test func unicodeTextPassesThroughUntouched() {
        let sample = "日本語のテキスト 👍🏽 🇫🇷 e\u{301} Ωμέγα"
        #expect(text("<p>\(sample)</p>") == sample)
    }

    // MARK: Whitespace

    @Test func whitespaceRunsCollapse() {
        #expect(text("  a \n\t b  \r\n c  ") == "a b c")
        #expect(text("<p>\n  lots   of\n\n\n  space  \n</p>\n\n<p>  next </p>") == "lots of space\n\nnext")
        #expect(text("<div><div><div>x</div></div></div><div></div><p></p><div>y</div>") == "x\n\ny")
    }

    @Test func preformattedTextKeepsItsLines() {
        #expect(text("<pre>line one\nline two\n\n  indented</pre>after") == "line one\nline two\n\nindented\n\nafter")
    }

    @Test func emptyInputGivesEmptyText() {
        #expect(text("") == "")
        #expect(text("<html><body></body></html>") == "")
    }

    // MARK: Cost

    @Test(arguments: ["<a ", "&", "<!--", "<script>", "<a b=\"", "</", "<x y='>", "&#", "&amp"])
    func pathologicalInputStaysLinear(unit: String) {
        let html = String(repeating: unit, count: 200_000)
        let clock = ContinuousClock()
        let started = clock.now
        _ = text(html)
        #expect(clock.now - started < .seconds(5), "\(unit) × 200000")
    }
}
