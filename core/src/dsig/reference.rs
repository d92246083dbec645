//! Dereferencing a `ds:Reference`, applying its allowed transforms and comparing the digest.
//! The canonical bytes stream straight into the hasher.

use super::digest::DigestWriter;
use super::structure::{ReferenceParts, Transform};
use super::{DetachedData, ReferenceTarget};
use crate::error::{Error, ErrorCode, Result};
use crate::xml::{C14nMethod, Document, Exclusion, Node, Selection};

fn reference_invalid(message: impl Into<String>, uri: Option<&str>) -> Error {
    Error::new(ErrorCode::ReferenceInvalid, message).with("uri", uri.unwrap_or("(absent)"))
}

/// What a reference URI points at in this document (or in the caller's detached data).
pub(crate) fn resolve<'a>(
    doc: &'a Document,
    r: &ReferenceParts<'a>,
    detached: &[DetachedData<'_>],
) -> Result<ReferenceTarget<'a>> {
    match r.uri {
        Some("") => Ok(ReferenceTarget::Document),
        Some(u) if u.starts_with("#xpointer(") => Err(reference_invalid(
            "XPointer references are not allowed",
            r.uri,
        )),
        Some(u) if u.starts_with('#') => doc
            .element_by_id(&u[1..])
            .map(ReferenceTarget::Element)
            .ok_or_else(|| {
                reference_invalid("the reference points to no element with that ID", r.uri)
            }),
        Some(u) => detached
            .iter()
            .find(|d| d.uri == u)
            .map(|_| ReferenceTarget::Detached(u.to_owned()))
            .ok_or_else(|| {
                reference_invalid("external references need the data from the caller", r.uri)
            }),
        None => Err(reference_invalid(
            "a reference without URI is not allowed",
            None,
        )),
    }
}

/// Computes the reference digest and compares it with DigestValue.
pub(crate) fn check_digest<'a>(
    doc: &'a Document,
    signature: Node<'a>,
    r: &ReferenceParts<'a>,
    target: &ReferenceTarget<'a>,
    detached: &[DetachedData<'_>],
) -> Result<()> {
    let mut hasher = DigestWriter::new(r.digest);
    match target {
        ReferenceTarget::Detached(uri) => {
            if !r.transforms.is_empty() {
                return Err(reference_invalid(
                    "detached data takes no transforms",
                    Some(uri),
                ));
            }
            let data = detached
                .iter()
                .find(|d| d.uri == uri)
                .ok_or_else(|| reference_invalid("detached data missing", Some(uri)))?;
            std::io::Write::write_all(&mut hasher, data.bytes)?;
        }
        ReferenceTarget::Document | ReferenceTarget::Element(_) => {
            let selection = match target {
                ReferenceTarget::Element(e) => Selection::Subtree(*e),
                _ => Selection::Document,
            };
            let exclusion = if r.transforms.contains(&Transform::XPathNoSignatures) {
                Exclusion::AllSignatures
            } else if r.transforms.contains(&Transform::Enveloped) {
                Exclusion::Subtree(signature)
            } else {
                Exclusion::Nothing
            };
            // A node-set left at the end is serialized with inclusive c14n (XML-DSig default).
            let method = match r.transforms.last() {
                Some(Transform::C14n(m)) => m.clone(),
                _ => C14nMethod::Inclusive,
            };
            doc.canonicalize(selection, exclusion, &method, &mut hasher)?;
        }
    }
    let digest = hasher.finish();
    if !openssl::memcmp::eq(&digest, &r.digest_value) {
        return Err(Error::new(
            ErrorCode::DigestMismatch,
            "the signed content was changed: reference digest does not match",
        )
        .with("uri", r.uri.unwrap_or(""))
        .with("reference", r.node.describe()));
    }
    Ok(())
}
