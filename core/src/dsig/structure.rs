//! Reads a `ds:Signature` into typed parts, strictly: exactly the elements the profile allows,
//! in order, with only whitespace between them, and every algorithm checked against the
//! allowlist. No digest or transform work happens until this has succeeded.

use super::algorithms::{
    not_allowed, uri, DigestAlgorithm, SignatureAlgorithm, XPATH_NO_SIGNATURES,
};
use super::Profile;
use crate::error::{Error, ErrorCode, Result};
use crate::xml::{ns, C14nMethod, Node, NodeKind};
use base64::Engine;

/// One transform of a reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Transform {
    Enveloped,
    XPathNoSignatures,
    C14n(C14nMethod),
}

pub(crate) struct ReferenceParts<'a> {
    pub node: Node<'a>,
    pub uri: Option<&'a str>,
    pub reference_type: Option<&'a str>,
    pub transforms: Vec<Transform>,
    pub digest: DigestAlgorithm,
    pub digest_value: Vec<u8>,
}

/// Key material named in KeyInfo: only used to select among configured keys.
#[derive(Default)]
pub(crate) struct KeyInfoParts {
    pub certificates: Vec<Vec<u8>>,
    pub ec_public_keys: Vec<(String, Vec<u8>)>,
}

pub(crate) struct SignatureParts<'a> {
    pub signed_info: Node<'a>,
    pub c14n: C14nMethod,
    pub algorithm: SignatureAlgorithm,
    pub references: Vec<ReferenceParts<'a>>,
    pub signature_value: Vec<u8>,
    pub key_info: Option<KeyInfoParts>,
}

pub(crate) fn violation(message: impl Into<String>, at: Node<'_>) -> Error {
    Error::new(ErrorCode::ProfileViolation, message).with("element", at.describe())
}

/// Element children of `node`; anything but whitespace, elements and nothing else is refused.
fn element_children<'a>(node: Node<'a>) -> Result<Vec<Node<'a>>> {
    let mut out = Vec::new();
    for child in node.children() {
        match child.kind() {
            NodeKind::Element => out.push(child),
            NodeKind::Text if child.text_content().trim_ascii().is_empty() => {}
            NodeKind::Text => {
                return Err(violation(
                    "unexpected text inside a signature element",
                    node,
                ))
            }
            _ => {
                return Err(violation(
                    "comments and processing instructions are not allowed inside a signature",
                    node,
                ))
            }
        }
    }
    Ok(out)
}

fn expect<'a>(children: &[Node<'a>], i: usize, local: &str, parent: Node<'a>) -> Result<Node<'a>> {
    match children.get(i) {
        Some(n) if n.is(ns::DS, local) => Ok(*n),
        Some(n) => Err(violation(
            format!("expected ds:{local}, found {}", n.qualified_name()),
            *n,
        )
        .expected_actual(format!("ds:{local}"), n.qualified_name())),
        None => Err(violation(format!("missing ds:{local}"), parent)),
    }
}

fn algorithm_attr<'a>(node: Node<'a>) -> Result<&'a str> {
    node.attr("Algorithm")
        .ok_or_else(|| violation("Algorithm attribute missing", node))
}

/// Text of a leaf holding base64; whitespace inside is allowed, markup is not.
fn base64_leaf(node: Node<'_>) -> Result<Vec<u8>> {
    let text = node.leaf_text().ok_or_else(|| {
        violation(
            "value must be plain text (no comments, PIs or elements)",
            node,
        )
    })?;
    let compact: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(&compact)
        .map_err(|_| violation("value is not valid base64", node))
}

fn no_children(node: Node<'_>) -> Result<()> {
    match element_children(node)?.first() {
        None => Ok(()),
        Some(c) => Err(violation(
            format!("{} may not have child elements", node.qualified_name()),
            *c,
        )),
    }
}

