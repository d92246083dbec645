//! Read-only views of a parsed libxml2 tree: zero-allocation accessors for names, namespaces,
//! attributes and text. Every `unsafe` here reads a tree that [`super::Document`] owns and keeps
//! alive (and unmodified) for the lifetime `'a` of the borrow.

use libxml::bindings::{
    xmlAttr, xmlElementType_XML_CDATA_SECTION_NODE as CDATA,
    xmlElementType_XML_COMMENT_NODE as COMMENT, xmlElementType_XML_ELEMENT_NODE as ELEMENT,
    xmlElementType_XML_PI_NODE as PI, xmlElementType_XML_TEXT_NODE as TEXT, xmlGetLineNo, xmlNode,
    xmlNs, xmlSearchNs,
};
use std::ffi::{c_char, CStr};
use std::marker::PhantomData;
use std::ptr::NonNull;

/// What a node is, for the kinds eidpl cares about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// An element.
    Element,
    /// Character data (CDATA is merged into text at parse time).
    Text,
    /// A comment.
    Comment,
    /// A processing instruction.
    ProcessingInstruction,
    /// Anything else libxml2 may put in a tree.
    Other,
}

/// A node of a parsed [`super::Document`]. Cheap to copy; valid while the document is borrowed.
#[derive(Clone, Copy)]
pub struct Node<'a> {
    ptr: NonNull<xmlNode>,
    _doc: PhantomData<&'a super::Document>,
}

impl PartialEq for Node<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.ptr == other.ptr
    }
}
impl Eq for Node<'_> {}

impl std::fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.describe())
    }
}

/// Borrows a NUL-terminated libxml2 string as `&str` (libxml2 keeps every string UTF-8 internally).
///
/// # Safety
/// `p` must be null or point to a NUL-terminated string that lives at least as long as `'a`.
pub(crate) unsafe fn c_str<'a>(p: *const u8) -> Option<&'a str> {
    if p.is_null() {
        return None;
    }
    // SAFETY: non-null, NUL-terminated and alive for 'a per the function contract.
    let bytes = unsafe { CStr::from_ptr(p as *const c_char) }.to_bytes();
    std::str::from_utf8(bytes).ok()
}

/// True when the NUL-terminated string at `p` is exactly `s`: compared in place, without the
/// length scan and UTF-8 check of [`c_str`] (equal to a `&str`, it is UTF-8).
///
/// # Safety
/// `p` must be null or point to a NUL-terminated string.
#[inline]
pub(crate) unsafe fn c_eq(p: *const u8, s: &str) -> bool {
    if p.is_null() {
        return false;
    }
    for (i, &b) in s.as_bytes().iter().enumerate() {
        // SAFETY: bytes 0..i were equal to non-NUL bytes of `s`, so the string is longer than i.
        let c = unsafe { *p.add(i) };
        if c != b || c == 0 {
            return false;
        }
    }
    // SAFETY: the first s.len() bytes were non-NUL, so the terminator is at s.len() or later.
    unsafe { *p.add(s.len()) == 0 }
}

/// One attribute of an element.
#[derive(Debug, Clone, Copy)]
pub struct Attribute<'a> {
    /// Local name.
    pub local_name: &'a str,
    /// Namespace URI, if the attribute is namespaced.
    pub namespace: Option<&'a str>,
    /// Value (entity-free: the parser never expands entities).
    pub value: &'a str,
}

