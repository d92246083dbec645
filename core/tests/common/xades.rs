//! Builds XAdES signatures the way ePUAP's TpSigning5 does (enveloped last child, the
//! `not(ancestor-or-self::ds:Signature)` filter, SignedProperties with SigningCertificate and a
//! ClaimedRole identity), plus enveloping and detached ones, for the tests.
#![allow(clippy::unwrap_used)]

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use eidpl::xml::{C14nMethod, Document, Exclusion, ParseOptions, Selection};
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::sign::Signer;
use openssl::x509::X509;

pub const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
pub const XADES: &str = "http://uri.etsi.org/01903/v1.3.2#";

/// Where the signature goes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Last child of the document root, `URI=""` with the XPath filter.
    Enveloped,
    /// The data inside a `ds:Object` of the signature (`URI="#data-N"`).
    Enveloping,
    /// A separate `.xades` file; the data file is referenced by name.
    Detached,
    /// A counter-signature of signature N (its SignatureValue), placed in its
    /// UnsignedSignatureProperties; `document` is the already signed XML.
    CounterSignature(u32),
}

pub struct XadesSpec<'a> {
    pub key: &'a PKey<Private>,
    pub cert: &'a X509,
    /// Extra certificates for KeyInfo (e.g. the intermediate).
    pub chain: Vec<&'a X509>,
    /// Identity block placed in ClaimedRole (a `PodpisZP` / `EPSignature` element), if any.
    pub claimed_role: Option<String>,
    pub signing_time: &'a str,
    pub n: u32,
    pub placement: Placement,
    /// Follow the XPath filter with an explicit exc-c14n transform.
    pub exc_after_xpath: bool,
    /// Signature algorithm URI (rsa-sha256 / ecdsa-sha256 / rsa-sha1 …).
    pub signature_method: Option<&'a str>,
    /// Digest method URI of the data reference.
    pub digest_method: Option<&'a str>,
    /// An extra transform XML injected into the data reference (forgeries: XSLT).
    pub extra_transform: Option<&'a str>,
    /// Detached: the data file name and bytes.
    pub detached: Option<(&'a str, &'a [u8])>,
    /// Override the SigningCertificate digest (forgery).
    pub cert_digest_override: Option<Vec<u8>>,
    /// Leave SigningCertificate out of SignedProperties (forgery: nothing binds the certificate).
    pub omit_signing_certificate: bool,
}

impl<'a> XadesSpec<'a> {
    pub fn new(key: &'a PKey<Private>, cert: &'a X509) -> Self {
        XadesSpec {
            key,
            cert,
            chain: Vec::new(),
            claimed_role: None,
            signing_time: "2026-03-04T12:42:39.943+01:00",
            n: 1,
            placement: Placement::Enveloped,
            exc_after_xpath: false,
            signature_method: None,
            digest_method: None,
            extra_transform: None,
            detached: None,
            cert_digest_override: None,
            omit_signing_certificate: false,
        }
    }
}

