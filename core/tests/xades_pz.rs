//! Documents signed like ePUAP signs them, under a generated test PKI: podpis zaufany in both
//! dialects, parallel, qualified, enveloping and detached signatures, an ePUAP letter with a
//! signed attachment, a UPO — and the forgeries, each with its ETSI indication and kind.
#![allow(clippy::unwrap_used)]

mod common;

use base64::Engine;
use common::pki::{now, TestPki, PERSON_PESEL};
use common::xades::{ep_signature, pismo_ogolne, podpis_zp, sign, Placement, XadesSpec};
use eidpl::pki::TrustStore;
use eidpl::xades::{
    verify_document, Indication, Kind, Report, SignatureReport, Verdict, VerifyOptions,
};

const DOC: &str = r#"<Wniosek xmlns="urn:example:wniosek"><Tresc>Proszę o wydanie zaświadczenia o niezaleganiu.</Tresc></Wniosek>"#;
const PESEL: &str = "87022243734";

fn options() -> VerifyOptions {
    let pki = TestPki::shared();
    let mut trust = TrustStore::new();
    trust.add_anchors(&pki.anchors_pem()).unwrap();
    VerifyOptions {
        trust,
        now: Some(now()),
        ..Default::default()
    }
}

fn verify(xml: &str) -> Report {
    verify_document(xml.as_bytes(), &options()).unwrap()
}

fn seal_spec() -> XadesSpec<'static> {
    let pki = TestPki::shared();
    let mut s = XadesSpec::new(&pki.seal.key, &pki.seal.cert);
    s.chain = vec![&pki.intermediate.cert];
    s
}

fn only(r: &Report) -> &SignatureReport {
    assert_eq!(r.signatures.len(), 1, "{:#?}", r.signatures);
    &r.signatures[0]
}

fn assert_sub(s: &SignatureReport, indication: Indication, sub: &str) {
    assert_eq!(
        (s.indication, s.sub_indication.as_deref()),
        (indication, Some(sub)),
        "{s:#?}"
    );
}

#[test]
fn pz_in_the_podpis_zp_dialect() {
    let mut spec = seal_spec();
    spec.claimed_role = Some(podpis_zp("Jan", "Kowalski", PESEL));
    let r = verify(&sign(DOC, &spec));
    assert_eq!(r.verdict, Verdict::Valid, "{r:#?}");
    let s = only(&r);
    assert_eq!((s.indication, s.kind), (Indication::TotalPassed, Kind::Pz));
    let pz = s.pz.as_ref().unwrap();
    assert_eq!(pz.dialect, "PodpisZP");
    assert_eq!(pz.given_name.as_deref(), Some("Jan"));
    assert_eq!(pz.family_name.as_deref(), Some("Kowalski"));
    assert_eq!(pz.pesel.as_deref(), Some(PESEL));
    assert_eq!(pz.account_id.as_deref(), Some("jkowalski"));
    assert_eq!(
        pz.other.get("IdProfiluZP").map(String::as_str),
        Some("abc-123")
    );
    assert_eq!(s.signing_time.as_deref(), Some("2026-03-04T11:42:39.943Z"));
    assert_eq!(
        s.signer
            .as_ref()
            .unwrap()
            .organization_identifier
            .as_deref(),
        Some("VATPL-5252955037")
    );
    assert_eq!(s.chain.len(), 3, "{:?}", s.chain);
}

#[test]
fn pz_in_the_ep_signature_dialect_with_explicit_exc_c14n() {
    let mut spec = seal_spec();
    spec.claimed_role = Some(ep_signature(
        "Anna Maria",
        "Nowak-Żółć",
        PESEL,
        "1987-02-22",
    ));
    spec.exc_after_xpath = true;
    let r = verify(&sign(DOC, &spec));
    let s = only(&r);
    assert_eq!((r.verdict, s.kind), (Verdict::Valid, Kind::Pz), "{r:#?}");
    let pz = s.pz.as_ref().unwrap();
    assert_eq!(pz.dialect, "EPSignature");
    assert_eq!(pz.family_name.as_deref(), Some("Nowak-Żółć"));
    assert_eq!(pz.date_of_birth.as_deref(), Some("1987-02-22"));
    assert_eq!(pz.identity_issuer.as_deref(), Some("int.login.gov.pl"));
    assert!(s
        .warnings
        .iter()
        .all(|w| w.code != "date_of_birth_mismatch"));
    // A date of birth that disagrees with the PESEL is a warning.
    spec.claimed_role = Some(ep_signature("Anna", "Nowak", PESEL, "1990-01-01"));
    let r = verify(&sign(DOC, &spec));
    assert!(only(&r)
        .warnings
        .iter()
        .any(|w| w.code == "date_of_birth_mismatch"));
}

