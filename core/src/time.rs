//! UTC instants as SAML and XAdES write them (`xs:dateTime`), without a calendar dependency.
//!
//! Time is always passed in (`now`), never read implicitly by validation code, so tests and the
//! CLI can validate historical messages.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// An instant in UTC with millisecond precision (milliseconds since 1970-01-01T00:00:00Z).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcTime(i64);

/// A calendar date (`xs:date`), e.g. a date of birth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year (four digits).
    pub year: i32,
    /// Month 1–12.
    pub month: u8,
    /// Day 1–31 (valid for the month).
    pub day: u8,
}

impl Date {
    /// A valid Gregorian date, or None.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        (1..=12)
            .contains(&month)
            .then_some(())
            .filter(|_| day >= 1 && day <= days_in_month(year, month))
            .map(|_| Date { year, month, day })
    }

    /// Parses `xs:date`: `YYYY-MM-DD` with an optional zone (`Z`, `+01:00`), which is dropped —
    /// WK sends a date of birth both as `1987-02-22` and `1987-02-22Z`.
    pub fn parse(s: &str) -> Option<Date> {
        let (date, zone) = s.split_at_checked(10)?;
        if !(zone.is_empty() || zone == "Z" || parse_offset(zone).is_some()) {
            return None;
        }
        parse_date(date)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 31,
    }
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = i32::try_from(digits(s.get(0..4)?)?).ok()?;
    let month = u8::try_from(digits(s.get(5..7)?)?).ok()?;
    let day = u8::try_from(digits(s.get(8..10)?)?).ok()?;
    Date::new(year, month, day)
}

