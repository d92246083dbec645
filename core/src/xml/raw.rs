//! Byte-level views of libxml2 tree structs for the canonicalizer: names, namespaces and text
//! as the exact bytes libxml2 holds (no UTF-8 check, no copy). Views are made only from a
//! [`Node`], so every pointer followed belongs to a document that is alive and unmodified for
//! `'a` (the same contract as `Node`).

use super::Node;
use libxml::bindings::{
    xmlAttr, xmlElementType_XML_ELEMENT_NODE as ELEMENT, xmlElementType_XML_TEXT_NODE as TEXT,
    xmlNode, xmlNs,
};
use std::ffi::{c_char, CStr};

/// The bytes of a NUL-terminated libxml2 string, None for null.
///
/// # Safety
/// `p` must be null or a NUL-terminated string alive for `'a`.
unsafe fn bytes<'a>(p: *const u8) -> Option<&'a [u8]> {
    // SAFETY: non-null and NUL-terminated, alive for 'a (function contract).
    (!p.is_null()).then(|| unsafe { CStr::from_ptr(p as *const c_char) }.to_bytes())
}

/// Any node of a tree (element, text, PI, comment, ...).
#[derive(Clone, Copy)]
pub(crate) struct RawNode<'a>(&'a xmlNode);

/// A namespace declaration (`xmlNs`).
#[derive(Clone, Copy)]
pub(crate) struct RawNs<'a>(&'a xmlNs);

/// An attribute of an element.
#[derive(Clone, Copy)]
pub(crate) struct RawAttr<'a>(&'a xmlAttr);

impl<'a> From<Node<'a>> for RawNode<'a> {
    fn from(n: Node<'a>) -> Self {
        RawNode(n.raw())
    }
}

impl<'a> RawNode<'a> {
    fn link(p: *mut xmlNode) -> Option<RawNode<'a>> {
        // SAFETY: links of a live tree point to live nodes of the same document, alive for 'a.
        unsafe { p.as_ref() }.map(RawNode)
    }

    pub(crate) fn ptr(self) -> *const xmlNode {
        self.0
    }

    /// libxml2's node type (`xmlElementType`).
    pub(crate) fn kind(self) -> u32 {
        self.0.type_
    }

    pub(crate) fn is_element(self) -> bool {
        self.0.type_ == ELEMENT
    }

    /// Local name of an element, target of a PI.
    pub(crate) fn name(self) -> &'a [u8] {
        // SAFETY: names are interned in the document's dictionary or owned by the node.
        unsafe { bytes(self.0.name) }.unwrap_or_default()
    }

    /// Text of a text, CDATA, PI or comment node.
    pub(crate) fn content(self) -> Option<&'a [u8]> {
        // SAFETY: content is owned by the node, alive for 'a.
        unsafe { bytes(self.0.content) }
    }

    /// The namespace of an element's name.
    pub(crate) fn ns(self) -> Option<RawNs<'a>> {
        // SAFETY: ns points to a declaration owned by this node or an ancestor (or the
        // document's xml namespace), alive for 'a.
        unsafe { self.0.ns.as_ref() }.map(RawNs)
    }

    pub(crate) fn first_child(self) -> Option<RawNode<'a>> {
        Self::link(self.0.children)
    }

    pub(crate) fn next(self) -> Option<RawNode<'a>> {
        Self::link(self.0.next)
    }

    pub(crate) fn prev(self) -> Option<RawNode<'a>> {
        Self::link(self.0.prev)
    }

    /// The parent if it is an element (not the document node).
    pub(crate) fn parent_element(self) -> Option<RawNode<'a>> {
        Self::link(self.0.parent).filter(|p| p.is_element())
    }

    /// Namespace declarations made on this element, in document order.
    pub(crate) fn ns_defs(self) -> impl Iterator<Item = RawNs<'a>> {
        let first = if self.is_element() {
            self.0.nsDef
        } else {
            std::ptr::null_mut()
        };
        // SAFETY: the nsDef list of a live element; every entry is alive for 'a.
        std::iter::successors(unsafe { first.as_ref() }, |n: &&'a xmlNs| unsafe {
            n.next.as_ref()
        })
        .map(RawNs)
    }

    /// Attributes of an element, in document order.
    pub(crate) fn attrs(self) -> impl Iterator<Item = RawAttr<'a>> {
        let first = if self.is_element() {
            self.0.properties
        } else {
            std::ptr::null_mut()
        };
        // SAFETY: the attribute list of a live element; every entry is alive for 'a.
        std::iter::successors(unsafe { first.as_ref() }, |a: &&'a xmlAttr| unsafe {
            a.next.as_ref()
        })
        .map(RawAttr)
    }

    /// True when this node belongs to the document at `doc`.
    pub(crate) fn in_document(self, doc: *const libxml::bindings::xmlDoc) -> bool {
        std::ptr::eq(self.0.doc, doc)
    }
}

impl<'a> RawNs<'a> {
    /// The prefix; None for the default namespace.
    pub(crate) fn prefix(self) -> Option<&'a [u8]> {
        // SAFETY: the prefix string is owned by the declaration, alive for 'a.
        unsafe { bytes(self.0.prefix) }
    }

    /// The namespace URI (empty for `xmlns=""`).
    pub(crate) fn href(self) -> Option<&'a [u8]> {
        // SAFETY: the href string is owned by the declaration, alive for 'a.
        unsafe { bytes(self.0.href) }
    }

    pub(crate) fn href_ptr(self) -> *const u8 {
        self.0.href
    }

    pub(crate) fn ptr(self) -> *const xmlNs {
        self.0
    }
}

impl<'a> RawAttr<'a> {
    pub(crate) fn name(self) -> &'a [u8] {
        // SAFETY: the name is interned in the document's dictionary or owned by the attribute.
        unsafe { bytes(self.0.name) }.unwrap_or_default()
    }

    pub(crate) fn ns(self) -> Option<RawNs<'a>> {
        // SAFETY: ns points to a declaration in scope at the owning element, alive for 'a.
        unsafe { self.0.ns.as_ref() }.map(RawNs)
    }

    /// The value's pieces: the contents of its text children. None if any child is not text
    /// (an entity reference, which the entity-free parser never creates).
    pub(crate) fn value_parts(self) -> Option<impl Iterator<Item = &'a [u8]>> {
        let children = || {
            // SAFETY: the children of a live attribute are live nodes, alive for 'a.
            std::iter::successors(
                unsafe { self.0.children.as_ref() },
                |n: &&'a xmlNode| unsafe { n.next.as_ref() },
            )
        };
        children().all(|n| n.type_ == TEXT).then(|| {
            children().filter_map(|n| {
                // SAFETY: content of a live text node, alive for 'a.
                unsafe { bytes(n.content) }
            })
        })
    }
}
