//! A generated WK world: WK's signing key, the DU's signing and encryption keys, a service
//! provider configured for them, and an IdP that answers like WK.
#![allow(clippy::unwrap_used)]

use eidpl::time::UtcTime;
use eidpl::wk::idp::{Citizen, IdentityProvider, LoginAnswer};
use eidpl::wk::{Expected, ServiceProvider, Settings};
use openssl::pkey::{PKey, Private, Public};
use openssl::x509::X509;
use serde_json::{json, Value};

pub const WK_ISSUER: &str = "int.login.gov.pl";
pub const SP_ENTITY: &str = "https://gmina.example.pl";
pub const ACS: &str = "https://gmina.example.pl/wk/acs";
pub const AUTHN_ID: &str = "ID-11111111-2222-4333-8444-555555555555";
pub const RESOLVE_ID: &str = "ID-66666666-7777-4888-9999-000000000000";

pub struct World {
    pub wk_key: PKey<Private>,
    pub wk_cert: X509,
    pub sig_key: PKey<Private>,
    pub sig_cert: X509,
    pub enc_key: PKey<Private>,
    pub enc_cert: X509,
    pub enc_public: PKey<Public>,
    pub idp: IdentityProvider,
    pub citizen: Citizen,
    pub now: UtcTime,
}

pub fn pem_key(k: &PKey<Private>) -> String {
    String::from_utf8(k.private_key_to_pem_pkcs8().unwrap()).unwrap()
}

pub fn pem_cert(c: &X509) -> String {
    String::from_utf8(c.to_pem().unwrap()).unwrap()
}

pub fn jan() -> Citizen {
    Citizen {
        name_id: "87022243734".into(),
        given_name: "Jan".into(),
        family_name: "Kowalski".into(),
        date_of_birth: "1987-02-22".into(),
        person_identifier: "87022243734".into(),
        authenticating_authority: "pz.gov.pl".into(),
    }
}

/// A P-256 key and certificate valid around the world's fixed clock, whatever day the tests run.
pub fn fixed_cert(cn: &str) -> (PKey<Private>, X509) {
    eidpl::pki::self_signed_p256_between(
        cn,
        UtcTime::parse("2020-01-01T00:00:00Z").unwrap(),
        UtcTime::parse("2040-01-01T00:00:00Z").unwrap(),
    )
    .unwrap()
}

impl World {
    pub fn new() -> World {
        let (wk_key, wk_cert) = fixed_cert("WK_SIG_EC");
        let (sig_key, sig_cert) = fixed_cert("gmina_sig_ec");
        let (enc_key, enc_cert) = fixed_cert("gmina_enc_ec");
        let idp = IdentityProvider::new(WK_ISSUER, wk_key.clone(), &wk_cert).unwrap();
        let enc_public = PKey::public_key_from_pem(&enc_key.public_key_to_pem().unwrap()).unwrap();
        World {
            enc_public,
            wk_key,
            wk_cert,
            sig_key,
            sig_cert,
            enc_key,
            enc_cert,
            idp,
            citizen: jan(),
            now: UtcTime::parse("2026-11-24T10:00:00.123Z").unwrap(),
        }
    }

    /// Settings as a JSON value with inline PEMs (what a binding would pass).
    pub fn settings(&self) -> Value {
        json!({
            "sp": {
                "entity_id": SP_ENTITY,
                "acs_url": ACS,
                "provider_name": "Gmina Example",
                "sp_type": "public",
                "signing_key": pem_key(&self.sig_key),
                "signing_cert": pem_cert(&self.sig_cert),
                "encryption_keys": [pem_key(&self.enc_key)],
                "encryption_certs": [pem_cert(&self.enc_cert)],
            },
            "idp": {
                "environment": "integration",
                "signing_certs": [pem_cert(&self.wk_cert)],
            },
        })
    }

    pub fn sp_with(&self, settings: &Value) -> ServiceProvider {
        ServiceProvider::new(Settings::from_value(settings, None).unwrap()).unwrap()
    }

    pub fn sp(&self) -> ServiceProvider {
        self.sp_with(&self.settings())
    }

    pub fn enc_public(&self) -> PKey<Public> {
        PKey::public_key_from_pem(&self.enc_key.public_key_to_pem().unwrap()).unwrap()
    }

    /// A WK answer, adjusted by `f` before it is built.
    pub fn answer_with<'s>(&'s self, f: impl FnOnce(&mut LoginAnswer<'s>)) -> String {
        let mut a = LoginAnswer::new(
            AUTHN_ID,
            RESOLVE_ID,
            ACS,
            SP_ENTITY,
            &self.enc_public,
            &self.citizen,
            self.now,
        );
        f(&mut a);
        self.idp.artifact_response(&a).unwrap()
    }

    pub fn answer(&self) -> String {
        self.answer_with(|_| {})
    }

    pub fn expected(&self) -> Expected<'static> {
        Expected {
            authn_request_id: AUTHN_ID,
            artifact_resolve_id: Some(RESOLVE_ID),
            now: Some(self.now.plus_seconds(5)),
            minimum_loa: None,
        }
    }
}
