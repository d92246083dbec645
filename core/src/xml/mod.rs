//! Hardened XML: one parser (libxml2), parsed once, with limits and an ID index; canonicalization
//! on that same tree. Nothing downstream ever re-reads the raw bytes.

mod c14n;
pub(crate) mod edit;
mod escape;
mod limits;
mod node;
mod parse;
mod quiet;
mod raw;

#[doc(hidden)]
pub use c14n::c14n_differential;
pub use c14n::{C14nMethod, Exclusion, Selection};
pub use escape::escape;
pub use limits::{IdProfile, ParseLimits};
pub use node::{Attribute, Node, NodeKind};

use crate::error::{Error, ErrorCode, Result};
use libxml::bindings::{xmlDoc, xmlDocGetRootElement, xmlFreeDoc};
use std::collections::HashMap;
use std::ptr::NonNull;

/// Namespace URIs used across eidpl.
pub mod ns {
    /// XML-DSig.
    pub const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
    /// XML-DSig 1.1.
    pub const DSIG11: &str = "http://www.w3.org/2009/xmldsig11#";
    /// XML Encryption.
    pub const XENC: &str = "http://www.w3.org/2001/04/xmlenc#";
    /// XML Encryption 1.1.
    pub const XENC11: &str = "http://www.w3.org/2009/xmlenc11#";
    /// Exclusive c14n (InclusiveNamespaces).
    pub const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
    /// SAML 2.0 protocol.
    pub const SAMLP: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
    /// SAML 2.0 assertion.
    pub const SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
    /// SAML 2.0 metadata.
    pub const MD: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
    /// SOAP 1.1 envelope.
    pub const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
    /// eIDAS SAML extensions.
    pub const EIDAS: &str = "http://eidas.europa.eu/saml-extensions";
    /// eIDAS natural-person attributes.
    pub const NATURAL_PERSON: &str = "http://eidas.europa.eu/attributes/naturalperson";
}

/// How to parse: limits and which attributes are IDs.
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    /// Size and shape limits.
    pub limits: ParseLimits,
    /// ID attribute profile.
    pub ids: IdProfile,
}

impl ParseOptions {
    /// SAML messages.
    pub fn saml() -> Self {
        ParseOptions {
            limits: ParseLimits::saml(),
            ids: IdProfile::Saml,
        }
    }

    /// Signed documents (XAdES, ePUAP), up to 600 MB.
    pub fn document() -> Self {
        ParseOptions {
            limits: ParseLimits::document(),
            ids: IdProfile::Dsig,
        }
    }
}

struct IdEntry {
    node: NonNull<libxml::bindings::xmlNode>,
    /// An ID in the document's profile (a valid reference target), not just ID-like.
    referable: bool,
}

/// A parsed, checked XML document. Not `Send`: parse per call, per thread.
pub struct Document {
    ptr: NonNull<xmlDoc>,
    ids: HashMap<Box<str>, IdEntry>,
    precheck: c14n::Precheck,
}

impl Drop for Document {
    fn drop(&mut self) {
        // SAFETY: the document was created by the parser, is owned only by us and freed once.
        unsafe { xmlFreeDoc(self.ptr.as_ptr()) }
    }
}

impl Document {
    /// Parses `bytes` with every DTD feature off, checks the limits, indexes IDs and rejects
    /// duplicate ID values.
    pub fn parse(bytes: &[u8], options: &ParseOptions) -> Result<Document> {
        Document::from_tree(parse::parse_tree(bytes, &options.limits)?, options)
    }

    /// [`Document::parse`] from a reader (a large file is read in 1 MiB chunks, never held
    /// whole next to its tree).
    pub fn parse_reader(
        reader: &mut dyn std::io::Read,
        options: &ParseOptions,
    ) -> Result<Document> {
        Document::from_tree(parse::parse_reader(reader, &options.limits)?, options)
    }

    fn from_tree(ptr: *mut xmlDoc, options: &ParseOptions) -> Result<Document> {
        let ptr = NonNull::new(ptr)
            .ok_or_else(|| Error::new(ErrorCode::Internal, "libxml2 returned no document"))?;
        let mut doc = Document {
            ptr,
            ids: HashMap::new(),
            precheck: c14n::Precheck::default(),
        };
        doc.ids = index_and_check(&doc, options)?;
        Ok(doc)
    }

    pub(crate) fn as_ptr(&self) -> *mut xmlDoc {
        self.ptr.as_ptr()
    }

