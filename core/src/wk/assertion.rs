//! The decrypted assertion: every WK check (issuer, bearer confirmation, time window, audience,
//! LoA) and the identity, read only from this verified-and-decrypted tree.

use super::loa::Loa;
use super::response::{check_in_response_to, check_issuer};
use super::result::{LoginResult, Person, Warning};
use crate::error::{Error, ErrorCode, Result};
use crate::pesel;
use crate::time::{Date, UtcTime};
use crate::xml::{ns, Document, IdProfile, Node};
use std::collections::BTreeMap;

const BEARER: &str = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
const NP: &str = "http://eidas.europa.eu/attributes/naturalperson/";

/// What the assertion must match.
pub(crate) struct Checks<'c> {
    pub wk_issuer: &'c str,
    pub entity_id: &'c str,
    pub acs_url: &'c str,
    pub authn_request_id: &'c str,
    pub requested_loa: Loa,
    pub skew_seconds: i64,
    pub now: UtcTime,
}

fn shape(message: &str, at: Node<'_>) -> Error {
    Error::new(ErrorCode::ProfileViolation, message.to_owned()).with("element", at.describe())
}

fn only<'a>(parent: Node<'a>, namespace: &str, local: &str) -> Result<Node<'a>> {
    let mut found = parent.child_elements().filter(|c| c.is(namespace, local));
    let first = found.next().ok_or_else(|| {
        shape(
            &format!("{} lacks {local}", parent.qualified_name()),
            parent,
        )
    })?;
    if let Some(second) = found.next() {
        return Err(shape(
            &format!("{} may hold only one {local}", parent.qualified_name()),
            second,
        ));
    }
    Ok(first)
}

fn text(n: Node<'_>) -> Result<String> {
    n.leaf_text()
        .map(|t| t.into_owned())
        .ok_or_else(|| shape("values must be plain text (no comments, PIs or markup)", n))
}

fn instant(n: Node<'_>, attr: &str) -> Result<Option<UtcTime>> {
    n.attr(attr)
        .map(|v| {
            UtcTime::parse(v).ok_or_else(|| {
                shape(&format!("{attr} is not a valid xs:dateTime"), n).with("value", v)
            })
        })
        .transpose()
}

/// `NotBefore − skew ≤ now < NotOnOrAfter + skew`.
fn check_window(n: Node<'_>, c: &Checks<'_>, what: &str) -> Result<()> {
    if let Some(nb) = instant(n, "NotBefore")? {
        if c.now < nb.plus_seconds(-c.skew_seconds) {
            return Err(Error::new(
                ErrorCode::NotYetValid,
                format!("the {what} is not valid yet (check the server clock)"),
            )
            .with("now", c.now.to_rfc3339())
            .with("not_before", nb.to_rfc3339())
            .with("clock_skew_seconds", c.skew_seconds));
        }
    }
    if let Some(noa) = instant(n, "NotOnOrAfter")? {
        if c.now >= noa.plus_seconds(c.skew_seconds) {
            return Err(
                Error::new(ErrorCode::Expired, format!("the {what} has expired"))
                    .with("now", c.now.to_rfc3339())
                    .with("not_on_or_after", noa.to_rfc3339())
                    .with("clock_skew_seconds", c.skew_seconds),
            );
        }
    }
    Ok(())
}

/// Every ID in the decrypted assertion must be new to the whole message.
pub(crate) fn reject_ids_seen_in(assertion: &Document, message: &Document) -> Result<()> {
    for element in assertion.root().descendants() {
        for a in element.attributes() {
            if IdProfile::is_id_like(a.namespace, a.local_name)
                && message.element_by_id(a.value).is_some()
            {
                return Err(Error::new(
                    ErrorCode::DuplicateId,
                    "an ID inside the encrypted assertion repeats one of the message",
                )
                .with("id", a.value));
            }
        }
    }
    Ok(())
}