#[test]
fn two_parallel_signatures_and_a_qualified_one() {
    let pki = TestPki::shared();
    let mut first = seal_spec();
    first.claimed_role = Some(podpis_zp("Jan", "Kowalski", PESEL));
    let once = sign(DOC, &first);
    let mut second = XadesSpec::new(&pki.person.key, &pki.person.cert);
    second.chain = vec![&pki.intermediate.cert];
    second.n = 2;
    let twice = sign(&once, &second);
    let r = verify(&twice);
    assert_eq!(r.verdict, Verdict::Valid, "{r:#?}");
    assert_eq!(r.signatures.len(), 2);
    assert_eq!(r.signatures[0].kind, Kind::Pz);
    assert_eq!(r.signatures[1].kind, Kind::Qualified);
    assert_eq!(
        r.signatures[1].signer.as_ref().unwrap().pesel.as_deref(),
        Some(PERSON_PESEL)
    );
}

#[test]
fn enveloping_and_detached_signatures() {
    let pki = TestPki::shared();
    let mut spec = XadesSpec::new(&pki.advanced.key, &pki.advanced.cert);
    spec.chain = vec![&pki.intermediate.cert];
    spec.placement = Placement::Enveloping;
    let r = verify(&sign(DOC, &spec));
    assert_eq!(
        (r.verdict, only(&r).kind),
        (Verdict::Valid, Kind::Advanced),
        "{r:#?}"
    );

    let data = "%PDF-1.7 zaświadczenie".as_bytes();
    spec.placement = Placement::Detached;
    spec.detached = Some(("zaswiadczenie.pdf", data));
    let xades = sign("", &spec);
    let mut options = options();
    options.detached = vec![("zaswiadczenie.pdf".into(), data.to_vec())];
    let r = verify_document(xades.as_bytes(), &options).unwrap();
    assert_eq!(r.verdict, Verdict::Valid, "{r:#?}");
    // Other bytes under the same name: HASH_FAILURE; no data at all: SIGNED_DATA_NOT_FOUND.
    options.detached = vec![("zaswiadczenie.pdf".into(), b"other".to_vec())];
    let r = verify_document(xades.as_bytes(), &options).unwrap();
    assert_sub(only(&r), Indication::TotalFailed, "HASH_FAILURE");
    options.detached.clear();
    let r = verify_document(xades.as_bytes(), &options).unwrap();
    assert_eq!(only(&r).indication, Indication::Indeterminate, "{r:#?}");
}

#[test]
fn epuap_letter_with_a_signed_attachment() {
    let pki = TestPki::shared();
    let mut inner = seal_spec();
    inner.claimed_role = Some(podpis_zp("Jan", "Kowalski", PESEL));
    let attachment = sign(DOC, &inner);
    let b64 = base64::engine::general_purpose::STANDARD.encode(attachment.as_bytes());
    let letter = pismo_ogolne(&[("wniosek.xml", &b64)]);
    let mut outer = XadesSpec::new(&pki.person.key, &pki.person.cert);
    outer.chain = vec![&pki.intermediate.cert];
    let r = verify(&sign(&letter, &outer));
    assert_eq!(r.document_type, "pismo_ogolne");
    let s = only(&r);
    assert_eq!(s.kind, Kind::Qualified);
    assert_eq!(s.children.len(), 1, "{s:#?}");
    assert_eq!(s.children[0].kind, Kind::Pz);
    assert_eq!(r.attachments.len(), 2);
    assert!(r.attachments[0].covered && r.attachments[0].signed);
    assert!(
        !r.attachments[1].covered,
        "kodowanie=URI is outside the document"
    );
    assert!(r
        .warnings
        .iter()
        .any(|w| w.code == "attachment_not_covered"));
    assert_eq!(r.verdict, Verdict::Valid, "{r:#?}");
}

