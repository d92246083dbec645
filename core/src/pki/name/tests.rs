use super::*;
use openssl::x509::{X509Name, X509NameBuilder};

const SEAL_CN: &str = "Minister do spraw informatyzacji - pieczęć podpisu zaufanego";

/// A name from (type, value) pairs in DER order, one attribute per RDN.
fn name(entries: &[(&str, &str)]) -> X509Name {
    let mut b = X509NameBuilder::new().unwrap();
    for (t, v) in entries {
        b.append_entry_by_text(t, v).unwrap();
    }
    b.build()
}

fn seal() -> X509Name {
    name(&[
        ("C", "PL"),
        ("organizationIdentifier", "VATPL-5252955037"),
        ("O", "Ministerstwo Cyfryzacji"),
        ("CN", SEAL_CN),
    ])
}

/// DER TLV with a short length.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag, u8::try_from(content.len()).unwrap()];
    out.extend_from_slice(content);
    out
}

fn ava(oid: &[u8], value: Vec<u8>) -> Vec<u8> {
    tlv(0x30, &[tlv(0x06, oid), value].concat())
}

const CN: &[u8] = &[0x55, 0x04, 0x03];
const SERIAL: &[u8] = &[0x55, 0x04, 0x05];
const C: &[u8] = &[0x55, 0x04, 0x06];

#[test]
fn the_pz_seal_in_every_spelling_producers_use() {
    let n = seal();
    for text in [
        "CN=Minister do spraw informatyzacji - pieczęć podpisu zaufanego, O=Ministerstwo Cyfryzacji, 2.5.4.97=VATPL-5252955037, C=PL",
        // openssl -nameopt RFC2253: UTF-8 as hex pairs, unknown types as #DER.
        r"CN=Minister do spraw informatyzacji - piecz\C4\99\C4\87 podpisu zaufanego,O=Ministerstwo Cyfryzacji,2.5.4.97=#0c10564154504c2d35323532393535303337,C=PL",
        // Windows / .NET: OID.-prefixed types.
        "CN=Minister do spraw informatyzacji - pieczęć podpisu zaufanego, O=Ministerstwo Cyfryzacji, OID.2.5.4.97=VATPL-5252955037, C=PL",
        "CN=Minister do spraw informatyzacji - pieczęć podpisu zaufanego, O=Ministerstwo Cyfryzacji, OID.2.5.4.97=#0C10564154504C2D35323532393535303337, C=PL",
        "cn=Minister do spraw informatyzacji - pieczęć podpisu zaufanego,o=Ministerstwo Cyfryzacji,organizationIdentifier=VATPL-5252955037,c=PL",
        // DER order, as some Java producers write it.
        "C=PL, 2.5.4.97=VATPL-5252955037, O=Ministerstwo Cyfryzacji, CN=Minister do spraw informatyzacji - pieczęć podpisu zaufanego",
        // Case and spacing differences are insignificant (caseIgnoreMatch).
        "CN = MINISTER DO SPRAW INFORMATYZACJI  -  PIECZĘĆ PODPISU ZAUFANEGO ; O = ministerstwo cyfryzacji ; 2.5.4.97 = vatpl-5252955037 ; C = pl",
        // RFC 1779 quoting.
        "CN=\"Minister do spraw informatyzacji - pieczęć podpisu zaufanego\", O=\"Ministerstwo Cyfryzacji\", 2.5.4.097=VATPL-5252955037, C=#1302504c",
    ] {
        assert!(name_matches(&n, text), "{text}");
    }
}