fn check_bearer(subject: Node<'_>, c: &Checks<'_>) -> Result<()> {
    let mut first_error = None;
    for confirmation in subject
        .child_elements()
        .filter(|e| e.is(ns::SAML, "SubjectConfirmation"))
    {
        if confirmation.attr("Method") != Some(BEARER) {
            continue;
        }
        let outcome = confirmation
            .child_elements()
            .find(|e| e.is(ns::SAML, "SubjectConfirmationData"))
            .ok_or_else(|| {
                shape(
                    "bearer confirmation without SubjectConfirmationData",
                    confirmation,
                )
            })
            .and_then(|data| {
                let recipient = data.attr("Recipient");
                if recipient != Some(c.acs_url) {
                    return Err(Error::new(
                        ErrorCode::RecipientMismatch,
                        "the assertion was issued for another ACS URL",
                    )
                    .expected_actual(c.acs_url, recipient));
                }
                check_in_response_to(data, c.authn_request_id)?;
                if data.attr("NotOnOrAfter").is_none() {
                    return Err(shape(
                        "a bearer confirmation must expire (NotOnOrAfter)",
                        data,
                    ));
                }
                check_window(data, c, "bearer subject confirmation")
            });
        match outcome {
            Ok(()) => return Ok(()),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error
        .unwrap_or_else(|| shape("the assertion has no bearer SubjectConfirmation", subject)))
}

fn check_conditions(assertion: Node<'_>, c: &Checks<'_>) -> Result<UtcTime> {
    let conditions = only(assertion, ns::SAML, "Conditions")?;
    let not_on_or_after = instant(conditions, "NotOnOrAfter")?
        .ok_or_else(|| shape("Conditions must carry NotOnOrAfter", conditions))?;
    check_window(conditions, c, "assertion")?;
    let mut restrictions = 0;
    for restriction in conditions
        .child_elements()
        .filter(|e| e.is(ns::SAML, "AudienceRestriction"))
    {
        restrictions += 1;
        let audiences = restriction
            .child_elements()
            .filter(|e| e.is(ns::SAML, "Audience"))
            .map(text)
            .collect::<Result<Vec<_>>>()?;
        if !audiences.iter().any(|a| a == c.entity_id) {
            return Err(Error::new(
                ErrorCode::AudienceMismatch,
                "the assertion is meant for another service provider",
            )
            .expected_actual(c.entity_id, audiences));
        }
    }
    if restrictions == 0 {
        return Err(Error::new(
            ErrorCode::AudienceMismatch,
            "the assertion names no audience; WK always restricts it to the DU",
        )
        .expected_actual(c.entity_id, serde_json::Value::Null));
    }
    Ok(not_on_or_after)
}

struct Authn {
    session_index: String,
    authn_instant: UtcTime,
    class_ref: String,
    loa: Loa,
    authority: Option<String>,
}

fn read_authn(assertion: Node<'_>, c: &Checks<'_>) -> Result<Authn> {
    let statement = only(assertion, ns::SAML, "AuthnStatement")?;
    let session_index = statement
        .attr("SessionIndex")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            shape(
                "AuthnStatement lacks SessionIndex (needed for logout)",
                statement,
            )
        })?
        .to_owned();
    let authn_instant = instant(statement, "AuthnInstant")?
        .ok_or_else(|| shape("AuthnStatement lacks AuthnInstant", statement))?;
    let context = only(statement, ns::SAML, "AuthnContext")?;
    let class_ref = text(only(context, ns::SAML, "AuthnContextClassRef")?)?;
    let loa = Loa::from_uri(class_ref.trim()).ok_or_else(|| {
        Error::new(
            ErrorCode::LoaInsufficient,
            format!("unknown level of assurance `{class_ref}`"),
        )
        .expected_actual(c.requested_loa.uri(), class_ref.as_str())
    })?;
    if loa < c.requested_loa {
        return Err(Error::new(
            ErrorCode::LoaInsufficient,
            format!(
                "the citizen authenticated at LoA {}, below the required {}",
                loa.as_str(),
                c.requested_loa.as_str()
            ),
        )
        .expected_actual(c.requested_loa.as_str(), loa.as_str()));
    }
    let authority = context
        .child_elements()
        .find(|e| e.is(ns::SAML, "AuthenticatingAuthority"))
        .map(text)
        .transpose()?;
    Ok(Authn {
        session_index,
        authn_instant,
        class_ref,
        loa,
        authority,
    })
}

