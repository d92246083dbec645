//! The JSON option objects of the C ABI. Empty input means `{}`; every problem inside the JSON
//! (syntax, a wrong type, an unknown key, a bad value) is `config_invalid` naming the key in
//! `details.setting`; bytes that are not UTF-8 are `invalid_input`.

use eidpl_core::time::UtcTime;
use eidpl_core::wk::Loa;
use eidpl_core::{Error, ErrorCode, Result};
use serde_json::{Map, Value};

/// One parsed option object and the argument it came from.
pub(crate) struct Options {
    argument: &'static str,
    map: Map<String, Value>,
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// `config_invalid` about `setting` inside the option object `argument`.
pub(crate) fn invalid(argument: &str, setting: &str, message: impl Into<String>) -> Error {
    Error::new(
        ErrorCode::ConfigInvalid,
        format!("`{setting}` in `{argument}`: {}", message.into()),
    )
    .with("argument", argument)
    .with("setting", setting)
}

impl Options {
    /// Parses `bytes` as a JSON object whose keys are all in `known`.
    pub(crate) fn parse(bytes: &[u8], argument: &'static str, known: &[&str]) -> Result<Options> {
        let text = std::str::from_utf8(bytes).map_err(|e| {
            Error::new(
                ErrorCode::InvalidInput,
                format!("`{argument}` is not valid UTF-8"),
            )
            .with("argument", argument)
            .with("byte_offset", e.valid_up_to())
        })?;
        if text.trim().is_empty() {
            return Ok(Options {
                argument,
                map: Map::new(),
            });
        }
        let value: Value = serde_json::from_str(text).map_err(|e| {
            Error::new(
                ErrorCode::ConfigInvalid,
                format!("`{argument}` is not valid JSON: {e}"),
            )
            .with("argument", argument)
        })?;
        let Value::Object(map) = value else {
            return Err(Error::new(
                ErrorCode::ConfigInvalid,
                format!(
                    "`{argument}` must be a JSON object, got {}",
                    type_name(&value)
                ),
            )
            .with("argument", argument));
        };
        if let Some(key) = map.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(invalid(
                argument,
                key,
                format!("unknown option; known: {}", known.join(", ")),
            ));
        }
        Ok(Options { argument, map })
    }

    /// The value of `key`; JSON `null` counts as absent.
    fn get(&self, key: &str) -> Option<&Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn wrong_type(&self, key: &str, expected: &str, got: &Value) -> Error {
        invalid(
            self.argument,
            key,
            format!("must be {expected}, got {}", type_name(got)),
        )
    }

    pub(crate) fn string(&self, key: &str) -> Result<Option<&str>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.wrong_type(key, "a string", other)),
        }
    }

    pub(crate) fn required_string(&self, key: &str) -> Result<&str> {
        match self.string(key)? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            Some(_) => Err(invalid(self.argument, key, "must not be empty")),
            None => Err(invalid(self.argument, key, "is required")),
        }
    }

    pub(crate) fn bool(&self, key: &str) -> Result<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(self.wrong_type(key, "true or false", other)),
        }
    }

    /// An RFC 3339 instant such as `2018-09-13T13:20:00Z`.
    pub(crate) fn time(&self, key: &str) -> Result<Option<UtcTime>> {
        let Some(s) = self.string(key)? else {
            return Ok(None);
        };
        UtcTime::parse(s).map(Some).ok_or_else(|| {
            invalid(
                self.argument,
                key,
                format!("must be an RFC 3339 time like 2018-09-13T13:20:00Z, got `{s}`"),
            )
            .expected_actual("RFC 3339", s)
        })
    }

    /// `low`, `substantial` or `high`.
    pub(crate) fn loa(&self, key: &str) -> Result<Option<Loa>> {
        let Some(s) = self.string(key)? else {
            return Ok(None);
        };
        Loa::from_name(s).map(Some).ok_or_else(|| {
            invalid(
                self.argument,
                key,
                format!("must be low, substantial or high, got `{s}`"),
            )
            .expected_actual("low | substantial | high", s)
        })
    }

    /// A list of objects, each with exactly the `known` keys allowed.
    pub(crate) fn objects(&self, key: &str, known: &[&str]) -> Result<Vec<Options>> {
        let items = match self.get(key) {
            None => return Ok(Vec::new()),
            Some(Value::Array(items)) => items,
            Some(other) => return Err(self.wrong_type(key, "a list", other)),
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let at = format!("{key}[{i}]");
                let Value::Object(map) = item else {
                    return Err(invalid(
                        self.argument,
                        &at,
                        format!("must be an object, got {}", type_name(item)),
                    ));
                };
                if let Some(k) = map.keys().find(|k| !known.contains(&k.as_str())) {
                    return Err(invalid(
                        self.argument,
                        &format!("{at}.{k}"),
                        format!("unknown option; known: {}", known.join(", ")),
                    ));
                }
                Ok(Options {
                    argument: self.argument,
                    map: map.clone(),
                })
            })
            .collect()
    }

    /// The argument name, for errors about values found inside.
    pub(crate) fn argument(&self) -> &'static str {
        self.argument
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<Options> {
        Options::parse(json.as_bytes(), "options_json", &["a", "n", "list"])
    }

    #[test]
    fn empty_is_an_empty_object() {
        assert!(parse("").unwrap().string("a").unwrap().is_none());
        assert!(parse("  ").unwrap().bool("n").unwrap().is_none());
    }

    #[test]
    fn unknown_keys_wrong_types_and_bad_json_name_the_setting() {
        for (json, setting) in [
            (r#"{"b": 1}"#, Some("b")),
            (r#"{"a": 1}"#, Some("a")),
            (r#"{"list": [{"x": 1}]}"#, Some("list[0].x")),
            ("[1]", None),
            ("{", None),
        ] {
            let o = parse(json);
            let e = match o {
                Ok(o) => o
                    .string("a")
                    .map(|_| ())
                    .and_then(|_| o.objects("list", &["uri"]).map(|_| ()))
                    .unwrap_err(),
                Err(e) => e,
            };
            assert_eq!(e.code(), ErrorCode::ConfigInvalid, "{json}: {e}");
            assert_eq!(
                e.details().get("setting").and_then(Value::as_str),
                setting,
                "{json}"
            );
        }
        let e = Options::parse(b"{\"a\": \"\xff\"}", "options_json", &["a"])
            .err()
            .unwrap();
        assert_eq!(e.code(), ErrorCode::InvalidInput);
    }

    #[test]
    fn times_and_levels() {
        let o = Options::parse(
            br#"{"now": "2018-09-13T13:20:00Z", "loa": "high", "bad": "soon"}"#,
            "x",
            &["now", "loa", "bad"],
        )
        .unwrap();
        assert_eq!(
            o.time("now").unwrap().unwrap().to_rfc3339(),
            "2018-09-13T13:20:00.000Z"
        );
        assert_eq!(o.loa("loa").unwrap(), Some(Loa::High));
        assert_eq!(o.time("bad").unwrap_err().code(), ErrorCode::ConfigInvalid);
        assert_eq!(o.loa("bad").unwrap_err().code(), ErrorCode::ConfigInvalid);
    }
}