#[test]
fn one_different_extra_or_missing_attribute_is_a_mismatch() {
    let n = seal();
    for text in [
        // transposed letters inside the DER value: UTF8String "VTAPL-5252955037"
        "CN=Minister do spraw informatyzacji - pieczęć podpisu zaufanego, O=Ministerstwo Cyfryzacji, 2.5.4.97=#0c10565441504c2d35323532393535303337, C=PL",
        // another organizationIdentifier
        "CN=Minister do spraw informatyzacji - pieczęć podpisu zaufanego, O=Ministerstwo Cyfryzacji, 2.5.4.97=VATPL-5252955038, C=PL",
        // diacritics matter (no accent folding)
        "CN=Minister do spraw informatyzacji - pieczec podpisu zaufanego, O=Ministerstwo Cyfryzacji, 2.5.4.97=VATPL-5252955037, C=PL",
        // extra RDN
        "CN=Minister do spraw informatyzacji - pieczęć podpisu zaufanego, OU=Test, O=Ministerstwo Cyfryzacji, 2.5.4.97=VATPL-5252955037, C=PL",
        // missing RDN
        "CN=Minister do spraw informatyzacji - pieczęć podpisu zaufanego, O=Ministerstwo Cyfryzacji, C=PL",
        // right value, wrong type
        "CN=Minister do spraw informatyzacji - pieczęć podpisu zaufanego, O=Ministerstwo Cyfryzacji, 2.5.4.97=VATPL-5252955037, L=PL",
        // neither written nor reversed order
        "O=Ministerstwo Cyfryzacji, CN=Minister do spraw informatyzacji - pieczęć podpisu zaufanego, 2.5.4.97=VATPL-5252955037, C=PL",
        // two RDNs merged into one multi-valued RDN
        "CN=Minister do spraw informatyzacji - pieczęć podpisu zaufanego+O=Ministerstwo Cyfryzacji, 2.5.4.97=VATPL-5252955037, C=PL",
        // a value of another ASN.1 type (OCTET STRING) is not the string
        "CN=Minister do spraw informatyzacji - pieczęć podpisu zaufanego, O=Ministerstwo Cyfryzacji, 2.5.4.97=#0410564154504c2d35323532393535303337, C=PL",
        "",
    ] {
        assert!(!name_matches(&n, text), "{text}");
    }
}

#[test]
fn text_that_does_not_parse_never_matches() {
    let n = name(&[("CN", "a")]);
    assert!(name_matches(&n, "CN=a"));
    for text in [
        "CN",
        "=a",
        "CN=a,",
        "CN=a+",
        "XX=a",
        "CN=a\\zz",
        "CN=a\\",
        "CN=#0c0161x",
        "CN=#0c016",
        "CN=#0c0261",
        "CN=#0c016100",
        "CN=#",
        "CN=\"a",
        "CN=\"a\"b",
        "OID.=a",
        "1=a",
        "2..5=a",
        "CN=\\ff",
    ] {
        assert!(!name_matches(&n, text), "{text}");
    }
}

#[test]
fn escapes_and_quotes_decode_to_the_same_value() {
    let n = name(&[
        ("C", "PL"),
        ("O", "Firma, \"Sp. z o.o.\" + syn\\ka"),
        ("CN", "Centrum Kwalifikowane EuroCert"),
    ]);
    for text in [
        r#"CN=Centrum Kwalifikowane EuroCert,O=Firma\, \"Sp. z o.o.\" \+ syn\\ka,C=PL"#,
        r#"CN=Centrum Kwalifikowane EuroCert, O="Firma, \"Sp. z o.o.\" + syn\\ka", C=PL"#,
        r"CN=Centrum Kwalifikowane EuroCert,O=Firma\2c \22Sp. z o.o.\22 \2b syn\5cka,C=PL",
    ] {
        assert!(name_matches(&n, text), "{text}");
    }
    assert!(!name_matches(
        &n,
        r"CN=Centrum Kwalifikowane EuroCert,O=Firma\, Sp. z o.o. \+ synka,C=PL"
    ));
}