#[test]
fn upo_fields_and_signature() {
    let pki = TestPki::shared();
    let upo = concat!(
        r#"<upo:Dokument xmlns:upo="http://crd.gov.pl/xml/schematy/UPO/2008/05/09/"><upo:UPP>"#,
        r#"<upo:IdentyfikatorPoswiadczenia>UPP-2026-0001</upo:IdentyfikatorPoswiadczenia>"#,
        r#"<upo:Adresat><upo:Podmiot>Gmina Example</upo:Podmiot></upo:Adresat>"#,
        r#"<upo:DataDoreczenia>2026-03-04T12:43:00</upo:DataDoreczenia>"#,
        r#"<upo:IdentyfikatorDokumentu>DOC-77</upo:IdentyfikatorDokumentu></upo:UPP></upo:Dokument>"#
    );
    let mut spec = XadesSpec::new(&pki.advanced.key, &pki.advanced.cert);
    spec.chain = vec![&pki.intermediate.cert];
    let r = verify(&sign(upo, &spec));
    assert_eq!(
        (r.document_type.as_str(), r.verdict),
        ("upo", Verdict::Valid),
        "{r:#?}"
    );
    let fields = r.upo.as_ref().unwrap();
    assert_eq!(fields["rodzaj"], "UPP");
    assert_eq!(fields["IdentyfikatorPoswiadczenia"], "UPP-2026-0001");
    assert_eq!(fields["Adresat"], "Gmina Example");
    assert_eq!(fields["IdentyfikatorDokumentu"], "DOC-77");
}

// ---- forgeries ----

fn pz_signed() -> String {
    let mut spec = seal_spec();
    spec.claimed_role = Some(podpis_zp("Jan", "Kowalski", PESEL));
    sign(DOC, &spec)
}

#[test]
fn content_changed_after_signing() {
    let forged = pz_signed().replace("niezaleganiu", "zaleganiu");
    let r = verify(&forged);
    assert_sub(only(&r), Indication::TotalFailed, "HASH_FAILURE");
    assert_eq!(r.verdict, Verdict::Invalid);
}

// attack: rule-2
#[test]
fn identity_changed_in_signed_properties() {
    let forged = pz_signed().replace(">Kowalski<", ">Nowak<");
    let r = verify(&forged);
    let s = only(&r);
    assert_sub(s, Indication::TotalFailed, "HASH_FAILURE");
    assert_eq!(s.pz, None, "an undigested identity is never reported");
    assert_eq!(r.verdict, Verdict::Invalid);
}

// attack: pz-non-seal
#[test]
fn pz_block_under_a_non_seal_key_is_an_untrusted_claim() {
    let pki = TestPki::shared();
    // A qualified person, a plain certificate, and a fake seal with the seal's exact subject.
    for issued in [&pki.person, &pki.advanced, &pki.fake_seal] {
        let mut spec = XadesSpec::new(&issued.key, &issued.cert);
        spec.chain = vec![&pki.intermediate.cert];
        spec.claimed_role = Some(podpis_zp("Jan", "Kowalski", PESEL));
        let r = verify(&sign(DOC, &spec));
        let s = only(&r);
        assert_eq!(s.kind, Kind::UntrustedPzClaim, "{s:#?}");
        assert_eq!(r.verdict, Verdict::Invalid);
    }
}

// attack: xades-cert-substitution
#[test]
fn signing_certificate_digest_mismatch_and_swapped_key_info() {
    let pki = TestPki::shared();
    let mut spec = seal_spec();
    spec.cert_digest_override = Some(vec![7; 32]);
    let r = verify(&sign(DOC, &spec));
    assert_sub(
        only(&r),
        Indication::Indeterminate,
        "NO_SIGNING_CERTIFICATE_FOUND",
    );
    // KeyInfo certificate replaced by another one from the same CA.
    let signed = pz_signed();
    let b64 = |c: &openssl::x509::X509| {
        base64::engine::general_purpose::STANDARD.encode(c.to_der().unwrap())
    };
    let swapped = signed.replacen(&b64(&pki.seal.cert), &b64(&pki.advanced.cert), 1);
    assert_ne!(swapped, signed);
    let r = verify(&swapped);
    assert_sub(
        only(&r),
        Indication::Indeterminate,
        "NO_SIGNING_CERTIFICATE_FOUND",
    );
    assert_ne!(r.verdict, Verdict::Valid);
}

