//! eidpl — log citizens in through Węzeł Krajowy (login.gov.pl) and verify documents signed with
//! profil zaufany or qualified signatures, safely by construction.
//!
//! Data flows one way: bytes → [`xml::Document`] (hardened parse) → [`dsig`] verification, which
//! returns the verified nodes → typed results read only from those nodes.

pub mod args;
pub mod dsig;
pub mod error;
pub mod pesel;
pub mod pki;
pub mod pz;
pub mod time;
mod warning;
pub mod wk;
pub mod xades;
pub mod xml;
pub mod xmlenc;

pub use error::{Error, ErrorCode, Result};
pub use warning::Warning;

/// The library version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

#[cfg(doctest)]
#[doc = include_str!("../../docs/signatures.md")]
pub struct SignaturesDocDoctests;

#[cfg(doctest)]
#[doc = include_str!("../../docs/wk.md")]
pub struct WkDocDoctests;

#[cfg(doctest)]
#[doc = include_str!("../../docs/verify.md")]
pub struct VerifyDocDoctests;