fn b64(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

fn is_rsa(key: &PKey<Private>) -> bool {
    key.rsa().is_ok()
}

fn sign_bytes(key: &PKey<Private>, method: &str, data: &[u8]) -> Vec<u8> {
    let md = if method.ends_with("sha1") {
        MessageDigest::sha1()
    } else if method.ends_with("sha384") {
        MessageDigest::sha384()
    } else {
        MessageDigest::sha256()
    };
    let mut s = Signer::new(md, key).unwrap();
    s.update(data).unwrap();
    let sig = s.sign_to_vec().unwrap();
    if is_rsa(key) {
        return sig;
    }
    // ECDSA: DER → fixed-width r‖s.
    let sig = openssl::ecdsa::EcdsaSig::from_der(&sig).unwrap();
    let mut out = sig.r().to_vec_padded(32).unwrap();
    out.extend(sig.s().to_vec_padded(32).unwrap());
    out
}

/// Inserts `signature` as the last child of the document's root element.
pub fn append_to_root(document: &str, signature: &str) -> String {
    let at = document.rfind("</").unwrap();
    format!("{}{signature}{}", &document[..at], &document[at..])
}

/// Signs `document` (ignored for Detached: give `detached`) and returns the signed XML.
pub fn sign(document: &str, spec: &XadesSpec<'_>) -> String {
    let n = spec.n;
    let sig_method = spec.signature_method.unwrap_or(if is_rsa(spec.key) {
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    } else {
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
    });
    let digest_method = spec
        .digest_method
        .unwrap_or("http://www.w3.org/2001/04/xmlenc#sha256");
    let cert_der = spec.cert.to_der().unwrap();
    let cert_digest = spec
        .cert_digest_override
        .clone()
        .unwrap_or_else(|| openssl::sha::sha256(&cert_der).to_vec());
    let issuer = eidpl::pki::issuer_line(spec.cert);
    let serial = eidpl::pki::serial_decimal(spec.cert);
    let signing_cert = if spec.omit_signing_certificate {
        String::new()
    } else {
        format!(
            concat!(
                r#"<xades:SigningCertificate><xades:Cert><xades:CertDigest>"#,
                r#"<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>{cd}</ds:DigestValue></xades:CertDigest>"#,
                r#"<xades:IssuerSerial><ds:X509IssuerName>{issuer}</ds:X509IssuerName><ds:X509SerialNumber>{serial}</ds:X509SerialNumber></xades:IssuerSerial>"#,
                r#"</xades:Cert></xades:SigningCertificate>"#
            ),
            cd = b64(&cert_digest),
            issuer = eidpl::xml::escape(&issuer),
            serial = serial,
        )
    };
    let role = spec
        .claimed_role
        .as_deref()
        .map(|r| format!("<xades:SignerRole><xades:ClaimedRoles><xades:ClaimedRole>{r}</xades:ClaimedRole></xades:ClaimedRoles></xades:SignerRole>"))
        .unwrap_or_default();
    let signed_props = format!(
        concat!(
            r#"<xades:SignedProperties Id="SignedProps-{n}"><xades:SignedSignatureProperties>"#,
            r#"<xades:SigningTime>{time}</xades:SigningTime>{signing_cert}"#,
            r#"<xades:SignaturePolicyIdentifier><xades:SignaturePolicyImplied/></xades:SignaturePolicyIdentifier>{role}"#,
            r#"</xades:SignedSignatureProperties></xades:SignedProperties>"#
        ),
        n = n,
        time = spec.signing_time,
        signing_cert = signing_cert,
        role = role,
    );
    let extra = spec.extra_transform.unwrap_or("");
    let (data_ref, object) = match spec.placement {
        Placement::Enveloped => {
            let exc = if spec.exc_after_xpath {
                r#"<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>"#
            } else {
                ""
            };
            (
                format!(
                    r#"<ds:Reference Id="Ref-{n}" URI=""><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"><ds:XPath>not(ancestor-or-self::ds:Signature)</ds:XPath></ds:Transform>{exc}{extra}</ds:Transforms><ds:DigestMethod Algorithm="{digest_method}"/><ds:DigestValue>DIGEST-DATA</ds:DigestValue></ds:Reference>"#
                ),
                String::new(),
            )
        }
        Placement::Enveloping => (
            format!(
                r##"<ds:Reference Id="Ref-{n}" URI="#data-{n}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>{extra}</ds:Transforms><ds:DigestMethod Algorithm="{digest_method}"/><ds:DigestValue>DIGEST-DATA</ds:DigestValue></ds:Reference>"##
            ),
            format!(r#"<ds:Object Id="data-{n}">{document}</ds:Object>"#),
        ),
        Placement::CounterSignature(parent) => (
            format!(
                r##"<ds:Reference Type="http://uri.etsi.org/01903#CountersignedSignature" URI="#SigValue-{parent}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="{digest_method}"/><ds:DigestValue>DIGEST-DATA</ds:DigestValue></ds:Reference>"##
            ),
            String::new(),
        ),
        Placement::Detached => {
            let (name, bytes) = spec.detached.unwrap();
            (
                format!(
                    r#"<ds:Reference Id="Ref-{n}" URI="{name}"><ds:DigestMethod Algorithm="{digest_method}"/><ds:DigestValue>{}</ds:DigestValue></ds:Reference>"#,
                    b64(&openssl::sha::sha256(bytes))
                ),
                String::new(),
            )
        }
    };
    let key_info: String = std::iter::once(spec.cert)
        .chain(spec.chain.iter().copied())
        .map(|c| {
            format!(
                "<ds:X509Certificate>{}</ds:X509Certificate>",
                b64(&c.to_der().unwrap())
            )
        })
        .collect();
    let signature = format!(
        concat!(
            r#"<ds:Signature xmlns:ds="{ds}" Id="Signature-{n}"><ds:SignedInfo>"#,
            r#"<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="{sm}"/>"#,
            r##"{data_ref}<ds:Reference Type="http://uri.etsi.org/01903#SignedProperties" URI="#SignedProps-{n}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>"##,
            r#"<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>DIGEST-PROPS</ds:DigestValue></ds:Reference></ds:SignedInfo>"#,
            r#"<ds:SignatureValue Id="SigValue-{n}">SIGNATURE-VALUE</ds:SignatureValue><ds:KeyInfo><ds:X509Data>{ki}</ds:X509Data></ds:KeyInfo>{object}"#,
            r##"<ds:Object><xades:QualifyingProperties xmlns:xades="{xades}" Target="#Signature-{n}">{sp}</xades:QualifyingProperties></ds:Object></ds:Signature>"##
        ),
        ds = DS,
        n = n,
        sm = sig_method,
        data_ref = data_ref,
        ki = key_info,
        object = object,
        xades = XADES,
        sp = signed_props,
    );
    let mut xml = match spec.placement {
        Placement::Enveloped => append_to_root(document, &signature),
        Placement::CounterSignature(parent) => {
            let from = document
                .find(&format!(r#"Id="Signature-{parent}""#))
                .unwrap();
            let at = from
                + document[from..]
                    .find("</xades:QualifyingProperties>")
                    .unwrap();
            format!(
                "{}<xades:UnsignedProperties><xades:UnsignedSignatureProperties><xades:CounterSignature>{signature}</xades:CounterSignature></xades:UnsignedSignatureProperties></xades:UnsignedProperties>{}",
                &document[..at],
                &document[at..]
            )
        }
        _ => signature,
    };
    let opts = ParseOptions::document();
    let exc = C14nMethod::Exclusive {
        inclusive_prefixes: vec![],
    };
    {
        let doc = Document::parse(xml.as_bytes(), &opts).unwrap();
        let sha = |sel, excl, method: &C14nMethod| {
            b64(&openssl::sha::sha256(
                &doc.canonicalize_to_vec(sel, excl, method).unwrap(),
            ))
        };
        let data = match spec.placement {
            Placement::Enveloped => {
                let method = if spec.exc_after_xpath {
                    exc.clone()
                } else {
                    C14nMethod::Inclusive
                };
                Some(sha(Selection::Document, Exclusion::AllSignatures, &method))
            }
            Placement::Enveloping => {
                let obj = doc.element_by_id(&format!("data-{n}")).unwrap();
                Some(sha(Selection::Subtree(obj), Exclusion::Nothing, &exc))
            }
            Placement::CounterSignature(parent) => {
                let value = doc.element_by_id(&format!("SigValue-{parent}")).unwrap();
                Some(sha(Selection::Subtree(value), Exclusion::Nothing, &exc))
            }
            Placement::Detached => None,
        };
        let props = doc.element_by_id(&format!("SignedProps-{n}")).unwrap();
        let props = sha(Selection::Subtree(props), Exclusion::Nothing, &exc);
        if let Some(d) = data {
            xml = xml.replacen("DIGEST-DATA", &d, 1);
        }
        xml = xml.replacen("DIGEST-PROPS", &props, 1);
    }
    let signed_info = {
        let doc = Document::parse(xml.as_bytes(), &opts).unwrap();
        let sig = doc.element_by_id(&format!("Signature-{n}")).unwrap();
        let si = sig.child_elements().next().unwrap();
        doc.canonicalize_to_vec(Selection::Subtree(si), Exclusion::Nothing, &exc)
            .unwrap()
    };
    let value = b64(&sign_bytes(spec.key, sig_method, &signed_info));
    xml.replacen("SIGNATURE-VALUE", &value, 1)
}

/// A `ppZP:PodpisZP` identity block.
pub fn podpis_zp(given: &str, family: &str, pesel: &str) -> String {
    format!(
        concat!(
            r#"<ppZP:PodpisZP xmlns:ppZP="http://crd.gov.pl/xml/schematy/ppzp/" xmlns:os="http://crd.gov.pl/xml/schematy/osoba/2009/03/06/">"#,
            r#"<ppZP:DaneZP><ppZP:DaneZPOsobyFizycznej><os:Imie>{g}</os:Imie><os:Nazwisko rodzajCzlonu="pierwszy">{f}</os:Nazwisko><os:PESEL>{p}</os:PESEL></ppZP:DaneZPOsobyFizycznej></ppZP:DaneZP>"#,
            r#"<ppZP:DanePodpisu><ppZP:IdKontaUzytkownikaEpuap>jkowalski</ppZP:IdKontaUzytkownikaEpuap><ppZP:IdProfiluZP>abc-123</ppZP:IdProfiluZP></ppZP:DanePodpisu></ppZP:PodpisZP>"#
        ),
        g = given,
        f = family,
        p = pesel
    )
}

/// A `pz:EPSignature` identity block.
pub fn ep_signature(given: &str, family: &str, pesel: &str, dob: &str) -> String {
    format!(
        concat!(
            r#"<pz:EPSignature xmlns:pz="http://crd.gov.pl/xml/schematy/podpis_zaufany/">"#,
            r#"<pz:SignatureData><pz:IdentityIssuer>int.login.gov.pl</pz:IdentityIssuer><pz:IdentityIssueTimestamp>2026-03-04T12:40:00+01:00</pz:IdentityIssueTimestamp></pz:SignatureData>"#,
            r#"<pz:NaturalPerson><pz:CurrentFamilyName>{f}</pz:CurrentFamilyName><pz:FirstName>{g}</pz:FirstName><pz:DateOfBirth>{d}</pz:DateOfBirth><pz:PersonalIdentifier>{p}</pz:PersonalIdentifier></pz:NaturalPerson></pz:EPSignature>"#
        ),
        g = given,
        f = family,
        p = pesel,
        d = dob
    )
}

/// A "pismo ogólne" with the given attachments (name, base64 content).
pub fn pismo_ogolne(attachments: &[(&str, &str)]) -> String {
    let z: String = attachments
        .iter()
        .map(|(name, data)| {
            format!(
                r#"<str:Zalacznik format="" kodowanie="base64" nazwaPliku="{name}"><str:DaneZalacznika>{data}</str:DaneZalacznika></str:Zalacznik>"#
            )
        })
        .collect();
    format!(
        concat!(
            r#"<wnio:Dokument xmlns:wnio="http://crd.gov.pl/wzor/2013/12/12/1410/" xmlns:str="http://crd.gov.pl/xml/schematy/struktura/2009/11/16/">"#,
            r#"<wnio:OpisDokumentu/><wnio:DaneDokumentu><wnio:TrescDokumentu><wnio:RodzajWnioskowanejUslugi>Pismo ogólne do podmiotu publicznego</wnio:RodzajWnioskowanejUslugi>"#,
            r#"<wnio:Wartosc>Proszę o wydanie zaświadczenia.</wnio:Wartosc></wnio:TrescDokumentu></wnio:DaneDokumentu>"#,
            r#"<wnio:Zalaczniki><str:Zalaczniki>{z}<str:Zalacznik kodowanie="URI" nazwaPliku="skan.pdf"><str:DaneZalacznika>https://epuap.example/skan.pdf</str:DaneZalacznika></str:Zalacznik></str:Zalaczniki></wnio:Zalaczniki></wnio:Dokument>"#
        ),
        z = z
    )
}
