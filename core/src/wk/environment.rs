//! The WK environments and what each implies (WK-PROFILE.md, "Environments").

/// A Węzeł Krajowy environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    /// COI's simulator (`symulator.login.gov.pl`).
    Simulator,
    /// Integration for public bodies (`int.login.gov.pl`).
    Integration,
    /// Integration for private entities (`int-podmiotyzewnetrzne.login.gov.pl`).
    IntegrationExternal,
    /// Production (`login.gov.pl`).
    Production,
    /// Everything from configuration (e.g. eidpl's local simulator, or offline validation).
    Custom,
}

impl Environment {
    /// Every environment, in settings order.
    pub const ALL: [Environment; 5] = [
        Environment::Simulator,
        Environment::Integration,
        Environment::IntegrationExternal,
        Environment::Production,
        Environment::Custom,
    ];

    /// The settings name.
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Simulator => "simulator",
            Environment::Integration => "integration",
            Environment::IntegrationExternal => "integration-external",
            Environment::Production => "production",
            Environment::Custom => "custom",
        }
    }

    /// The base URL; the WK paths are the same on every host.
    pub fn base_url(self) -> Option<&'static str> {
        match self {
            Environment::Simulator => Some("https://symulator.login.gov.pl"),
            Environment::Integration => Some("https://int.login.gov.pl"),
            Environment::IntegrationExternal => Some("https://int-podmiotyzewnetrzne.login.gov.pl"),
            Environment::Production => Some("https://login.gov.pl"),
            Environment::Custom => None,
        }
    }

    /// WK's Issuer (a bare host name). Production's is inferred; configuration may override it.
    pub fn issuer(self) -> Option<&'static str> {
        match self {
            Environment::Simulator => Some("localhost.wk.gov.pl"),
            Environment::Integration => Some("int.login.gov.pl"),
            Environment::IntegrationExternal => Some("int-podmiotyzewnetrzne.login.gov.pl"),
            Environment::Production => Some("login.gov.pl"),
            Environment::Custom => None,
        }
    }
}
