//! Canonical XML without comments serialized straight from the parsed tree, streaming to the
//! sink (a 500 MB text node is never copied): exclusive c14n of one element's subtree, and
//! exclusive or inclusive c14n of the whole document, each less excluded subtrees (one node, or
//! every `ds:Signature`). Only the selection (and the apex's ancestors, for the namespaces in
//! scope) is read. Attributes are written in libxml2's order; xml:* attributes are never
//! inherited: exclusive c14n drops that rule, and in a whole-document selection every output
//! element's parent is output too, so inclusive c14n never applies it either.

mod namespaces;

use super::out::{Escape, Out};
use super::C14nMethod;
use super::{failed, precheck};
use crate::error::Result;
use crate::xml::raw::{RawAttr, RawNode};
use crate::xml::{ns, Document, Node};
use libxml::bindings::{
    xmlElementType_XML_CDATA_SECTION_NODE as CDATA, xmlElementType_XML_COMMENT_NODE as COMMENT,
    xmlElementType_XML_ELEMENT_NODE as ELEMENT, xmlElementType_XML_PI_NODE as PI,
    xmlElementType_XML_TEXT_NODE as TEXT, xmlNode,
};
use namespaces::Binding;
use std::cmp::Ordering;
use std::io::{self, Write};

/// Why serialization stopped.
enum Stop {
    Write(io::Error),
    Invalid(&'static str),
}

type Walk<T> = std::result::Result<T, Stop>;

impl From<io::Error> for Stop {
    fn from(e: io::Error) -> Self {
        Stop::Write(e)
    }
}

/// What the selection leaves out, besides comments.
#[derive(Clone, Copy)]
pub(super) enum Skip {
    Nothing,
    /// This node and everything in it.
    Node(*const xmlNode),
    /// Every `ds:Signature` element and everything in it.
    Signatures,
}

impl Skip {
    fn skips(self, n: RawNode<'_>) -> bool {
        match self {
            Skip::Nothing => false,
            Skip::Node(x) => std::ptr::eq(n.ptr(), x),
            Skip::Signatures => {
                n.is_element()
                    && n.name() == b"Signature"
                    && n.ns().and_then(|ns| ns.href()) == Some(ns::DS.as_bytes())
            }
        }
    }
}

/// An open element: where the scope and rendered stacks stood before it.
#[derive(Clone, Copy)]
struct Frame<'a> {
    node: RawNode<'a>,
    scope_len: usize,
    rendered_len: usize,
}

struct Serializer<'a, 'p, 'w> {
    /// Canonical XML 1.0 (inclusive) rather than exclusive.
    inclusive: bool,
    skip: Skip,
    /// PrefixList prefixes to look up, each once (the default namespace as the empty prefix).
    prefixes: Vec<&'p [u8]>,
    /// `#default` (or an empty prefix) is on the PrefixList.
    default_listed: bool,
    /// Declarations in scope, innermost last.
    scope: Vec<Binding<'a>>,
    /// libxml2's `ns_rendered` stack, truncated as elements close.
    rendered: Vec<Binding<'a>>,
    /// The namespace declarations of the element being started, by prefix.
    declare: Vec<Binding<'a>>,
    attrs: Vec<RawAttr<'a>>,
    out: Out<'w>,
}

/// Exclusive c14n of `apex`'s subtree less what `skip` names into `sink`; returns the byte
/// count.
pub(super) fn canonicalize(
    doc: &Document,
    apex: Node<'_>,
    skip: Skip,
    prefix_list: &[String],
    sink: &mut dyn Write,
) -> Result<u64> {
    let apex = RawNode::from(apex);
    if !apex.in_document(doc.as_ptr()) {
        return Err(failed("the selected element is not in this document"));
    }
    // Excluding the apex or an ancestor leaves nothing.
    let mut up = Some(apex);
    while let Some(n) = up {
        if skip.skips(n) {
            return Err(failed("canonicalization produced no output"));
        }
        up = n.parent_element();
    }
    let mut s = Serializer::new(doc, false, skip, prefix_list, sink)?;
    let result = s.run(apex);
    s.finish(result)
}

