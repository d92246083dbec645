//! A strict reader for `xenc:EncryptedData` in the one shape WK sends and the W3C xmlenc11
//! ECDH-ES vectors use. Every element and attribute is allowlisted; anything else — another
//! algorithm, a `CipherReference`, a `RetrievalMethod`, a second key, a comment — is the uniform
//! `decryption_failed`, before any cryptography runs.

use super::algorithms::{
    ContentAlgorithm, Curve, KeyWrap, CONCAT_KDF, ECDH_ES, ELEMENT_TYPE, SHA256,
};
use super::decryption_failed;
use crate::error::Result;
use crate::xml::{ns, Node, NodeKind};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;

/// Everything decryption needs, read from an EncryptedData element.
pub(crate) struct EncryptedParts<'a> {
    pub key_wrap: KeyWrap,
    pub algorithm_id: &'a str,
    pub party_u: &'a str,
    pub party_v: &'a str,
    pub curve: Curve,
    /// The originator's ephemeral key: an uncompressed point `04 ‖ X ‖ Y` of `curve`'s size.
    pub ephemeral_point: Vec<u8>,
    pub wrapped_key: Vec<u8>,
    /// `IV ‖ ciphertext ‖ tag`.
    pub cipher_data: Vec<u8>,
}

pub(crate) fn read(encrypted_data: Node<'_>) -> Result<EncryptedParts<'_>> {
    element(
        encrypted_data,
        ns::XENC,
        "EncryptedData",
        &["Id", "Type", "MimeType"],
    )?;
    if encrypted_data.attr("Type") != Some(ELEMENT_TYPE) {
        return Err(decryption_failed());
    }
    let [method, key_info, cipher_data] = children::<3>(encrypted_data)?;
    content_method(method)?;
    element(key_info, ns::DS, "KeyInfo", &["Id"])?;
    let [encrypted_key] = children::<1>(key_info)?;
    let mut parts = encrypted_key_parts(encrypted_key)?;
    parts.cipher_data = cipher_value(cipher_data)?;
    Ok(parts)
}

/// `xenc:EncryptionMethod` of the content: AES-GCM, with at most WK's `ds:DigestMethod` child
/// (which means nothing for GCM and is ignored).
fn content_method(method: Node<'_>) -> Result<()> {
    ContentAlgorithm::from_uri(algorithm(method, ns::XENC, "EncryptionMethod")?)
        .ok_or_else(decryption_failed)?;
    match children_vec(method)?.as_slice() {
        [] => Ok(()),
        [digest] => {
            algorithm(*digest, ns::DS, "DigestMethod")?;
            children::<0>(*digest).map(|_| ())
        }
        _ => Err(decryption_failed()),
    }
}

fn encrypted_key_parts(encrypted_key: Node<'_>) -> Result<EncryptedParts<'_>> {
    element(encrypted_key, ns::XENC, "EncryptedKey", &["Id"])?;
    let [method, key_info, cipher_data] = children::<3>(encrypted_key)?;
    let key_wrap = KeyWrap::from_uri(algorithm(method, ns::XENC, "EncryptionMethod")?)
        .ok_or_else(decryption_failed)?;
    children::<0>(method)?;
    element(key_info, ns::DS, "KeyInfo", &["Id"])?;
    let [agreement] = children::<1>(key_info)?;
    if algorithm(agreement, ns::XENC, "AgreementMethod")? != ECDH_ES {
        return Err(decryption_failed());
    }
    let (derivation, originator) = match children_vec(agreement)?.as_slice() {
        [d, o] => (*d, *o),
        // RecipientKeyInfo only names our own key; keys come from configuration.
        [d, o, r] if r.is(ns::XENC, "RecipientKeyInfo") => (*d, *o),
        _ => return Err(decryption_failed()),
    };
    if algorithm(derivation, ns::XENC11, "KeyDerivationMethod")? != CONCAT_KDF {
        return Err(decryption_failed());
    }
    let [params] = children::<1>(derivation)?;
    element(
        params,
        ns::XENC11,
        "ConcatKDFParams",
        &["AlgorithmID", "PartyUInfo", "PartyVInfo"],
    )?;
    let [digest] = children::<1>(params)?;
    if algorithm(digest, ns::DS, "DigestMethod")? != SHA256 {
        return Err(decryption_failed());
    }
    children::<0>(digest)?;
    let (curve, ephemeral_point) = originator_key(originator)?;
    Ok(EncryptedParts {
        key_wrap,
        algorithm_id: params.attr("AlgorithmID").unwrap_or(""),
        party_u: params.attr("PartyUInfo").unwrap_or(""),
        party_v: params.attr("PartyVInfo").unwrap_or(""),
        curve,
        ephemeral_point,
        wrapped_key: cipher_value(cipher_data)?,
        cipher_data: Vec::new(),
    })
}

/// `xenc:OriginatorKeyInfo/ds:KeyValue/dsig11:ECKeyValue` with a named curve and an
/// uncompressed point of exactly that curve's size (no compressed or hybrid forms, no
/// point at infinity, no explicit curve parameters).
fn originator_key(originator: Node<'_>) -> Result<(Curve, Vec<u8>)> {
    element(originator, ns::XENC, "OriginatorKeyInfo", &["Id"])?;
    let [key_value] = children::<1>(originator)?;
    element(key_value, ns::DS, "KeyValue", &[])?;
    let [ec_key_value] = children::<1>(key_value)?;
    element(ec_key_value, ns::DSIG11, "ECKeyValue", &["Id"])?;
    let [named_curve, public_key] = children::<2>(ec_key_value)?;
    element(named_curve, ns::DSIG11, "NamedCurve", &["URI"])?;
    children::<0>(named_curve)?;
    let curve = named_curve
        .attr("URI")
        .and_then(Curve::from_uri)
        .ok_or_else(decryption_failed)?;
    element(public_key, ns::DSIG11, "PublicKey", &[])?;
    let point = base64_text(public_key)?;
    if point.len() != 1 + 2 * curve.coordinate_len() || point.first() != Some(&0x04) {
        return Err(decryption_failed());
    }
    Ok((curve, point))
}

/// `xenc:CipherData/xenc:CipherValue` (a `CipherReference` would fetch data from elsewhere).
fn cipher_value(cipher_data: Node<'_>) -> Result<Vec<u8>> {
    element(cipher_data, ns::XENC, "CipherData", &[])?;
    let [value] = children::<1>(cipher_data)?;
    element(value, ns::XENC, "CipherValue", &[])?;
    base64_text(value)
}

/// The node is `{namespace}local` and carries only `allowed` attributes (none namespaced).
// Inlined so that each caller's constant `allowed` folds: out of line it costs ~4 K instructions
// per WK message (callgrind, examples/profile_wk_full).
#[inline]
fn element(node: Node<'_>, namespace: &str, local: &str, allowed: &[&str]) -> Result<()> {
    let attributes_ok = node
        .attributes()
        .all(|a| a.namespace.is_none() && allowed.contains(&a.local_name));
    if node.is(namespace, local) && attributes_ok {
        Ok(())
    } else {
        Err(decryption_failed())
    }
}

/// The Algorithm of an element whose only attribute is Algorithm.
fn algorithm<'a>(node: Node<'a>, namespace: &str, local: &str) -> Result<&'a str> {
    element(node, namespace, local, &["Algorithm"])?;
    node.attr("Algorithm").ok_or_else(decryption_failed)
}

/// Element children; whitespace between them is allowed, other text, comments and PIs are not.
fn children_vec(node: Node<'_>) -> Result<Vec<Node<'_>>> {
    let mut out = Vec::new();
    for child in node.children() {
        match child.kind() {
            NodeKind::Element => out.push(child),
            NodeKind::Text if is_xml_whitespace(child.text_content()) => {}
            _ => return Err(decryption_failed()),
        }
    }
    Ok(out)
}

/// Exactly `N` element children.
fn children<const N: usize>(node: Node<'_>) -> Result<[Node<'_>; N]> {
    <[Node<'_>; N]>::try_from(children_vec(node)?).map_err(|_| decryption_failed())
}

fn is_xml_whitespace(s: &str) -> bool {
    s.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

/// Base64 text of a leaf (line breaks allowed, markup inside is not).
fn base64_text(node: Node<'_>) -> Result<Vec<u8>> {
    let text = node.leaf_text().ok_or_else(decryption_failed)?;
    let bytes = text.as_bytes();
    let decoded = if bytes.iter().any(u8::is_ascii_whitespace) {
        let compact: Vec<u8> = bytes
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        B64.decode(compact)
    } else {
        B64.decode(bytes)
    };
    decoded.map_err(|_| decryption_failed())
}
