#![allow(clippy::unwrap_used)]
//! Conformance of `Document::canonicalize` with Canonical XML 1.0 and Exclusive XML
//! Canonicalization 1.0 (both without comments).
//!
//! Every expected output below was written by hand from the spec rules (or copied from the spec's
//! published outputs, adapted where the spec example needs a DTD, which eidpl rejects by design).

mod common;

use eidpl::xml::{ns, C14nMethod, Document, Exclusion, Node, ParseOptions, Selection};
use eidpl::ErrorCode;
use std::io::{self, Write};

/// Parses, and holds the Rust exclusive c14n to libxml2's on the document (small ones: every
/// element is an apex, and libxml2 walks the whole document for each).
fn parse(xml: &str) -> Document {
    let doc = Document::parse(xml.as_bytes(), &ParseOptions::saml()).unwrap();
    if xml.len() < 20_000 {
        common::c14n_differential_once(xml.as_bytes(), &doc);
    }
    doc
}

fn inclusive() -> C14nMethod {
    C14nMethod::Inclusive
}

fn exclusive(prefixes: &[&str]) -> C14nMethod {
    C14nMethod::Exclusive {
        inclusive_prefixes: prefixes.iter().map(|p| (*p).to_owned()).collect(),
    }
}

fn c14n(doc: &Document, sel: Selection<'_>, excl: Exclusion<'_>, method: &C14nMethod) -> String {
    String::from_utf8(doc.canonicalize_to_vec(sel, excl, method).unwrap()).unwrap()
}

fn whole(doc: &Document, method: &C14nMethod) -> String {
    c14n(doc, Selection::Document, Exclusion::Nothing, method)
}

fn subtree<'a>(doc: &'a Document, node: Node<'a>, method: &C14nMethod) -> String {
    c14n(doc, Selection::Subtree(node), Exclusion::Nothing, method)
}

/// First element (depth-first, document order, including `from`) matching `pred`.
fn find<'a>(from: Node<'a>, pred: &dyn Fn(Node<'a>) -> bool) -> Option<Node<'a>> {
    if pred(from) {
        return Some(from);
    }
    from.child_elements().find_map(|c| find(c, pred))
}

fn by_name<'a>(doc: &'a Document, local: &str) -> Node<'a> {
    find(doc.root(), &|n| n.local_name() == local)
        .unwrap_or_else(|| panic!("no element named {local}"))
}

fn all_named<'a>(from: Node<'a>, local: &str, out: &mut Vec<Node<'a>>) {
    if from.local_name() == local {
        out.push(from);
    }
    for c in from.child_elements() {
        all_named(c, local, out);
    }
}

// ---------------------------------------------------------------------------------------------
// Canonical XML 1.0, section 3 examples
// ---------------------------------------------------------------------------------------------

/// Spec 3.1 (DOCTYPE line dropped): XML declaration and comments go, PIs stay with their data
/// separated by one space, and only one #xA separates nodes outside the document element.
const SPEC_3_1_INPUT: &str = "<?xml version=\"1.0\"?>\n\n<?xml-stylesheet   href=\"doc.xsl\"\n   type=\"text/xsl\"   ?>\n\n<doc>Hello, world!<!-- Comment 1 --></doc>\n\n<?pi-without-data     ?>\n\n<!-- Comment 2 -->\n\n<!-- Comment 3 -->\n";
const SPEC_3_1_OUTPUT: &str = "<?xml-stylesheet href=\"doc.xsl\"\n   type=\"text/xsl\"   ?>\n<doc>Hello, world!</doc>\n<?pi-without-data?>";

#[test]
fn spec_3_1_inclusive_keeps_pis_drops_comments_and_outer_whitespace() {
    let doc = parse(SPEC_3_1_INPUT);
    assert_eq!(whole(&doc, &inclusive()), SPEC_3_1_OUTPUT);
}

#[test]
fn spec_3_1_exclusive_keeps_pis_drops_comments_and_outer_whitespace() {
    let doc = parse(SPEC_3_1_INPUT);
    assert_eq!(whole(&doc, &exclusive(&[])), SPEC_3_1_OUTPUT);
}

/// Spec 3.2: whitespace inside the document element is content and stays byte for byte.
const SPEC_3_2: &str = "<doc>\n   <clean>   </clean>\n   <dirty>   A   B   </dirty>\n   <mixed>\n      A\n      <clean>   </clean>\n      B\n      <dirty>   A   B   </dirty>\n      C\n   </mixed>\n</doc>";

#[test]
fn spec_3_2_whitespace_in_content_is_preserved() {
    // Trailing whitespace after the document element is not content.
    let doc = parse(&format!("{SPEC_3_2}\n\n"));
    assert_eq!(whole(&doc, &inclusive()), SPEC_3_2);
    assert_eq!(whole(&doc, &exclusive(&[])), SPEC_3_2);
}

