//! The Rust exclusive c14n against libxml2's, byte for byte (`eidpl::xml::c14n_differential`):
//! on the interop messages, on generated WK answers and on random documents. The conformance
//! and attack suites run the same check on every document they parse.
#![allow(clippy::unwrap_used)]

mod common;

use common::wk::World;
use eidpl::xml::{c14n_differential, Document, ParseOptions};

fn differential(xml: &[u8], exclusions: usize) -> usize {
    let doc = Document::parse(xml, &ParseOptions::document()).unwrap();
    c14n_differential(&doc, exclusions).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn interop_messages() {
    let dir = common::interop("");
    let mut files = 0;
    for folder in std::fs::read_dir(&dir).unwrap() {
        let folder = folder.unwrap().path();
        let name = folder.file_name().unwrap().to_string_lossy().into_owned();
        if !(name.starts_with("wk-") || name.starts_with("w3c-")) {
            continue;
        }
        for file in std::fs::read_dir(&folder).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_some_and(|e| e == "xml") {
                assert!(differential(&std::fs::read(&file).unwrap(), 12) > 0);
                files += 1;
            }
        }
    }
    assert!(files >= 10, "only {files} interop messages found");
}

#[test]
fn generated_wk_answers() {
    let w = World::new();
    // The assertion is encrypted in the answer: check its plaintext too.
    let plaintext = std::cell::RefCell::new(Vec::new());
    let keep = |a: &str| {
        plaintext.borrow_mut().push(a.to_owned());
        a.to_owned()
    };
    let mut documents = vec![
        w.answer(),
        w.answer_with(|a| a.soap = false),
        w.answer_with(|a| a.omit_assertion = true),
        w.answer_with(|a| a.assertion_hook = Some(&keep)),
    ];
    documents.append(&mut plaintext.borrow_mut());
    assert_eq!(documents.len(), 5);
    for xml in documents {
        assert!(differential(xml.as_bytes(), 12) > 0);
    }
}

// ---------------------------------------------------------------------------------------------
// Random documents
// ---------------------------------------------------------------------------------------------

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

const PREFIXES: &[&str] = &["a", "b", "p", "ds", "saml2", "saml2p", "xenc"];
const URIS: &[&str] = &[
    "urn:a",
    "urn:b",
    "http://example.com/x",
    "http://example.com/x?q=1;r=2",
    "http://www.w3.org/2000/09/xmldsig#",
    "urn:oasis:names:tc:SAML:2.0:assertion",
    "mailto:jan@example.pl",
];
/// Rare: relative URIs (the parser refuses what is no URI at all), so c14n must fail
/// (C14N 1.0 §2.1) on both sides, wherever they are in the document.
const BAD_URIS: &[&str] = &["relative/path", "../up", "#fragment"];
const NAMES: &[&str] = &["e", "f", "Signature", "Response", "x-y", "ż"];
const TEXTS: &[&str] = &[
    "plain",
    " ",
    "\n  ",
    "a &amp; b",
    "&lt;tag&gt;",
    "x > y",
    "cr&#13;lf&#10;",
    "tab\there",
    "\"quoted\" 'single'",
    "Zażółć gęślą jaźń",
    "<![CDATA[ <raw> & ]]> ]]&gt;",
    "&#x1F600;",
];
const VALUES: &[&str] = &[
    "",
    "v",
    "a &amp; b &lt; c > d",
    "&quot;q&quot; 'a'",
    "tab&#9;nl&#10;cr&#13;",
    "raw\ttab\nnl",
    "Łódź",
];

struct Gen {
    rng: Rng,
    xml: String,
    /// Prefixes in scope per open element.
    scopes: Vec<Vec<&'static str>>,
    ids: usize,
}

