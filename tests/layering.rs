//! The layering of `src/`, checked mechanically (ARCHITECTURE.md, "Floors").
//!
//! Every top-level module has a floor; code may name (`crate::…`) only its
//! own module or a module on a lower floor. Within the crate, the files'
//! imports form no circle (an edge from a file to one of its ancestors —
//! a child using its parent's types — is not counted: the parent owns the
//! child). No file of the middle layer (analysis, present, workflow)
//! is over 400 lines outside its tests, nor a function over 120 lines.
//!
//! Comments and `#[cfg(test)]` modules are not read: a doc link to a higher
//! floor is fine, and so are tests that exercise a module from above.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Lower floors first. Modules on one floor may not name each other.
const FLOORS: &[&[&str]] = &[
    &["domain", "number"],
    &["stats", "digitize"],
    &["ingest", "project"],
    &["validate"],
    &["workflow"],
    &["plot", "export"],
    &["present"],
    &["audit"],
    &["analysis"],
    &["report"],
    &["pipeline"],
    &["fuzz_harness"],
    &["cli"],
];

/// The folders whose files and functions are held to the sizes below: the
/// middle layer, where each kind's run once was one 400-line function.
const SIZED: &[&str] = &["analysis", "present", "workflow"];
const MAX_FILE_LINES: usize = 400;
const MAX_FN_LINES: usize = 120;

fn floor(module: &str) -> Option<usize> {
    FLOORS.iter().position(|f| f.contains(&module))
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a file: `src/a/b.rs` and `src/a/b/mod.rs` → `[a, b]`.
fn module_path(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src()).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The code of a file without comments, string literals and its test
/// module (`#[cfg(test)] mod tests`, at the end by convention).
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                    }
                    if prev == '*' && c == '/' {
                        break;
                    }
                    prev = c;
                }
            }
            '"' => {
                out.push('"');
                let mut escaped = false;
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                    }
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        break;
                    }
                }
                out.push('"');
            }
            // A char literal holding a quote must not open a string.
            '\'' if text_is_char_quote(&mut chars) => out.push_str("' '"),
            _ => out.push(c),
        }
    }
    out
}

/// After a `'`: consumes `"'` (the char literal `'"'`) and says so.
fn text_is_char_quote(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> bool {
    let mut ahead = chars.clone();
    if ahead.next() == Some('"') && ahead.next() == Some('\'') {
        chars.next();
        chars.next();
        return true;
    }
    false
}

/// Every path the code names from the crate root or relative to the file
/// (`crate::a::b`, `super::c`, `use crate::{a, b::c}` expanded), as absolute
/// module paths, with the line it is on.
fn named_paths(code: &str, here: &[String]) -> Vec<(Vec<String>, usize)> {
    let mut out = Vec::new();
    let bytes: Vec<char> = code.chars().collect();
    let mut line = 1;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == '\n' {
            line += 1;
        }
        let at_word = i == 0
            || !(bytes[i - 1].is_alphanumeric() || bytes[i - 1] == '_' || bytes[i - 1] == ':');
        if at_word {
            for root in ["crate::", "super::"] {
                let r: Vec<char> = root.chars().collect();
                if bytes[i..].starts_with(&r) {
                    let base: Vec<String> = if root == "crate::" {
                        Vec::new()
                    } else {
                        here[..here.len().saturating_sub(1)].to_vec()
                    };
                    let (paths, end) = tree(&bytes, i + r.len(), base);
                    out.extend(paths.into_iter().map(|p| (p, line)));
                    line += bytes[i..end].iter().filter(|&&c| c == '\n').count();
                    i = end;
                    break;
                }
            }
        }
        i += 1;
    }
    out
}

