//! Węzeł Krajowy (login.gov.pl) service provider.

#[cfg(feature = "http")]
pub mod http;
pub mod keygen;
