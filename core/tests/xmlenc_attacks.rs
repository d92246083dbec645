//! Forged EncryptedData, one test per attack, each built from WK's real 2018 message (whose key
//! we hold). Every one must be the same `decryption_failed` error: no oracle telling an attacker
//! which step failed.
#![allow(clippy::unwrap_used)]

mod common;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use common::read_interop;
use common::xmlenc::*;
use eidpl::{Error, ErrorCode};

fn message() -> String {
    String::from_utf8(read_interop("wk-simulator-2018/artifact-response.xml")).unwrap()
}

fn decrypt(xml: &str) -> Result<Vec<u8>, Error> {
    decrypt_xml(xml.as_bytes(), &[du_key()], &wk_2018_policy())
}

/// The forged message must fail exactly like a message encrypted to someone else.
fn assert_refused(forged: &str) {
    let reference = decrypt_xml(
        message().as_bytes(),
        &[fresh_key(openssl::nid::Nid::X9_62_PRIME256V1)],
        &wk_2018_policy(),
    )
    .unwrap_err();
    assert_eq!(reference.code(), ErrorCode::DecryptionFailed);
    let e = decrypt(forged).unwrap_err();
    assert_eq!(e, reference, "a distinguishable error is an oracle");
}

/// Replaces exactly one occurrence of `from` (the forgery must really change the message).
fn replace_once(xml: &str, from: &str, to: &str) -> String {
    assert_eq!(xml.matches(from).count(), 1, "{from}");
    xml.replacen(from, to, 1)
}

/// Edits the base64 content of the `nth` element whose text starts after `open_tag`.
fn edit_b64(xml: &str, open_tag: &str, nth: usize, edit: impl FnOnce(&mut Vec<u8>)) -> String {
    let start = xml.match_indices(open_tag).nth(nth).unwrap().0 + open_tag.len();
    let end = start + xml[start..].find('<').unwrap();
    let mut bytes = B64.decode(&xml[start..end]).unwrap();
    edit(&mut bytes);
    format!("{}{}{}", &xml[..start], B64.encode(bytes), &xml[end..])
}

const CIPHER_VALUE: &str = "<xenc:CipherValue>";
const WRAPPED_KEY: usize = 0;
const CONTENT: usize = 1;

#[test]
fn the_untouched_message_decrypts() {
    assert_eq!(
        decrypt(&message()).unwrap(),
        read_interop("wk-simulator-2018/assertion.decrypted.xml")
    );
}

// attack: gcm-tamper
#[test]
fn gcm_tag_flipped() {
    assert_refused(&edit_b64(&message(), CIPHER_VALUE, CONTENT, |c| {
        *c.last_mut().unwrap() ^= 1
    }));
}

// attack: gcm-tamper
#[test]
fn iv_flipped() {
    assert_refused(&edit_b64(&message(), CIPHER_VALUE, CONTENT, |c| c[0] ^= 1));
    assert_refused(&edit_b64(&message(), CIPHER_VALUE, CONTENT, |c| {
        c[11] ^= 0x80
    }));
}

// attack: gcm-tamper
#[test]
fn ciphertext_flipped_or_truncated() {
    assert_refused(&edit_b64(&message(), CIPHER_VALUE, CONTENT, |c| {
        c[100] ^= 1
    }));
    for len in [0, 12, 27, 28, 29] {
        assert_refused(&edit_b64(&message(), CIPHER_VALUE, CONTENT, |c| {
            c.truncate(len)
        }));
    }
}

// attack: rule-5
#[test]
fn wrapped_key_flipped_or_truncated() {
    assert_refused(&edit_b64(&message(), CIPHER_VALUE, WRAPPED_KEY, |k| {
        k[5] ^= 1
    }));
    assert_refused(&edit_b64(&message(), CIPHER_VALUE, WRAPPED_KEY, |k| {
        k.truncate(32)
    }));
    assert_refused(&edit_b64(&message(), CIPHER_VALUE, WRAPPED_KEY, |k| {
        k.truncate(16)
    }));
}

const PUBLIC_KEY: &str = "<dsig11:PublicKey>";

// attack: invalid-curve
#[test]
fn ephemeral_point_not_on_the_curve() {
    assert_refused(&edit_b64(&message(), PUBLIC_KEY, 0, |p| p[64] ^= 1));
    assert_refused(&edit_b64(&message(), PUBLIC_KEY, 0, |p| p[40] ^= 1));
}

// attack: invalid-curve
#[test]
fn ephemeral_point_at_infinity_compressed_or_hybrid() {
    assert_refused(&edit_b64(&message(), PUBLIC_KEY, 0, |p| *p = vec![0]));
    assert_refused(&edit_b64(&message(), PUBLIC_KEY, 0, |p| *p = vec![0; 65]));
    // The same point, compressed: valid on the curve but not the encoding the profile allows.
    assert_refused(&edit_b64(&message(), PUBLIC_KEY, 0, |p| {
        let prefix = 2 | (p[64] & 1);
        *p = [&[prefix][..], &p[1..33]].concat();
    }));
    assert_refused(&edit_b64(&message(), PUBLIC_KEY, 0, |p| {
        p[0] = 6 | (p[64] & 1)
    }));
    assert_refused(&edit_b64(&message(), PUBLIC_KEY, 0, |p| p.push(0)));
}

