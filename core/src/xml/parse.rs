//! Hardened parsing: libxml2's push parser over memory, with every DTD feature disabled and a
//! DOCTYPE stopping the parser before its internal subset is read.

use crate::error::{Error, ErrorCode, Result};
use crate::xml::limits::ParseLimits;
use libxml::bindings::{
    xmlCreatePushParserCtxt, xmlCtxtGetLastError, xmlCtxtUseOptions, xmlDoc, xmlFreeDoc,
    xmlFreeParserCtxt, xmlInitParser, xmlParseChunk, xmlParserCtxt, xmlParserOption_XML_PARSE_HUGE,
    xmlParserOption_XML_PARSE_NOCDATA, xmlParserOption_XML_PARSE_NOERROR,
    xmlParserOption_XML_PARSE_NONET, xmlParserOption_XML_PARSE_NOWARNING, xmlStopParser,
};
use std::ffi::{c_char, c_int, c_void};
use std::io::Read;
use std::sync::Once;

/// Feed size for the push parser: large enough to be fast, small enough that the parser never
/// holds a second copy of a large input.
const CHUNK: usize = 1 << 20;

static INIT: Once = Once::new();

/// libxml2 must be initialised once before it is used from several threads.
pub(crate) fn init_libxml() {
    // SAFETY: xmlInitParser is idempotent and takes no arguments; Once makes it race-free.
    INIT.call_once(|| unsafe { xmlInitParser() });
}

/// State shared with the SAX callbacks through the context's `_private`.
struct Flags {
    doctype: bool,
}

/// Stops the parser at any DOCTYPE, before the internal subset (entities) is parsed.
unsafe extern "C" fn on_doctype(ctx: *mut c_void, _: *const u8, _: *const u8, _: *const u8) {
    let ctxt = ctx as *mut xmlParserCtxt;
    // SAFETY: libxml2 passes the parser context as user data for SAX2; _private is our Flags,
    // which outlives the parse (see parse_tree).
    unsafe {
        if let Some(flags) = ((*ctxt)._private as *mut Flags).as_mut() {
            flags.doctype = true;
        }
        xmlStopParser(ctxt);
    }
}

/// Swallows errors so that no process-wide libxml2 handler (PHP's, for one) sees our input;
/// the context keeps the last error for our message.
unsafe extern "C" fn on_error(_: *mut c_void, _: *mut libxml::bindings::xmlError) {}

/// Owns a parser context for the duration of one parse.
struct Ctxt(*mut xmlParserCtxt);
impl Drop for Ctxt {
    fn drop(&mut self) {
        // SAFETY: the context was created by xmlCreatePushParserCtxt and is freed once, here.
        unsafe { xmlFreeParserCtxt(self.0) }
    }
}

/// Parses `bytes` into a libxml2 document. The caller owns the returned pointer.
pub(crate) fn parse_tree(bytes: &[u8], limits: &ParseLimits) -> Result<*mut xmlDoc> {
    if bytes.len() > limits.max_bytes {
        return Err(too_large(limits, bytes.len() as u64));
    }
    parse_chunks(&mut Slices { rest: bytes }, limits)
}

/// Where the parser's input comes from, a chunk at a time (empty = the end).
trait Chunks {
    fn next_chunk(&mut self) -> Result<&[u8]>;
}

/// In-memory input: pushed in place, never copied.
struct Slices<'a> {
    rest: &'a [u8],
}

impl Chunks for Slices<'_> {
    fn next_chunk(&mut self) -> Result<&[u8]> {
        let (head, tail) = self.rest.split_at(self.rest.len().min(CHUNK));
        self.rest = tail;
        Ok(head)
    }
}

/// A reader, through one reused buffer.
struct FromReader<'r> {
    reader: &'r mut dyn Read,
    buf: Vec<u8>,
}

impl Chunks for FromReader<'_> {
    fn next_chunk(&mut self) -> Result<&[u8]> {
        let n = read_chunk(self.reader, &mut self.buf)?;
        Ok(&self.buf[..n])
    }
}

fn too_large(limits: &ParseLimits, actual: u64) -> Error {
    Error::new(ErrorCode::LimitExceeded, "the XML input is too large")
        .with("limit", "max_bytes")
        .with("max", limits.max_bytes as u64)
        .with("actual", actual)
}

/// Fills `buf` as far as the reader allows; 0 only at the end.
fn read_chunk(reader: &mut dyn Read, buf: &mut [u8]) -> Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Error::from(e)),
        }
    }
    Ok(n)
}

/// Parses from a reader in 1 MiB chunks, so a large file never sits in memory twice.
pub(crate) fn parse_reader(reader: &mut dyn Read, limits: &ParseLimits) -> Result<*mut xmlDoc> {
    parse_chunks(
        &mut FromReader {
            reader,
            buf: vec![0u8; CHUNK],
        },
        limits,
    )
}

