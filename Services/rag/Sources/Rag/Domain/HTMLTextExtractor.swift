/// Reduces an HTML document to the text a reader sees, before it is chunked and embedded.
///
/// Markup would otherwise be embedded and matched as if it were prose. So tags and comments go;
/// the contents of `<script>`, `<style>`, `<noscript>`, `<template>` (and `<iframe>`, `<noembed>`,
/// `<noframes>`) go; the `<title>` stays as the first paragraph. Block elements (`p`, `div`,
/// headings, `section`, `table`, …) become paragraph breaks and `br`, `li`, `tr`, … line breaks,
/// so `TextChunker` can still cut between paragraphs. Other whitespace collapses to one space,
/// except that line breaks inside `<pre>` survive.
///
/// Character references are decoded: every HTML 4 named entity plus `&apos;` (the Latin-1 ones also
/// without their `;`, as browsers do), decimal `&#233;` and hex `&#xE9;`. A reference to no valid
/// character (0, a surrogate, beyond U+10FFFF) becomes U+FFFD; 128–159 are read as Windows-1252,
/// as every browser does (`&#150;` is "–"). Unknown names stay as written.
///
/// Uploads are untrusted and often broken, so this is one forward scan with no backtracking: an
/// unclosed tag, a stray `<`, a quoted `>` inside an attribute or a `</div>` inside a script
/// string cannot make it slow or make it lose the text that follows.
public struct HTMLTextExtractor: Sendable {
    public init() {}

    /// The readable text of `html`: paragraphs separated by a blank line, no leading or trailing
    /// whitespace.
    public func text(fromHTML html: String) -> String {
        var source = html
        source.makeContiguousUTF8()
        return source.utf8.withContiguousStorageIfAvailable { bytes in
            var scanner = HTMLTextScanner(bytes)
            return scanner.run()
        } ?? ""
    }
}
