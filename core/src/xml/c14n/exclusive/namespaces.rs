//! The namespace axis, following libxml2's `xmlExcC14NProcessNamespacesAxis` rule for rule so
//! the bytes are libxml2's (the differential tests hold it to that):
//! * a namespace is rendered when the element's name or an attribute's name uses it, or its
//!   prefix is on the InclusiveNamespaces PrefixList, unless the nearest output ancestor already
//!   rendered the same prefix with the same URI ("rendered" below: a stack of what each open
//!   element rendered or found already rendered);
//! * libxml2 looks up a PrefixList prefix only among the parent's and the element's own entries
//!   (its inclusive-c14n search); here every lookup scans the whole stack, which finds the same
//!   entry because the parent, always an output element itself, recorded every PrefixList
//!   prefix in scope at it, so no older entry for that prefix can be the nearest;
//! * `xmlns=""` is rendered only to undo a default namespace that an output ancestor rendered;
//! * the `xml` namespace is never rendered.
//!
//! Inclusive c14n (libxml2's `xmlC14NProcessNamespacesAxis`) is only run on whole-document
//! selections, where every output element's parent is output too. There an element renders the
//! declarations it makes itself that change the binding in scope at its parent (a repeated
//! binding is superfluous), `xmlns=""` only when it undoes a non-empty default namespace, and
//! the document element renders all of its own.

use super::{Serializer, Stop, Walk};
use crate::xml::raw::{RawNode, RawNs};

const XML_NS: &[u8] = b"http://www.w3.org/XML/1998/namespace";

/// A namespace binding; the default namespace has the empty prefix, `xmlns=""` the empty URI.
#[derive(Clone, Copy)]
pub(super) struct Binding<'a> {
    prefix: &'a [u8],
    href: &'a [u8],
}

/// `xmlns=""`.
const UNDECLARED_DEFAULT: Binding<'static> = Binding {
    prefix: b"",
    href: b"",
};

impl<'a> Binding<'a> {
    fn of(ns: RawNs<'a>) -> Self {
        Binding {
            prefix: ns.prefix().unwrap_or_default(),
            href: ns.href().unwrap_or_default(),
        }
    }

    fn is_xml(self) -> bool {
        self.prefix == b"xml" && self.href == XML_NS
    }

    fn is_undeclared_default(self) -> bool {
        self.prefix.is_empty() && self.href.is_empty()
    }
}

/// Byte equality, quick when both sides are the same libxml2 string (the usual case: one
/// declaration seen twice) and without a `memcmp` call for short prefixes.
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len()
        && (std::ptr::eq(a.as_ptr(), b.as_ptr()) || a.iter().zip(b).all(|(x, y)| x == y))
}

impl<'a> Serializer<'a, '_, '_> {
    /// Pushes the declarations made on `el`, so that scanning from the top finds the first one
    /// of a prefix (xmlSearchNs order); declarations without a URI never match.
    pub(super) fn enter_scope(&mut self, el: RawNode<'a>) {
        let start = self.scope.len();
        self.scope.extend(
            el.ns_defs()
                .filter(|ns| ns.href().is_some())
                .map(Binding::of),
        );
        self.scope[start..].reverse();
    }