/// Spec 3.3 without its DTD (so `e9` gets no defaulted `attr`).
const SPEC_3_3_INPUT: &str = r#"<doc>
   <e1   />
   <e2   ></e2>
   <e3   name = "elem3"   id="elem3"   />
   <e4   name="elem4"   id="elem4"   ></e4>
   <e5 a:attr="out" b:attr="sorted" attr2="all" attr="I'm"
      xmlns:b="http://www.ietf.org"
      xmlns:a="http://www.w3.org"
      xmlns="http://example.org"/>
   <e6 xmlns="" xmlns:a="http://www.w3.org">
      <e7 xmlns="http://www.ietf.org">
         <e8 xmlns="" xmlns:a="http://www.w3.org">
            <e9 xmlns="" xmlns:a="http://www.ietf.org"/>
         </e8>
      </e7>
   </e6>
</doc>"#;

#[test]
fn spec_3_3_inclusive_start_end_tags_attribute_order_and_superfluous_namespaces() {
    let expected = r#"<doc>
   <e1></e1>
   <e2></e2>
   <e3 id="elem3" name="elem3"></e3>
   <e4 id="elem4" name="elem4"></e4>
   <e5 xmlns="http://example.org" xmlns:a="http://www.w3.org" xmlns:b="http://www.ietf.org" attr="I'm" attr2="all" b:attr="sorted" a:attr="out"></e5>
   <e6 xmlns:a="http://www.w3.org">
      <e7 xmlns="http://www.ietf.org">
         <e8 xmlns="">
            <e9 xmlns:a="http://www.ietf.org"></e9>
         </e8>
      </e7>
   </e6>
</doc>"#;
    let doc = parse(SPEC_3_3_INPUT);
    assert_eq!(whole(&doc, &inclusive()), expected);
}

#[test]
fn spec_3_3_exclusive_renders_only_visibly_utilized_namespaces() {
    // e6 and e9 use no prefix `a`; e6 has no output ancestor with a default namespace, so its
    // xmlns="" is not rendered; e8's nearest output ancestor (e7) has one, so xmlns="" is.
    let expected = r#"<doc>
   <e1></e1>
   <e2></e2>
   <e3 id="elem3" name="elem3"></e3>
   <e4 id="elem4" name="elem4"></e4>
   <e5 xmlns="http://example.org" xmlns:a="http://www.w3.org" xmlns:b="http://www.ietf.org" attr="I'm" attr2="all" b:attr="sorted" a:attr="out"></e5>
   <e6>
      <e7 xmlns="http://www.ietf.org">
         <e8 xmlns="">
            <e9></e9>
         </e8>
      </e7>
   </e6>
</doc>"#;
    let doc = parse(SPEC_3_3_INPUT);
    assert_eq!(whole(&doc, &exclusive(&[])), expected);
}

#[test]
fn spec_3_4_character_modifications_and_references() {
    // Spec 3.4 without its DTD: normNames is plain CDATA here (no NMTOKENS normalization) and
    // normId is left out (its ID-ness needs the DTD).
    let input = "<doc>\n   <text>First line&#x0d;&#10;Second line</text>\n   <value>&#x32;</value>\n   <compute><![CDATA[value>\"0\" && value<\"10\" ?\"valid\":\"error\"]]></compute>\n   <compute expr='value>\"0\" &amp;&amp; value&lt;\"10\" ?\"valid\":\"error\"'>valid</compute>\n   <norm attr=' &apos;   &#x20;&#13;&#xa;&#9;   &apos; '/>\n   <normNames attr='   A   &#x20;&#13;&#xa;&#9;   B   '/>\n</doc>";
    let expected = "<doc>\n   <text>First line&#xD;\nSecond line</text>\n   <value>2</value>\n   <compute>value&gt;\"0\" &amp;&amp; value&lt;\"10\" ?\"valid\":\"error\"</compute>\n   <compute expr=\"value>&quot;0&quot; &amp;&amp; value&lt;&quot;10&quot; ?&quot;valid&quot;:&quot;error&quot;\">valid</compute>\n   <norm attr=\" '    &#xD;&#xA;&#x9;   ' \"></norm>\n   <normNames attr=\"   A    &#xD;&#xA;&#x9;   B   \"></normNames>\n</doc>";
    let doc = parse(input);
    assert_eq!(whole(&doc, &inclusive()), expected);
    assert_eq!(whole(&doc, &exclusive(&[])), expected);
}

#[test]
fn spec_3_6_output_is_utf8_whatever_the_input_encoding() {
    // The spec's input uses a character reference; the second case has the raw Latin-1 byte.
    let by_ref = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<doc>&#169;</doc>";
    let raw = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<doc>\xA9</doc>";
    for input in [&by_ref[..], &raw[..]] {
        let doc = Document::parse(input, &ParseOptions::saml()).unwrap();
        let out = doc
            .canonicalize_to_vec(Selection::Document, Exclusion::Nothing, &inclusive())
            .unwrap();
        assert_eq!(out, b"<doc>\xC2\xA9</doc>");
    }
}

// ---------------------------------------------------------------------------------------------
// Escaping, ordering and namespace rules in isolation
// ---------------------------------------------------------------------------------------------

#[test]
fn text_escapes_amp_lt_gt_and_cr_only() {
    let doc = parse("<a>&amp;&lt;&gt;&#13;\"'\t&#9;\n&#10;</a>");
    assert_eq!(
        whole(&doc, &inclusive()),
        "<a>&amp;&lt;&gt;&#xD;\"'\t\t\n\n</a>"
    );
}