// attack: invalid-curve
#[test]
fn named_curve_of_another_curve() {
    for other in [
        "urn:oid:1.3.132.0.34",
        "urn:oid:1.3.132.0.35",
        "urn:oid:1.3.132.0.10",
    ] {
        assert_refused(&replace_once(
            &message(),
            r#"URI="urn:oid:1.2.840.10045.3.1.7""#,
            &format!(r#"URI="{other}""#),
        ));
    }
}

const CONTENT_METHOD: &str = "http://www.w3.org/2009/xmlenc11#aes256-gcm";
const KEY_METHOD: &str = r#"Algorithm="http://www.w3.org/2001/04/xmlenc#kw-aes256""#;

// attack: cbc-padding
#[test]
fn cbc_content_encryption() {
    for cbc in [
        "http://www.w3.org/2001/04/xmlenc#aes256-cbc",
        "http://www.w3.org/2001/04/xmlenc#aes128-cbc",
        "http://www.w3.org/2001/04/xmlenc#tripledes-cbc",
    ] {
        assert_refused(&replace_once(&message(), CONTENT_METHOD, cbc));
    }
}

// attack: cbc-padding
#[test]
fn rsa_key_transport() {
    for rsa in [
        "http://www.w3.org/2001/04/xmlenc#rsa-1_5",
        "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
        "http://www.w3.org/2009/xmlenc11#rsa-oaep",
    ] {
        assert_refused(&replace_once(
            &message(),
            KEY_METHOD,
            &format!(r#"Algorithm="{rsa}""#),
        ));
    }
}

// attack: rule-5
#[test]
fn other_key_agreement_derivation_or_kdf_digest() {
    for (from, to) in [
        ("xmlenc11#ECDH-ES", "xmlenc#dh"),
        ("xmlenc11#ConcatKDF", "xmlenc11#pbkdf2"),
    ] {
        assert_refused(&replace_once(&message(), from, to));
    }
    let kdf_digest = r#"<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/></xenc11:ConcatKDFParams>"#;
    assert_refused(&replace_once(
        &message(),
        kdf_digest,
        r#"<ds:DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"/></xenc11:ConcatKDFParams>"#,
    ));
    assert_refused(&replace_once(
        &message(),
        r#" PartyVInfo="#,
        r#" SuppPubInfo="00" PartyVInfo="#,
    ));
}

const CONTENT_CIPHER_DATA_END: &str = "</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>";

// attack: rule-5
#[test]
fn cipher_reference() {
    let xml = message();
    let start = xml.rfind("<xenc:CipherData><xenc:CipherValue>").unwrap();
    let end = xml.find(CONTENT_CIPHER_DATA_END).unwrap() + CONTENT_CIPHER_DATA_END.len();
    let forged = format!(
        r#"{}<xenc:CipherData><xenc:CipherReference URI="https://attacker.example/c"/></xenc:CipherData></xenc:EncryptedData>{}"#,
        &xml[..start],
        &xml[end..]
    );
    assert_refused(&forged);
}

fn encrypted_key(xml: &str) -> (usize, usize) {
    let start = xml.find("<xenc:EncryptedKey").unwrap();
    let end = xml.find("</xenc:EncryptedKey>").unwrap() + "</xenc:EncryptedKey>".len();
    (start, end)
}

// attack: rule-5
#[test]
fn retrieval_method_instead_of_or_beside_the_encrypted_key() {
    let xml = message();
    let (start, end) = encrypted_key(&xml);
    let key = &xml[start..end];
    let retrieval = r##"<ds:RetrievalMethod Type="http://www.w3.org/2001/04/xmlenc#EncryptedKey" URI="#_6b6de1b238e2b020bac91baeec66b645"/>"##;
    // The usual generic-SAML layout: key moved beside EncryptedData, pointed to by URI.
    let moved = format!("{}{}{}", &xml[..start], retrieval, &xml[end..]);
    let moved = replace_once(
        &moved,
        "</xenc:EncryptedData>",
        &format!("</xenc:EncryptedData>{key}"),
    );
    assert_refused(&moved);
    let beside = format!("{}{}{}", &xml[..start], retrieval, &xml[start..]);
    assert_refused(&beside);
}

// attack: rule-5
#[test]
fn two_encrypted_keys() {
    let xml = message();
    let (start, end) = encrypted_key(&xml);
    let copy = xml[start..end].replace("_6b6de1b238e2b020bac91baeec66b645", "_second");
    assert_refused(&format!("{}{}{}", &xml[..end], copy, &xml[end..]));
    assert_refused(&format!("{}{}{}", &xml[..start], copy, &xml[start..]));
}

#[test]
fn party_u_info_of_another_idp() {
    // uint32_be(16) ‖ "int.login.gov.pl": a genuine-looking WK value, just not the configured one.
    let other: String = [&[0u8, 0, 0, 16][..], b"int.login.gov.pl"]
        .concat()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    assert_refused(&replace_once(
        &message(),
        r#"PartyUInfo="000000136C6F63616C686F73742E776B2E676F762E706C""#,
        &format!(r#"PartyUInfo="{other}""#),
    ));
}

#[test]
fn content_type_instead_of_element() {
    assert_refused(&replace_once(
        &message(),
        r#"Type="http://www.w3.org/2001/04/xmlenc#Element""#,
        r#"Type="http://www.w3.org/2001/04/xmlenc#Content""#,
    ));
}

// attack: rule-5
#[test]
fn markup_where_the_profile_has_none() {
    let xml = message();
    let forged = [
        // A comment splitting the ciphertext.
        edit_b64(&xml, CIPHER_VALUE, CONTENT, |_| {}).replacen(
            "</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>",
            "<!--x--></xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>",
            1,
        ),
        // Properties, nonces and unknown attributes the allowlist does not know.
        replace_once(
            &xml,
            "</xenc:CipherData></xenc:EncryptedData>",
            "</xenc:CipherData><xenc:EncryptionProperties/></xenc:EncryptedData>",
        ),
        replace_once(
            &xml,
            r#"<xenc:AgreementMethod Algorithm="http://www.w3.org/2009/xmlenc11#ECDH-ES">"#,
            r#"<xenc:AgreementMethod Algorithm="http://www.w3.org/2009/xmlenc11#ECDH-ES"><xenc:KA-Nonce>AA==</xenc:KA-Nonce>"#,
        ),
        replace_once(
            &xml,
            r#"<xenc:EncryptedKey Id="#,
            r#"<xenc:EncryptedKey Encoding="x" Id="#,
        ),
        replace_once(
            &xml,
            &format!("{KEY_METHOD}/>"),
            &format!("{KEY_METHOD}><xenc:KeySize>256</xenc:KeySize></xenc:EncryptionMethod>"),
        ),
        replace_once(
            &xml,
            "<ds:KeyValue><dsig11:ECKeyValue><dsig11:NamedCurve",
            "<ds:KeyValue><dsig11:ECKeyValue><dsig11:ECParameters/><dsig11:NamedCurve",
        ),
        replace_once(
            &xml,
            "</ds:KeyInfo><xenc:CipherData><xenc:CipherValue>NbH7",
            "</ds:KeyInfo>text<xenc:CipherData><xenc:CipherValue>NbH7",
        ),
    ];
    for f in forged {
        assert_refused(&f);
    }
}

/// AES-GCM under a 16-byte IV (`IV ‖ ciphertext ‖ tag`, valid GCM for OpenSSL when told the IV
/// length): the profile fixes a 12-byte IV, so the first 12 bytes are the IV and the tag fails,
/// with the same error as any other refusal. Control: the same hand-made CipherValue with a
/// 12-byte IV decrypts, so only the IV length differs.
// attack: gcm-tamper
#[test]
fn gcm_with_a_sixteen_byte_iv() {
    use eidpl::xmlenc::{encrypt_element, DecryptionPolicy, EncryptOptions, KdfEncoding};
    use openssl::symm::{encrypt_aead, Cipher};
    let key = fresh_key(openssl::nid::Nid::X9_62_PRIME256V1);
    let cek = [0x5au8; 32];
    let plaintext =
        br#"<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a"/>"#;
    let xml = encrypt_element(
        plaintext,
        &public(&key),
        &EncryptOptions {
            cek: Some(cek.to_vec()),
            declare_namespaces: true,
            ..EncryptOptions::wk("idp.example", "sp.example")
        },
    )
    .unwrap();
    let policy = DecryptionPolicy {
        encoding: KdfEncoding::Wk,
        party_u: Some("idp.example"),
        party_v: Some("sp.example"),
    };
    let decrypt = |xml: &str| decrypt_xml(xml.as_bytes(), std::slice::from_ref(&key), &policy);
    assert_eq!(decrypt(&xml).unwrap(), plaintext);
    let with_iv = |iv: &[u8]| {
        let mut tag = [0u8; 16];
        let ct = encrypt_aead(
            Cipher::aes_256_gcm(),
            &cek,
            Some(iv),
            &[],
            plaintext,
            &mut tag,
        )
        .unwrap();
        edit_b64(&xml, CIPHER_VALUE, CONTENT, |c| {
            *c = [iv, &ct[..], &tag[..]].concat()
        })
    };
    assert_eq!(decrypt(&with_iv(&[7; 12])).unwrap(), plaintext);
    let reference = decrypt_xml(
        xml.as_bytes(),
        &[fresh_key(openssl::nid::Nid::X9_62_PRIME256V1)],
        &policy,
    )
    .unwrap_err();
    assert_eq!(reference.code(), ErrorCode::DecryptionFailed);
    for iv in [&[7u8; 16][..], &[7u8; 8][..]] {
        assert_eq!(
            decrypt(&with_iv(iv)).unwrap_err(),
            reference,
            "{}-byte IV",
            iv.len()
        );
    }
}