/// c14n method from an Algorithm URI, with an optional InclusiveNamespaces child.
fn c14n_method(node: Node<'_>, profile: Profile) -> Result<C14nMethod> {
    let alg = algorithm_attr(node)?;
    let children = element_children(node)?;
    match alg {
        uri::EXC_C14N => {
            let prefixes = match children.as_slice() {
                [] => Vec::new(),
                [inc] if inc.is(ns::EXC_C14N, "InclusiveNamespaces") => {
                    no_children(*inc)?;
                    inc.attr("PrefixList")
                        .unwrap_or("")
                        .split_ascii_whitespace()
                        .map(str::to_owned)
                        .collect()
                }
                [other, ..] => {
                    return Err(violation("unexpected element in a c14n method", *other))
                }
            };
            Ok(C14nMethod::Exclusive {
                inclusive_prefixes: prefixes,
            })
        }
        uri::C14N if profile == Profile::Xades => {
            no_children(node)?;
            Ok(C14nMethod::Inclusive)
        }
        other => Err(not_allowed("canonicalization", other)),
    }
}

fn transform(node: Node<'_>, profile: Profile) -> Result<Transform> {
    let alg = algorithm_attr(node)?;
    match alg {
        uri::ENVELOPED => {
            no_children(node)?;
            Ok(Transform::Enveloped)
        }
        uri::XPATH if profile == Profile::Xades => {
            let children = element_children(node)?;
            let [xpath] = children.as_slice() else {
                return Err(violation(
                    "an XPath transform needs exactly one ds:XPath",
                    node,
                ));
            };
            if !xpath.is(ns::DS, "XPath") {
                return Err(violation(
                    "an XPath transform needs exactly one ds:XPath",
                    *xpath,
                ));
            }
            let expr = xpath
                .leaf_text()
                .ok_or_else(|| violation("XPath must be plain text", *xpath))?;
            // The expression is fixed, and `ds` must mean XML-DSig where it is written.
            if expr.trim() != XPATH_NO_SIGNATURES
                || xpath.lookup_namespace(Some("ds")) != Some(ns::DS)
            {
                return Err(not_allowed("XPath expression", expr.trim()));
            }
            Ok(Transform::XPathNoSignatures)
        }
        uri::EXC_C14N | uri::C14N => Ok(Transform::C14n(c14n_method(node, profile)?)),
        other => Err(not_allowed("transform", other)),
    }
}

fn reference<'a>(node: Node<'a>, profile: Profile) -> Result<ReferenceParts<'a>> {
    let children = element_children(node)?;
    let mut i = 0;
    let mut transforms = Vec::new();
    if children.first().is_some_and(|c| c.is(ns::DS, "Transforms")) {
        for t in element_children(children[0])? {
            if !t.is(ns::DS, "Transform") {
                return Err(violation(
                    "only ds:Transform may appear in ds:Transforms",
                    t,
                ));
            }
            transforms.push(transform(t, profile)?);
        }
        if transforms.is_empty() {
            return Err(violation("ds:Transforms is empty", children[0]));
        }
        i = 1;
    }
    let digest_method = expect(&children, i, "DigestMethod", node)?;
    no_children(digest_method)?;
    let digest = DigestAlgorithm::from_uri(algorithm_attr(digest_method)?)?;
    let digest_value_node = expect(&children, i + 1, "DigestValue", node)?;
    if let Some(extra) = children.get(i + 2) {
        return Err(violation("unexpected element in ds:Reference", *extra));
    }
    let digest_value = base64_leaf(digest_value_node)?;
    if digest_value.len() != digest.output_len() {
        return Err(
            violation("DigestValue has the wrong length", digest_value_node)
                .expected_actual(digest.output_len() as u64, digest_value.len() as u64),
        );
    }
    // Node-set transforms first, at most one c14n and only at the end.
    let c14n_positions: Vec<usize> = transforms
        .iter()
        .enumerate()
        .filter(|(_, t)| matches!(t, Transform::C14n(_)))
        .map(|(i, _)| i)
        .collect();
    if c14n_positions.len() > 1
        || c14n_positions
            .first()
            .is_some_and(|&p| p + 1 != transforms.len())
    {
        return Err(violation(
            "canonicalization must be the last and only octet transform",
            node,
        ));
    }
    if profile == Profile::SamlStrict
        && !matches!(
            transforms.as_slice(),
            [
                Transform::Enveloped,
                Transform::C14n(C14nMethod::Exclusive { .. })
            ]
        )
    {
        return Err(violation(
            "SAML signatures must use exactly the enveloped-signature and exclusive c14n transforms",
            node,
        ));
    }
    Ok(ReferenceParts {
        node,
        uri: node.attr("URI"),
        reference_type: node.attr("Type"),
        transforms,
        digest,
        digest_value,
    })
}

