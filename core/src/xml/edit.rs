//! The few tree edits eidpl's signer needs: insert a trusted fragment, fill a text value,
//! serialize. Crate-private: callers pass node pointers taken from this same document.

use super::Document;
use crate::error::{Error, ErrorCode, Result};
use libxml::bindings::{
    xmlAddChild, xmlAddNextSibling, xmlBufferContent, xmlBufferCreate, xmlBufferFree,
    xmlBufferLength, xmlFreeNodeList, xmlNewDocText, xmlNode, xmlParseInNodeContext,
    xmlParserOption_XML_PARSE_NOERROR, xmlParserOption_XML_PARSE_NONET,
    xmlParserOption_XML_PARSE_NOWARNING, xmlSaveClose, xmlSaveDoc, xmlSaveOption_XML_SAVE_NO_DECL,
    xmlSaveToBuffer,
};
use std::ffi::{c_char, c_int, CString};

fn internal(msg: &str) -> Error {
    Error::new(ErrorCode::Internal, msg.to_owned())
}

impl Document {
    /// Parses `fragment` (one element, our own template) in the namespace context of `anchor`'s
    /// parent and inserts it right after `anchor`. Returns the inserted element.
    ///
    /// `anchor` must be an element of this document.
    pub(crate) fn insert_after(
        &mut self,
        anchor: *mut xmlNode,
        fragment: &str,
    ) -> Result<*mut xmlNode> {
        self.precheck.reset();
        // SAFETY: anchor belongs to this live document (crate contract); we read its parent.
        let context = unsafe { (*anchor).parent };
        if context.is_null() {
            return Err(internal("anchor has no parent"));
        }
        let len = c_int::try_from(fragment.len()).map_err(|_| internal("fragment too large"))?;
        let options = xmlParserOption_XML_PARSE_NONET
            | xmlParserOption_XML_PARSE_NOERROR
            | xmlParserOption_XML_PARSE_NOWARNING;
        let mut list: *mut xmlNode = std::ptr::null_mut();
        // SAFETY: context is a live element of this document; fragment is a live buffer of `len`
        // bytes; on success `list` receives a detached node list that we attach or free below.
        let rc = unsafe {
            xmlParseInNodeContext(
                context,
                fragment.as_ptr() as *const c_char,
                len,
                options as c_int,
                &mut list,
            )
        };
        if rc != 0 || list.is_null() {
            if !list.is_null() {
                // SAFETY: the detached list is ours to free.
                unsafe { xmlFreeNodeList(list) };
            }
            return Err(internal("signature template did not parse"));
        }
        // SAFETY: `list` is a single detached element (our template has one root and no
        // surrounding whitespace); attaching it transfers ownership to the document.
        unsafe {
            if !(*list).next.is_null() {
                xmlFreeNodeList(list);
                return Err(internal("signature template must be one element"));
            }
            xmlAddNextSibling(anchor, list);
        }
        Ok(list)
    }

    /// Appends a text node with `text` to `element`, which must be an empty element of this
    /// document. The text is taken literally (no entity processing).
    pub(crate) fn append_text(&mut self, element: *mut xmlNode, text: &str) -> Result<()> {
        self.precheck.reset();
        let c = CString::new(text).map_err(|_| internal("text contains NUL"))?;
        // SAFETY: element belongs to this live document; xmlNewDocText copies `c`; xmlAddChild
        // transfers ownership of the new node to the tree.
        unsafe {
            let t = xmlNewDocText(self.as_ptr(), c.as_ptr() as *const u8);
            if t.is_null() {
                return Err(internal("out of memory"));
            }
            if xmlAddChild(element, t).is_null() {
                xmlFreeNodeList(t);
                return Err(internal("could not attach text"));
            }
        }
        Ok(())
    }

    /// Serializes the document as UTF-8 without an XML declaration and without reformatting.
    pub fn to_xml_string(&self) -> Result<String> {
        // SAFETY: the buffer and save context are created, used and freed here; the document is
        // alive and only read.
        let bytes = unsafe {
            let buf = xmlBufferCreate();
            if buf.is_null() {
                return Err(internal("out of memory"));
            }
            let ctxt = xmlSaveToBuffer(
                buf,
                c"UTF-8".as_ptr(),
                xmlSaveOption_XML_SAVE_NO_DECL as c_int,
            );
            if ctxt.is_null() {
                xmlBufferFree(buf);
                return Err(internal("could not create a serializer"));
            }
            let rc = xmlSaveDoc(ctxt, self.as_ptr());
            xmlSaveClose(ctxt);
            let content = xmlBufferContent(buf);
            let len = usize::try_from(xmlBufferLength(buf)).unwrap_or(0);
            let out = if rc < 0 || content.is_null() {
                None
            } else {
                Some(std::slice::from_raw_parts(content, len).to_vec())
            };
            xmlBufferFree(buf);
            out.ok_or_else(|| internal("serialization failed"))?
        };
        let mut s =
            String::from_utf8(bytes).map_err(|_| internal("serializer produced non-UTF-8"))?;
        while s.ends_with('\n') {
            s.pop();
        }
        Ok(s)
    }
}
