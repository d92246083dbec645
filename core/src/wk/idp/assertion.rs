//! The assertion WK encrypts, in its exact shape (the 2018 simulator plaintext).

use super::LoginAnswer;
use crate::error::Result;
use crate::xml::escape;

/// A (synthetic) citizen as WK releases them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citizen {
    /// NameID (a login name in 2018, the PESEL in 2025).
    pub name_id: String,
    /// CurrentGivenName.
    pub given_name: String,
    /// CurrentFamilyName.
    pub family_name: String,
    /// DateOfBirth exactly as sent (`1987-02-22` or `1987-02-22Z`).
    pub date_of_birth: String,
    /// PersonIdentifier (bare PESEL).
    pub person_identifier: String,
    /// AuthenticatingAuthority (`pz.gov.pl`, `mObywatel`, …).
    pub authenticating_authority: String,
}

const NAMESPACES: &str = concat!(
    r#" xmlns:coi-extension="http://coi.gov.pl/saml-extensions""#,
    r#" xmlns:coi-naturalperson="http://coi.gov.pl/attributes/naturalperson""#,
    r#" xmlns:ds="http://www.w3.org/2000/09/xmldsig#""#,
    r#" xmlns:dsig11="http://www.w3.org/2009/xmldsig11#""#,
    r#" xmlns:eidas="http://eidas.europa.eu/saml-extensions""#,
    r#" xmlns:kirwb="http://wb.kir.pl/saml-extensions""#,
    r#" xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata""#,
    r#" xmlns:naturalperson="http://eidas.europa.eu/attributes/naturalperson""#,
    r#" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion""#,
    r#" xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol""#,
    r#" xmlns:xenc="http://www.w3.org/2001/04/xmlenc#""#,
    r#" xmlns:xenc11="http://www.w3.org/2009/xmlenc11#""#,
);

fn attribute(friendly: &str, name: &str, value: &str) -> String {
    format!(
        concat!(
            r#"<saml2:Attribute FriendlyName="{f}" Name="http://eidas.europa.eu/attributes/naturalperson/{n}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">"#,
            r#"<saml2:AttributeValue xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="naturalperson:{n}Type">{v}</saml2:AttributeValue></saml2:Attribute>"#
        ),
        f = friendly,
        n = name,
        v = escape(value)
    )
}

/// The plaintext assertion for `a`, issued by `issuer`.
pub(crate) fn build(issuer: &str, a: &LoginAnswer<'_>) -> Result<String> {
    let id = match a.assertion_id {
        Some(id) => escape(id).into_owned(),
        None => format!("_{}", super::super::fresh_id()?),
    };
    let c = a.citizen;
    let instant = a.now.to_rfc3339();
    // WK writes validity times at whole seconds; NotBefore equals IssueInstant's second.
    let not_before = a.now.plus_seconds(0).to_rfc3339_seconds();
    let until = a.now.plus_seconds(a.validity_seconds).to_rfc3339_seconds();
    let (not_before, until) = (
        not_before.replace('Z', ".000Z"),
        until.replace('Z', ".000Z"),
    );
    Ok(format!(
        concat!(
            r#"<saml2:Assertion{ns} ID="{id}" IssueInstant="{instant}" Version="2.0">"#,
            r#"<saml2:Issuer>{issuer}</saml2:Issuer>"#,
            r#"<saml2:Subject><saml2:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">{name_id}</saml2:NameID>"#,
            r#"<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">"#,
            r#"<saml2:SubjectConfirmationData InResponseTo="{irt}" NotOnOrAfter="{until}" Recipient="{acs}"/>"#,
            r#"</saml2:SubjectConfirmation></saml2:Subject>"#,
            r#"<saml2:Conditions NotBefore="{not_before}" NotOnOrAfter="{until}"><saml2:AudienceRestriction><saml2:Audience>{audience}</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions>"#,
            r#"<saml2:AuthnStatement AuthnInstant="{instant}" SessionIndex="{id}"><saml2:AuthnContext>"#,
            r#"<saml2:AuthnContextClassRef>{loa}</saml2:AuthnContextClassRef><saml2:AuthenticatingAuthority>{authority}</saml2:AuthenticatingAuthority>"#,
            r#"</saml2:AuthnContext></saml2:AuthnStatement>"#,
            r#"<saml2:AttributeStatement>{family}{dob}{given}{pid}</saml2:AttributeStatement></saml2:Assertion>"#
        ),
        ns = NAMESPACES,
        id = id,
        instant = instant,
        issuer = escape(issuer),
        name_id = escape(&c.name_id),
        irt = escape(a.authn_request_id),
        until = until,
        acs = escape(a.acs_url),
        not_before = not_before,
        audience = escape(a.sp_entity_id),
        loa = a.loa.uri(),
        authority = escape(&c.authenticating_authority),
        family = attribute("FamilyName", "CurrentFamilyName", &c.family_name),
        dob = attribute("DateOfBirth", "DateOfBirth", &c.date_of_birth),
        given = attribute("FirstName", "CurrentGivenName", &c.given_name),
        pid = attribute("PersonIdentifier", "PersonIdentifier", &c.person_identifier),
    ))
}