#[test]
fn real_issuer_names() {
    let eurocert = name(&[
        ("C", "PL"),
        ("2.5.4.97", "VATPL-9512352379"),
        ("O", "EuroCert Sp. z o.o."),
        ("CN", "Centrum Kwalifikowane EuroCert"),
    ]);
    assert!(name_matches(
        &eurocert,
        "CN=Centrum Kwalifikowane EuroCert, O=EuroCert Sp. z o.o., 2.5.4.97=VATPL-9512352379, C=PL"
    ));
    let cpi = name(&[
        ("C", "PL"),
        ("O", "CPI"),
        ("OU", "CPI CA for epuap TEST2"),
        ("CN", "CPI CA for epuap TEST2"),
    ]);
    assert!(name_matches(
        &cpi,
        "CN=CPI CA for epuap TEST2,OU=CPI CA for epuap TEST2,O=CPI,C=PL"
    ));
    let person = name(&[
        ("C", "PL"),
        ("serialNumber", "PNOPL-44051401359"),
        ("GN", "Jan"),
        ("SN", "Kowalski"),
        ("emailAddress", "jan@example.pl"),
    ]);
    assert!(name_matches(
        &person,
        "E=JAN@example.pl, SURNAME=Kowalski, G=Jan, SERIALNUMBER=PNOPL-44051401359, C=PL"
    ));
    assert!(name_matches(
        &person,
        "EMAILADDRESS=jan@example.pl, SN=Kowalski, GIVENNAME=Jan, OID.2.5.4.5=PNOPL-44051401359, C=PL"
    ));
}

#[test]
fn multi_valued_rdns_compare_as_sets() {
    let rdn = tlv(
        0x31,
        &[
            ava(CN, tlv(0x0c, b"Jan Kowalski")),
            ava(SERIAL, tlv(0x13, b"PNOPL-44051401359")),
        ]
        .concat(),
    );
    let c = tlv(0x31, &ava(C, tlv(0x13, b"PL")));
    let n = X509Name::from_der(&tlv(0x30, &[c, rdn].concat())).unwrap();
    assert!(name_matches(
        &n,
        "CN=Jan Kowalski+SERIALNUMBER=PNOPL-44051401359,C=PL"
    ));
    assert!(name_matches(
        &n,
        "SERIALNUMBER=PNOPL-44051401359 + CN=Jan Kowalski, C=PL"
    ));
    assert!(!name_matches(
        &n,
        "CN=Jan Kowalski,SERIALNUMBER=PNOPL-44051401359,C=PL"
    ));
    assert!(!name_matches(&n, "CN=Jan Kowalski,C=PL"));
    assert!(!name_matches(
        &n,
        "CN=Jan Kowalski+SERIALNUMBER=PNOPL-44051401359+CN=Jan Kowalski,C=PL"
    ));
}

#[test]
fn bmp_and_teletex_values_decode_before_comparison() {
    let bmp: Vec<u8> = "Żółć".encode_utf16().flat_map(u16::to_be_bytes).collect();
    let n = X509Name::from_der(&tlv(
        0x30,
        &[
            tlv(0x31, &ava(C, tlv(0x13, b"PL"))),
            tlv(0x31, &ava(CN, tlv(0x1e, &bmp))),
        ]
        .concat(),
    ))
    .unwrap();
    assert!(name_matches(&n, "CN=żółć, C=PL"));
    assert!(name_matches(&n, r"CN=\c5\bb\c3\b3\c5\82\c4\87,C=PL"));
    let t61 = X509Name::from_der(&tlv(0x30, &tlv(0x31, &ava(CN, tlv(0x14, b"Caf\xe9"))))).unwrap();
    assert!(name_matches(&t61, "CN=Café"));
}

#[test]
fn non_string_values_compare_as_der() {
    let n = X509Name::from_der(&tlv(
        0x30,
        &tlv(0x31, &ava(&[0x2a, 0x03, 0x04], tlv(0x03, &[0, 1, 2, 3]))),
    ))
    .unwrap();
    assert!(name_matches(&n, "1.2.3.4=#030400010203"));
    assert!(!name_matches(&n, "1.2.3.4=#030400010204"));
    assert!(!name_matches(&n, "1.2.3.4=\u{1}\u{2}\u{3}"));
}

#[test]
fn attributes_reject_malformed_names() {
    assert!(attributes(&[0x30, 0x00]).is_some_and(|a| a.is_empty()));
    for bad in [
        &[0x30, 0x02, 0x31, 0x00][..],         // empty RDN
        &[0x30, 0x03, 0x31, 0x01, 0x30],       // truncated
        &[0x30, 0x04, 0x31, 0x02, 0x30, 0x00], // AVA without OID
        &[0x30, 0x00, 0x00],                   // trailing byte
    ] {
        assert!(attributes(bad).is_none(), "{bad:02x?}");
    }
}