fn key_info(node: Node<'_>) -> Result<KeyInfoParts> {
    let mut parts = KeyInfoParts::default();
    for child in element_children(node)? {
        if child.is(ns::DS, "X509Data") {
            for item in element_children(child)? {
                if item.is(ns::DS, "X509Certificate") {
                    parts.certificates.push(base64_leaf(item)?);
                }
            }
        } else if child.is(ns::DS, "KeyValue") {
            for value in element_children(child)? {
                if value.is(ns::DSIG11, "ECKeyValue") {
                    let kids = element_children(value)?;
                    let curve = kids
                        .iter()
                        .find(|k| k.is(ns::DSIG11, "NamedCurve"))
                        .and_then(|k| k.attr("URI"))
                        .ok_or_else(|| violation("ECKeyValue without NamedCurve", value))?;
                    let point = kids
                        .iter()
                        .find(|k| k.is(ns::DSIG11, "PublicKey"))
                        .ok_or_else(|| violation("ECKeyValue without PublicKey", value))?;
                    parts
                        .ec_public_keys
                        .push((curve.to_owned(), base64_leaf(*point)?));
                } else if !value.is(ns::DS, "RSAKeyValue") {
                    return Err(violation("unsupported KeyValue", value));
                }
            }
        } else if !child.is(ns::DS, "KeyName") {
            // RetrievalMethod and anything else that would fetch or derive a key.
            return Err(violation(
                format!("{} is not allowed in KeyInfo", child.qualified_name()),
                child,
            ));
        }
    }
    Ok(parts)
}

/// Reads and checks the whole signature structure under `profile`.
pub(crate) fn read_signature<'a>(
    signature: Node<'a>,
    profile: Profile,
) -> Result<SignatureParts<'a>> {
    if !signature.is(ns::DS, "Signature") {
        return Err(violation("not a ds:Signature", signature));
    }
    let children = element_children(signature)?;
    let signed_info = expect(&children, 0, "SignedInfo", signature)?;
    let signature_value_node = expect(&children, 1, "SignatureValue", signature)?;
    let mut rest = children[2..].iter().peekable();
    let key_info = match rest.peek() {
        Some(k) if k.is(ns::DS, "KeyInfo") => {
            let k = **k;
            rest.next();
            Some(key_info(k)?)
        }
        _ => None,
    };
    for extra in rest {
        let object_allowed = profile == Profile::Xades && extra.is(ns::DS, "Object");
        if !object_allowed {
            return Err(violation(
                format!("{} is not allowed here", extra.qualified_name()),
                *extra,
            ));
        }
    }

    let si = element_children(signed_info)?;
    let c14n_node = expect(&si, 0, "CanonicalizationMethod", signed_info)?;
    let c14n = c14n_method(c14n_node, profile)?;
    let method_node = expect(&si, 1, "SignatureMethod", signed_info)?;
    let algorithm = SignatureAlgorithm::from_uri(algorithm_attr(method_node)?)?;
    no_children(method_node)?;
    let mut references = Vec::new();
    for r in &si[2..] {
        if !r.is(ns::DS, "Reference") {
            return Err(violation(
                "only ds:Reference may follow SignatureMethod",
                *r,
            ));
        }
        references.push(reference(*r, profile)?);
    }
    if references.is_empty() {
        return Err(violation("SignedInfo has no Reference", signed_info));
    }
    if profile == Profile::SamlStrict && references.len() != 1 {
        return Err(
            violation("a SAML signature has exactly one Reference", signed_info)
                .expected_actual(1, references.len() as u64),
        );
    }
    let signature_value = base64_leaf(signature_value_node)?;
    Ok(SignatureParts {
        signed_info,
        c14n,
        algorithm,
        references,
        signature_value,
        key_info,
    })
}