/// Reads a path or use tree from `at`; returns the leaves and where it ended.
fn tree(s: &[char], mut at: usize, mut prefix: Vec<String>) -> (Vec<Vec<String>>, usize) {
    loop {
        while at < s.len() && s[at].is_whitespace() {
            at += 1;
        }
        if at < s.len() && s[at] == '{' {
            at += 1;
            let mut leaves = Vec::new();
            loop {
                while at < s.len() && (s[at].is_whitespace() || s[at] == ',') {
                    at += 1;
                }
                if at >= s.len() || s[at] == '}' {
                    return (leaves, at + 1);
                }
                let (l, end) = tree(s, at, prefix.clone());
                leaves.extend(l);
                at = end;
            }
        }
        let start = at;
        while at < s.len() && (s[at].is_alphanumeric() || s[at] == '_' || s[at] == '*') {
            at += 1;
        }
        let word: String = s[start..at].iter().collect();
        match word.as_str() {
            "super" => {
                prefix.pop();
            }
            "self" | "" | "*" => {}
            w => prefix.push(w.to_string()),
        }
        if s[at..].starts_with(&[':', ':']) {
            at += 2;
        } else {
            // `as alias` and the rest are not part of the path.
            return (vec![prefix], at);
        }
    }
}

struct Source {
    file: PathBuf,
    module: Vec<String>,
    text: String,
}

fn sources() -> Vec<Source> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files
        .into_iter()
        .map(|file| Source {
            module: module_path(&file),
            text: std::fs::read_to_string(&file).unwrap(),
            file,
        })
        .collect()
}

fn rel(p: &Path) -> String {
    p.strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .display()
        .to_string()
}

#[test]
fn every_top_level_module_has_a_floor() {
    let tops: BTreeSet<String> = sources()
        .iter()
        .filter_map(|s| s.module.first().cloned())
        .collect();
    for t in &tops {
        assert!(
            floor(t).is_some(),
            "src/{t} is on no floor: add it to FLOORS and to ARCHITECTURE.md"
        );
    }
}