fn read_attributes(assertion: Node<'_>) -> Result<BTreeMap<String, Vec<String>>> {
    let mut attributes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for statement in assertion
        .child_elements()
        .filter(|e| e.is(ns::SAML, "AttributeStatement"))
    {
        for attribute in statement.child_elements() {
            if !attribute.is(ns::SAML, "Attribute") {
                return Err(shape("unexpected element in AttributeStatement", attribute));
            }
            let name = attribute
                .attr("Name")
                .ok_or_else(|| shape("Attribute lacks Name", attribute))?;
            let values = attribute
                .child_elements()
                .filter(|e| e.is(ns::SAML, "AttributeValue"))
                .map(text)
                .collect::<Result<Vec<_>>>()?;
            attributes
                .entry(name.to_owned())
                .or_default()
                .extend(values);
        }
    }
    Ok(attributes)
}

fn person(attributes: &BTreeMap<String, Vec<String>>, warnings: &mut Vec<Warning>) -> Person {
    let first = |name: &str| {
        attributes
            .get(&format!("{NP}{name}"))
            .and_then(|v| v.first())
            .cloned()
    };
    let person_identifier = first("PersonIdentifier");
    let pesel = person_identifier
        .as_deref()
        .and_then(|id| match pesel::parse(id) {
            Ok(p) => Some(p),
            Err(problem) => {
                warnings.push(Warning::new(
                    "pesel_invalid",
                    format!(
                        "PersonIdentifier `{id}` is not a valid PESEL ({}); `pesel` is null",
                        problem.describe()
                    ),
                ));
                None
            }
        });
    let date_of_birth = first("DateOfBirth").and_then(|raw| match Date::parse(raw.trim()) {
        Some(d) => Some(d),
        None => {
            warnings.push(Warning::new(
                "date_of_birth_invalid",
                format!("DateOfBirth `{raw}` is not a date; `date_of_birth` is null"),
            ));
            None
        }
    });
    if let (Some(p), Some(d)) = (&pesel, &date_of_birth) {
        if p.date_of_birth != *d {
            warnings.push(Warning::new(
                "date_of_birth_mismatch",
                format!(
                    "DateOfBirth {d} differs from the date encoded in the PESEL ({})",
                    p.date_of_birth
                ),
            ));
        }
    }
    Person {
        person_identifier,
        pesel: pesel.map(|p| p.number),
        given_name: first("CurrentGivenName"),
        family_name: first("CurrentFamilyName"),
        date_of_birth: date_of_birth.map(|d| d.to_string()),
    }
}

/// Checks the assertion and builds the login result from it.
pub(crate) fn read(assertion: Node<'_>, c: &Checks<'_>) -> Result<LoginResult> {
    if !assertion.is(ns::SAML, "Assertion") {
        return Err(shape(
            "the decrypted content is not a saml2:Assertion",
            assertion,
        ));
    }
    if assertion.attr("Version") != Some("2.0") {
        return Err(shape("SAML Version must be 2.0", assertion));
    }
    let assertion_id = assertion
        .attr("ID")
        .filter(|id| !id.is_empty())
        .ok_or_else(|| shape("the assertion has no ID", assertion))?
        .to_owned();
    check_issuer(assertion, c.wk_issuer)?;
    let subject = only(assertion, ns::SAML, "Subject")?;
    let name_id = only(subject, ns::SAML, "NameID")?;
    check_bearer(subject, c)?;
    let not_on_or_after = check_conditions(assertion, c)?;
    let authn = read_authn(assertion, c)?;
    let attributes = read_attributes(assertion)?;
    let mut warnings = Vec::new();
    let person = person(&attributes, &mut warnings);
    Ok(LoginResult {
        name_id: text(name_id)?,
        name_id_format: name_id.attr("Format").map(str::to_owned),
        session_index: authn.session_index,
        loa: authn.loa,
        authn_context_class_ref: authn.class_ref,
        authn_instant: authn.authn_instant.to_rfc3339(),
        authenticating_authority: authn.authority,
        assertion_id,
        not_on_or_after: not_on_or_after.to_rfc3339(),
        issuer: c.wk_issuer.to_owned(),
        person,
        attributes,
        warnings,
    })
}
