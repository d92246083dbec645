//! Podpis zaufany: the two identity dialects, the seal policy, and the identity checks.
//!
//! A PZ identity block proves nothing by itself: anyone can sign a document containing one.
//! It is PZ only under the seal of the minister responsible for digitisation, recognised by
//! policy (organizationIdentifier `VATPL-5252955037` and a chain to a configured anchor).

use crate::pesel;
use crate::pki;
use crate::time::Date;
use crate::xades::report::{PzIdentity, Warning};
use crate::xml::Node;
use openssl::x509::X509;

/// organizationIdentifier of Ministerstwo Cyfryzacji, the holder of the PZ seal.
pub const SEAL_ORGANIZATION_IDENTIFIER: &str = "VATPL-5252955037";
/// `ppZP:PodpisZP` (classic ePUAP, TpSigning5 since 2025).
pub const PPZP: &str = "http://crd.gov.pl/xml/schematy/ppzp/";
/// `pz:EPSignature` (TpSigning5 2021–2025).
pub const PZ: &str = "http://crd.gov.pl/xml/schematy/podpis_zaufany/";

/// True when `cert` is a PZ seal by policy; the caller has already checked the chain.
pub fn is_seal(cert: &X509) -> bool {
    pki::organization_identifier(cert).as_deref() == Some(SEAL_ORGANIZATION_IDENTIFIER)
}

fn leaves<'a>(block: Node<'a>, out: &mut Vec<(String, Node<'a>)>) {
    for c in block.child_elements() {
        if c.child_elements().next().is_some() {
            leaves(c, out);
        } else {
            out.push((c.local_name().to_owned(), c));
        }
    }
}

/// The identity block among the ClaimedRoles (None when there is none). Children are matched
/// by name in any order; unknown ones are kept in `other`; a repeated field is an error.
pub(crate) fn identity(claimed_roles: &[Node<'_>]) -> Result<Option<PzIdentity>, String> {
    let blocks: Vec<(Node<'_>, &str)> = claimed_roles
        .iter()
        .flat_map(|r| r.child_elements())
        .filter_map(|b| {
            if b.is(PPZP, "PodpisZP") {
                Some((b, "PodpisZP"))
            } else if b.is(PZ, "EPSignature") {
                Some((b, "EPSignature"))
            } else {
                None
            }
        })
        .collect();
    let (block, dialect) = match blocks.as_slice() {
        [] => return Ok(None),
        [one] => *one,
        _ => return Err("more than one PZ identity block".into()),
    };
    let mut fields = Vec::new();
    leaves(block, &mut fields);
    let mut id = PzIdentity {
        dialect: dialect.to_owned(),
        ..PzIdentity::default()
    };
    for (name, node) in fields {
        let value = node
            .leaf_text()
            .map(|t| t.trim().to_owned())
            .ok_or_else(|| format!("PZ field {name} must be plain text"))?;
        let slot = match (dialect, name.as_str()) {
            ("PodpisZP", "Imie") | ("EPSignature", "FirstName") => &mut id.given_name,
            ("PodpisZP", "Nazwisko") | ("EPSignature", "CurrentFamilyName") => &mut id.family_name,
            ("PodpisZP", "PESEL") | ("EPSignature", "PersonalIdentifier") => &mut id.pesel,
            ("EPSignature", "DateOfBirth") => &mut id.date_of_birth,
            ("PodpisZP", "IdKontaUzytkownikaEpuap") => &mut id.account_id,
            ("EPSignature", "IdentityIssuer") => &mut id.identity_issuer,
            _ => {
                if id.other.insert(name.clone(), value).is_some() {
                    return Err(format!("PZ field {name} appears twice"));
                }
                continue;
            }
        };
        // Several given names are written as repeated Imie elements.
        match slot {
            Some(existing) if name == "Imie" || name == "FirstName" => {
                existing.push(' ');
                existing.push_str(&value);
            }
            Some(_) => return Err(format!("PZ field {name} appears twice")),
            None => *slot = Some(value),
        }
    }
    if let Some(dob) = &id.date_of_birth {
        id.date_of_birth = Some(
            Date::parse(dob)
                .map(|d| d.to_string())
                .ok_or_else(|| format!("DateOfBirth `{dob}` is not a date"))?,
        );
    }
    Ok(Some(id))
}

/// PESEL and date-of-birth checks. `violation` is called when the PESEL is invalid and the
/// policy requires valid ones (off for test data).
pub(crate) fn check_identity(
    id: &PzIdentity,
    check_pesel: bool,
    warnings: &mut Vec<Warning>,
    mut violation: impl FnMut(String),
) {
    let Some(p) = &id.pesel else {
        warnings.push(Warning::new(
            "pz_no_pesel",
            "the PZ identity carries no PESEL",
        ));
        return;
    };
    match pesel::parse(p) {
        Ok(parsed) => {
            if let Some(dob) = id.date_of_birth.as_deref().and_then(Date::parse) {
                if dob != parsed.date_of_birth {
                    warnings.push(Warning::new(
                        "date_of_birth_mismatch",
                        format!(
                            "DateOfBirth {dob} differs from the date in the PESEL ({})",
                            parsed.date_of_birth
                        ),
                    ));
                }
            }
        }
        Err(problem) => {
            let why = format!("PESEL `{p}` is invalid: {}", problem.describe());
            warnings.push(Warning::new("pesel_invalid", why.clone()));
            if check_pesel {
                violation(why);
            }
        }
    }
}
