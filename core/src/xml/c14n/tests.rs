//! Where the Rust exclusive serializer deliberately fails closed, and the edges of its
//! selection: cases the differential tests cannot reach from parsed documents.

use super::{C14nMethod, Exclusion, Selection};
use crate::error::ErrorCode;
use crate::xml::{Document, Node, ParseOptions};
use libxml::bindings::{xmlAddChild, xmlNewProp, xmlNewReference, xmlNode};

fn parse(xml: &str) -> Document {
    Document::parse(xml.as_bytes(), &ParseOptions::saml()).unwrap()
}

fn exclusive(prefixes: &[&str]) -> C14nMethod {
    C14nMethod::Exclusive {
        inclusive_prefixes: prefixes.iter().map(|p| (*p).to_owned()).collect(),
    }
}

fn ours(doc: &Document, apex: Node<'_>, method: &C14nMethod) -> crate::Result<String> {
    doc.canonicalize_to_vec(Selection::Subtree(apex), Exclusion::Nothing, method)
        .map(|v| String::from_utf8(v).unwrap())
}

fn libxml2(doc: &Document, apex: Node<'_>, method: &C14nMethod) -> crate::Result<String> {
    let mut v = Vec::new();
    doc.canonicalize_libxml2(Selection::Subtree(apex), Exclusion::Nothing, method, &mut v)
        .map(|_| String::from_utf8(v).unwrap())
}

fn c14n_failed(r: crate::Result<String>) {
    assert_eq!(r.unwrap_err().code(), ErrorCode::C14nFailed);
}

#[test]
fn entity_reference_in_content_fails_closed() {
    let doc = parse("<a><b>x</b></a>");
    let b = doc.root().first_child().unwrap();
    // SAFETY: test-only edit; no view of the tree is in use while the node is added.
    unsafe {
        let r = xmlNewReference(doc.as_ptr(), c"&foo;".as_ptr() as *const u8);
        assert!(!xmlAddChild(b.as_ptr(), r).is_null());
    }
    c14n_failed(ours(&doc, b, &exclusive(&[])));
    c14n_failed(ours(&doc, doc.root(), &exclusive(&[])));
    // libxml2 refuses it too, wherever it is.
    c14n_failed(libxml2(&doc, doc.root(), &exclusive(&[])));
}

#[test]
fn entity_reference_in_an_attribute_value_fails_closed() {
    let doc = parse("<a><b>x</b></a>");
    let b = doc.root().first_child().unwrap();
    // SAFETY: test-only edit; no view of the tree is in use while the attribute is added. The
    // reference is linked after the value's text node by hand (the tree API only adds text).
    unsafe {
        let attr = xmlNewProp(
            b.as_ptr(),
            c"v".as_ptr() as *const u8,
            c"x".as_ptr() as *const u8,
        );
        let text = (*attr).children;
        assert!(!text.is_null() && (*text).next.is_null());
        let r = xmlNewReference(doc.as_ptr(), c"&foo;".as_ptr() as *const u8);
        (*r).parent = attr as *mut xmlNode;
        (*r).prev = text;
        (*text).next = r;
        (*attr).last = r;
    }
    c14n_failed(ours(&doc, b, &exclusive(&[])));
    // libxml2 silently drops the unknown entity.
    assert_eq!(
        libxml2(&doc, b, &exclusive(&[])).unwrap(),
        r#"<b v="x">x</b>"#
    );
}