    /// The declaration in scope for `prefix` (empty: the default namespace).
    fn lookup(&self, prefix: &[u8]) -> Option<Binding<'a>> {
        self.scope
            .iter()
            .rev()
            .find(|b| same(b.prefix, prefix))
            .copied()
    }

    /// True when `b` counts as rendered: the nearest entry for its prefix has the same URI; with
    /// no entry, only `xmlns=""` counts as rendered (there is nothing to undo).
    fn rendered(&self, b: Binding<'_>) -> bool {
        match self
            .rendered
            .iter()
            .rev()
            .find(|e| same(e.prefix, b.prefix))
        {
            Some(e) => same(e.href, b.href),
            None => b.is_undeclared_default(),
        }
    }

    /// Queues `b` for output, before any queued declaration with an equal or greater prefix.
    fn queue(&mut self, b: Binding<'a>) {
        let at = self
            .declare
            .iter()
            .position(|d| d.prefix >= b.prefix)
            .unwrap_or(self.declare.len());
        self.declare.insert(at, b);
    }

    /// The binding of `prefix` in `self.scope[..len]`.
    fn lookup_in(&self, len: usize, prefix: &[u8]) -> Option<Binding<'a>> {
        self.scope[..len]
            .iter()
            .rev()
            .find(|b| same(b.prefix, prefix))
            .copied()
    }

    /// Inclusive namespace axis of `el`, whose parent's scope is `self.scope[..parent_scope]`.
    pub(super) fn namespaces_inclusive(
        &mut self,
        el: RawNode<'a>,
        parent_scope: usize,
    ) -> Walk<()> {
        self.declare.clear();
        for (i, ns) in el.ns_defs().enumerate() {
            if ns.href().is_none() {
                continue;
            }
            let b = Binding::of(ns);
            // Only the first declaration of a prefix binds (xmlSearchNs order).
            if b.is_xml()
                || el
                    .ns_defs()
                    .take(i)
                    .any(|e| e.href().is_some() && same(Binding::of(e).prefix, b.prefix))
            {
                continue;
            }
            let render = match self.lookup_in(parent_scope, b.prefix) {
                Some(p) => !same(p.href, b.href),
                None => !b.is_undeclared_default(),
            };
            if render {
                self.queue(b);
            }
        }
        self.write_declarations()
    }

    pub(super) fn namespaces(&mut self, el: RawNode<'a>) -> Walk<()> {
        self.declare.clear();
        // Some default namespace (`xmlns="…"` or `xmlns=""`) is accounted for on this element.
        let mut default_seen = false;
        // The element's name is unprefixed and in no namespace.
        let mut uses_no_namespace = false;
        for i in 0..self.prefixes.len() {
            let Some(b) = self.lookup(self.prefixes[i]).filter(|b| !b.is_xml()) else {
                continue;
            };
            let already = self.rendered(b);
            self.rendered.push(b);
            if !already {
                self.queue(b);
            }
            default_seen |= b.prefix.is_empty();
        }
        let own = match el.ns() {
            Some(ns) => Some(Binding::of(ns)),
            None => {
                uses_no_namespace = true;
                self.lookup(b"")
            }
        };
        if let Some(b) = own.filter(|b| !b.is_xml()) {
            if !self.rendered(b) {
                self.queue(b);
            }
            self.rendered.push(b);
            default_seen |= b.prefix.is_empty();
        }
        for attr in el.attrs() {
            let Some(b) = attr.ns().map(Binding::of).filter(|b| !b.is_xml()) else {
                continue;
            };
            let already = self.rendered(b);
            self.rendered.push(b);
            if !already {
                self.queue(b);
            }
            default_seen |= b.prefix.is_empty();
        }
        if !default_seen
            && (uses_no_namespace || self.default_listed)
            && !self.rendered(UNDECLARED_DEFAULT)
        {
            self.out.raw(b" xmlns=\"\"")?;
        }
        self.write_declarations()
    }

    fn write_declarations(&mut self) -> Walk<()> {
        for i in 0..self.declare.len() {
            let b = self.declare[i];
            // libxml2 writes the URI unescaped; a URI needing escapes (only `&` parses as a
            // URI) would give bytes other verifiers disagree on.
            if b.href.iter().any(|c| b"&<\"\t\n\r".contains(c)) {
                return Err(Stop::Invalid(
                    "a rendered namespace URI has a character that needs escaping",
                ));
            }
            if b.prefix.is_empty() {
                self.out.raw(b" xmlns=\"")?;
            } else {
                self.out.raw(b" xmlns:")?;
                self.out.raw(b.prefix)?;
                self.out.raw(b"=\"")?;
            }
            self.out.raw(b.href)?;
            self.out.raw(b"\"")?;
        }
        Ok(())
    }
}