impl<'a> Node<'a> {
    /// # Safety
    /// `ptr` must be a node of a document that stays alive and unmodified for `'a`.
    pub(crate) unsafe fn from_ptr(ptr: *mut xmlNode) -> Option<Node<'a>> {
        NonNull::new(ptr).map(|ptr| Node {
            ptr,
            _doc: PhantomData,
        })
    }

    pub(crate) fn as_ptr(self) -> *mut xmlNode {
        self.ptr.as_ptr()
    }

    pub(crate) fn raw(self) -> &'a xmlNode {
        // SAFETY: the node belongs to a document borrowed for 'a (constructor contract).
        unsafe { self.ptr.as_ref() }
    }

    /// The node's kind.
    pub fn kind(self) -> NodeKind {
        #[allow(non_upper_case_globals)]
        match self.raw().type_ {
            ELEMENT => NodeKind::Element,
            TEXT | CDATA => NodeKind::Text,
            COMMENT => NodeKind::Comment,
            PI => NodeKind::ProcessingInstruction,
            _ => NodeKind::Other,
        }
    }

    /// True for elements.
    pub fn is_element(self) -> bool {
        self.raw().type_ == ELEMENT
    }

    /// Local name of an element (or the target of a PI).
    pub fn local_name(self) -> &'a str {
        // SAFETY: names are interned in the document's dictionary, alive for 'a.
        unsafe { c_str(self.raw().name) }.unwrap_or("")
    }

    fn ns(self) -> Option<&'a xmlNs> {
        // SAFETY: ns points to a declaration owned by an ancestor of this node, alive for 'a.
        unsafe { self.raw().ns.as_ref() }
    }

    /// Namespace URI of an element.
    pub fn namespace(self) -> Option<&'a str> {
        // SAFETY: href is owned by the namespace declaration, alive for 'a.
        self.ns().and_then(|ns| unsafe { c_str(ns.href) })
    }

    /// Prefix of an element's name.
    pub fn prefix(self) -> Option<&'a str> {
        // SAFETY: prefix is owned by the namespace declaration, alive for 'a.
        self.ns().and_then(|ns| unsafe { c_str(ns.prefix) })
    }

    /// True when this is an element with this namespace URI and local name.
    pub fn is(self, namespace: &str, local_name: &str) -> bool {
        let raw = self.raw();
        // SAFETY: name and namespace URI are NUL-terminated strings of the live tree.
        raw.type_ == ELEMENT
            && unsafe { c_eq(raw.name, local_name) }
            && self
                .ns()
                .is_some_and(|ns| unsafe { c_eq(ns.href, namespace) })
    }

    /// `prefix:name` as written.
    pub fn qualified_name(self) -> String {
        match self.prefix() {
            Some(p) => format!("{p}:{}", self.local_name()),
            None => self.local_name().to_owned(),
        }
    }

    /// Source line (for error messages).
    pub fn line(self) -> i64 {
        // SAFETY: the node is alive; xmlGetLineNo only reads it.
        unsafe { xmlGetLineNo(self.as_ptr()) }
    }

    /// `prefix:name (line N)`, for messages.
    pub fn describe(self) -> String {
        match self.kind() {
            NodeKind::Element => format!("<{}> (line {})", self.qualified_name(), self.line()),
            k => format!("{k:?} node (line {})", self.line()),
        }
    }

    /// Parent element (None at the root element).
    pub fn parent(self) -> Option<Node<'a>> {
        // SAFETY: parent pointers of a live tree point to live nodes of the same document.
        let p = unsafe { Node::from_ptr(self.raw().parent) }?;
        p.is_element().then_some(p)
    }

    /// First child of any kind.
    pub fn first_child(self) -> Option<Node<'a>> {
        // SAFETY: child pointers of a live tree point to live nodes of the same document.
        unsafe { Node::from_ptr(self.raw().children) }
    }

    /// Next sibling of any kind.
    pub fn next_sibling(self) -> Option<Node<'a>> {
        // SAFETY: sibling pointers of a live tree point to live nodes of the same document.
        unsafe { Node::from_ptr(self.raw().next) }
    }

    /// Previous sibling of any kind.
    pub fn previous_sibling(self) -> Option<Node<'a>> {
        // SAFETY: sibling pointers of a live tree point to live nodes of the same document.
        unsafe { Node::from_ptr(self.raw().prev) }
    }

    /// All children, in document order.
    pub fn children(self) -> impl Iterator<Item = Node<'a>> {
        std::iter::successors(self.first_child(), |n| n.next_sibling())
    }

    /// Element children, in document order.
    pub fn child_elements(self) -> impl Iterator<Item = Node<'a>> {
        self.children().filter(|n| n.is_element())
    }

    /// This element and every element below it, in document order.
    pub fn descendants(self) -> impl Iterator<Item = Node<'a>> {
        let root = self;
        std::iter::successors(Some(self), move |&n| {
            if let Some(c) = n.child_elements().next() {
                return Some(c);
            }
            let mut cur = n;
            loop {
                if cur == root {
                    return None;
                }
                if let Some(s) = std::iter::successors(cur.next_sibling(), |x| x.next_sibling())
                    .find(|x| x.is_element())
                {
                    return Some(s);
                }
                cur = cur.parent()?;
            }
        })
    }

    /// Content of a text node (empty for other kinds).
    pub fn text_content(self) -> &'a str {
        match self.kind() {
            // SAFETY: content of a text node is owned by the node, alive for 'a.
            NodeKind::Text => unsafe { c_str(self.raw().content) }.unwrap_or(""),
            _ => "",
        }
    }

    /// The raw attribute list of an element (empty for other kinds), in document order.
    fn raw_attributes(self) -> impl Iterator<Item = &'a xmlAttr> {
        let first = if self.is_element() {
            self.raw().properties
        } else {
            std::ptr::null_mut()
        };
        // SAFETY: attribute list of a live element; each entry is alive for 'a.
        std::iter::successors(unsafe { first.as_ref() }, |a: &&'a xmlAttr| unsafe {
            a.next.as_ref()
        })
    }

    /// Attributes of an element, in document order.
    pub fn attributes(self) -> impl Iterator<Item = Attribute<'a>> {
        self.raw_attributes().map(attribute_view)
    }

    /// True when every attribute value is a single text node (no entity references), which the
    /// entity-free parser guarantees; checked once per parse so `attributes()` can rely on it.
    pub(crate) fn attributes_are_plain_text(self) -> bool {
        self.raw_attributes().all(|a| {
            // SAFETY: the children of a live attribute, alive for 'a.
            match unsafe { a.children.as_ref() } {
                None => true,
                Some(t) => t.type_ == TEXT && t.next.is_null(),
            }
        })
    }

    /// Value of the attribute with this local name and no namespace.
    pub fn attr(self, local_name: &str) -> Option<&'a str> {
        self.raw_attributes()
            // SAFETY: the name of a live attribute, NUL-terminated and alive for 'a.
            .find(|a| a.ns.is_null() && unsafe { c_eq(a.name, local_name) })
            .map(|a| attribute_view(a).value)
    }

    /// Value of a namespaced attribute.
    pub fn attr_ns(self, namespace: &str, local_name: &str) -> Option<&'a str> {
        self.attributes()
            .find(|a| a.namespace == Some(namespace) && a.local_name == local_name)
            .map(|a| a.value)
    }

    /// Namespace declarations made on this element: `(prefix, uri)`, prefix None for the default.
    pub fn namespace_declarations(self) -> impl Iterator<Item = (Option<&'a str>, &'a str)> {
        let first = if self.is_element() {
            self.raw().nsDef
        } else {
            std::ptr::null_mut()
        };
        // SAFETY: nsDef list of a live element; each entry alive for 'a.
        std::iter::successors(unsafe { first.as_ref() }, |n: &&'a xmlNs| unsafe {
            n.next.as_ref()
        })
        // SAFETY: prefix/href strings owned by the declaration, alive for 'a.
        .map(|n| unsafe { (c_str(n.prefix), c_str(n.href).unwrap_or("")) })
    }

    /// The namespace URI bound to `prefix` (None = default namespace) in scope at this element.
    pub fn lookup_namespace(self, prefix: Option<&str>) -> Option<&'a str> {
        let prefix_c = match prefix {
            Some(p) => Some(std::ffi::CString::new(p).ok()?),
            None => None,
        };
        let pp = prefix_c
            .as_ref()
            .map_or(std::ptr::null(), |c| c.as_ptr() as *const u8);
        // SAFETY: the node and its document are alive; xmlSearchNs only reads the tree.
        let ns = unsafe { xmlSearchNs(self.raw().doc, self.as_ptr(), pp) };
        // SAFETY: a non-null result is a declaration in this tree, alive for 'a.
        unsafe { ns.as_ref() }.and_then(|ns| unsafe { c_str(ns.href) })
    }

    /// The text of a leaf element: only text children allowed (no elements, comments or PIs),
    /// so a value can never be split or truncated by injected markup.
    pub fn leaf_text(self) -> Option<std::borrow::Cow<'a, str>> {
        let mut parts = self.children();
        let first = match parts.next() {
            None => return Some(std::borrow::Cow::Borrowed("")),
            Some(n) if n.kind() == NodeKind::Text => n.text_content(),
            Some(_) => return None,
        };
        let mut owned: Option<String> = None;
        for n in parts {
            if n.kind() != NodeKind::Text {
                return None;
            }
            owned
                .get_or_insert_with(|| first.to_owned())
                .push_str(n.text_content());
        }
        Some(owned.map_or(std::borrow::Cow::Borrowed(first), std::borrow::Cow::Owned))
    }
}

fn attribute_view(a: &xmlAttr) -> Attribute<'_> {
    // SAFETY: the attribute, its name, namespace and value text are alive as long as `a`.
    unsafe {
        let namespace = a.ns.as_ref().and_then(|ns| c_str(ns.href));
        // The parser guarantees (checked in `limits`) at most one text child per attribute.
        let value = a
            .children
            .as_ref()
            .and_then(|t| c_str(t.content))
            .unwrap_or("");
        Attribute {
            local_name: c_str(a.name).unwrap_or(""),
            namespace,
            value,
        }
    }
}