#[test]
fn ampersand_in_a_rendered_namespace_uri_is_c14n_failed() {
    // libxml2 keeps `&` of a namespace URI as `&#38;` and writes it unescaped; a conforming
    // canonicalizer writes `&amp;`. Neither byte string is safe to sign or verify.
    let doc = parse(r#"<a xmlns:p="http://x/?a&amp;b"><p:b/><c/></a>"#);
    let b = doc.root().first_child().unwrap();
    assert_eq!(
        libxml2(&doc, b, &exclusive(&[])).unwrap(),
        r#"<p:b xmlns:p="http://x/?a&#38;b"></p:b>"#
    );
    c14n_failed(ours(&doc, b, &exclusive(&[])));
    c14n_failed(ours(&doc, doc.root(), &exclusive(&["p"])));
    // Not rendered, not a problem.
    let c = doc.root().child_elements().nth(1).unwrap();
    assert_eq!(ours(&doc, c, &exclusive(&[])).unwrap(), "<c></c>");
}

#[test]
fn differential_accepts_only_the_unescaped_uri_divergence() {
    // Found by the `parse` fuzz target: the differential reported the refusal above as a
    // difference (fuzz/regressions/parse/accept-ampersand-namespace-uri.xml).
    let doc = parse(r#"<a xmlns:p="http://x/?a&amp;b"><p:b/><c/></a>"#);
    assert!(crate::xml::c14n_differential(&doc, 2).is_ok());
    // Still a difference when libxml2's output does not hold the URI raw.
    assert!(!super::differential::unescaped_uri(
        &doc,
        b"<p:b xmlns:p=\"http://x/?a&amp;b\"></p:b>"
    ));
}

#[test]
fn relative_namespace_added_by_an_edit_is_seen() {
    let mut doc = parse(r#"<a xmlns="urn:a"><b/><c/></a>"#);
    let method = exclusive(&[]);
    assert_eq!(
        ours(&doc, doc.root(), &method).unwrap(),
        r#"<a xmlns="urn:a"><b></b><c></c></a>"#
    );
    let c = doc.root().child_elements().nth(1).unwrap().as_ptr();
    doc.insert_after(c, r#"<d xmlns:r="relative"/>"#).unwrap();
    let b = doc.root().first_child().unwrap();
    // Anywhere in the document, a relative namespace URI fails c14n (C14N 1.0 §2.1).
    c14n_failed(ours(&doc, b, &method));
    c14n_failed(libxml2(&doc, b, &method));
}

#[test]
fn apex_of_another_document_is_c14n_failed() {
    let doc = parse("<a><b/></a>");
    let other = parse("<a><b/></a>");
    let foreign = other.root();
    c14n_failed(ours(&doc, foreign, &exclusive(&[])));
    c14n_failed(libxml2(&doc, foreign, &exclusive(&[])));
}

#[test]
fn exclusion_from_another_document_or_outside_the_apex_excludes_nothing() {
    let doc = parse("<a><b>1</b><c>2</c></a>");
    let other = parse("<a><b>1</b><c>2</c></a>");
    let b = doc.root().first_child().unwrap();
    let c = doc.root().child_elements().nth(1).unwrap();
    for excluded in [other.root().first_child().unwrap(), c] {
        let got = doc
            .canonicalize_to_vec(
                Selection::Subtree(b),
                Exclusion::Subtree(excluded),
                &exclusive(&[]),
            )
            .unwrap();
        assert_eq!(got, b"<b>1</b>");
    }
}

#[test]
fn long_prefix_list_with_repeats_and_unknown_prefixes_changes_nothing() {
    // The PrefixList is unsigned when SignedInfo is canonicalized: its length must not cost more
    // than the document's own declarations, and order, repeats and unknown prefixes must not
    // change the bytes.
    let doc = parse(
        r#"<r xmlns="urn:d" xmlns:a="urn:a" xmlns:b="urn:b"><s><a:t xmlns:c="urn:c"><u b:x="1"/></a:t></s></r>"#,
    );
    let s = doc.root().first_child().unwrap();
    let mut list: Vec<String> = (0..20_000).map(|i| format!("p{i}")).collect();
    list.extend(["c", "b", "#default", "b", "xml", "", "c"].map(String::from));
    list.rotate_left(7_000);
    let method = C14nMethod::Exclusive {
        inclusive_prefixes: list,
    };
    let expected = r#"<s xmlns="urn:d" xmlns:b="urn:b"><a:t xmlns:a="urn:a" xmlns:c="urn:c"><u b:x="1"></u></a:t></s>"#;
    assert_eq!(ours(&doc, s, &method).unwrap(), expected);
    assert_eq!(libxml2(&doc, s, &method).unwrap(), expected);
}
