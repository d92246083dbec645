#![allow(clippy::unwrap_used)]
//! Forged input against the hardened parser: every rejection is checked by its exact code.

use eidpl::xml::{
    ns, C14nMethod, Document, Exclusion, IdProfile, NodeKind, ParseLimits, ParseOptions, Selection,
};
use eidpl::{Error, ErrorCode};

fn saml() -> ParseOptions {
    ParseOptions::saml()
}

fn parse_err(bytes: &[u8], options: &ParseOptions) -> Error {
    match Document::parse(bytes, options) {
        Ok(_) => panic!(
            "parsed, but should have been rejected: {:?}",
            String::from_utf8_lossy(&bytes[..bytes.len().min(200)])
        ),
        Err(e) => e,
    }
}

fn assert_code(bytes: &[u8], options: &ParseOptions, code: ErrorCode) -> Error {
    let err = parse_err(bytes, options);
    assert_eq!(err.code(), code, "{err}");
    err
}

fn canonical(doc: &Document) -> String {
    String::from_utf8(
        doc.canonicalize_to_vec(
            Selection::Document,
            Exclusion::Nothing,
            &C14nMethod::Inclusive,
        )
        .unwrap(),
    )
    .unwrap()
}

// ---------------------------------------------------------------------------------------------
// DOCTYPE in every shape
// ---------------------------------------------------------------------------------------------

// attack: xxe, parser-differential
#[test]
fn doctype_with_internal_subset_is_forbidden() {
    for xml in [
        r#"<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>"#,
        r#"<?xml version="1.0"?><!DOCTYPE a [<!ELEMENT a (#PCDATA)>]><a/>"#,
        r#"<!DOCTYPE a [<!ATTLIST a ID ID #IMPLIED>]><a ID="x"/>"#,
    ] {
        for options in [saml(), ParseOptions::document()] {
            assert_code(xml.as_bytes(), &options, ErrorCode::DoctypeForbidden);
        }
    }
}

// attack: xxe
#[test]
fn doctype_with_external_system_id_is_forbidden() {
    for xml in [
        r#"<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>"#,
        r#"<!DOCTYPE a SYSTEM "/etc/passwd"><a/>"#,
        r#"<!DOCTYPE a SYSTEM "http://127.0.0.1:9/evil.dtd"><a/>"#,
        r#"<!DOCTYPE a PUBLIC "-//EVIL//DTD X//EN" "http://127.0.0.1:9/evil.dtd"><a/>"#,
        r#"<!DOCTYPE a SYSTEM "http://127.0.0.1:9/evil.dtd" [<!ENTITY e "x">]><a>&e;</a>"#,
    ] {
        assert_code(xml.as_bytes(), &saml(), ErrorCode::DoctypeForbidden);
    }
}

// attack: xxe
#[test]
fn bare_doctype_is_forbidden() {
    for xml in [
        "<!DOCTYPE a><a/>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE a>\n<a/>",
        "<!-- hello --><?pi x?>\n<!DOCTYPE a><a/>",
    ] {
        assert_code(xml.as_bytes(), &saml(), ErrorCode::DoctypeForbidden);
    }
}

