//! What kind of ePUAP document this is: "pismo ogólne" with attachments, a UPO, or plain XML.

use super::report::Warning;
use crate::xml::{Document, Node};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use std::collections::BTreeMap;

const PISMO_OGOLNE: [&str; 2] = [
    "http://crd.gov.pl/wzor/2013/12/12/1410/",
    "http://crd.gov.pl/wzor/2017/10/24/4566/",
];
const UPO: &str = "http://crd.gov.pl/xml/schematy/UPO/2008/05/09/";
const STRUKTURA: &str = "http://crd.gov.pl/xml/schematy/struktura/2009/11/16/";

pub(crate) struct FoundAttachment {
    pub name: Option<String>,
    pub encoding: String,
    /// Inside the document (base64), so covered by a `URI=""` signature.
    pub inline: bool,
    /// Decoded bytes when the attachment is XML carrying a ds:Signature.
    pub signed_xml: Option<Vec<u8>>,
}

pub(crate) struct Info {
    pub document_type: &'static str,
    pub attachments: Vec<FoundAttachment>,
    pub upo: Option<BTreeMap<String, String>>,
}

fn looks_like_xml(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace() && !matches!(b, 0xEF | 0xBB | 0xBF))
        .unwrap_or(bytes.len());
    bytes.get(start) == Some(&b'<')
}

fn looks_like_signed_xml(bytes: &[u8]) -> bool {
    looks_like_xml(bytes)
        && bytes.windows(9).any(|w| w == b"Signature")
        && bytes
            .windows(32)
            .any(|w| w == b"http://www.w3.org/2000/09/xmldsi")
}

fn attachment(z: Node<'_>, warnings: &mut Vec<Warning>) -> FoundAttachment {
    let name = z.attr("nazwaPliku").map(str::to_owned);
    let encoding = z.attr("kodowanie").unwrap_or("base64").to_owned();
    let inline = encoding.eq_ignore_ascii_case("base64");
    let mut signed_xml = None;
    if inline {
        let data = z
            .child_elements()
            .find(|c| c.local_name() == "DaneZalacznika")
            .and_then(|d| d.leaf_text());
        // Decode a small prefix first: only XML attachments are decoded whole.
        let decoded = data.map(|t| {
            let prefix: Vec<u8> = t
                .bytes()
                .filter(|b| !b.is_ascii_whitespace())
                .take(4096)
                .collect();
            B64.decode(&prefix[..prefix.len() / 4 * 4])
                .and_then(|head| {
                    if looks_like_xml(&head) {
                        B64.decode(t.replace(char::is_whitespace, "")).map(Some)
                    } else {
                        Ok(None)
                    }
                })
        });
        match decoded {
            Some(Ok(Some(bytes))) if looks_like_signed_xml(&bytes) => signed_xml = Some(bytes),
            Some(Ok(_)) => {}
            Some(Err(_)) => warnings.push(Warning::new(
                "attachment_not_base64",
                format!("attachment {name:?} is declared base64 but does not decode"),
            )),
            None => warnings.push(Warning::new(
                "attachment_empty",
                format!("attachment {name:?} has no DaneZalacznika"),
            )),
        }
    }
    FoundAttachment {
        name,
        encoding,
        inline,
        signed_xml,
    }
}

pub(crate) fn inspect(doc: &Document, warnings: &mut Vec<Warning>) -> Info {
    let root = doc.root();
    let is_dokument = root.local_name() == "Dokument";
    let ns = root.namespace().unwrap_or_default();
    if is_dokument && PISMO_OGOLNE.contains(&ns) {
        let attachments = root
            .descendants()
            .filter(|n| n.is(STRUKTURA, "Zalacznik"))
            .map(|z| attachment(z, warnings))
            .collect();
        return Info {
            document_type: "pismo_ogolne",
            attachments,
            upo: None,
        };
    }
    if is_dokument && ns == UPO {
        let mut fields = BTreeMap::new();
        if let Some(kind) = root
            .child_elements()
            .find(|c| c.is(UPO, "UPP") || c.is(UPO, "UPD"))
        {
            fields.insert("rodzaj".to_owned(), kind.local_name().to_owned());
            for f in kind.child_elements() {
                // Nested fields (Adresat/Nadawca) read as their leaf texts joined.
                let text = match f.leaf_text() {
                    Some(t) => Some(t.trim().to_owned()),
                    None => {
                        let parts: Vec<String> = f
                            .descendants()
                            .filter(|d| d.child_elements().next().is_none())
                            .filter_map(|d| d.leaf_text().map(|t| t.trim().to_owned()))
                            .filter(|t| !t.is_empty())
                            .collect();
                        (!parts.is_empty()).then(|| parts.join(", "))
                    }
                };
                if let Some(t) = text {
                    fields
                        .entry(f.local_name().to_owned())
                        .and_modify(|v: &mut String| {
                            v.push_str("; ");
                            v.push_str(&t);
                        })
                        .or_insert(t);
                }
            }
        }
        return Info {
            document_type: "upo",
            attachments: Vec::new(),
            upo: Some(fields),
        };
    }
    Info {
        document_type: "xml",
        attachments: Vec::new(),
        upo: None,
    }
}