/// `+hh:mm` / `-hh:mm` → offset in minutes.
fn parse_offset(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 6 || b[3] != b':' {
        return None;
    }
    let sign = match b[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let h = i64::from(digits(s.get(1..3)?)?);
    let m = i64::from(digits(s.get(4..6)?)?);
    (h <= 14 && m < 60).then_some(sign * (h * 60 + m))
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(d: Date) -> i64 {
    let y = i64::from(d.year) - i64::from(d.month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(d.month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d.day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

impl UtcTime {
    /// The current time from the system clock.
    pub fn now() -> UtcTime {
        UtcTime::from_system_time(SystemTime::now())
    }

    /// From a [`SystemTime`] (saturating far outside ±292 million years).
    pub fn from_system_time(t: SystemTime) -> UtcTime {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => UtcTime(i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
            Err(e) => UtcTime(-i64::try_from(e.duration().as_millis()).unwrap_or(i64::MAX)),
        }
    }

    /// From milliseconds since the Unix epoch.
    pub const fn from_unix_millis(ms: i64) -> UtcTime {
        UtcTime(ms)
    }

    /// Milliseconds since the Unix epoch.
    pub const fn unix_millis(self) -> i64 {
        self.0
    }

    /// Seconds since the Unix epoch (rounded down).
    pub const fn unix_seconds(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// Parses `xs:dateTime` / RFC 3339: `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)`. A time
    /// without a zone is taken as UTC (SAML requires UTC; WK always writes `Z`). Fractions
    /// beyond milliseconds are truncated.
    pub fn parse(s: &str) -> Option<UtcTime> {
        let s = s.trim();
        let (date, rest) = s.split_at_checked(10)?;
        let date = parse_date(date)?;
        let rest = rest.strip_prefix('T').or_else(|| rest.strip_prefix('t'))?;
        let (clock, rest) = rest.split_at_checked(8)?;
        let c = clock.as_bytes();
        if c[2] != b':' || c[5] != b':' {
            return None;
        }
        let h = i64::from(digits(clock.get(0..2)?)?);
        let mi = i64::from(digits(clock.get(3..5)?)?);
        let sec = i64::from(digits(clock.get(6..8)?)?);
        if h > 23 || mi > 59 || sec > 59 {
            return None;
        }
        let (millis, zone) = match rest.strip_prefix('.') {
            Some(frac) => {
                let end = frac
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(frac.len());
                let (digits_part, zone) = frac.split_at(end);
                if digits_part.is_empty() {
                    return None;
                }
                let ms: String = digits_part.chars().chain("00".chars()).take(3).collect();
                (i64::from(digits(&ms)?), zone)
            }
            None => (0, rest),
        };
        let offset_minutes = match zone {
            "" | "Z" | "z" => 0,
            z => parse_offset(z)?,
        };
        let seconds = days_from_civil(date) * 86_400 + h * 3600 + mi * 60 + sec;
        Some(UtcTime(
            (seconds - offset_minutes * 60)
                .checked_mul(1000)?
                .checked_add(millis)?,
        ))
    }

    /// This instant plus `seconds` (negative allowed), saturating.
    pub fn plus_seconds(self, seconds: i64) -> UtcTime {
        UtcTime(self.0.saturating_add(seconds.saturating_mul(1000)))
    }

    /// This instant plus a duration, saturating.
    pub fn plus(self, d: Duration) -> UtcTime {
        UtcTime(
            self.0
                .saturating_add(i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
        )
    }

    /// The instant as RFC 3339 UTC with milliseconds: `2018-09-13T13:17:51.395Z`.
    pub fn to_rfc3339(self) -> String {
        let (days, ms) = (self.0.div_euclid(86_400_000), self.0.rem_euclid(86_400_000));
        let (y, mo, d) = civil_from_days(days);
        let (h, mi, s, frac) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{frac:03}Z")
    }

    /// The instant as SAML writes IssueInstant: RFC 3339 UTC, whole seconds (`…T06:03:14Z`).
    pub fn to_rfc3339_seconds(self) -> String {
        let full = self.to_rfc3339();
        format!("{}Z", full.get(..19).unwrap_or(&full))
    }
}

impl fmt::Display for UtcTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_saml_instants() {
        let t = UtcTime::parse("2018-09-13T13:17:51.395Z").unwrap();
        assert_eq!(t.unix_millis(), 1_536_844_671_395);
        assert_eq!(t.to_rfc3339(), "2018-09-13T13:17:51.395Z");
        assert_eq!(
            UtcTime::parse("2025-11-24T06:03:14Z")
                .unwrap()
                .to_rfc3339_seconds(),
            "2025-11-24T06:03:14Z"
        );
        assert_eq!(UtcTime::parse("2018-09-13T15:17:51.3951234+02:00"), Some(t));
        assert_eq!(
            UtcTime::parse("1969-12-31T23:59:59Z")
                .unwrap()
                .unix_millis(),
            -1000
        );
        assert_eq!(
            UtcTime::parse("2000-02-29T00:00:00Z")
                .unwrap()
                .unix_seconds(),
            951_782_400
        );
    }

    #[test]
    fn rejects_malformed_instants() {
        for bad in [
            "",
            "2018-09-13",
            "2018-09-13 13:17:51Z",
            "2018-02-30T00:00:00Z",
            "2018-09-13T24:00:00Z",
            "2018-09-13T13:17:51.Z",
            "2018-09-13T13:17:51Zjunk",
            "2018-09-13T13:17:51+2:00",
            "+2018-09-13T13:17:51Z",
            "２018-09-13T13:17:51Z",
        ] {
            assert_eq!(UtcTime::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn round_trips_across_eras() {
        for ms in [
            0,
            1,
            -1,
            951_782_400_000,
            4_102_444_800_000,
            -62_135_596_800_000,
        ] {
            let t = UtcTime::from_unix_millis(ms);
            assert_eq!(UtcTime::parse(&t.to_rfc3339()), Some(t), "{ms}");
        }
    }

    #[test]
    fn dates_in_both_wk_forms() {
        let d = Date::new(1987, 2, 22).unwrap();
        assert_eq!(Date::parse("1987-02-22"), Some(d));
        assert_eq!(Date::parse("1987-02-22Z"), Some(d));
        assert_eq!(Date::parse("1987-02-22+01:00"), Some(d));
        assert_eq!(d.to_string(), "1987-02-22");
        for bad in [
            "1987-02-30",
            "1987-2-22",
            "1987-02-22ZZ",
            "87-02-22",
            "1900-02-29",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert!(Date::parse("2000-02-29").is_some());
    }
}