#[test]
fn attribute_escapes_amp_lt_quot_tab_lf_cr_but_not_gt() {
    let doc = parse("<a x=\"&amp;&lt;&gt;&quot;&#9;&#10;&#13;'\"/>");
    assert_eq!(
        whole(&doc, &inclusive()),
        "<a x=\"&amp;&lt;>&quot;&#x9;&#xA;&#xD;'\"></a>"
    );
}

#[test]
fn literal_whitespace_in_attributes_and_crlf_in_text_are_normalized_by_the_parser() {
    let doc = parse("<a y=\"1\t2\n3\r\n4\">x\r\ny\rz</a>");
    assert_eq!(whole(&doc, &inclusive()), "<a y=\"1 2 3 4\">x\ny\nz</a>");
}

#[test]
fn attributes_sort_by_namespace_uri_then_local_name_not_by_prefix() {
    // Unqualified attributes first, then by namespace URI (urn:a before urn:z) whatever the
    // prefix, then local name; namespace declarations before all attributes, by prefix.
    let doc = parse(r#"<r xmlns:z="urn:a" xmlns:a="urn:z" a:k="1" z:k="2" b="3" a:b="4" A="5"/>"#);
    let expected = r#"<r xmlns:a="urn:z" xmlns:z="urn:a" A="5" b="3" z:k="2" a:b="4" a:k="1"></r>"#;
    assert_eq!(whole(&doc, &inclusive()), expected);
    assert_eq!(whole(&doc, &exclusive(&[])), expected);
}

#[test]
fn empty_elements_are_expanded_to_start_end_pairs() {
    let doc = parse("<a><b/><c></c><d x='1'/></a>");
    let expected = r#"<a><b></b><c></c><d x="1"></d></a>"#;
    assert_eq!(whole(&doc, &inclusive()), expected);
    assert_eq!(whole(&doc, &exclusive(&[])), expected);
}

#[test]
fn inclusive_drops_redundant_redeclarations_but_keeps_unused_ones() {
    let doc = parse(
        r#"<a xmlns:p="urn:p" xmlns:u="urn:unused"><b xmlns:p="urn:p" xmlns=""><p:c/></b></a>"#,
    );
    assert_eq!(
        whole(&doc, &inclusive()),
        r#"<a xmlns:p="urn:p" xmlns:u="urn:unused"><b><p:c></p:c></b></a>"#
    );
}

#[test]
fn exclusive_drops_unused_declarations_and_declares_where_first_utilized() {
    let doc = parse(
        r#"<r xmlns:p="urn:p" xmlns:u="urn:unused" xmlns:q="urn:q"><p:x/><p:y q:a="1"/><z/></r>"#,
    );
    assert_eq!(
        whole(&doc, &exclusive(&[])),
        r#"<r><p:x xmlns:p="urn:p"></p:x><p:y xmlns:p="urn:p" xmlns:q="urn:q" q:a="1"></p:y><z></z></r>"#
    );
}

#[test]
fn exclusive_renders_a_rebinding_of_an_already_rendered_prefix() {
    let doc =
        parse(r#"<p:a xmlns:p="urn:1"><p:b xmlns:p="urn:2"><p:c xmlns:p="urn:2"/></p:b></p:a>"#);
    let expected = r#"<p:a xmlns:p="urn:1"><p:b xmlns:p="urn:2"><p:c></p:c></p:b></p:a>"#;
    assert_eq!(whole(&doc, &exclusive(&[])), expected);
    assert_eq!(whole(&doc, &inclusive()), expected);
}

#[test]
fn exclusive_default_namespace_undeclaration_only_under_a_rendered_default() {
    let doc = parse(r#"<a xmlns="urn:d"><b xmlns=""><c/></b></a>"#);
    let expected = r#"<a xmlns="urn:d"><b xmlns=""><c></c></b></a>"#;
    assert_eq!(whole(&doc, &exclusive(&[])), expected);
    assert_eq!(whole(&doc, &inclusive()), expected);
    // As the apex of a subset there is no output ancestor with a default namespace.
    let b = by_name(&doc, "b");
    assert_eq!(subtree(&doc, b, &exclusive(&[])), "<b><c></c></b>");
    assert_eq!(subtree(&doc, b, &inclusive()), "<b><c></c></b>");
}

#[test]
fn exclusive_prefix_with_nul_is_c14n_failed() {
    let doc = parse("<a/>");
    let err = doc
        .canonicalize_to_vec(
            Selection::Document,
            Exclusion::Nothing,
            &exclusive(&["a\0b"]),
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::C14nFailed);
}

// ---------------------------------------------------------------------------------------------
// Document subsets
// ---------------------------------------------------------------------------------------------

/// The two documents of Exclusive XML Canonicalization 1.0, section 2.2.
const EXC_2_2_DOC1: &str = r#"<n0:local xmlns:n0="foo:bar" xmlns:n3="ftp://example.org">
   <n1:elem2 xmlns:n1="http://example.net" xml:lang="en">
       <n3:stuff xmlns:n3="ftp://example.org"/>
   </n1:elem2>
</n0:local>"#;
const EXC_2_2_DOC2: &str = r#"<n2:pdu xmlns:n1="http://example.com"
           xmlns:n2="http://foo.example"
           xml:lang="fr"
           xml:space="retain">
   <n1:elem2 xmlns:n1="http://example.net" xml:lang="en">
       <n3:stuff xmlns:n3="ftp://example.org"/>
   </n1:elem2>
</n2:pdu>"#;

#[test]
fn exc_spec_2_2_inclusive_subset_pulls_in_ancestor_namespaces_and_xml_attributes() {
    let doc1 = parse(EXC_2_2_DOC1);
    assert_eq!(
        subtree(&doc1, by_name(&doc1, "elem2"), &inclusive()),
        "<n1:elem2 xmlns:n0=\"foo:bar\" xmlns:n1=\"http://example.net\" xmlns:n3=\"ftp://example.org\" xml:lang=\"en\">\n       <n3:stuff></n3:stuff>\n   </n1:elem2>"
    );
    let doc2 = parse(EXC_2_2_DOC2);
    assert_eq!(
        subtree(&doc2, by_name(&doc2, "elem2"), &inclusive()),
        "<n1:elem2 xmlns:n1=\"http://example.net\" xmlns:n2=\"http://foo.example\" xml:lang=\"en\" xml:space=\"retain\">\n       <n3:stuff xmlns:n3=\"ftp://example.org\"></n3:stuff>\n   </n1:elem2>"
    );
}

#[test]
fn exc_spec_2_2_exclusive_subset_is_independent_of_its_context() {
    let expected = "<n1:elem2 xmlns:n1=\"http://example.net\" xml:lang=\"en\">\n       <n3:stuff xmlns:n3=\"ftp://example.org\"></n3:stuff>\n   </n1:elem2>";
    for input in [EXC_2_2_DOC1, EXC_2_2_DOC2] {
        let doc = parse(input);
        assert_eq!(
            subtree(&doc, by_name(&doc, "elem2"), &exclusive(&[])),
            expected
        );
    }
}

#[test]
fn exclusive_prefix_list_renders_ancestor_declarations_on_the_apex() {
    let doc = parse(EXC_2_2_DOC1);
    let elem2 = by_name(&doc, "elem2");
    // n0 is declared only on the (excluded) parent; n3 is rendered on the apex, so the
    // descendant's identical declaration is superfluous.
    assert_eq!(
        subtree(&doc, elem2, &exclusive(&["n0", "n3"])),
        "<n1:elem2 xmlns:n0=\"foo:bar\" xmlns:n1=\"http://example.net\" xmlns:n3=\"ftp://example.org\" xml:lang=\"en\">\n       <n3:stuff></n3:stuff>\n   </n1:elem2>"
    );
}

#[test]
fn inclusive_subset_inherits_nearest_xml_lang_and_space_from_ancestors() {
    let doc = parse(
        r#"<doc xml:lang="pl" xml:space="preserve" xmlns:a="urn:a"><mid xml:lang="en"><leaf a:x="1">t</leaf></mid></doc>"#,
    );
    let leaf = by_name(&doc, "leaf");
    assert_eq!(
        subtree(&doc, leaf, &inclusive()),
        r#"<leaf xmlns:a="urn:a" xml:lang="en" xml:space="preserve" a:x="1">t</leaf>"#
    );
    // The apex's own xml:* attribute wins over an ancestor's.
    let mid = by_name(&doc, "mid");
    assert_eq!(
        subtree(&doc, mid, &inclusive()),
        r#"<mid xmlns:a="urn:a" xml:lang="en" xml:space="preserve"><leaf a:x="1">t</leaf></mid>"#
    );
}

#[test]
fn exclusive_subset_inherits_no_xml_attributes_and_no_unused_namespaces() {
    let doc = parse(
        r#"<doc xml:lang="pl" xml:space="preserve" xmlns:a="urn:a" xmlns:u="urn:u"><mid xml:lang="en"><leaf a:x="1">t</leaf></mid></doc>"#,
    );
    assert_eq!(
        subtree(&doc, by_name(&doc, "leaf"), &exclusive(&[])),
        r#"<leaf xmlns:a="urn:a" a:x="1">t</leaf>"#
    );
    assert_eq!(
        subtree(&doc, by_name(&doc, "mid"), &exclusive(&[])),
        r#"<mid xml:lang="en"><leaf xmlns:a="urn:a" a:x="1">t</leaf></mid>"#
    );
}

#[test]
fn default_namespace_from_ancestor_inclusive_always_exclusive_only_when_used_or_listed() {
    let doc = parse(r#"<p:a xmlns:p="urn:p" xmlns="urn:d"><p:b><p:c/></p:b><e><f/></e></p:a>"#);
    let b = by_name(&doc, "b");
    assert_eq!(
        subtree(&doc, b, &inclusive()),
        r#"<p:b xmlns="urn:d" xmlns:p="urn:p"><p:c></p:c></p:b>"#
    );
    assert_eq!(
        subtree(&doc, b, &exclusive(&[])),
        r#"<p:b xmlns:p="urn:p"><p:c></p:c></p:b>"#
    );
    assert_eq!(
        subtree(&doc, b, &exclusive(&["#default"])),
        r#"<p:b xmlns="urn:d" xmlns:p="urn:p"><p:c></p:c></p:b>"#
    );
    // e is in the default namespace, so it is visibly utilized either way.
    let e = by_name(&doc, "e");
    assert_eq!(
        subtree(&doc, e, &exclusive(&[])),
        r#"<e xmlns="urn:d"><f></f></e>"#
    );
}

// ---------------------------------------------------------------------------------------------
// The WK trap: saml2p:Response inside saml2p:ArtifactResponse
// ---------------------------------------------------------------------------------------------

const DS_URI: &str = "http://www.w3.org/2000/09/xmldsig#";
const SAML2_URI: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
const SAML2P_URI: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
const XENC_URI: &str = "http://www.w3.org/2001/04/xmlenc#";

const WK_ARTIFACT_RESPONSE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<saml2p:ArtifactResponse xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" ID="AR-1" InResponseTo="_req" IssueInstant="2024-01-01T00:00:00.000Z" Version="2.0"><saml2:Issuer>https://symulator.login.gov.pl</saml2:Issuer><ds:Signature><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature><saml2p:Status><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></saml2p:Status><saml2p:Response Destination="https://sp.example/acs" ID="R-1" IssueInstant="2024-01-01T00:00:00.000Z" Version="2.0"><saml2:Issuer>https://symulator.login.gov.pl</saml2:Issuer><ds:Signature><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"><ec:InclusiveNamespaces xmlns:ec="http://www.w3.org/2001/10/xml-exc-c14n#" PrefixList="ds saml2 saml2p xenc"/></ds:CanonicalizationMethod></ds:SignedInfo><ds:SignatureValue>BBBB</ds:SignatureValue></ds:Signature><saml2p:Status><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></saml2p:Status><saml2:EncryptedAssertion><xenc:EncryptedData Type="http://www.w3.org/2001/04/xmlenc#Element"/></saml2:EncryptedAssertion></saml2p:Response></saml2p:ArtifactResponse>"#;

/// The inner Response's body after its own signature is removed (exclusive, empty PrefixList).
const WK_BODY_NO_LIST: &str = r#"<saml2:Issuer xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">https://symulator.login.gov.pl</saml2:Issuer><saml2p:Status><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"></saml2p:StatusCode></saml2p:Status><saml2:EncryptedAssertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion"><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Type="http://www.w3.org/2001/04/xmlenc#Element"></xenc:EncryptedData></saml2:EncryptedAssertion>"#;
/// The same body when saml2 and xenc are already rendered on the apex.
const WK_BODY_ALL_LISTED: &str = r#"<saml2:Issuer>https://symulator.login.gov.pl</saml2:Issuer><saml2p:Status><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"></saml2p:StatusCode></saml2p:Status><saml2:EncryptedAssertion><xenc:EncryptedData Type="http://www.w3.org/2001/04/xmlenc#Element"></xenc:EncryptedData></saml2:EncryptedAssertion>"#;
const WK_RESPONSE_ATTRS: &str = r#"Destination="https://sp.example/acs" ID="R-1" IssueInstant="2024-01-01T00:00:00.000Z" Version="2.0""#;

fn wk_inner(doc: &Document) -> (Node<'_>, Node<'_>) {
    let response = doc.element_by_id("R-1").unwrap();
    assert!(response.is(ns::SAMLP, "Response"));
    assert!(doc.root().is(ns::SAMLP, "ArtifactResponse"));
    let sig = response
        .child_elements()
        .find(|n| n.is(ns::DS, "Signature"))
        .unwrap();
    (response, sig)
}

#[test]
fn wk_trap_prefix_list_renders_all_ancestor_declarations_on_inner_response() {
    let doc = parse(WK_ARTIFACT_RESPONSE);
    let (response, sig) = wk_inner(&doc);
    let got = c14n(
        &doc,
        Selection::Subtree(response),
        Exclusion::Subtree(sig),
        &exclusive(&["ds", "saml2", "saml2p", "xenc"]),
    );
    let expected = format!(
        r#"<saml2p:Response xmlns:ds="{DS_URI}" xmlns:saml2="{SAML2_URI}" xmlns:saml2p="{SAML2P_URI}" xmlns:xenc="{XENC_URI}" {WK_RESPONSE_ATTRS}>{WK_BODY_ALL_LISTED}</saml2p:Response>"#
    );
    assert_eq!(got, expected);
}

#[test]
fn wk_trap_without_prefix_list_inner_response_declares_only_what_it_uses() {
    let doc = parse(WK_ARTIFACT_RESPONSE);
    let (response, sig) = wk_inner(&doc);
    let got = c14n(
        &doc,
        Selection::Subtree(response),
        Exclusion::Subtree(sig),
        &exclusive(&[]),
    );
    let expected = format!(
        r#"<saml2p:Response xmlns:saml2p="{SAML2P_URI}" {WK_RESPONSE_ATTRS}>{WK_BODY_NO_LIST}</saml2p:Response>"#
    );
    assert_eq!(got, expected);
}

#[test]
fn wk_trap_only_listed_ancestor_prefixes_are_rendered_on_the_apex() {
    let doc = parse(WK_ARTIFACT_RESPONSE);
    let (response, sig) = wk_inner(&doc);
    // ds is listed (rendered though unused); saml2 and xenc are not (rendered where used).
    let got = c14n(
        &doc,
        Selection::Subtree(response),
        Exclusion::Subtree(sig),
        &exclusive(&["ds", "saml2p"]),
    );
    let expected = format!(
        r#"<saml2p:Response xmlns:ds="{DS_URI}" xmlns:saml2p="{SAML2P_URI}" {WK_RESPONSE_ATTRS}>{WK_BODY_NO_LIST}</saml2p:Response>"#
    );
    assert_eq!(got, expected);
}

#[test]
fn wk_trap_listed_prefix_not_in_scope_is_not_rendered() {
    // Same message without any xenc declaration or encrypted content.
    let input = WK_ARTIFACT_RESPONSE
        .replace(r#" xmlns:xenc="http://www.w3.org/2001/04/xmlenc#""#, "")
        .replace(
            r#"<saml2:EncryptedAssertion><xenc:EncryptedData Type="http://www.w3.org/2001/04/xmlenc#Element"/></saml2:EncryptedAssertion>"#,
            "",
        );
    let doc = parse(&input);
    let (response, sig) = wk_inner(&doc);
    let got = c14n(
        &doc,
        Selection::Subtree(response),
        Exclusion::Subtree(sig),
        &exclusive(&["ds", "saml2", "saml2p", "xenc", "nosuch"]),
    );
    let expected = format!(
        r#"<saml2p:Response xmlns:ds="{DS_URI}" xmlns:saml2="{SAML2_URI}" xmlns:saml2p="{SAML2P_URI}" {WK_RESPONSE_ATTRS}><saml2:Issuer>https://symulator.login.gov.pl</saml2:Issuer><saml2p:Status><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"></saml2p:StatusCode></saml2p:Status></saml2p:Response>"#
    );
    assert_eq!(got, expected);
}

#[test]
fn wk_trap_inclusive_inner_response_renders_every_ancestor_declaration() {
    let doc = parse(WK_ARTIFACT_RESPONSE);
    let (response, sig) = wk_inner(&doc);
    let got = c14n(
        &doc,
        Selection::Subtree(response),
        Exclusion::Subtree(sig),
        &inclusive(),
    );
    let expected = format!(
        r#"<saml2p:Response xmlns:ds="{DS_URI}" xmlns:saml2="{SAML2_URI}" xmlns:saml2p="{SAML2P_URI}" xmlns:xenc="{XENC_URI}" {WK_RESPONSE_ATTRS}>{WK_BODY_ALL_LISTED}</saml2p:Response>"#
    );
    assert_eq!(got, expected);
}

// ---------------------------------------------------------------------------------------------
// Exclusions
// ---------------------------------------------------------------------------------------------

const ENVELOPED: &str = r#"<root xmlns="urn:r" ID="x">
  <a>1</a>
  <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo/><ds:SignatureValue>AA==</ds:SignatureValue></ds:Signature>
  <b/>
</root>"#;

#[test]
fn enveloped_signature_exclusion_removes_the_signature_subtree_only() {
    let doc = parse(ENVELOPED);
    let sig = doc
        .root()
        .child_elements()
        .find(|n| n.is(ns::DS, "Signature"))
        .unwrap();
    let expected = "<root xmlns=\"urn:r\" ID=\"x\">\n  <a>1</a>\n  \n  <b></b>\n</root>";
    for method in [inclusive(), exclusive(&[])] {
        assert_eq!(
            c14n(&doc, Selection::Document, Exclusion::Subtree(sig), &method),
            expected
        );
        assert_eq!(
            c14n(
                &doc,
                Selection::Subtree(doc.root()),
                Exclusion::Subtree(sig),
                &method
            ),
            expected
        );
    }
}

#[test]
fn excluding_a_non_signature_subtree_removes_it_and_keeps_the_rest() {
    let doc = parse(ENVELOPED);
    let a = by_name(&doc, "a");
    assert_eq!(
        c14n(&doc, Selection::Document, Exclusion::Subtree(a), &inclusive()),
        "<root xmlns=\"urn:r\" ID=\"x\">\n  \n  <ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo></ds:SignedInfo><ds:SignatureValue>AA==</ds:SignatureValue></ds:Signature>\n  <b></b>\n</root>"
    );
}

const MANY_SIGNATURES: &str = r#"<r xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:o="urn:other"><ds:Signature Id="s1"><ds:Object><ds:Signature Id="s2"><ds:SignatureValue>in</ds:SignatureValue></ds:Signature><keep>not kept</keep></ds:Object></ds:Signature><a>1<deep><ds:Signature Id="s3"><ds:SignedInfo/></ds:Signature>2</deep></a><o:Signature>other ns</o:Signature><ds:SignatureValue>loose</ds:SignatureValue><ds:Signature Id="s4"/><b/></r>"#;

#[test]
fn all_signatures_exclusion_removes_every_ds_signature_nested_or_not() {
    let doc = parse(MANY_SIGNATURES);
    let mut sigs = Vec::new();
    all_named(doc.root(), "Signature", &mut sigs);
    assert_eq!(sigs.iter().filter(|n| n.is(ns::DS, "Signature")).count(), 4);
    assert_eq!(
        c14n(
            &doc,
            Selection::Document,
            Exclusion::AllSignatures,
            &inclusive()
        ),
        r#"<r xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:o="urn:other"><a>1<deep>2</deep></a><o:Signature>other ns</o:Signature><ds:SignatureValue>loose</ds:SignatureValue><b></b></r>"#
    );
    assert_eq!(
        c14n(
            &doc,
            Selection::Document,
            Exclusion::AllSignatures,
            &exclusive(&[])
        ),
        r#"<r><a>1<deep>2</deep></a><o:Signature xmlns:o="urn:other">other ns</o:Signature><ds:SignatureValue xmlns:ds="http://www.w3.org/2000/09/xmldsig#">loose</ds:SignatureValue><b></b></r>"#
    );
}

#[test]
fn all_signatures_exclusion_applies_inside_a_selected_subtree() {
    let doc = parse(MANY_SIGNATURES);
    let a = by_name(&doc, "a");
    assert_eq!(
        c14n(
            &doc,
            Selection::Subtree(a),
            Exclusion::AllSignatures,
            &exclusive(&[])
        ),
        "<a>1<deep>2</deep></a>"
    );
}

// attack: void-c14n
#[test]
fn selecting_a_signature_while_excluding_all_signatures_is_c14n_failed() {
    let doc = parse(MANY_SIGNATURES);
    let s3 = find(doc.root(), &|n| n.attr("Id") == Some("s3")).unwrap();
    for method in [inclusive(), exclusive(&[])] {
        let err = doc
            .canonicalize_to_vec(Selection::Subtree(s3), Exclusion::AllSignatures, &method)
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::C14nFailed);
    }
    // An element inside a signature is inside `ancestor-or-self::ds:Signature` too.
    let keep = by_name(&doc, "keep");
    let err = doc
        .canonicalize_to_vec(
            Selection::Subtree(keep),
            Exclusion::AllSignatures,
            &inclusive(),
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::C14nFailed);
}

// attack: void-c14n
#[test]
fn signature_as_document_element_with_all_signatures_excluded_is_c14n_failed() {
    let doc = parse(
        r#"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo/></ds:Signature>"#,
    );
    let err = doc
        .canonicalize_to_vec(Selection::Document, Exclusion::AllSignatures, &inclusive())
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::C14nFailed);
}

#[test]
fn excluding_the_selected_element_itself_is_c14n_failed() {
    let doc = parse(ENVELOPED);
    let a = by_name(&doc, "a");
    let err = doc
        .canonicalize_to_vec(Selection::Subtree(a), Exclusion::Subtree(a), &inclusive())
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::C14nFailed);
}

#[test]

fn excluding_an_ancestor_of_the_selection_leaves_nothing() {
    // Reference to an element inside the enveloping Signature with the enveloped transform:
    // subtree(obj) minus subtree(sig) is empty.
    let doc = parse(
        r#"<r><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:Object Id="o">data</ds:Object></ds:Signature></r>"#,
    );
    let sig = doc.root().child_elements().next().unwrap();
    let obj = doc.element_by_id("o").unwrap();
    let res = doc.canonicalize_to_vec(
        Selection::Subtree(obj),
        Exclusion::Subtree(sig),
        &inclusive(),
    );
    assert_eq!(
        res.map(|v| String::from_utf8(v).unwrap())
            .unwrap_err()
            .code(),
        ErrorCode::C14nFailed
    );
}

// ---------------------------------------------------------------------------------------------
// Streaming output
// ---------------------------------------------------------------------------------------------

/// Accepts at most `max` bytes per `write` call.
struct Dribble {
    out: Vec<u8>,
    max: usize,
    calls: usize,
}

impl Write for Dribble {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.calls += 1;
        let n = buf.len().min(self.max);
        self.out.extend_from_slice(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Accepts `budget` bytes, then fails.
struct FailAfter {
    budget: usize,
}

impl Write for FailAfter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.budget == 0 {
            return Err(io::Error::other("disk full"));
        }
        let n = buf.len().min(self.budget);
        self.budget -= n;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn medium_document() -> String {
    let mut s = String::from(r#"<list xmlns="urn:l" xmlns:x="urn:x">"#);
    for i in 0..5000 {
        s.push_str(&format!(
            r#"<item x:n="{i}" b="&amp;&quot;">v&lt;{i}&gt;</item>"#
        ));
    }
    s.push_str("</list>");
    s
}

#[test]
fn streaming_through_small_writes_equals_to_vec() {
    let input = medium_document();
    let doc = parse(&input);
    for method in [inclusive(), exclusive(&[]), exclusive(&["x"])] {
        let reference = doc
            .canonicalize_to_vec(Selection::Document, Exclusion::Nothing, &method)
            .unwrap();
        let mut sink = Dribble {
            out: Vec::new(),
            max: 7,
            calls: 0,
        };
        let n = doc
            .canonicalize(Selection::Document, Exclusion::Nothing, &method, &mut sink)
            .unwrap();
        assert_eq!(n, reference.len() as u64);
        assert!(sink.calls > reference.len() / 7, "writes were not small");
        assert_eq!(sink.out, reference);
    }
    // And the content itself, for one item.
    let text = String::from_utf8(
        doc.canonicalize_to_vec(Selection::Document, Exclusion::Nothing, &inclusive())
            .unwrap(),
    )
    .unwrap();
    assert!(text.starts_with(
        r#"<list xmlns="urn:l" xmlns:x="urn:x"><item b="&amp;&quot;" x:n="0">v&lt;0&gt;</item>"#
    ));
    assert!(text.ends_with(r#"<item b="&amp;&quot;" x:n="4999">v&lt;4999&gt;</item></list>"#));
}

// attack: void-c14n
#[test]
fn failing_writer_is_c14n_failed() {
    let small = parse("<a>b</a>");
    let large = parse(&medium_document());
    for (doc, budgets) in [(&small, &[0, 3][..]), (&large, &[0, 3, 5000][..])] {
        for &budget in budgets {
            let err = doc
                .canonicalize(
                    Selection::Document,
                    Exclusion::Nothing,
                    &exclusive(&[]),
                    &mut FailAfter { budget },
                )
                .unwrap_err();
            assert_eq!(err.code(), ErrorCode::C14nFailed, "budget {budget}");
        }
    }
}

#[test]
fn streaming_a_subtree_through_small_writes_equals_to_vec() {
    let input = medium_document();
    let doc = parse(&input);
    let first = doc.root().child_elements().next().unwrap();
    for method in [exclusive(&[]), exclusive(&["x"])] {
        let (selection, exclusion) = (Selection::Subtree(doc.root()), Exclusion::Subtree(first));
        let reference = doc
            .canonicalize_to_vec(selection, exclusion, &method)
            .unwrap();
        let mut sink = Dribble {
            out: Vec::new(),
            max: 7,
            calls: 0,
        };
        let n = doc
            .canonicalize(selection, exclusion, &method, &mut sink)
            .unwrap();
        assert_eq!(n, reference.len() as u64);
        assert!(sink.calls > reference.len() / 7, "writes were not small");
        assert_eq!(sink.out, reference);
    }
    let text = String::from_utf8(
        doc.canonicalize_to_vec(
            Selection::Subtree(doc.root()),
            Exclusion::Subtree(first),
            &exclusive(&[]),
        )
        .unwrap(),
    )
    .unwrap();
    assert!(text.starts_with(
        r#"<list xmlns="urn:l"><item xmlns:x="urn:x" b="&amp;&quot;" x:n="1">v&lt;1&gt;</item>"#
    ));
    assert!(text.ends_with(
        r#"<item xmlns:x="urn:x" b="&amp;&quot;" x:n="4999">v&lt;4999&gt;</item></list>"#
    ));
}

#[test]
fn failing_writer_on_a_subtree_is_c14n_failed() {
    let large = parse(&medium_document());
    let item = large.root().child_elements().nth(1).unwrap();
    for (apex, budgets) in [
        (item, &[0, 3][..]),
        (large.root(), &[0, 3, 5000, 100_000][..]),
    ] {
        for &budget in budgets {
            let err = large
                .canonicalize(
                    Selection::Subtree(apex),
                    Exclusion::Nothing,
                    &exclusive(&["x"]),
                    &mut FailAfter { budget },
                )
                .unwrap_err();
            assert_eq!(err.code(), ErrorCode::C14nFailed, "budget {budget}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Size
// ---------------------------------------------------------------------------------------------

#[test]
fn five_megabytes_of_escaped_text_canonicalize_exactly() {
    const N: usize = 400_000;
    let piece_in = "x&amp;y&lt;z>"; // 13 bytes: x&y<z>
    let piece_out = "x&amp;y&lt;z&gt;"; // 16 bytes
    let input = format!("<doc>{}</doc>", piece_in.repeat(N));
    assert!(input.len() > 5_000_000);
    let doc = Document::parse(input.as_bytes(), &ParseOptions::document()).unwrap();
    let out = doc
        .canonicalize_to_vec(Selection::Document, Exclusion::Nothing, &inclusive())
        .unwrap();
    assert_eq!(
        out.len(),
        "<doc>".len() + N * piece_out.len() + "</doc>".len()
    );
    assert_eq!(&out[..5 + 2 * 16], b"<doc>x&amp;y&lt;z&gt;x&amp;y&lt;z&gt;");
    let mid = 5 + (N / 2) * 16;
    assert_eq!(&out[mid..mid + 16], piece_out.as_bytes());
    assert_eq!(&out[out.len() - 22..], b"x&amp;y&lt;z&gt;</doc>");
    let expected = format!("<doc>{}</doc>", piece_out.repeat(N));
    assert!(
        out == expected.as_bytes(),
        "output differs from the expected bytes"
    );
}
