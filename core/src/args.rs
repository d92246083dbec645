//! Arguments the bindings receive as text (times, levels of assurance, IDs), checked the same way
//! in every language, with errors naming the argument and what was expected.

use crate::error::{Error, ErrorCode, Result};
use crate::time::UtcTime;
use crate::wk::Loa;

fn invalid(argument: &str, message: String, expected: &str, actual: &str) -> Error {
    Error::new(ErrorCode::ConfigInvalid, format!("`{argument}`: {message}"))
        .with("argument", argument)
        .with("setting", argument)
        .with("expected", expected)
        .with("actual", actual)
}

/// `value` unless it is empty or blank (`invalid_input` naming the argument).
pub fn non_empty<'a>(argument: &str, value: &'a str) -> Result<&'a str> {
    if value.trim().is_empty() {
        return Err(
            Error::new(ErrorCode::InvalidInput, format!("`{argument}` is empty"))
                .with("argument", argument),
        );
    }
    Ok(value)
}

/// An optional RFC 3339 instant such as `2018-09-13T13:20:00Z`.
pub fn time(argument: &str, value: Option<&str>) -> Result<Option<UtcTime>> {
    let Some(s) = value else { return Ok(None) };
    UtcTime::parse(s).map(Some).ok_or_else(|| {
        invalid(
            argument,
            format!("must be an RFC 3339 time like 2018-09-13T13:20:00Z, got `{s}`"),
            "RFC 3339",
            s,
        )
    })
}

/// An optional level of assurance: `low`, `substantial` or `high`.
pub fn loa(argument: &str, value: Option<&str>) -> Result<Option<Loa>> {
    let Some(s) = value else { return Ok(None) };
    Loa::from_name(s).map(Some).ok_or_else(|| {
        invalid(
            argument,
            format!("must be low, substantial or high, got `{s}`"),
            "low | substantial | high",
            s,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_values_name_the_argument_and_the_expected_form() {
        let e = time("now", Some("yesterday")).unwrap_err();
        assert_eq!(e.code(), ErrorCode::ConfigInvalid);
        assert_eq!(e.details()["setting"], "now");
        assert_eq!(e.details()["actual"], "yesterday");
        let e = loa("loa", Some("very high")).unwrap_err();
        assert_eq!(e.details()["expected"], "low | substantial | high");
        assert_eq!(
            non_empty("requestId", " ").unwrap_err().code(),
            ErrorCode::InvalidInput
        );
        assert_eq!(time("now", None).ok(), Some(None));
        assert!(loa("loa", Some("high")).is_ok_and(|l| l == Some(Loa::High)));
        assert_eq!(non_empty("id", "ID-1").ok(), Some("ID-1"));
    }
}