#[test]
fn imports_go_down_the_floors() {
    let mut wrong = Vec::new();
    for s in sources() {
        let Some(top) = s.module.first() else {
            continue;
        };
        let here = floor(top).unwrap();
        for (path, line) in named_paths(&code(&s.text), &s.module) {
            let Some(target) = path.first() else { continue };
            if target == top {
                continue;
            }
            match floor(target) {
                Some(f) if f < here => {}
                Some(_) => wrong.push(format!(
                    "{}:{line}: {top} (floor {here}) names crate::{} (floor {})",
                    rel(&s.file),
                    path.join("::"),
                    floor(target).unwrap()
                )),
                None => {}
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the floor order:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn files_import_each_other_in_no_circle() {
    let srcs = sources();
    let modules: BTreeSet<Vec<String>> = srcs.iter().map(|s| s.module.clone()).collect();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for s in &srcs {
        for (mut path, _) in named_paths(&code(&s.text), &s.module) {
            while !path.is_empty() && !modules.contains(&path) {
                path.pop();
            }
            // A file naming its own module or an ancestor (a child using its
            // parent's items) is no edge; nor is the crate root.
            if path.is_empty() || s.module.starts_with(&path) {
                continue;
            }
            edges.entry(s.module.clone()).or_default().insert(path);
        }
    }
    let cycles = strongly_connected(&modules, &edges);
    let shown: Vec<String> = cycles
        .iter()
        .map(|c| {
            c.iter()
                .map(|m| m.join("::"))
                .collect::<Vec<_>>()
                .join(" ↔ ")
        })
        .collect();
    assert!(
        shown.is_empty(),
        "files importing each other in a circle:\n{}",
        shown.join("\n")
    );
}

/// Tarjan's strongly connected components with more than one member.
fn strongly_connected(
    nodes: &BTreeSet<Vec<String>>,
    edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
) -> Vec<Vec<Vec<String>>> {
    struct State<'a> {
        edges: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<&'a Vec<String>, usize>,
        low: BTreeMap<&'a Vec<String>, usize>,
        stack: Vec<&'a Vec<String>>,
        on_stack: BTreeSet<&'a Vec<String>>,
        out: Vec<Vec<Vec<String>>>,
    }
    fn visit<'a>(v: &'a Vec<String>, st: &mut State<'a>) {
        let i = st.index.len();
        st.index.insert(v, i);
        st.low.insert(v, i);
        st.stack.push(v);
        st.on_stack.insert(v);
        if let Some(ws) = st.edges.get(v) {
            for w in ws {
                if !st.index.contains_key(w) {
                    visit(w, st);
                    let lw = st.low[w];
                    let lv = st.low.get_mut(v).unwrap();
                    *lv = (*lv).min(lw);
                } else if st.on_stack.contains(w) {
                    let iw = st.index[w];
                    let lv = st.low.get_mut(v).unwrap();
                    *lv = (*lv).min(iw);
                }
            }
        }
        if st.low[v] == st.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = st.stack.pop() {
                st.on_stack.remove(w);
                comp.push(w.clone());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                st.out.push(comp);
            }
        }
    }
    let mut st = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for n in nodes {
        if !st.index.contains_key(n) {
            visit(n, &mut st);
        }
    }
    st.out
}

#[test]
fn files_and_functions_stay_short() {
    let mut long = Vec::new();
    for s in sources() {
        let code = match s.text.find("#[cfg(test)]\nmod tests") {
            Some(i) => &s.text[..i],
            None => &s.text[..],
        };
        if s.file.ends_with("tests.rs")
            || !s
                .module
                .first()
                .is_some_and(|m| SIZED.contains(&m.as_str()))
        {
            continue;
        }
        let file = rel(&s.file);
        let lines = code.lines().count();
        if lines > MAX_FILE_LINES {
            long.push(format!(
                "{file}: {lines} lines (at most {MAX_FILE_LINES} outside tests)"
            ));
        }
        for (name, start, len) in functions(code) {
            if len > MAX_FN_LINES {
                long.push(format!(
                    "{file}:{start}: fn {name} is {len} lines (at most {MAX_FN_LINES})"
                ));
            }
        }
    }
    assert!(long.is_empty(), "too long:\n{}", long.join("\n"));
}

/// Each `fn` with a body: its name, first line and length in lines, found by
/// matching braces on comment- and string-free code.
fn functions(text: &str) -> Vec<(String, usize, usize)> {
    let code = code(text);
    let lines: Vec<&str> = code.lines().collect();
    let starts: Vec<usize> = std::iter::once(0)
        .chain(code.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |pos: usize| starts.partition_point(|&s| s <= pos);
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    for (at, _) in code.match_indices("fn ") {
        if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_') {
            continue;
        }
        let name: String = code[at + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue;
        }
        // The body opens at the first `{` before any `;` (a declaration
        // without body ends at `;`).
        let rest = &code[at..];
        let Some(open) = rest.find(['{', ';']) else {
            continue;
        };
        if rest.as_bytes()[open] == b';' {
            continue;
        }
        let mut depth = 0usize;
        let mut end = None;
        for (i, b) in rest[open..].bytes().enumerate() {
            match b {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(at + open + i);
                        break;
                    }
                }
                _ => {}
            }
        }
        if let Some(end) = end {
            let (a, b) = (line_of(at), line_of(end));
            out.push((name, a, b - a + 1));
        }
    }
    let _ = lines;
    out
}

#[test]
fn the_checker_sees_what_it_should() {
    let here = vec!["analysis".to_string(), "pool".to_string()];
    let paths: Vec<Vec<String>> = named_paths(
        &code("// crate::cli::x\nuse crate::{stats::pool::rma, export::{Table, to_csv}};\nlet s = \"crate::cli\"; super::format::num(1.0);"),
        &here,
    )
    .into_iter()
    .map(|(p, _)| p)
    .collect();
    let j: Vec<String> = paths.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        j,
        [
            "stats::pool::rma",
            "export::Table",
            "export::to_csv",
            "analysis::format::num"
        ]
    );
    let f =
        functions("fn a() {\n  if x { y }\n}\nfn b();\nimpl X { pub fn c(&self) -> u8 { 1 } }\n");
    assert_eq!(f, [("a".to_string(), 1, 3), ("c".to_string(), 5, 1)]);
}