impl Gen {
    fn in_scope(&self) -> Vec<&'static str> {
        let mut v: Vec<&str> = self.scopes.iter().flatten().copied().collect();
        v.sort();
        v.dedup();
        v
    }

    fn uri(&mut self) -> &'static str {
        if self.rng.chance(1) {
            self.rng.pick(BAD_URIS)
        } else {
            self.rng.pick(URIS)
        }
    }

    fn element(&mut self, depth: usize) {
        let mut declared = Vec::new();
        let mut decls = String::new();
        for _ in 0..self.rng.below(3) {
            let p = self.rng.pick(PREFIXES);
            if !declared.contains(&p) {
                declared.push(p);
                let uri = self.uri();
                decls.push_str(&format!(" xmlns:{p}=\"{uri}\""));
            }
        }
        match self.rng.below(6) {
            0 => decls.push_str(&format!(" xmlns=\"{}\"", self.uri())),
            1 => decls.push_str(" xmlns=\"\""),
            _ => {}
        }
        self.scopes.push(declared);
        let scope = self.in_scope();
        let name = match self.rng.below(3) {
            0 if !scope.is_empty() => format!(
                "{}:{}",
                scope[self.rng.below(scope.len())],
                self.rng.pick(NAMES)
            ),
            1 if self.rng.chance(3) => format!("xml:{}", self.rng.pick(NAMES)),
            _ => self.rng.pick(NAMES).to_owned(),
        };
        let mut attrs = decls;
        let mut used: Vec<(String, &str)> = Vec::new();
        for _ in 0..self.rng.below(4) {
            let local = self.rng.pick(&["a", "b", "z", "ID", "Algorithm"]);
            let prefix = match self.rng.below(4) {
                0 if !scope.is_empty() => scope[self.rng.below(scope.len())],
                1 => "xml",
                _ => "",
            };
            // Two prefixes may name one URI: compare by prefix only and let the parser refuse.
            if used.iter().any(|(p, l)| p == prefix && *l == local) {
                continue;
            }
            used.push((prefix.to_owned(), local));
            let qname = if prefix.is_empty() {
                local.to_owned()
            } else {
                format!("{prefix}:{local}")
            };
            let value = if local == "ID" {
                self.ids += 1;
                format!("id{}", self.ids)
            } else {
                self.rng.pick(VALUES).to_owned()
            };
            let quote = if value.contains('"') { '\'' } else { '"' };
            attrs.push_str(&format!(" {qname}={quote}{value}{quote}"));
        }
        if depth >= 4 || self.rng.chance(15) {
            self.xml.push_str(&format!("<{name}{attrs}/>"));
        } else {
            self.xml.push_str(&format!("<{name}{attrs}>"));
            for _ in 0..self.rng.below(5) {
                match self.rng.below(10) {
                    0..=3 => self.element(depth + 1),
                    4..=6 => {
                        let t = self.rng.pick(TEXTS);
                        self.xml.push_str(t);
                    }
                    7 => self.xml.push_str(self.rng.pick(&[
                        "<?pi data?>",
                        "<?pi?>",
                        "<?target  spaced   data ?>",
                    ])),
                    _ => self.xml.push_str("<!-- comment -->"),
                }
            }
            self.xml.push_str(&format!("</{name}>"));
        }
        self.scopes.pop();
    }

    fn document(&mut self) -> String {
        self.xml.clear();
        if self.rng.chance(20) {
            self.xml
                .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?before x?><!--c-->");
        }
        self.element(0);
        if self.rng.chance(20) {
            self.xml.push_str("<?after?>\n<!--c-->");
        }
        std::mem::take(&mut self.xml)
    }
}

/// `EIDPL_C14N_DOCUMENTS` and `EIDPL_C14N_SEED` run a longer or different series locally.
// attack: parser-differential
#[test]
fn random_documents() {
    let env = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let documents = env("EIDPL_C14N_DOCUMENTS", 1500) as usize;
    let mut gen = Gen {
        rng: Rng(env("EIDPL_C14N_SEED", 0x9E37_79B9_7F4A_7C15).max(1)),
        xml: String::new(),
        scopes: Vec::new(),
        ids: 0,
    };
    let (mut parsed, mut compared) = (0, 0);
    for _ in 0..documents {
        let xml = gen.document();
        let Ok(doc) = Document::parse(xml.as_bytes(), &ParseOptions::document()) else {
            continue;
        };
        parsed += 1;
        compared += c14n_differential(&doc, usize::MAX)
            .unwrap_or_else(|e| panic!("{e}\n  document: {xml}"));
    }
    assert!(
        parsed > documents * 9 / 10,
        "only {parsed} documents parsed"
    );
    assert!(compared > documents * 60, "only {compared} comparisons");
}