// attack: rule-2
#[test]
fn signed_properties_moved_or_duplicated() {
    let signed = pz_signed();
    let start = signed.find("<xades:SignedProperties").unwrap();
    let end = signed.find("</xades:SignedProperties>").unwrap() + "</xades:SignedProperties>".len();
    let props = &signed[start..end];
    // Duplicated (a second copy with another Id) inside QualifyingProperties.
    let dup = signed.replacen(
        props,
        &format!("{props}{}", props.replace("SignedProps-1", "SignedProps-x")),
        1,
    );
    let r = verify(&dup);
    assert_sub(only(&r), Indication::TotalFailed, "FORMAT_FAILURE");
    // Moved out of QualifyingProperties into the document.
    let moved = signed.replacen(props, "", 1);
    let declared = props.replacen(
        "<xades:SignedProperties",
        r#"<xades:SignedProperties xmlns:xades="http://uri.etsi.org/01903/v1.3.2#" xmlns:ds="http://www.w3.org/2000/09/xmldsig#""#,
        1,
    );
    let moved = moved.replacen("<Tresc>", &format!("<Tresc>{declared}"), 1);
    let r = verify(&moved);
    assert_eq!(only(&r).indication, Indication::TotalFailed, "{r:#?}");
    assert_eq!(r.verdict, Verdict::Invalid);
}

// attack: transform-bombs, rule-3
#[test]
fn xslt_transform_and_sha1_are_refused() {
    let mut spec = seal_spec();
    spec.extra_transform = Some(
        r#"<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116"><xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0"/></ds:Transform>"#,
    );
    let r = verify(&sign_unchecked(&spec));
    assert_sub(only(&r), Indication::TotalFailed, "FORMAT_FAILURE");
    let mut spec = seal_spec();
    spec.signature_method = Some("http://www.w3.org/2000/09/xmldsig#rsa-sha1");
    let r = verify(&sign(DOC, &spec));
    assert_sub(
        only(&r),
        Indication::Indeterminate,
        "CRYPTO_CONSTRAINTS_FAILURE_NO_POE",
    );
}

/// Signing with an XSLT transform: the digest is computed as if it were absent (the verifier
/// must refuse before running anything).
fn sign_unchecked(spec: &XadesSpec<'_>) -> String {
    sign(DOC, spec)
}

// attack: pz-non-seal, rule-4
#[test]
fn no_chain_to_a_given_anchor() {
    let r = verify_document(
        pz_signed().as_bytes(),
        &VerifyOptions {
            now: Some(now()),
            ..Default::default()
        },
    )
    .unwrap();
    let s = only(&r);
    assert_sub(s, Indication::Indeterminate, "NO_CERTIFICATE_CHAIN_FOUND");
    assert_eq!(
        s.kind,
        Kind::UntrustedPzClaim,
        "no PZ without a chain to an anchor"
    );
    assert!(s.warnings.iter().any(|w| w.code == "no_trust_anchors"));
}

#[test]
fn signing_time_outside_the_certificate_validity() {
    let mut spec = seal_spec();
    spec.signing_time = "2019-01-01T10:00:00+01:00";
    let r = verify(&sign(DOC, &spec));
    assert_sub(only(&r), Indication::TotalFailed, "NOT_YET_VALID");
    spec.signing_time = "2099-01-01T10:00:00Z";
    let r = verify(&sign(DOC, &spec));
    assert_sub(only(&r), Indication::TotalFailed, "EXPIRED");
}

