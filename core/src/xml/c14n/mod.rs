//! Canonical XML (inclusive 1.0 and exclusive 1.0, never with comments) of the parsed tree, so
//! namespaces inherited from ancestors are rendered as the specs say. Node-sets are described by
//! a selection and an exclusion: there is no XPath engine here. Output streams into any `Write`
//! (typically a hasher).

mod libxml;

use super::{Document, Node};
use crate::error::Result;
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
        self.canonicalize_libxml2(selection, exclusion, method, out)
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