/// c14n of the whole document less what `skip` names into `sink`, or None when the document
/// element itself is skipped (left to libxml2: only the PIs around it would remain).
pub(super) fn canonicalize_document(
    doc: &Document,
    skip: Skip,
    method: &C14nMethod,
    sink: &mut dyn Write,
) -> Option<Result<u64>> {
    let root = RawNode::from(doc.root());
    if skip.skips(root) {
        return None;
    }
    let (inclusive, prefix_list) = match method {
        C14nMethod::Inclusive => (true, &[][..]),
        C14nMethod::Exclusive { inclusive_prefixes } => (false, &inclusive_prefixes[..]),
    };
    let mut s = match Serializer::new(doc, inclusive, skip, prefix_list, sink) {
        Ok(s) => s,
        Err(e) => return Some(Err(e)),
    };
    let result = s.document(root);
    Some(s.finish(result))
}

impl<'a, 'p, 'w> Serializer<'a, 'p, 'w> {
    fn new(
        doc: &Document,
        inclusive: bool,
        skip: Skip,
        prefix_list: &'p [String],
        sink: &'w mut dyn Write,
    ) -> Result<Self> {
        let Some(declared) = precheck::document_ok(doc) else {
            return Err(failed(
                "the document has a relative namespace URI or a node that cannot be canonicalized",
            ));
        };
        let mut s = Serializer {
            inclusive,
            skip,
            prefixes: Vec::with_capacity(prefix_list.len().min(16)),
            default_listed: false,
            scope: Vec::with_capacity(32),
            rendered: Vec::with_capacity(64),
            declare: Vec::with_capacity(8),
            attrs: Vec::with_capacity(8),
            out: Out::new(sink),
        };
        // The order of distinct prefixes changes nothing (each is looked up and queued by
        // itself), repeats find themselves already rendered, and a prefix the document never
        // declares binds nothing: keep each declared one once. `xml` always resolves to the xml
        // namespace, which is never rendered.
        for p in prefix_list {
            match p.as_str() {
                "#default" | "" => s.default_listed = true,
                "xml" => {}
                p if declared.contains(p.as_bytes()) => s.prefixes.push(p.as_bytes()),
                _ => {}
            }
        }
        s.prefixes.sort_unstable();
        s.prefixes.dedup();
        if s.default_listed {
            s.prefixes.push(b"");
        }
        Ok(s)
    }

    fn finish(self, result: Walk<()>) -> Result<u64> {
        let written = result.and_then(|()| self.out.finish().map_err(Stop::from));
        match written {
            Ok(0) => Err(failed("canonicalization produced no output")),
            Ok(n) => Ok(n),
            Err(Stop::Write(e)) => Err(failed(format!("writing canonical XML failed: {e}"))),
            Err(Stop::Invalid(why)) => Err(failed(why)),
        }
    }
}

impl<'a> Serializer<'a, '_, '_> {
    /// The document's children: the document element (not skipped) and the PIs around it, a
    /// line break between each PI and the document element (C14N 1.0 §2.3); comments go.
    fn document(&mut self, root: RawNode<'a>) -> Walk<()> {
        let mut top = root;
        while let Some(prev) = top.prev() {
            top = prev;
        }
        let mut after = false;
        let mut cur = Some(top);
        while let Some(n) = cur {
            cur = n.next();
            if self.skip.skips(n) {
                continue;
            }
            match n.kind() {
                ELEMENT => {
                    self.run(n)?;
                    after = true;
                }
                PI => {
                    if after {
                        self.out.raw(b"\n")?;
                    }
                    self.pi(n)?;
                    if !after {
                        self.out.raw(b"\n")?;
                    }
                }
                COMMENT => {}
                _ => {
                    return Err(Stop::Invalid(
                        "a node of an unexpected kind beside the document element",
                    ))
                }
            }
        }
        Ok(())
    }

    fn pi(&mut self, n: RawNode<'a>) -> Walk<()> {
        self.out.raw(b"<?")?;
        self.out.raw(n.name())?;
        if let Some(data) = n.content().filter(|d| !d.is_empty()) {
            self.out.raw(b" ")?;
            self.out.escaped(data, Escape::Pi)?;
        }
        self.out.raw(b"?>")?;
        Ok(())
    }