#[test]
fn invalid_pesel_in_a_pz_identity() {
    let mut spec = seal_spec();
    spec.claimed_role = Some(podpis_zp("Jan", "Kowalski", "87022243735"));
    let xml = sign(DOC, &spec);
    let r = verify(&xml);
    let s = only(&r);
    assert_eq!(s.kind, Kind::Pz);
    assert_sub(s, Indication::Indeterminate, "SIG_CONSTRAINTS_FAILURE");
    // Test data: the policy switch leaves a warning only.
    let mut o = options();
    o.check_pesel = false;
    let r = verify_document(xml.as_bytes(), &o).unwrap();
    assert_eq!(r.verdict, Verdict::Valid);
    assert!(only(&r).warnings.iter().any(|w| w.code == "pesel_invalid"));
}

#[test]
fn counter_signature_is_verified_as_a_child() {
    let pki = TestPki::shared();
    let signed = pz_signed();
    let mut counter = XadesSpec::new(&pki.person.key, &pki.person.cert);
    counter.chain = vec![&pki.intermediate.cert];
    counter.n = 2;
    counter.placement = Placement::CounterSignature(1);
    let both = sign(&signed, &counter);
    let r = verify(&both);
    let s = only(&r);
    assert_eq!(s.kind, Kind::Pz);
    assert_eq!(s.children.len(), 1, "{s:#?}");
    assert_eq!(
        (s.children[0].indication, s.children[0].kind),
        (Indication::TotalPassed, Kind::Qualified)
    );
    assert_eq!(r.verdict, Verdict::Valid, "{r:#?}");
    // The counter-signed value changed: the parent fails, and so does the counter-signature.
    let start = both.find(r#"<ds:SignatureValue Id="SigValue-1">"#).unwrap() + 35;
    let mut forged = both.clone();
    forged.replace_range(
        start..start + 4,
        if &both[start..start + 4] == "AAAA" {
            "BBBB"
        } else {
            "AAAA"
        },
    );
    let r = verify(&forged);
    assert_eq!(r.verdict, Verdict::Invalid);
    assert_eq!(
        only(&r).children[0].sub_indication.as_deref(),
        Some("HASH_FAILURE")
    );
}

#[test]
fn odd_attachments_never_panic() {
    // Non-ASCII inside a base64 attachment, an empty one, and XML that is not signed.
    let xml_plain = base64::engine::general_purpose::STANDARD.encode("<a>nie podpisany</a>");
    let letter = pismo_ogolne(&[("a.bin", "AŻŻ"), ("b.bin", ""), ("c.xml", &xml_plain)]);
    let pki = TestPki::shared();
    let mut spec = XadesSpec::new(&pki.advanced.key, &pki.advanced.cert);
    spec.chain = vec![&pki.intermediate.cert];
    let r = verify(&sign(&letter, &spec));
    assert_eq!(r.verdict, Verdict::Valid, "{r:#?}");
    assert!(r.attachments.iter().all(|a| !a.signed));
    assert!(r.warnings.iter().any(|w| w.code == "attachment_not_base64"));
}

/// Certificate substitution: a genuine seal signature whose SignedProperties carry no
/// SigningCertificate, so nothing signed binds the KeyInfo certificate (an attacker could swap in
/// any certificate of the same key, or list several). The ISC check refuses it before any PZ
/// classification: NO_SIGNING_CERTIFICATE_FOUND, never PZ, never valid. Control: the same spec
/// with SigningCertificate verifies as PZ.
// attack: xades-cert-substitution
#[test]
fn signature_without_signing_certificate_is_refused() {
    let mut spec = seal_spec();
    spec.claimed_role = Some(podpis_zp("Jan", "Kowalski", PESEL));
    let control = verify(&sign(DOC, &spec));
    assert_eq!(
        (control.verdict, only(&control).kind),
        (Verdict::Valid, Kind::Pz),
        "{control:#?}"
    );
    spec.omit_signing_certificate = true;
    let xml = sign(DOC, &spec);
    assert!(!xml.contains("SigningCertificate"));
    let r = verify(&xml);
    let s = only(&r);
    assert_sub(s, Indication::Indeterminate, "NO_SIGNING_CERTIFICATE_FOUND");
    assert_ne!(s.kind, Kind::Pz, "{s:#?}");
    assert_eq!(s.pz, None, "{s:#?}");
    assert_ne!(r.verdict, Verdict::Valid);
}
