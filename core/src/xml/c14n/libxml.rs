//! libxml2's c14n (`xmlC14NExecute`) over the whole parsed tree with a visibility callback: the
//! implementation for inclusive c14n, whole-document selections and the all-signatures
//! exclusion, and the reference the pure-Rust exclusive serializer is tested against.

use super::{C14nMethod, Exclusion, Selection};
use crate::error::{Error, ErrorCode, Result};
use crate::xml::{node::c_str, ns, Document};
use libxml::bindings::{
    xmlC14NExecute, xmlC14NMode_XML_C14N_1_0, xmlC14NMode_XML_C14N_EXCLUSIVE_1_0,
    xmlElementType_XML_ATTRIBUTE_NODE as ATTRIBUTE, xmlElementType_XML_DOCUMENT_NODE as DOCUMENT,
    xmlElementType_XML_ELEMENT_NODE as ELEMENT,
    xmlElementType_XML_NAMESPACE_DECL as NAMESPACE_DECL, xmlNode, xmlOutputBufferClose,
    xmlOutputBufferCreateIO,
};
use std::ffi::{c_char, c_int, c_void, CString};
use std::io::Write;

struct Visibility {
    apex: *const xmlNode,
    exclude: *const xmlNode,
    all_signatures: bool,
}

/// True for a `ds:Signature` element.
///
/// # Safety
/// `n` must point to a live node.
unsafe fn is_ds_signature(n: *const xmlNode) -> bool {
    // SAFETY: n is live per the contract; name and ns strings belong to the same tree.
    unsafe {
        (*n).type_ == ELEMENT
            && c_str((*n).name) == Some("Signature")
            && (*n).ns.as_ref().and_then(|ns| c_str(ns.href)) == Some(ns::DS)
    }
}

/// libxml2 asks this for every node, attribute and namespace node of the document.
unsafe extern "C" fn is_visible(
    user: *mut c_void,
    node: *mut xmlNode,
    parent: *mut xmlNode,
) -> c_int {
    // SAFETY: `user` is the Visibility passed to xmlC14NExecute by `canonicalize`, alive for the
    // whole call; `node` is a live node or an xmlNs (whose `type` field shares the offset of
    // xmlNode's), and `parent` its live owner element.
    unsafe {
        let vis = &*(user as *const Visibility);
        let kind = (*node).type_;
        let mut cur: *const xmlNode = if kind == NAMESPACE_DECL || kind == ATTRIBUTE {
            parent
        } else {
            node
        };
        let mut inside = vis.apex.is_null();
        while !cur.is_null() && (*cur).type_ != DOCUMENT {
            if cur == vis.exclude || (vis.all_signatures && is_ds_signature(cur)) {
                return 0;
            }
            // Keep walking past the apex: an excluded ancestor excludes the whole apex too.
            if cur == vis.apex {
                inside = true;
            }
            cur = (*cur).parent;
        }
        c_int::from(inside)
    }
}

struct Sink<'w> {
    out: &'w mut dyn Write,
    written: u64,
    failed: Option<std::io::Error>,
}

unsafe extern "C" fn sink_write(ctx: *mut c_void, buf: *const c_char, len: c_int) -> c_int {
    // SAFETY: ctx is the Sink passed to xmlOutputBufferCreateIO, alive until the buffer is
    // closed; buf holds len bytes owned by libxml2 for the duration of this call.
    let (sink, bytes) = unsafe {
        (
            &mut *(ctx as *mut Sink<'_>),
            std::slice::from_raw_parts(buf as *const u8, usize::try_from(len).unwrap_or(0)),
        )
    };
    // A panic must not unwind into C.
    let result =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| sink.out.write_all(bytes)));
    match result {
        Ok(Ok(())) => {
            sink.written += bytes.len() as u64;
            len
        }
        Ok(Err(e)) => {
            sink.failed = Some(e);
            -1
        }
        Err(_) => {
            sink.failed = Some(std::io::Error::other("panic in c14n output sink"));
            -1
        }
    }
}

impl Document {
    /// [`Document::canonicalize`] by libxml2, whatever the selection and method.
    pub(crate) fn canonicalize_libxml2(
        &self,
        selection: Selection<'_>,
        exclusion: Exclusion<'_>,
        method: &C14nMethod,
        out: &mut dyn Write,
    ) -> Result<u64> {
        let vis = Visibility {
            apex: match selection {
                Selection::Document => std::ptr::null(),
                Selection::Subtree(n) => n.as_ptr(),
            },
            exclude: match exclusion {
                Exclusion::Subtree(n) => n.as_ptr(),
                _ => std::ptr::null(),
            },
            all_signatures: matches!(exclusion, Exclusion::AllSignatures),
        };
        let whole_document = vis.apex.is_null() && vis.exclude.is_null() && !vis.all_signatures;
        let (mode, prefixes) = match method {
            C14nMethod::Inclusive => (xmlC14NMode_XML_C14N_1_0, Vec::new()),
            C14nMethod::Exclusive { inclusive_prefixes } => {
                let list = inclusive_prefixes
                    .iter()
                    .map(|p| CString::new(p.as_str()))
                    .collect::<std::result::Result<Vec<_>, _>>()
                    .map_err(|_| {
                        Error::new(ErrorCode::C14nFailed, "a namespace prefix contains NUL")
                    })?;
                (xmlC14NMode_XML_C14N_EXCLUSIVE_1_0, list)
            }
        };
        let mut prefix_ptrs: Vec<*mut u8> =
            prefixes.iter().map(|c| c.as_ptr() as *mut u8).collect();
        prefix_ptrs.push(std::ptr::null_mut());
        let prefix_arg = if prefixes.is_empty() {
            std::ptr::null_mut()
        } else {
            prefix_ptrs.as_mut_ptr()
        };

        let mut sink = Sink {
            out,
            written: 0,
            failed: None,
        };
        // SAFETY: `sink` outlives the buffer, which is closed below before `sink` goes out of scope.
        let buf = unsafe {
            xmlOutputBufferCreateIO(
                Some(sink_write),
                None,
                &mut sink as *mut Sink<'_> as *mut c_void,
                std::ptr::null_mut(),
            )
        };
        if buf.is_null() {
            return Err(Error::new(
                ErrorCode::Internal,
                "libxml2 could not allocate an output buffer",
            ));
        }
        // SAFETY: the document is alive and not modified during the call; `vis`, `prefixes` and
        // `prefix_ptrs` outlive it; the buffer is valid and closed exactly once right after.
        let _quiet = crate::xml::quiet::QuietErrors::install();
        let (rc, close_rc) = unsafe {
            let rc = xmlC14NExecute(
                self.as_ptr(),
                if whole_document {
                    None
                } else {
                    Some(is_visible)
                },
                &vis as *const Visibility as *mut c_void,
                mode as c_int,
                prefix_arg,
                0,
                buf,
            );
            (rc, xmlOutputBufferClose(buf))
        };
        if let Some(e) = sink.failed {
            return Err(Error::new(
                ErrorCode::C14nFailed,
                format!("writing canonical XML failed: {e}"),
            ));
        }
        if rc < 0 || close_rc < 0 {
            return Err(Error::new(
                ErrorCode::C14nFailed,
                "libxml2 could not canonicalize the node-set",
            ));
        }
        if sink.written == 0 {
            return Err(Error::new(
                ErrorCode::C14nFailed,
                "canonicalization produced no output",
            ));
        }
        Ok(sink.written)
    }
}
