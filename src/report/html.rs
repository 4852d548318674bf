//! `reports/index.html`: the same report as `index.md`, as one
//! self-contained page — figures inlined as SVG, the bundled font embedded
//! (so the figures' text renders exactly as laid out), the files it links to
//! (tables, R scripts, SVG/PDF figures) embedded as data URLs that download
//! under their names, links to an analysis' folder turned into links to its
//! section, no scripts, nothing fetched from the network. Whatever cannot be
//! embedded is named at the end of the page as what must accompany it.
//! Presentation only.

use std::collections::BTreeMap;

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

/// A linked file larger than this is not embedded (the page names it as an
/// accompanying file instead), nor is any file once this much is embedded.
const MAX_EMBEDDED_FILE: usize = 4 << 20;
const MAX_EMBEDDED_TOTAL: usize = 32 << 20;

/// Renders `markdown` (the text of `index.md`) as a standalone page.
/// Images that point at a figure's PNG are replaced by that figure's SVG
/// from `files` (paths under `reports/`); links to a file of `files` become
/// data URLs; a link to an analysis' folder (`name/`, a key of `sections`,
/// whose value is the analysis' heading) becomes a link to that heading;
/// any raw HTML in the Markdown is shown as text, never interpreted.
pub fn index_html(
    title: &str,
    markdown: &str,
    files: &BTreeMap<String, Vec<u8>>,
    sections: &BTreeMap<String, String>,
) -> String {
    let parser = Parser::new_ext(markdown, Options::ENABLE_TABLES);
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut in_image = false;
    let mut links = Links::new(files, sections);
    let svg_for = |url: &str| {
        url.strip_suffix(".png")
            .and_then(|stem| files.get(&format!("{stem}.svg")))
            .and_then(|b| std::str::from_utf8(b).ok())
    };
    for ev in parser {
        match ev {
            Event::Start(Tag::Image { ref dest_url, .. }) if svg_for(dest_url).is_some() => {
                in_image = true;
                let svg = svg_for(dest_url).unwrap_or_default();
                events.push(Event::Html(CowStr::from(format!(
                    "<figure>{}</figure>",
                    screen_sized(strip_xml_declaration(svg))
                ))));
            }
            Event::End(TagEnd::Image) if in_image => in_image = false,
            Event::Start(Tag::Link { ref dest_url, .. }) if !in_image => {
                events.push(Event::Html(CowStr::from(links.open(dest_url))));
            }
            // The image's alt text: the inline SVG carries its own title.
            _ if in_image => {}
            // Markdown from user data is escaped upstream; anything that
            // still looks like HTML is shown, not run.
            Event::Html(h) | Event::InlineHtml(h) => events.push(Event::Text(h)),
            other => events.push(other),
        }
    }
    // Headings get the ids GitHub would give them, so in-page links
    // (Data quality → analysis) work in the HTML too.
    for i in 0..events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let text: String = events[i + 1..]
                .iter()
                .take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_))))
                .filter_map(|e| match e {
                    Event::Text(t) | Event::Code(t) => Some(t.to_string()),
                    _ => None,
                })
                .collect();
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(CowStr::from(super::anchor(&text)));
            }
        }
    }
    let mut body = String::new();
    html::push_html(&mut body, events.into_iter());
    body.push_str(&links.about());
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{}{}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        escape_html(title),
        font_faces(),
        STYLE
    )
}

/// Where the page's links go: into the page (sections, data URLs) wherever
/// possible, and a record of the ones that need files beside the page.
struct Links<'a> {
    files: &'a BTreeMap<String, Vec<u8>>,
    sections: &'a BTreeMap<String, String>,
    embedded: usize,
    embedded_files: usize,
    accompanying: std::collections::BTreeSet<String>,
}

impl<'a> Links<'a> {
    fn new(files: &'a BTreeMap<String, Vec<u8>>, sections: &'a BTreeMap<String, String>) -> Self {
        Links {
            files,
            sections,
            embedded: 0,
            embedded_files: 0,
            accompanying: Default::default(),
        }
    }

    /// The opening `<a>` tag for a Markdown link to `dest`.
    fn open(&mut self, dest: &str) -> String {
        let local = !dest.starts_with('#') && !dest.contains(':') && !dest.starts_with('/');
        if !local {
            return format!("<a href=\"{}\">", escape_html(dest));
        }
        if let Some(title) = dest.strip_suffix('/').and_then(|d| self.sections.get(d)) {
            return format!("<a href=\"#{}\">", super::anchor(title));
        }
        match self.files.get(dest) {
            Some(bytes)
                if bytes.len() <= MAX_EMBEDDED_FILE
                    && self.embedded + bytes.len() <= MAX_EMBEDDED_TOTAL =>
            {
                self.embedded += bytes.len();
                self.embedded_files += 1;
                format!(
                    "<a href=\"data:{};base64,{}\" download=\"{}\">",
                    mime(dest),
                    base64(bytes),
                    escape_html(&dest.replace('/', "_"))
                )
            }
            _ => {
                self.accompanying.insert(dest.to_string());
                format!("<a href=\"{}\">", escape_html(dest))
            }
        }
    }

    /// The closing note: what the page holds, and what must go with it.
    fn about(&self) -> String {
        let mut out = format!(
            "<hr>\n<p><small>This page is self-contained: its figures are drawn in it, and the {} file{} it links to (tables, R scripts, SVG and PDF figures) are embedded in it — a link downloads the file, so the links work when the page is sent alone.",
            self.embedded_files,
            if self.embedded_files == 1 { "" } else { "s" }
        );
        if self.accompanying.is_empty() {
            out.push_str("</small></p>\n");
        } else {
            let names: Vec<String> = self
                .accompanying
                .iter()
                .map(|f| format!("<code>{}</code>", escape_html(f)))
                .collect();
            out.push_str(&format!(
                " These links are not embedded and work only with the <code>reports/</code> folder beside the page: {}.</small></p>\n",
                names.join(", ")
            ));
        }
        out
    }
}