fn billion_laughs() -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n <!ELEMENT lolz (#PCDATA)>\n",
    );
    for i in 1..=9 {
        let prev = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        s.push_str(&format!(
            " <!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    s.push_str("]>\n<lolz>&lol9;</lolz>");
    s
}

// attack: xxe
#[test]
fn billion_laughs_is_rejected_as_doctype() {
    let payload = billion_laughs();
    // A thousand parses only finish if the entities are never expanded.
    for _ in 0..1000 {
        assert_code(payload.as_bytes(), &saml(), ErrorCode::DoctypeForbidden);
    }
    assert_code(
        payload.as_bytes(),
        &ParseOptions::document(),
        ErrorCode::DoctypeForbidden,
    );
}

// attack: xxe
#[test]
fn quadratic_blowup_is_rejected_as_doctype() {
    let payload = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE kaboom [<!ENTITY a \"{}\">]><kaboom>{}</kaboom>",
        "a".repeat(50_000),
        "&a;".repeat(50_000)
    );
    assert!(payload.len() < 1 << 20);
    assert_code(payload.as_bytes(), &saml(), ErrorCode::DoctypeForbidden);
}

// attack: xxe
#[test]
fn xxe_reading_etc_passwd_is_rejected_without_leaking_it() {
    for xml in [
        r#"<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>"#,
        r#"<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY % xxe SYSTEM "file:///etc/passwd"> %xxe;]><foo/>"#,
        r#"<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo a="&xxe;"/>"#,
    ] {
        for options in [saml(), ParseOptions::document()] {
            let err = assert_code(xml.as_bytes(), &options, ErrorCode::DoctypeForbidden);
            assert!(!err.message().contains("root:"));
            assert!(!err.to_string().contains("root:"));
            assert!(!err.to_json().to_string().contains("root:"));
        }
    }
}

// attack: xxe
#[test]
fn doctype_straddling_the_parser_chunk_boundary_is_forbidden() {
    // The parser is fed 1 MiB at a time; put the DOCTYPE across that boundary.
    const CHUNK: usize = 1 << 20;
    for doctype_at in [CHUNK - 9, CHUNK - 4, CHUNK - 1, CHUNK, CHUNK + 1] {
        let pad = doctype_at - "<!--".len() - "-->".len();
        let xml = format!(
            "<!--{}--><!DOCTYPE a [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><a>&e;</a>",
            "x".repeat(pad)
        );
        assert_eq!(xml.find("<!DOCTYPE"), Some(doctype_at));
        let err = assert_code(
            xml.as_bytes(),
            &ParseOptions::document(),
            ErrorCode::DoctypeForbidden,
        );
        assert!(!err.message().contains("root:"));
    }
}

fn utf16le(s: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for u in s.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

// attack: xxe
#[test]
fn doctype_in_a_utf16_document_is_forbidden() {
    let bad = utf16le(
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>",
    );
    assert_code(&bad, &saml(), ErrorCode::DoctypeForbidden);
    // The same encoding without a DOCTYPE is fine.
    let good = utf16le("<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>\u{17c}</a>");
    let doc = Document::parse(&good, &saml()).unwrap();
    assert_eq!(canonical(&doc), "<a>\u{17c}</a>");
}

// ---------------------------------------------------------------------------------------------
// Entities, XInclude, malformed input
// ---------------------------------------------------------------------------------------------

#[test]
fn undefined_entity_reference_is_malformed() {
    for xml in [
        "<a>&foo;</a>",
        "<a x=\"&foo;\"/>",
        "<a>&lt;&foo;</a>",
        "<a><b>&nbsp;</b></a>",
    ] {
        assert_code(xml.as_bytes(), &saml(), ErrorCode::XmlMalformed);
    }
}

// attack: rule-1
#[test]
fn xinclude_is_not_processed() {
    let xml = r#"<a xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="/etc/passwd" parse="text"/><xi:include href="file:///etc/passwd" parse="text"><xi:fallback>fb</xi:fallback></xi:include></a>"#;
    let doc = Document::parse(xml.as_bytes(), &saml()).unwrap();
    let includes: Vec<_> = doc.root().child_elements().collect();
    assert_eq!(includes.len(), 2);
    for inc in &includes {
        assert!(inc.is("http://www.w3.org/2001/XInclude", "include"));
    }
    assert_eq!(includes[0].attr("href"), Some("/etc/passwd"));
    let out = canonical(&doc);
    assert!(!out.contains("root:"));
    assert_eq!(
        out,
        r#"<a xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="/etc/passwd" parse="text"></xi:include><xi:include href="file:///etc/passwd" parse="text"><xi:fallback>fb</xi:fallback></xi:include></a>"#
    );
}

// attack: several-assertions, rule-1
#[test]
fn two_root_elements_are_malformed() {
    for xml in ["<a/><b/>", "<a></a>\n<a></a>", "<a/>text"] {
        assert_code(xml.as_bytes(), &saml(), ErrorCode::XmlMalformed);
    }
}

#[test]
fn empty_or_rootless_input_is_malformed() {
    for xml in [
        "",
        " \n\t",
        "<?xml version=\"1.0\"?>",
        "<!-- only a comment -->",
        "text",
    ] {
        assert_code(xml.as_bytes(), &saml(), ErrorCode::XmlMalformed);
    }
}

#[test]
fn every_truncation_of_a_document_is_malformed() {
    let xml = r#"<?xml version="1.0"?><p:a xmlns:p="urn:p" x="1"><b>t&amp;</b><!--c--><c/></p:a>"#;
    Document::parse(xml.as_bytes(), &saml()).unwrap();
    for len in 1..xml.len() {
        assert_code(&xml.as_bytes()[..len], &saml(), ErrorCode::XmlMalformed);
    }
}

// attack: rule-1
#[test]
fn invalid_utf8_without_encoding_declaration_is_malformed() {
    for bytes in [
        &b"<a>\xC3\x28</a>"[..],
        b"<a>\xFF</a>",
        b"<a>\xC0\xAF</a>",
        b"<a>\xED\xA0\x80</a>",
        b"<a x=\"\xE2\x82\">t</a>",
        b"<a\xFF/>",
        b"<?xml version=\"1.0\"?><a>ok\x80</a>",
    ] {
        assert_code(bytes, &saml(), ErrorCode::XmlMalformed);
    }
}

#[test]
fn forbidden_characters_are_malformed() {
    for xml in [
        "<a>\u{0}</a>",
        "<a>&#0;</a>",
        "<a>\u{1}</a>",
        "<a>&#x1;</a>",
    ] {
        assert_code(xml.as_bytes(), &saml(), ErrorCode::XmlMalformed);
    }
}

// ---------------------------------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------------------------------

fn with_limits(limits: ParseLimits) -> ParseOptions {
    ParseOptions {
        limits,
        ids: IdProfile::Saml,
    }
}

fn assert_limit(bytes: &[u8], options: &ParseOptions, limit: &str, max: u64) {
    let err = assert_code(bytes, options, ErrorCode::LimitExceeded);
    assert_eq!(err.details()["limit"], limit, "{err}");
    assert_eq!(err.details()["max"], max, "{err}");
}

// attack: rule-1
#[test]
fn max_bytes_is_enforced_at_the_boundary() {
    let options = with_limits(ParseLimits {
        max_bytes: 100,
        ..ParseLimits::saml()
    });
    let fits = format!("<a>{}</a>", "x".repeat(100 - 7));
    assert_eq!(fits.len(), 100);
    Document::parse(fits.as_bytes(), &options).unwrap();
    let over = format!("<a>{}</a>", "x".repeat(101 - 7));
    assert_limit(over.as_bytes(), &options, "max_bytes", 100);
    let err = parse_err(over.as_bytes(), &options);
    assert_eq!(err.details()["actual"], 101);
}

// attack: rule-1
#[test]
fn max_depth_is_enforced_at_the_boundary() {
    let options = with_limits(ParseLimits {
        max_depth: 4,
        ..ParseLimits::saml()
    });
    Document::parse(b"<a><b><c><d>text</d></c></b></a>", &options).unwrap();
    assert_limit(
        b"<a><b><c><d><e/></d></c></b></a>",
        &options,
        "max_depth",
        4,
    );
    // A deep branch after a shallow one is still seen.
    assert_limit(
        b"<a><x/><b><y/></b><b><c><d><e/></d></c></b></a>",
        &options,
        "max_depth",
        4,
    );
}

// attack: rule-1
#[test]
fn max_nodes_counts_elements_text_comments_and_pis() {
    let options = with_limits(ParseLimits {
        max_nodes: 5,
        ..ParseLimits::saml()
    });
    Document::parse(b"<a><b/>t<!--c--><?p?></a>", &options).unwrap();
    assert_limit(b"<a><b/>t<!--c--><?p?>u</a>", &options, "max_nodes", 5);
    assert_limit(b"<a><b/><b/><b/><b/><b/></a>", &options, "max_nodes", 5);
}

// attack: rule-1
#[test]
fn max_attributes_is_per_element_and_excludes_namespace_declarations() {
    let options = with_limits(ParseLimits {
        max_attributes: 2,
        ..ParseLimits::saml()
    });
    Document::parse(
        br#"<a x="1" y="2" xmlns="urn:d" xmlns:p="urn:p" xmlns:q="urn:q"><b p:x="1" q:y="2"/></a>"#,
        &options,
    )
    .unwrap();
    assert_limit(
        br#"<a><b x="1" y="2" z="3"/></a>"#,
        &options,
        "max_attributes",
        2,
    );
}

// attack: rule-1
#[test]
fn max_namespace_declarations_counts_the_whole_document() {
    let options = with_limits(ParseLimits {
        max_namespace_declarations: 3,
        ..ParseLimits::saml()
    });
    Document::parse(
        br#"<a xmlns:p="urn:p"><b xmlns:q="urn:q"/><c xmlns="urn:d"/></a>"#,
        &options,
    )
    .unwrap();
    assert_limit(
        br#"<a xmlns:p="urn:p"><b xmlns:q="urn:q"/><c xmlns="urn:d"/><d xmlns:p="urn:p"/></a>"#,
        &options,
        "max_namespace_declarations",
        3,
    );
}

#[test]
fn default_saml_limits_reject_two_megabytes() {
    let xml = format!("<a>{}</a>", "x".repeat(2 << 20));
    assert_limit(xml.as_bytes(), &saml(), "max_bytes", 1 << 20);
    assert_limit(
        xml.as_bytes(),
        &ParseOptions::default(),
        "max_bytes",
        1 << 20,
    );
}

#[test]
fn document_limits_accept_a_thirty_megabyte_text_node() {
    let xml = format!("<a>{}</a>", "QUJD".repeat(30 << 18));
    let doc = Document::parse(xml.as_bytes(), &ParseOptions::document()).unwrap();
    let text = doc.root().leaf_text().unwrap();
    assert_eq!(text.len(), 30 << 20);
    assert!(text.bytes().all(|b| b"QUJD".contains(&b)));
}

#[test]
fn text_node_under_ten_megabytes_parses_intact_without_huge_text() {
    let xml = format!("<a>{}</a>", "x".repeat(9 << 20));
    let options = with_limits(ParseLimits {
        huge_text: false,
        ..ParseLimits::document()
    });
    let doc = Document::parse(xml.as_bytes(), &options).unwrap();
    assert_eq!(doc.root().leaf_text().unwrap().len(), 9 << 20);
}

#[test]

fn text_node_over_ten_megabytes_without_huge_text_is_rejected_not_truncated() {
    let xml = format!("<a>{}</a>", "x".repeat(11 << 20));
    let options = with_limits(ParseLimits {
        huge_text: false,
        ..ParseLimits::document()
    });
    if let Ok(doc) = Document::parse(xml.as_bytes(), &options) {
        let len = doc.root().leaf_text().unwrap().len();
        assert_eq!(len, 11 << 20, "parsed with the text silently truncated");
    }
    assert_code(xml.as_bytes(), &options, ErrorCode::LimitExceeded);
}

#[test]

fn nesting_deeper_than_the_limit_is_limit_exceeded_however_deep() {
    for depth in [49, 300, 5_000] {
        let xml = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
        assert_limit(xml.as_bytes(), &saml(), "max_depth", 48);
    }
}

// ---------------------------------------------------------------------------------------------
// IDs
// ---------------------------------------------------------------------------------------------

const SAMLP_DECL: &str = r#"xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol""#;
const SAML_DECL: &str = r#"xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion""#;
const DS_DECL: &str = r#"xmlns:ds="http://www.w3.org/2000/09/xmldsig#""#;

fn assert_duplicate(xml: &str, id: &str) {
    for options in [saml(), ParseOptions::document()] {
        let err = assert_code(xml.as_bytes(), &options, ErrorCode::DuplicateId);
        assert_eq!(err.details()["id"], id, "{err}");
    }
}

// attack: digest-anywhere, rule-1
#[test]
fn duplicate_saml_id_is_rejected() {
    assert_duplicate(
        &format!(
            r#"<samlp:Response {SAMLP_DECL} {SAML_DECL} ID="_1"><saml:Assertion ID="_1"/></samlp:Response>"#
        ),
        "_1",
    );
}

// attack: rule-1
#[test]
fn duplicate_dsig_id_is_rejected() {
    assert_duplicate(
        &format!(r#"<ds:Signature {DS_DECL} Id="s"><ds:Object Id="s"/></ds:Signature>"#),
        "s",
    );
}

// attack: rule-1
#[test]
fn id_and_id_with_the_same_value_are_duplicates() {
    assert_duplicate(
        &format!(
            r#"<samlp:Response {SAMLP_DECL} {DS_DECL} ID="x"><ds:Signature Id="x"/></samlp:Response>"#
        ),
        "x",
    );
    // Even on one element.
    assert_duplicate(r#"<a ID="y" Id="y"/>"#, "y");
}

// attack: rule-1
#[test]
fn duplicate_xml_id_is_rejected() {
    assert_duplicate(r#"<a><b xml:id="k"/><c xml:id="k"/></a>"#, "k");
    assert_duplicate(r#"<a ID="k"><b xml:id="k"/></a>"#, "k");
}

#[test]
fn duplicate_on_non_referable_elements_is_still_rejected() {
    assert_duplicate(r#"<foo ID="z"><bar ID="z"/></foo>"#, "z");
}

// attack: digest-anywhere
#[test]
fn duplicate_hidden_deep_in_extensions_is_rejected() {
    assert_duplicate(
        &format!(
            r#"<samlp:AuthnRequest {SAMLP_DECL} ID="_a"><samlp:Extensions><foo:Bar xmlns:foo="urn:foo"><foo:Baz><foo:Qux><foo:Deep ID="_a"/></foo:Qux></foo:Baz></foo:Bar></samlp:Extensions></samlp:AuthnRequest>"#
        ),
        "_a",
    );
}

const ID_PROFILE_DOC: &str = r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" ID="req"><samlp:Extensions><foo:Thing xmlns:foo="urn:foo" ID="foreign"/></samlp:Extensions><saml:Issuer Id="lower">x</saml:Issuer><ds:Signature Id="sig"/><plain xml:id="xid"/></samlp:AuthnRequest>"#;

#[test]
fn element_by_id_under_saml_profile_finds_only_referable_ids() {
    let doc = Document::parse(ID_PROFILE_DOC.as_bytes(), &saml()).unwrap();
    let req = doc.element_by_id("req").unwrap();
    assert!(req.is(ns::SAMLP, "AuthnRequest"));
    assert_eq!(req, doc.root());
    assert!(doc.element_by_id("sig").unwrap().is(ns::DS, "Signature"));
    assert_eq!(doc.element_by_id("xid").unwrap().local_name(), "plain");
    // `ID` on a non-SAML element and `Id` on a SAML element are not references targets.
    assert!(doc.element_by_id("foreign").is_none());
    assert!(doc.element_by_id("lower").is_none());
    assert!(doc.element_by_id("nope").is_none());
}

#[test]
fn element_by_id_under_dsig_profile_finds_id_on_any_element() {
    let options = ParseOptions {
        limits: ParseLimits::saml(),
        ids: IdProfile::Dsig,
    };
    let doc = Document::parse(ID_PROFILE_DOC.as_bytes(), &options).unwrap();
    assert!(doc.element_by_id("foreign").unwrap().is("urn:foo", "Thing"));
    assert!(doc.element_by_id("lower").unwrap().is(ns::SAML, "Issuer"));
}

// ---------------------------------------------------------------------------------------------
// Leaf text
// ---------------------------------------------------------------------------------------------

fn name_id_text(inner: &str) -> Option<String> {
    let xml = format!(r#"<saml:NameID {SAML_DECL}>{inner}</saml:NameID>"#);
    let doc = Document::parse(xml.as_bytes(), &saml()).unwrap();
    doc.root().leaf_text().map(|t| t.into_owned())
}

// attack: comment-injection
#[test]
fn leaf_text_refuses_comment_injection_in_name_id() {
    assert_eq!(name_id_text("admin<!---->@evil"), None);
    assert_eq!(name_id_text("admin<!-- x -->"), None);
    assert_eq!(name_id_text("<!---->admin"), None);
}

// attack: comment-injection
#[test]
fn leaf_text_refuses_processing_instructions_and_child_elements() {
    assert_eq!(name_id_text("admin<?x y?>@evil"), None);
    assert_eq!(name_id_text("admin<b>@evil</b>"), None);
    assert_eq!(name_id_text("<b/>"), None);
}

#[test]
fn leaf_text_returns_the_whole_value_otherwise() {
    assert_eq!(name_id_text("admin@evil").as_deref(), Some("admin@evil"));
    assert_eq!(name_id_text("").as_deref(), Some(""));
    assert_eq!(name_id_text("a&amp;b&#64;c").as_deref(), Some("a&b@c"));
    assert_eq!(
        name_id_text("admin<![CDATA[@ev<il]]>!").as_deref(),
        Some("admin@ev<il!")
    );
    assert_eq!(name_id_text(" \n x \n ").as_deref(), Some(" \n x \n "));
    // The node kinds the refusals rely on.
    let doc = Document::parse(b"<a>x<!--c--><?p?><b/></a>", &saml()).unwrap();
    let kinds: Vec<_> = doc.root().children().map(|n| n.kind()).collect();
    assert_eq!(
        kinds,
        [
            NodeKind::Text,
            NodeKind::Comment,
            NodeKind::ProcessingInstruction,
            NodeKind::Element
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Threads
// ---------------------------------------------------------------------------------------------

#[test]
fn parsing_and_canonicalizing_from_four_threads_is_consistent() {
    let xml = format!(
        r#"<samlp:Response {SAMLP_DECL} {SAML_DECL} ID="r"><saml:Assertion ID="a" xml:lang="pl"><saml:NameID>jan&amp;kowalski</saml:NameID></saml:Assertion></samlp:Response>"#
    );
    let expected = r#"<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="a" xml:lang="pl"><saml:NameID>jan&amp;kowalski</saml:NameID></saml:Assertion>"#;
    let method = C14nMethod::Exclusive {
        inclusive_prefixes: Vec::new(),
    };
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let bytes = xml.clone().into_bytes();
                let method = &method;
                s.spawn(move || {
                    let mut outputs = Vec::with_capacity(200);
                    for _ in 0..200 {
                        let doc = Document::parse(&bytes, &saml()).unwrap();
                        let a = doc.element_by_id("a").unwrap();
                        let out = doc
                            .canonicalize_to_vec(Selection::Subtree(a), Exclusion::Nothing, method)
                            .unwrap();
                        outputs.push(out);
                    }
                    outputs
                })
            })
            .collect();
        for h in handles {
            let outputs = h.join().unwrap();
            assert_eq!(outputs.len(), 200);
            for out in outputs {
                assert_eq!(out, expected.as_bytes());
            }
        }
    });
}

// ---------------------------------------------------------------------------------------------
// One parser
// ---------------------------------------------------------------------------------------------

/// Rule 1 against parser differentials (ruby-saml CVE-2025-25291/25292, Go encoding/xml
/// CVE-2020-29509): libxml2 (the `libxml` crate) is the only XML parser in the dependency graph
/// of the core, the CLI, the C ABI and the Python binding (walked in Cargo.lock, dev and build
/// dependencies included), so no second parser can disagree with it about what was signed.
/// Benchmarks comparing other libraries are not walked: they decide nothing.
// attack: parser-differential, rule-1
#[test]
fn libxml2_is_the_only_xml_parser_in_the_dependency_graph() {
    const OTHER_PARSERS: &[&str] = &[
        "quick-xml",
        "xml-rs",
        "xml",
        "roxmltree",
        "xmlparser",
        "xmltree",
        "minidom",
        "rxml",
        "sxd-document",
        "xml5ever",
        "serde-xml-rs",
        "serde_xml",
        "yaserde",
        "hard-xml",
        "strong-xml",
        "xot",
        "xml_dom",
        "xmlem",
        "xee-xpath",
    ];
    let lock =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock")).unwrap();
    let mut packages = Vec::new();
    let mut current: Option<(String, Vec<String>)> = None;
    let mut in_deps = false;
    for line in lock.lines() {
        if line == "[[package]]" {
            packages.extend(current.take());
            current = Some((String::new(), Vec::new()));
            in_deps = false;
        } else if let (Some(name), Some(p)) = (line.strip_prefix("name = "), current.as_mut()) {
            p.0 = name.trim_matches('"').to_owned();
        } else if line == "dependencies = [" {
            in_deps = true;
        } else if line == "]" {
            in_deps = false;
        } else if let (true, Some(p)) = (in_deps, current.as_mut()) {
            let dep = line.trim().trim_end_matches(',').trim_matches('"');
            p.1.push(dep.split(' ').next().unwrap().to_owned());
        }
    }
    packages.extend(current);
    assert!(packages.len() > 20, "Cargo.lock not understood");
    let deps_of = |name: &str| -> Vec<String> {
        // A name may be locked in several versions: walk all of them.
        packages
            .iter()
            .filter(|(n, _)| n == name)
            .flat_map(|(_, deps)| deps.clone())
            .collect()
    };
    let roots = ["eidpl", "eidpl-cli", "eidpl-ffi", "eidpl-python"];
    let mut seen: Vec<String> = Vec::new();
    let mut todo: Vec<String> = roots.iter().map(|r| (*r).to_owned()).collect();
    for root in roots {
        assert!(
            packages.iter().any(|(n, _)| n == root),
            "{root} not in Cargo.lock"
        );
    }
    while let Some(name) = todo.pop() {
        if seen.contains(&name) {
            continue;
        }
        todo.extend(deps_of(&name));
        seen.push(name);
    }
    assert!(seen.len() > 20, "dependency walk too short: {seen:?}");
    let found: Vec<&String> = seen
        .iter()
        .filter(|name| OTHER_PARSERS.contains(&name.as_str()))
        .collect();
    assert!(
        found.is_empty(),
        "a second XML parser is a dependency: {found:?}"
    );
    assert!(deps_of("eidpl").iter().any(|d| d == "libxml"));
}