    fn run(&mut self, apex: RawNode<'a>) -> Walk<()> {
        let mut ancestors = Vec::new();
        let mut up = apex.parent_element();
        while let Some(a) = up {
            ancestors.push(a);
            up = a.parent_element();
        }
        for a in ancestors.into_iter().rev() {
            self.enter_scope(a);
        }
        let mut open: Vec<Frame<'a>> = Vec::with_capacity(16);
        let mut cur = self.start(apex, &mut open)?;
        loop {
            let Some(n) = cur else {
                let Some(frame) = open.pop() else {
                    return Ok(());
                };
                self.end(frame)?;
                if open.is_empty() {
                    return Ok(());
                }
                cur = frame.node.next();
                continue;
            };
            if self.skip.skips(n) {
                cur = n.next();
                continue;
            }
            match n.kind() {
                ELEMENT => {
                    cur = self.start(n, &mut open)?;
                    continue;
                }
                TEXT | CDATA => {
                    if let Some(text) = n.content() {
                        self.out.escaped(text, Escape::Text)?;
                    }
                }
                PI => self.pi(n)?,
                COMMENT => {}
                _ => {
                    return Err(Stop::Invalid(
                        "a node of an unexpected kind in the selection",
                    ))
                }
            }
            cur = n.next();
        }
    }

    fn start(&mut self, el: RawNode<'a>, open: &mut Vec<Frame<'a>>) -> Walk<Option<RawNode<'a>>> {
        open.push(Frame {
            node: el,
            scope_len: self.scope.len(),
            rendered_len: self.rendered.len(),
        });
        self.enter_scope(el);
        self.out.raw(b"<")?;
        self.qname(el)?;
        if self.inclusive {
            // The scope as the parent saw it: everything below this element's own entries.
            let parent_scope = open.last().map_or(0, |f| f.scope_len);
            self.namespaces_inclusive(el, parent_scope)?;
        } else {
            self.namespaces(el)?;
        }
        self.attributes(el)?;
        self.out.raw(b">")?;
        Ok(el.first_child())
    }

    fn end(&mut self, frame: Frame<'a>) -> Walk<()> {
        self.out.raw(b"</")?;
        self.qname(frame.node)?;
        self.out.raw(b">")?;
        self.scope.truncate(frame.scope_len);
        self.rendered.truncate(frame.rendered_len);
        Ok(())
    }

    fn qname(&mut self, el: RawNode<'a>) -> Walk<()> {
        if let Some(prefix) = el.ns().and_then(|ns| ns.prefix()).filter(|p| !p.is_empty()) {
            self.out.raw(prefix)?;
            self.out.raw(b":")?;
        }
        self.out.raw(el.name())?;
        Ok(())
    }

    fn attributes(&mut self, el: RawNode<'a>) -> Walk<()> {
        let mut attrs = std::mem::take(&mut self.attrs);
        attrs.clear();
        attrs.extend(el.attrs());
        attrs.sort_by(attribute_order);
        let result = attrs.iter().try_for_each(|a| self.attribute(*a));
        self.attrs = attrs;
        result
    }

    fn attribute(&mut self, a: RawAttr<'a>) -> Walk<()> {
        self.out.raw(b" ")?;
        if let Some(prefix) = a.ns().and_then(|ns| ns.prefix()).filter(|p| !p.is_empty()) {
            self.out.raw(prefix)?;
            self.out.raw(b":")?;
        }
        self.out.raw(a.name())?;
        self.out.raw(b"=\"")?;
        let parts = a.value_parts().ok_or(Stop::Invalid(
            "an attribute value holds an entity reference",
        ))?;
        for part in parts {
            self.out.escaped(part, Escape::Attribute)?;
        }
        self.out.raw(b"\"")?;
        Ok(())
    }
}

/// Unqualified attributes first, then by namespace URI, then by local name (libxml2's
/// `xmlC14NAttrsCompare`, which also puts an unprefixed namespace, never seen on a parsed
/// attribute, before the prefixed ones). A total order, as `sort_by` requires.
fn attribute_order(a: &RawAttr<'_>, b: &RawAttr<'_>) -> Ordering {
    match (a.ns(), b.ns()) {
        (None, None) => a.name().cmp(b.name()),
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) if std::ptr::eq(x.ptr(), y.ptr()) => a.name().cmp(b.name()),
        (Some(x), Some(y)) => x
            .prefix()
            .is_some()
            .cmp(&y.prefix().is_some())
            .then_with(|| {
                x.href()
                    .unwrap_or_default()
                    .cmp(y.href().unwrap_or_default())
            })
            .then_with(|| a.name().cmp(b.name())),
    }
}