/// The media type of a linked report file, by extension.
fn mime(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "csv" => "text/csv;charset=utf-8",
        "md" => "text/markdown;charset=utf-8",
        "R" | "txt" => "text/plain;charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "parquet" => "application/vnd.apache.parquet",
        _ => "application/octet-stream",
    }
}

/// Text as HTML: `&`, `<`, `>`, `"` escaped.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Figures are laid out at their printed size (96 units per inch), which
/// reads small on a screen: the page shows them 1.6 times larger, never
/// wider than the text column. The drawing itself is unchanged.
fn screen_sized(svg: &str) -> String {
    let head_end = svg.find('>').unwrap_or(0);
    let head = &svg[..head_end];
    let width = head.find("width=\"").and_then(|i| {
        let rest = &head[i + 7..];
        rest[..rest.find('"')?].parse::<f64>().ok()
    });
    match width {
        Some(w) if head.starts_with("<svg") => format!(
            "<svg style=\"width:min(100%,{}px);height:auto\"{}",
            (w * 1.6).round(),
            &svg[4..]
        ),
        _ => svg.to_string(),
    }
}

fn strip_xml_declaration(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => svg,
    }
}

const STYLE: &str = "body{margin:0;background:#fafafa;color:#222;font:15px/1.5 'DejaVu Sans',sans-serif}\n\
main{max-width:1100px;margin:0 auto;padding:24px 32px;background:#fff}\n\
h1{font-size:1.6em;margin-top:0}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:4px}\n\
figure{margin:1em 0}figure svg{max-width:100%;height:auto;display:block;border:1px solid #eee}\n\
table{border-collapse:collapse;font-size:.85em;margin:1em 0;display:block;overflow-x:auto}\n\
th,td{border:1px solid #ddd;padding:4px 8px;vertical-align:top;text-align:left}th{background:#f3f5f8}\n\
code{font-size:.9em}a{color:#0072B2}\n";

/// The bundled fonts as `@font-face` rules with data URLs, so inline SVG
/// text uses the font its layout was measured with.
fn font_faces() -> String {
    let face = |weight: &str, bytes: &[u8]| {
        format!(
            "@font-face{{font-family:'DejaVu Sans';font-weight:{weight};src:url(data:font/ttf;base64,{})format('truetype')}}\n",
            base64(bytes)
        )
    };
    face(
        "normal",
        include_bytes!("../../assets/fonts/DejaVuSans.ttf"),
    ) + &face(
        "bold",
        include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf"),
    )
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * k)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn figures_are_inlined_and_html_is_never_run() {
        let mut files = BTreeMap::new();
        files.insert(
            "a/km.svg".to_string(),
            b"<?xml version=\"1.0\"?><svg width=\"10\" height=\"10\"></svg>".to_vec(),
        );
        let md = "# T\n\n![Curve](a/km.png)\n\nA <script>alert(1)</script> &lt;b&gt;\n\n| x | y |\n|---|---|\n| 1 | 2 |\n";
        let page = index_html("T <1>", md, &files, &BTreeMap::new());
        // Shown 1.6× its printed size on screen, never wider than the text.
        assert!(
            page.contains("<figure><svg style=\"width:min(100%,16px);height:auto\" width=\"10\""),
            "{page}"
        );
        assert!(!page.contains("<?xml"));
        assert!(!page.contains("<script>"), "raw HTML must be escaped");
        assert!(page.contains("&lt;script&gt;"));
        assert!(page.contains("<table>"));
        assert!(page.contains("<title>T &lt;1&gt;</title>"));
        assert!(
            !page.contains("http://") && !page.contains("https://"),
            "nothing is fetched"
        );
    }

    /// A linked table downloads from the page itself, a folder link goes to
    /// the analysis' section, and a file the page does not hold is named as
    /// one that must accompany it.
    #[test]
    fn links_work_when_the_page_is_sent_alone() {
        let mut files = BTreeMap::new();
        files.insert("a/pooled.csv".to_string(), b"k,est\n5,0.7\n".to_vec());
        let sections = BTreeMap::from([("a".to_string(), "Pooled local control".to_string())]);
        let md = "# T\n\n- [a/](a/)\n\n## Pooled local control\n\n[pooled.csv](a/pooled.csv) · [CHANGES.md](CHANGES.md) · [#](#t) · [web](https://doi.org/10.1/x)\n";
        let page = index_html("T", md, &files, &sections);
        assert!(
            page.contains("<a href=\"#pooled-local-control\">a/</a>"),
            "{page}"
        );
        assert!(page.contains("id=\"pooled-local-control\""), "{page}");
        assert!(
            page.contains(&format!(
                "<a href=\"data:text/csv;charset=utf-8;base64,{}\" download=\"a_pooled.csv\">pooled.csv</a>",
                base64(b"k,est\n5,0.7\n")
            )),
            "{page}"
        );
        assert!(page.contains("<a href=\"CHANGES.md\">"), "{page}");
        assert!(
            page.contains(
                "the <code>reports/</code> folder beside the page: <code>CHANGES.md</code>."
            ),
            "{page}"
        );
        assert!(page.contains("the 1 file it links to"), "{page}");
        assert!(
            page.contains("<a href=\"https://doi.org/10.1/x\">"),
            "{page}"
        );
    }
}
