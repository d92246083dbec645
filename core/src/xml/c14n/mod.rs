//! Canonical XML (inclusive 1.0 and exclusive 1.0, never with comments) of the parsed tree, so
//! namespaces inherited from ancestors are rendered as the specs say. Node-sets are described by
//! a selection and an exclusion: there is no XPath engine here. Output streams into any `Write`
//! (typically a hasher).
//!
//! Exclusive c14n of one element's subtree (every SAML signature: the signed element less its
//! enveloped signature, and SignedInfo), and inclusive or exclusive c14n of the whole document
//! (XAdES `URI=""`, large ePUAP documents), each less one node or every signature, are
//! serialized here in Rust, streaming, walking only the selection. The rest (inclusive c14n of
//! a subtree, a whole document whose document element is left out) goes to libxml2's
//! `xmlC14NExecute`, which walks the whole document and copies each text node to escape it; it
//! is also the reference the Rust serializer is tested against, byte for byte.

mod differential;
mod exclusive;
mod libxml;
mod out;
mod precheck;
#[cfg(test)]
mod tests;

pub use differential::c14n_differential;
pub(crate) use precheck::Precheck;

use super::{Document, Node};
use crate::error::{Error, ErrorCode, Result};
use std::io::Write;

/// The canonicalization algorithm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum C14nMethod {
    /// Canonical XML 1.0 (`http://www.w3.org/TR/2001/REC-xml-c14n-20010315`).
    Inclusive,
    /// Exclusive XML Canonicalization 1.0 with its InclusiveNamespaces PrefixList
    /// (`#default` for the default namespace).
    Exclusive {
        /// Prefixes treated as in inclusive c14n.
        inclusive_prefixes: Vec<String>,
    },
}

/// Which part of the document goes in (before exclusions).
#[derive(Debug, Clone, Copy)]
pub enum Selection<'a> {
    /// The whole document (`URI=""`).
    Document,
    /// An element and its descendants (`URI="#id"`, or SignedInfo).
    Subtree(Node<'a>),
}

/// What is taken out of the selection.
#[derive(Debug, Clone, Copy)]
pub enum Exclusion<'a> {
    /// Nothing.
    Nothing,
    /// This element with everything in it (the enveloped-signature transform).
    Subtree(Node<'a>),
    /// Every `ds:Signature` and everything in one: the XPath filter
    /// `not(ancestor-or-self::ds:Signature)`, recognised as this fixed expression.
    AllSignatures,
}

fn failed(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::C14nFailed, message)
}

impl Document {
    /// Canonicalizes the selected node-set (without comments) into `out`; returns the byte count.
    /// A c14n failure, a failing writer or empty output is `c14n_failed`.
    pub fn canonicalize(
        &self,
        selection: Selection<'_>,
        exclusion: Exclusion<'_>,
        method: &C14nMethod,
        out: &mut dyn Write,
    ) -> Result<u64> {
        let skip = match exclusion {
            Exclusion::Nothing => exclusive::Skip::Nothing,
            Exclusion::Subtree(n) => exclusive::Skip::Node(n.as_ptr()),
            Exclusion::AllSignatures => exclusive::Skip::Signatures,
        };
        if let C14nMethod::Exclusive { inclusive_prefixes } = method {
            if inclusive_prefixes.iter().any(|p| p.contains('\0')) {
                return Err(failed("a namespace prefix contains NUL"));
            }
        }
        match (selection, method) {
            (Selection::Subtree(apex), C14nMethod::Exclusive { inclusive_prefixes })
                if apex.is_element() =>
            {
                exclusive::canonicalize(self, apex, skip, inclusive_prefixes, out)
            }
            (Selection::Document, _) => {
                match exclusive::canonicalize_document(self, skip, method, &mut *out) {
                    Some(result) => result,
                    None => self.canonicalize_libxml2(selection, exclusion, method, out),
                }
            }
            _ => self.canonicalize_libxml2(selection, exclusion, method, out),
        }
    }

    /// [`Document::canonicalize`] into a new buffer.
    pub fn canonicalize_to_vec(
        &self,
        selection: Selection<'_>,
        exclusion: Exclusion<'_>,
        method: &C14nMethod,
    ) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.canonicalize(selection, exclusion, method, &mut out)?;
        Ok(out)
    }
}
