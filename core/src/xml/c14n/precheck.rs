//! Whole-document conditions under which libxml2's c14n fails, whatever the selection, because
//! it walks every node: a namespace URI that is relative (or not a URI at all), which Canonical
//! XML 1.0 §2.1 requires to be an operation failure, and a node kind it cannot render. The
//! subtree serializer would never see most of the document, so this walk runs once per document
//! and its answer is cached, with the prefixes the document declares (a PrefixList prefix
//! outside them can bind nothing, so the serializer's work never grows with a PrefixList longer
//! than the document's own declarations).

use crate::xml::raw::RawNode;
use crate::xml::{ns, Document};
use libxml::bindings::{
    xmlCharEncoding_XML_CHAR_ENCODING_UTF8 as UTF8, xmlElementType_XML_CDATA_SECTION_NODE as CDATA,
    xmlElementType_XML_COMMENT_NODE as COMMENT, xmlElementType_XML_ELEMENT_NODE as ELEMENT,
    xmlElementType_XML_PI_NODE as PI, xmlElementType_XML_TEXT_NODE as TEXT, xmlFreeURI,
    xmlParseURI,
};
use std::cell::OnceCell;
use std::ffi::c_char;

/// The cached answer for one document (None: c14n fails); reset by every edit of the tree.
#[derive(Default)]
pub(crate) struct Precheck(OnceCell<Option<Declared>>);

impl Precheck {
    pub(crate) fn reset(&mut self) {
        self.0 = OnceCell::new();
    }
}

/// The distinct non-empty prefixes declared anywhere in the document, sorted, in one buffer.
pub(super) struct Declared {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl Declared {
    fn get(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start..self.ends[i]]
    }

    pub(super) fn contains(&self, prefix: &[u8]) -> bool {
        let (mut lo, mut hi) = (0, self.ends.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.get(mid).cmp(prefix) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return true,
            }
        }
        false
    }
}

/// The declared prefixes, or None when libxml2's c14n would fail on the document as a whole.
pub(super) fn document_ok(doc: &Document) -> Option<&Declared> {
    doc.precheck.0.get_or_init(|| check(doc)).as_ref()
}

fn check(doc: &Document) -> Option<Declared> {
    // SAFETY: the document is alive for the borrow; reading its charset field.
    if unsafe { (*doc.as_ptr()).charset } != UTF8 {
        return None;
    }
    let root = RawNode::from(doc.root());
    // Only the document element, PIs and comments can sit beside it (no DOCTYPE is ever parsed).
    let mut top = root;
    while let Some(prev) = top.prev() {
        top = prev;
    }
    let mut seen = Seen::default();
    let mut sibling = Some(top);
    while let Some(n) = sibling {
        match n.kind() {
            ELEMENT => {
                if !subtree_ok(n, &mut seen) {
                    return None;
                }
            }
            PI | COMMENT => {}
            _ => return None,
        }
        sibling = n.next();
    }
    seen.prefixes.sort_unstable();
    seen.prefixes.dedup();
    let mut declared = Declared {
        bytes: Vec::with_capacity(seen.prefixes.iter().map(|p| p.len()).sum()),
        ends: Vec::with_capacity(seen.prefixes.len()),
    };
    for p in seen.prefixes {
        declared.bytes.extend_from_slice(p);
        declared.ends.push(declared.bytes.len());
    }
    Some(declared)
}

#[derive(Default)]
struct Seen<'a> {
    /// URIs already found absolute.
    absolute: Vec<&'a [u8]>,
    prefixes: Vec<&'a [u8]>,
}

fn subtree_ok<'a>(top: RawNode<'a>, seen: &mut Seen<'a>) -> bool {
    let mut cur = top;
    loop {
        match cur.kind() {
            ELEMENT => {
                for ns in cur.ns_defs() {
                    seen.prefixes.extend(ns.prefix());
                    let href = ns.href().unwrap_or_default();
                    if href.is_empty() || seen.absolute.contains(&href) || well_known(href) {
                        continue;
                    }
                    if !is_absolute_uri(ns.href_ptr()) {
                        return false;
                    }
                    seen.absolute.push(href);
                }
            }
            TEXT | CDATA | PI | COMMENT => {}
            _ => return false,
        }
        if let Some(child) = cur.first_child() {
            cur = child;
            continue;
        }
        loop {
            if std::ptr::eq(cur.ptr(), top.ptr()) {
                return true;
            }
            if let Some(next) = cur.next() {
                cur = next;
                break;
            }
            match cur.parent_element() {
                Some(p) => cur = p,
                None => return true,
            }
        }
    }
}

/// The namespaces eidpl works with, absolute URIs by sight: no URI parse for them per document.
fn well_known(href: &[u8]) -> bool {
    [
        ns::DS,
        ns::DSIG11,
        ns::XENC,
        ns::XENC11,
        ns::EXC_C14N,
        ns::SAMLP,
        ns::SAML,
        ns::MD,
        ns::SOAP11,
        ns::EIDAS,
        ns::NATURAL_PERSON,
    ]
    .iter()
    .any(|u| u.as_bytes() == href)
}

/// libxml2's test (`xmlC14NCheckForRelativeNamespaces`): the URI parses and has a scheme.
fn is_absolute_uri(href: *const u8) -> bool {
    let _quiet = crate::xml::quiet::QuietErrors::install();
    // SAFETY: href is a live NUL-terminated string of the document; the parsed URI is owned
    // here and freed once.
    unsafe {
        let uri = xmlParseURI(href as *const c_char);
        if uri.is_null() {
            return false;
        }
        let scheme = (*uri).scheme;
        let ok = !scheme.is_null() && *scheme != 0;
        xmlFreeURI(uri);
        ok
    }
}
