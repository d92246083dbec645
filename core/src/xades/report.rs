//! The verification report (ARCHITECTURE.md, "Document verification report"): one entry per
//! signature with an ETSI EN 319 102-1 indication, what kind of signature it is, who signed, and
//! an overall verdict.

pub use crate::warning::Warning;
use serde::Serialize;
use std::collections::BTreeMap;

/// ETSI main indication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Indication {
    /// Every check passed.
    TotalPassed,
    /// The signature is proven invalid (changed content, wrong signature value, …).
    TotalFailed,
    /// Not proven either way (no chain to an anchor, unsupported algorithm, …).
    Indeterminate,
}

/// What kind of signature this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Podpis zaufany: a PZ identity block under the PZ seal (by policy).
    Pz,
    /// A qualified signature: QcCompliance and a chain to an anchor.
    Qualified,
    /// Any other (advanced) electronic signature.
    Advanced,
    /// A PZ identity block under a key that is not the PZ seal: a forgery, never PZ.
    UntrustedPzClaim,
}

/// The document-level verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every signature TOTAL_PASSED and none is an untrusted PZ claim.
    Valid,
    /// A signature failed, or a PZ claim is false.
    Invalid,
    /// Not proven (e.g. no chain to a configured anchor).
    Indeterminate,
}

/// The signing certificate, summarised.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Signer {
    /// Subject DN.
    pub subject: String,
    /// Issuer DN.
    pub issuer: String,
    /// Serial number (decimal).
    pub serial: String,
    /// Subject organizationIdentifier (2.5.4.97), e.g. `VATPL-5252955037`.
    pub organization_identifier: Option<String>,
    /// PESEL from the subject serialNumber (`PNOPL-…` / `PESEL:…`), if any.
    pub pesel: Option<String>,
}

/// The identity in a PZ block, read from the digested SignedProperties.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PzIdentity {
    /// `PodpisZP` or `EPSignature`.
    pub dialect: String,
    /// Given name(s).
    pub given_name: Option<String>,
    /// Family name.
    pub family_name: Option<String>,
    /// PESEL as written.
    pub pesel: Option<String>,
    /// Date of birth (`EPSignature` only), `YYYY-MM-DD`.
    pub date_of_birth: Option<String>,
    /// ePUAP account id (`PodpisZP`).
    pub account_id: Option<String>,
    /// Who issued the identity (`EPSignature` SignatureData/IdentityIssuer).
    pub identity_issuer: Option<String>,
    /// Unknown children, by local name, kept verbatim.
    pub other: BTreeMap<String, String>,
}

/// One signature's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignatureReport {
    /// The `ds:Signature` Id (or null).
    pub id: Option<String>,
    /// ETSI indication.
    pub indication: Indication,
    /// ETSI sub-indication name, or null when TOTAL_PASSED.
    pub sub_indication: Option<String>,
    /// Why, for people.
    pub message: Option<String>,
    /// The kind of signature.
    pub kind: Kind,
    /// SigningTime as claimed by the signer (no timestamp proves it), RFC 3339.
    pub signing_time: Option<String>,
    /// The signing certificate.
    pub signer: Option<Signer>,
    /// Chain subjects, leaf first.
    pub chain: Vec<String>,
    /// The PZ identity, for `pz` and `untrusted_pz_claim`.
    pub pz: Option<PzIdentity>,
    /// Findings.
    pub warnings: Vec<Warning>,
    /// Counter-signatures and signed attachments.
    pub children: Vec<SignatureReport>,
}

/// An attachment of an ePUAP document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    /// `nazwaPliku`.
    pub name: Option<String>,
    /// `base64` or `URI`.
    pub encoding: String,
    /// True when the document's signatures cover its bytes (inside the document).
    pub covered: bool,
    /// True when the attachment is itself signed XML (its signatures are `children`).
    pub signed: bool,
}

/// The whole document's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Overall verdict.
    pub verdict: Verdict,
    /// What the document is: `pismo_ogolne`, `upo`, or `xml`.
    pub document_type: String,
    /// Every top-level signature in document order.
    pub signatures: Vec<SignatureReport>,
    /// Attachments of an ePUAP document.
    pub attachments: Vec<Attachment>,
    /// UPO fields (`UPP`/`UPD`) by element name.
    pub upo: Option<BTreeMap<String, String>>,
    /// Document-level findings.
    pub warnings: Vec<Warning>,
}

impl Report {
    /// The report as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

/// The verdict over all signatures (children included): valid only when every one passed
/// and no PZ claim is false.
pub(crate) fn verdict(signatures: &[SignatureReport]) -> Verdict {
    fn walk(s: &SignatureReport, worst: &mut Verdict) {
        let v = match (s.kind, s.indication) {
            (Kind::UntrustedPzClaim, _) | (_, Indication::TotalFailed) => Verdict::Invalid,
            (_, Indication::Indeterminate) => Verdict::Indeterminate,
            _ => Verdict::Valid,
        };
        *worst = match (*worst, v) {
            (Verdict::Invalid, _) | (_, Verdict::Invalid) => Verdict::Invalid,
            (Verdict::Indeterminate, _) | (_, Verdict::Indeterminate) => Verdict::Indeterminate,
            _ => Verdict::Valid,
        };
        for c in &s.children {
            walk(c, worst);
        }
    }
    if signatures.is_empty() {
        return Verdict::Invalid;
    }
    let mut worst = Verdict::Valid;
    for s in signatures {
        walk(s, &mut worst);
    }
    worst
}