    /// The root element.
    pub fn root(&self) -> Node<'_> {
        // SAFETY: the document is alive for the borrow; a parsed document always has a root
        // element (the parser rejects documents without one), checked in index_and_check.
        unsafe { Node::from_ptr(xmlDocGetRootElement(self.as_ptr())) }
            .unwrap_or_else(|| unreachable_root())
    }

    /// The element whose ID attribute (per the profile it was parsed with) has this value.
    pub fn element_by_id(&self, id: &str) -> Option<Node<'_>> {
        let entry = self.ids.get(id).filter(|e| e.referable)?;
        // SAFETY: indexed nodes belong to this document, which is alive and unmodified.
        unsafe { Node::from_ptr(entry.node.as_ptr()) }
    }
}

#[cold]
fn unreachable_root() -> ! {
    // index_and_check refuses documents without a root element, so no Document lacks one.
    panic!("eidpl invariant: parsed document without a root element")
}

fn index_and_check(doc: &Document, options: &ParseOptions) -> Result<HashMap<Box<str>, IdEntry>> {
    let limits = &options.limits;
    // SAFETY: the document is alive; reading its root pointer.
    let root = unsafe { Node::from_ptr(xmlDocGetRootElement(doc.as_ptr())) }
        .ok_or_else(|| Error::new(ErrorCode::XmlMalformed, "the XML has no root element"))?;
    let exceeded = |what: &'static str, max: usize| {
        Error::new(
            ErrorCode::LimitExceeded,
            format!("the XML exceeds the {what} limit"),
        )
        .with("limit", what)
        .with("max", max as u64)
    };
    let mut ids: HashMap<Box<str>, IdEntry> = HashMap::new();
    let (mut nodes, mut ns_decls, mut depth) = (0usize, 0usize, 1usize);
    let mut cur = root;
    loop {
        nodes += 1;
        if nodes > limits.max_nodes {
            return Err(exceeded("max_nodes", limits.max_nodes));
        }
        if cur.is_element() {
            if depth > limits.max_depth {
                return Err(exceeded("max_depth", limits.max_depth));
            }
            check_element(cur, options, &mut ids, &mut ns_decls)?;
        }
        // Depth-first walk without recursion.
        if let Some(child) = cur.first_child() {
            cur = child;
            depth += 1;
            continue;
        }
        loop {
            if cur == root {
                return Ok(ids);
            }
            if let Some(next) = cur.next_sibling() {
                cur = next;
                break;
            }
            match cur.parent() {
                Some(p) => {
                    cur = p;
                    depth -= 1;
                }
                None => return Ok(ids),
            }
        }
    }
}

fn check_element<'a>(
    el: Node<'a>,
    options: &ParseOptions,
    ids: &mut HashMap<Box<str>, IdEntry>,
    ns_decls: &mut usize,
) -> Result<()> {
    let limits = &options.limits;
    *ns_decls += el.namespace_declarations().count();
    if *ns_decls > limits.max_namespace_declarations {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            "the XML exceeds the max_namespace_declarations limit",
        )
        .with("limit", "max_namespace_declarations")
        .with("max", limits.max_namespace_declarations as u64));
    }
    if !el.attributes_are_plain_text() {
        return Err(Error::new(
            ErrorCode::XmlMalformed,
            "an attribute value holds an entity reference",
        )
        .with("element", el.describe()));
    }
    let element_ns = el.namespace();
    for (count, attr) in el.attributes().enumerate() {
        if count + 1 > limits.max_attributes {
            return Err(Error::new(
                ErrorCode::LimitExceeded,
                "the XML exceeds the max_attributes limit",
            )
            .with("limit", "max_attributes")
            .with("max", limits.max_attributes as u64)
            .with("element", el.describe()));
        }
        if !IdProfile::is_id_like(attr.namespace, attr.local_name) {
            continue;
        }
        let referable = options
            .ids
            .is_id(element_ns, attr.namespace, attr.local_name);
        let entry = IdEntry {
            node: NonNull::new(el.as_ptr())
                .ok_or_else(|| Error::new(ErrorCode::Internal, "null element in tree"))?,
            referable,
        };
        if ids.insert(attr.value.into(), entry).is_some() {
            return Err(
                Error::new(ErrorCode::DuplicateId, "an ID value appears more than once")
                    .with("id", attr.value)
                    .with("element", el.describe()),
            );
        }
    }
    Ok(())
}
