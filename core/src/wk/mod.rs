//! Węzeł Krajowy (login.gov.pl) service provider: settings, AuthnRequest, ArtifactResolve,
//! response validation, logout and SP metadata. WK-PROFILE.md is the specification.
//!
//! ```no_run
//! use eidpl::wk::{AuthnRequestOptions, Expected, ServiceProvider};
//! # fn main() -> eidpl::Result<()> {
//! let sp = ServiceProvider::from_file("eidpl.toml")?;
//! // 1. Send the browser to WK; keep `request.id` in the user's session.
//! let request = sp.authn_request(&AuthnRequestOptions::default())?;
//! # let saml_art = "";
//! // 2. WK POSTs SAMLart to the ACS URL; resolve it over the back channel.
//! let login = sp.resolve_artifact(saml_art, &Expected { authn_request_id: &request.id, ..Default::default() })?;
//! println!("{:?} {:?}", login.person.given_name, login.person.pesel);
//! # Ok(()) }
//! ```

mod artifact;
mod assertion;
mod authn;
#[cfg(feature = "http")]
mod client;
mod environment;
mod ids;
mod loa;
mod logout;
mod metadata;
mod provider;
mod replay;
mod response;
mod result;
mod settings;
mod soap;
mod status;

#[cfg(feature = "http")]
pub mod http;
pub mod idp;
pub mod keygen;

pub use artifact::SoapRequest;
pub use authn::{post_form, AuthnRequest, AuthnRequestOptions};
pub use environment::Environment;
pub use ids::fresh_id;
pub use loa::Loa;
pub use logout::LogoutResult;
pub use provider::ServiceProvider;
pub use replay::{InMemoryReplayStore, ReplayStore};
pub use response::Expected;
pub use result::{LoginResult, Person, Warning};
pub use settings::{
    HttpSettings, IdpSettings, KeySource, Material, SecuritySettings, Settings, SpSettings, SpType,
};
pub use status::Status;