fn parse_chunks(input: &mut dyn Chunks, limits: &ParseLimits) -> Result<*mut xmlDoc> {
    init_libxml();
    // Encoding errors are raised without the parser context, past `sax.serror`: without this
    // guard libxml2 prints them, with bytes of the input, on the host's stderr.
    let _quiet = super::quiet::QuietErrors::install();
    let mut flags = Flags { doctype: false };
    // SAFETY: creates a fresh push-parser context with no initial data; checked for null below.
    let ctxt = Ctxt(unsafe {
        xmlCreatePushParserCtxt(
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null(),
            0,
            std::ptr::null(),
        )
    });
    if ctxt.0.is_null() {
        return Err(Error::new(
            ErrorCode::Internal,
            "libxml2 could not allocate a parser",
        ));
    }
    let mut options = xmlParserOption_XML_PARSE_NONET
        | xmlParserOption_XML_PARSE_NOERROR
        | xmlParserOption_XML_PARSE_NOWARNING
        | xmlParserOption_XML_PARSE_NOCDATA;
    if limits.huge_text {
        options |= xmlParserOption_XML_PARSE_HUGE;
    }
    // SAFETY: ctxt is a valid context; sax is its own private handler copy; `flags` lives on
    // this stack frame until after the last xmlParseChunk call below.
    unsafe {
        xmlCtxtUseOptions(ctxt.0, options as c_int);
        let sax = (*ctxt.0).sax;
        if sax.is_null() {
            return Err(Error::new(
                ErrorCode::Internal,
                "libxml2 parser has no SAX handler",
            ));
        }
        (*sax).internalSubset = Some(on_doctype);
        (*sax).serror = Some(on_error);
        (*ctxt.0)._private = &mut flags as *mut Flags as *mut c_void;
    }
    let mut total: u64 = 0;
    let mut rc = 0;
    // Failures of the input itself; the partial tree is freed below either way.
    let mut failure = None;
    loop {
        let chunk = match input.next_chunk() {
            Ok(c) => c,
            Err(e) => {
                failure = Some(e);
                break;
            }
        };
        let n = chunk.len();
        total += n as u64;
        if total > limits.max_bytes as u64 {
            failure = Some(too_large(limits, total));
            break;
        }
        if n == 0 && total == 0 {
            failure = Some(Error::new(
                ErrorCode::XmlMalformed,
                "the XML input is empty",
            ));
            break;
        }
        // SAFETY: chunk is live and at most CHUNK bytes (fits c_int); ctxt is valid. An
        // empty final call terminates the parse.
        rc = unsafe {
            xmlParseChunk(
                ctxt.0,
                chunk.as_ptr() as *const c_char,
                n as c_int,
                c_int::from(n == 0),
            )
        };
        if rc != 0 || flags.doctype || n == 0 {
            break;
        }
    }
    // SAFETY: ctxt is valid; myDoc (possibly partial) is now owned by us and freed on error.
    // A parser stopped early (huge text node, excessive depth, out of memory) can leave
    // wellFormed set, so errNo and the last return code decide too: never a partial tree.
    let (doc, complete) = unsafe {
        let doc = (*ctxt.0).myDoc;
        (*ctxt.0).myDoc = std::ptr::null_mut();
        (*ctxt.0)._private = std::ptr::null_mut();
        (
            doc,
            (*ctxt.0).wellFormed != 0 && (*ctxt.0).errNo == 0 && rc == 0,
        )
    };
    if failure.is_some() || flags.doctype || !complete || doc.is_null() {
        if !doc.is_null() {
            // SAFETY: doc came from this parse and is referenced nowhere else.
            unsafe { xmlFreeDoc(doc) };
        }
        if let Some(e) = failure {
            return Err(e);
        }
        if flags.doctype {
            return Err(Error::new(
                ErrorCode::DoctypeForbidden,
                "the XML has a DOCTYPE; DTDs and entities are never processed",
            ));
        }
        return Err(malformed(&ctxt, limits));
    }
    Ok(doc)
}

fn malformed(ctxt: &Ctxt, limits: &ParseLimits) -> Error {
    // SAFETY: ctxt is valid; the error it returns (if any) is owned by the context.
    let (message, line, column) = unsafe {
        match xmlCtxtGetLastError(ctxt.0 as *mut c_void).as_ref() {
            Some(e) => (
                super::node::c_str(e.message as *const u8)
                    .unwrap_or("unknown error")
                    .trim()
                    .to_owned(),
                e.line,
                e.int2,
            ),
            None => ("not well-formed".to_owned(), 0, 0),
        }
    };
    // libxml2's own hard limits stop the parser with these messages (stable across 2.9–2.13).
    if message.contains("Excessive depth") {
        return Error::new(
            ErrorCode::LimitExceeded,
            "the XML exceeds the max_depth limit",
        )
        .with("limit", "max_depth")
        .with("max", limits.max_depth as u64)
        .with("line", line);
    }
    if message.contains("huge text node") || message.contains("Huge input lookup") {
        return Error::new(
            ErrorCode::LimitExceeded,
            "the XML has a text node over 10 MB; parse it with ParseLimits::document()",
        )
        .with("limit", "huge_text")
        .with("max", 10_000_000u64)
        .with("line", line);
    }
    Error::new(
        ErrorCode::XmlMalformed,
        format!("the XML is not well-formed: {message}"),
    )
    .with("line", line)
    .with("column", column)
}
