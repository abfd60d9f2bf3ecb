//! The architecture's invariants (docs/ARCHITECTURE.md, "Layers"), checked on the source:
//! which crate may depend on which, where the web framework may appear, that no module circle
//! inside a crate spans more than three files, and that no source file grows past the size
//! where it asks to be split.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// The names in a manifest's `[dependencies]` table.
fn dependencies(krate: &str) -> BTreeSet<String> {
    let text =
        std::fs::read_to_string(root().join("crates").join(krate).join("Cargo.toml")).unwrap();
    let mut out = BTreeSet::new();
    let mut inside = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line == "[dependencies]";
            continue;
        }
        if inside && !line.is_empty() && !line.starts_with('#') {
            if let Some((name, _)) = line.split_once('=') {
                out.insert(name.trim().split('.').next().unwrap().to_owned());
            }
        }
    }
    out
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn crate_sources(krate: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    sources(&root().join("crates").join(krate).join("src"), &mut out);
    out.sort();
    out
}

#[test]
fn dependencies_point_inwards() {
    let ours = |k: &str| -> BTreeSet<String> {
        dependencies(k)
            .into_iter()
            .filter(|d| d.starts_with("chatd-"))
            .collect()
    };
    let set = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(
        ours("domain"),
        set(&[]),
        "the domain imports nothing of ours"
    );
    assert_eq!(ours("store"), set(&[]), "the store knows no domain type");
    assert_eq!(ours("projections"), set(&["chatd-domain", "chatd-store"]));
    assert_eq!(
        ours("app"),
        set(&["chatd-domain", "chatd-projections", "chatd-store"])
    );
    assert_eq!(
        ours("server"),
        set(&[
            "chatd-app",
            "chatd-domain",
            "chatd-projections",
            "chatd-store"
        ])
    );
    // The domain is pure: no I/O, no clock, no framework. R37's time zones come from jiff with
    // its tz database compiled in: none of its features that read the system's zone files.
    // sha1 is a pure hash: derived ids (R2's stable ids) are UUID v5, hashed in place.
    let allowed = set(&[
        "jiff",
        "serde",
        "serde_json",
        "sha1",
        "thiserror",
        "time",
        "utoipa",
        "uuid",
    ]);
    let extra: Vec<_> = dependencies("domain")
        .difference(&allowed)
        .cloned()
        .collect();
    assert!(extra.is_empty(), "the domain depends on {extra:?}");
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let jiff = manifest
        .lines()
        .find(|l| l.starts_with("jiff "))
        .expect("jiff in the workspace's dependencies");
    assert!(
        jiff.contains("default-features = false")
            && jiff.contains("tzdb-bundle-always")
            && !jiff.contains("tz-system")
            && !jiff.contains("tzdb-zoneinfo"),
        "jiff without I/O: {jiff}"
    );
}

#[test]
fn the_web_framework_stays_at_the_edge() {
    for krate in ["domain", "store", "projections", "app"] {
        let deps = dependencies(krate);
        for web in ["actix-web", "actix-ws", "actix-multipart", "utoipa-actix"] {
            assert!(!deps.contains(web), "{krate} depends on {web}");
        }
        for file in crate_sources(krate) {
            let text = std::fs::read_to_string(&file).unwrap();
            for word in ["actix", "StatusCode", "HttpResponse"] {
                assert!(
                    !text.contains(word),
                    "{} mentions {word}: the application layer names no HTTP",
                    file.display()
                );
            }
        }
    }
}

/// Problem documents are built in one place, where every stable code the edge answers by itself
/// is named with its status (`http/problem.rs`); everything else calls those constructors or
/// maps an application error.
#[test]
fn problem_documents_are_built_in_one_place() {
    let src = root().join("crates/server/src");
    for file in crate_sources("server") {
        let rel = file.strip_prefix(&src).unwrap().to_owned();
        if rel == Path::new("http/problem.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap();
        assert!(
            !code.contains("Problem::new("),
            "{} builds a problem document itself",
            rel.display()
        );
    }
}

#[test]
fn no_source_file_asks_to_be_split() {
    const MOST: usize = 620;
    let mut all = Vec::new();
    sources(&root().join("crates"), &mut all);
    sources(&root().join("tests"), &mut all);
    for file in all {
        let n = std::fs::read_to_string(&file).unwrap().lines().count();
        assert!(
            n <= MOST,
            "{} has {n} lines (split it by responsibility)",
            file.display()
        );
    }
}

/// `src/a/b.rs` and `src/a/b/mod.rs` are module `a::b`; `lib.rs`/`main.rs` the root.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// Module paths a file refers to through `crate::…` and `super::…` (names after `{` count).
fn references(text: &str, me: &[String], is_mod_file: bool) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let ident = |s: &str| -> Vec<String> {
        let mut parts = Vec::new();
        let mut rest = s;
        loop {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            if end == 0 {
                break;
            }
            parts.push(rest[..end].to_owned());
            rest = &rest[end..];
            match rest.strip_prefix("::") {
                Some(r) if !r.starts_with('{') => rest = r,
                _ => break,
            }
        }
        parts
    };
    for (needle, base) in [
        ("crate::", Vec::new()),
        ("super::", {
            // `super` of a file module is its parent; of a `mod.rs`, the parent's parent.
            let mut b = me.to_vec();
            b.pop();
            if is_mod_file {
                b.pop();
            }
            b
        }),
    ] {
        let mut from = 0;
        while let Some(i) = text[from..].find(needle) {
            let at = from + i + needle.len();
            from = at;
            let before = text[..from - needle.len()].chars().last();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let rest = &text[at..];
            let heads: Vec<Vec<String>> = if let Some(list) = rest.strip_prefix('{') {
                let close = list.find('}').unwrap_or(0);
                list[..close].split(',').map(|p| ident(p.trim())).collect()
            } else {
                vec![ident(rest)]
            };
            for h in heads {
                let mut full = base.clone();
                full.extend(h);
                out.push(full);
            }
        }
    }
    out
}

