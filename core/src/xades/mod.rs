//! XAdES verification of every `ds:Signature` in a document, with an ETSI-style report:
//! enveloped (several in parallel), enveloping, detached and counter-signatures; podpis
//! zaufany classified by the seal policy; ePUAP documents (pismo ogólne with attachments, UPO).
//!
//! ```no_run
//! use eidpl::pki::TrustStore;
//! use eidpl::xades::{verify_document, VerifyOptions};
//! # fn main() -> eidpl::Result<()> {
//! let mut trust = TrustStore::new();
//! trust.add_anchors(&std::fs::read("nccert-root.pem")?)?;
//! let report = verify_document(&std::fs::read("wniosek.xml")?, &VerifyOptions { trust, ..Default::default() })?;
//! println!("{:?}", report.verdict);
//! # Ok(()) }
//! ```

mod document;
mod properties;
pub mod report;
mod signature;

pub use report::{
    Attachment, Indication, Kind, PzIdentity, Report, SignatureReport, Signer, Verdict, Warning,
};

use crate::dsig::DetachedData;
use crate::error::Result;
use crate::pki::TrustStore;
use crate::time::UtcTime;
use crate::xml::{ns, Document, Node, ParseOptions};

/// How to verify.
#[derive(Clone)]
pub struct VerifyOptions {
    /// Trust anchors, intermediates and CRLs (nothing is fetched from the network).
    pub trust: TrustStore,
    /// Data files of detached signatures: (URI as written in the Reference, bytes).
    pub detached: Vec<(String, Vec<u8>)>,
    /// Validation time (default: now).
    pub now: Option<UtcTime>,
    /// An invalid PESEL in a PZ identity makes the signature INDETERMINATE (default). Turn off
    /// for test data with synthetic PESELs; a warning remains.
    pub check_pesel: bool,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            trust: TrustStore::new(),
            detached: Vec::new(),
            now: None,
            check_pesel: true,
        }
    }
}

/// How deep signed attachments inside signed attachments are followed.
const MAX_DEPTH: usize = 3;

/// The signatures that are not counter-signatures (those live inside another signature).
fn top_level_signatures(root: Node<'_>) -> Vec<Node<'_>> {
    root.descendants()
        .filter(|n| n.is(ns::DS, "Signature"))
        .filter(|n| {
            let mut p = n.parent();
            while let Some(a) = p {
                if a.is(ns::DS, "Signature") {
                    return false;
                }
                p = a.parent();
            }
            true
        })
        .collect()
}

/// Verifies every signature in `bytes` and reports on each.
pub fn verify_document(bytes: &[u8], options: &VerifyOptions) -> Result<Report> {
    verify_at_depth(&mut &bytes[..], options, 0)
}

/// [`verify_document`] reading from a file or stream (large ePUAP documents are never held
/// twice in memory).
pub fn verify_reader(reader: &mut dyn std::io::Read, options: &VerifyOptions) -> Result<Report> {
    verify_at_depth(reader, options, 0)
}

fn verify_at_depth(
    reader: &mut dyn std::io::Read,
    options: &VerifyOptions,
    depth: usize,
) -> Result<Report> {
    let doc = Document::parse_reader(reader, &ParseOptions::document())?;
    let now = options.now.unwrap_or_else(UtcTime::now);
    let detached: Vec<DetachedData<'_>> = options
        .detached
        .iter()
        .map(|(uri, bytes)| DetachedData { uri, bytes })
        .collect();
    let mut signatures: Vec<SignatureReport> = top_level_signatures(doc.root())
        .into_iter()
        .map(|s| signature::verify(&doc, s, options, &detached, now))
        .collect();
    let mut warnings = Vec::new();
    if signatures.is_empty() {
        warnings.push(Warning::new(
            "no_signature",
            "the document carries no ds:Signature",
        ));
    }
    let info = document::inspect(&doc, &mut warnings);
    let mut attachments = Vec::new();
    let covers_document = signatures
        .iter()
        .position(|s| s.indication == Indication::TotalPassed);
    for a in info.attachments {
        let mut entry = Attachment {
            name: a.name,
            encoding: a.encoding,
            covered: a.inline && covers_document.is_some(),
            signed: false,
        };
        if let Some(bytes) = a.signed_xml {
            if depth < MAX_DEPTH {
                match verify_at_depth(&mut &bytes[..], options, depth + 1) {
                    Ok(inner) if !inner.signatures.is_empty() => {
                        entry.signed = true;
                        let parent = covers_document.unwrap_or(0);
                        if let Some(p) = signatures.get_mut(parent) {
                            p.children.extend(inner.signatures);
                        }
                    }
                    Ok(_) => {}
                    Err(e) => warnings.push(Warning::new(
                        "attachment_unreadable",
                        format!(
                            "attachment {:?} looks like signed XML but could not be read: {e}",
                            entry.name
                        ),
                    )),
                }
            }
        }
        if !entry.covered {
            warnings.push(Warning::new(
                "attachment_not_covered",
                format!(
                    "attachment {:?} is not covered by a valid signature of this document",
                    entry.name
                ),
            ));
        }
        attachments.push(entry);
    }
    Ok(Report {
        verdict: report::verdict(&signatures),
        document_type: info.document_type.to_owned(),
        signatures,
        attachments,
        upo: info.upo,
        warnings,
    })
}
