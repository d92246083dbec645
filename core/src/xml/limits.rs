//! Parser limits and the profiles that decide which attributes are IDs.

/// Limits applied to every parse. Exceeding one is `limit_exceeded`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseLimits {
    /// Maximum input size in bytes.
    pub max_bytes: usize,
    /// Maximum element nesting depth.
    pub max_depth: usize,
    /// Maximum number of nodes (elements, text, comments, PIs).
    pub max_nodes: usize,
    /// Maximum attributes on one element.
    pub max_attributes: usize,
    /// Maximum namespace declarations in the whole document.
    pub max_namespace_declarations: usize,
    /// Allow text nodes over 10 MB (libxml2's `XML_PARSE_HUGE`); needed for ePUAP attachments.
    pub huge_text: bool,
}

impl ParseLimits {
    /// For SAML messages: a WK ArtifactResponse is ~10 kB.
    pub const fn saml() -> Self {
        ParseLimits {
            max_bytes: 1 << 20,
            max_depth: 48,
            max_nodes: 20_000,
            max_attributes: 64,
            max_namespace_declarations: 512,
            huge_text: false,
        }
    }

    /// For documents arriving through ePUAP: up to 600 MB, with huge base64 text nodes.
    pub const fn document() -> Self {
        ParseLimits {
            max_bytes: 600 << 20,
            max_depth: 256,
            max_nodes: 5_000_000,
            max_attributes: 256,
            max_namespace_declarations: 100_000,
            huge_text: true,
        }
    }
}

impl Default for ParseLimits {
    fn default() -> Self {
        ParseLimits::saml()
    }
}

/// Which attributes are IDs (targets of `URI="#…"` references).
///
/// Whatever the profile, every attribute named `ID`, `Id` or `xml:id` takes part in the
/// duplicate check: a value repeated anywhere in a message is a rejection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IdProfile {
    /// SAML: `ID` on SAML protocol/assertion/metadata elements, `Id` on `ds:`/`xenc:` elements.
    #[default]
    Saml,
    /// XML-DSig / XAdES documents: `Id` (and `ID`) on any element.
    Dsig,
}

pub(crate) const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

const SAML_NAMESPACES: &[&str] = &[
    "urn:oasis:names:tc:SAML:2.0:protocol",
    "urn:oasis:names:tc:SAML:2.0:assertion",
    "urn:oasis:names:tc:SAML:2.0:metadata",
];
const SIG_ENC_NAMESPACES: &[&str] = &[
    crate::xml::ns::DS,
    crate::xml::ns::XENC,
    crate::xml::ns::XENC11,
    crate::xml::ns::DSIG11,
];

impl IdProfile {
    /// True when `attr` (no namespace unless `xml`) on an element in `element_ns` is an ID here.
    pub(crate) fn is_id(self, element_ns: Option<&str>, attr_ns: Option<&str>, attr: &str) -> bool {
        if attr_ns == Some(XML_NS) {
            return attr == "id";
        }
        if attr_ns.is_some() {
            return false;
        }
        let in_ns = |list: &[&str]| element_ns.is_some_and(|ns| list.contains(&ns));
        match self {
            IdProfile::Saml => {
                (attr == "ID" && in_ns(SAML_NAMESPACES))
                    || (attr == "Id" && in_ns(SIG_ENC_NAMESPACES))
            }
            IdProfile::Dsig => attr == "Id" || attr == "ID",
        }
    }

    /// True for every attribute name that takes part in the duplicate-ID check.
    pub(crate) fn is_id_like(attr_ns: Option<&str>, attr: &str) -> bool {
        match attr_ns {
            None => attr == "ID" || attr == "Id",
            Some(ns) => ns == XML_NS && attr == "id",
        }
    }
}
