//! The back channel over HTTPS (feature `http`): resolve an artifact and log out in one call.

use super::http::{post_soap, HttpOptions};
use super::logout::LogoutResult;
use super::provider::ServiceProvider;
use super::response::Expected;
use super::result::LoginResult;
use crate::error::Result;
use std::time::Duration;

impl ServiceProvider {
    fn http_options(&self) -> HttpOptions {
        let h = &self.settings.http;
        HttpOptions {
            connect_timeout: Duration::from_secs(h.connect_timeout_seconds),
            timeout: Duration::from_secs(h.timeout_seconds),
            ca_file: h.ca_file.clone(),
            ..HttpOptions::default()
        }
    }

    /// Sends the ArtifactResolve for `artifact` to WK and validates the answer
    /// (`expected.artifact_resolve_id` is filled in with the request just sent).
    pub fn resolve_artifact(&self, artifact: &str, expected: &Expected<'_>) -> Result<LoginResult> {
        let request = self.artifact_resolve(artifact, expected.now)?;
        let answer = post_soap(&request.url, request.soap.as_bytes(), &self.http_options())?;
        self.validate_artifact_response(
            &answer,
            &Expected {
                artifact_resolve_id: Some(&request.id),
                ..*expected
            },
        )
    }

    /// Sends a LogoutRequest for the session to WK and checks the answer.
    pub fn logout(&self, name_id: &str, session_index: &str) -> Result<LogoutResult> {
        let request = self.logout_request(name_id, session_index, None)?;
        let answer = post_soap(&request.url, request.soap.as_bytes(), &self.http_options())?;
        self.validate_logout_response(&answer, &request.id)
    }
}