/// Strongly connected sets of files (Tarjan) in a crate's module graph, largest first.
fn circles(krate: &str) -> Vec<Vec<String>> {
    circles_in(&root().join("crates").join(krate).join("src"))
}

fn circles_in(src: &Path) -> Vec<Vec<String>> {
    let src = src.to_owned();
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let modules: HashMap<Vec<String>, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (module_of(&src, f), i))
        .collect();
    let mut edges: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); files.len()];
    for (i, f) in files.iter().enumerate() {
        let text = std::fs::read_to_string(f).unwrap();
        let text = text.split("#[cfg(test)]").next().unwrap();
        let me = module_of(&src, f);
        let is_mod = f.file_name().is_some_and(|n| n == "mod.rs");
        for mut r in references(text, &me, is_mod) {
            // The longest prefix that is a module file.
            while !r.is_empty() && !modules.contains_key(&r) {
                r.pop();
            }
            if let Some(&j) = modules.get(&r) {
                if j != i && !r.is_empty() {
                    edges[i].insert(j);
                }
            }
        }
    }
    // Tarjan's algorithm.
    struct T<'a> {
        edges: &'a [BTreeSet<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        out: Vec<Vec<usize>>,
    }
    fn visit(t: &mut T, v: usize) {
        t.index[v] = Some(t.next);
        t.low[v] = t.next;
        t.next += 1;
        t.stack.push(v);
        t.on[v] = true;
        for &w in t.edges[v].clone().iter() {
            match t.index[w] {
                None => {
                    visit(t, w);
                    t.low[v] = t.low[v].min(t.low[w]);
                }
                Some(iw) if t.on[w] => t.low[v] = t.low[v].min(iw),
                _ => {}
            }
        }
        if Some(t.low[v]) == t.index[v] {
            let mut set = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on[w] = false;
                set.push(w);
                if w == v {
                    break;
                }
            }
            t.out.push(set);
        }
    }
    let n = files.len();
    let mut t = T {
        edges: &edges,
        index: vec![None; n],
        low: vec![0; n],
        on: vec![false; n],
        stack: Vec::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in 0..n {
        if t.index[v].is_none() {
            visit(&mut t, v);
        }
    }
    let mut sets: Vec<Vec<String>> = t
        .out
        .into_iter()
        .filter(|s| s.len() > 1)
        .map(|s| {
            let mut names: Vec<String> = s
                .iter()
                .map(|&i| files[i].strip_prefix(&src).unwrap().display().to_string())
                .collect();
            names.sort();
            names
        })
        .collect();
    sets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    sets
}

#[test]
fn no_module_circle_spans_more_than_three_files() {
    let mut report = BTreeMap::new();
    for krate in ["domain", "store", "projections", "app", "server"] {
        let big: Vec<_> = circles(krate).into_iter().filter(|c| c.len() > 3).collect();
        if !big.is_empty() {
            report.insert(krate, big);
        }
    }
    assert!(
        report.is_empty(),
        "module circles over three files: {report:#?}"
    );
}

#[test]
fn the_circle_finder_finds_circles() {
    let me = vec!["http".to_owned(), "dialogs".to_owned()];
    let refs = references(
        "use super::{views, Problem};\nuse crate::app::App;",
        &me,
        false,
    );
    assert!(refs.contains(&vec!["http".to_owned(), "views".to_owned()]));
    assert!(refs.contains(&vec!["app".to_owned(), "App".to_owned()]));
    // Four modules in a ring, and one hanging off it: one circle of four files.
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write("lib.rs", "mod a; mod b; mod c; mod d; mod e;");
    write("a.rs", "use crate::b::X;");
    write("b.rs", "use super::{c, e};");
    write("c.rs", "fn f() { crate::d::g(); }");
    write("d.rs", "use crate::a;");
    write("e.rs", "pub struct X;");
    assert_eq!(
        circles_in(dir.path()),
        vec![vec!["a.rs", "b.rs", "c.rs", "d.rs"]]
    );
}
