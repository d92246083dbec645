//! PESEL, the Polish personal identification number: 11 digits encoding the date of birth,
//! a serial, the sex, and a check digit.

use crate::time::Date;

/// Sex as encoded in the tenth digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    /// Odd tenth digit.
    Male,
    /// Even tenth digit.
    Female,
}

/// A valid PESEL and what it encodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pesel {
    /// The 11 digits.
    pub number: String,
    /// The encoded date of birth.
    pub date_of_birth: Date,
    /// The encoded sex.
    pub sex: Sex,
}

/// Why a string is not a valid PESEL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeselProblem {
    /// Not exactly 11 ASCII digits.
    Format,
    /// The check digit does not match.
    Checksum,
    /// The encoded date does not exist.
    Date,
}

impl PeselProblem {
    /// A sentence for warnings and error messages.
    pub fn describe(self) -> &'static str {
        match self {
            PeselProblem::Format => "a PESEL has exactly 11 digits",
            PeselProblem::Checksum => "the PESEL check digit does not match",
            PeselProblem::Date => "the PESEL encodes a date that does not exist",
        }
    }
}

const WEIGHTS: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];

/// Checks format, check digit and encoded date of birth.
pub fn parse(s: &str) -> Result<Pesel, PeselProblem> {
    let bytes = s.as_bytes();
    if bytes.len() != 11 || !bytes.iter().all(u8::is_ascii_digit) {
        return Err(PeselProblem::Format);
    }
    let d: Vec<u32> = bytes.iter().map(|b| u32::from(b - b'0')).collect();
    let sum: u32 = WEIGHTS.iter().zip(&d).map(|(w, x)| w * x).sum();
    if (10 - sum % 10) % 10 != d[10] {
        return Err(PeselProblem::Checksum);
    }
    // The month carries the century: +80 for 1800s, +0 1900s, +20 2000s, +40 2100s, +60 2200s.
    let (yy, mm, dd) = (d[0] * 10 + d[1], d[2] * 10 + d[3], d[4] * 10 + d[5]);
    let (century, month) = match mm {
        81..=92 => (1800, mm - 80),
        1..=12 => (1900, mm),
        21..=32 => (2000, mm - 20),
        41..=52 => (2100, mm - 40),
        61..=72 => (2200, mm - 60),
        _ => return Err(PeselProblem::Date),
    };
    let year = i32::try_from(century + yy).map_err(|_| PeselProblem::Date)?;
    let month = u8::try_from(month).map_err(|_| PeselProblem::Date)?;
    let day = u8::try_from(dd).map_err(|_| PeselProblem::Date)?;
    let date_of_birth = Date::new(year, month, day).ok_or(PeselProblem::Date)?;
    Ok(Pesel {
        number: s.to_owned(),
        date_of_birth,
        sex: if d[9] % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        },
    })
}

/// Builds a valid PESEL for a date of birth, a serial (0–999) and a sex: synthetic test
/// identities for the simulator and tests. None for dates PESEL cannot encode (before 1800 or
/// after 2299) or a serial over 999.
pub fn synthesize(date_of_birth: Date, serial: u16, sex: Sex) -> Option<String> {
    let year = u32::try_from(date_of_birth.year).ok()?;
    let offset = match year {
        1800..=1899 => 80,
        1900..=1999 => 0,
        2000..=2099 => 20,
        2100..=2199 => 40,
        2200..=2299 => 60,
        _ => return None,
    };
    if serial > 999 {
        return None;
    }
    let serial = u32::from(serial);
    let sex_digit = match sex {
        Sex::Male => (serial % 5) * 2 + 1,
        Sex::Female => (serial % 5) * 2,
    };
    let head = format!(
        "{:02}{:02}{:02}{:03}{}",
        year % 100,
        u32::from(date_of_birth.month) + offset,
        date_of_birth.day,
        serial,
        sex_digit
    );
    let sum: u32 = WEIGHTS
        .iter()
        .zip(head.bytes())
        .map(|(w, b)| w * u32::from(b - b'0'))
        .sum();
    Some(format!("{head}{}", (10 - sum % 10) % 10))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_numbers() {
        let p = parse("87022243734").unwrap(); // the 2018 WK simulator citizen
        assert_eq!(p.date_of_birth.to_string(), "1987-02-22");
        assert_eq!(p.sex, Sex::Male);
        let p = parse("02270803624").unwrap(); // born 2002-07-08
        assert_eq!(p.date_of_birth.to_string(), "2002-07-08");
        assert_eq!(p.sex, Sex::Female);
        assert_eq!(parse("44051401458").unwrap().date_of_birth.year, 1944);
    }

    #[test]
    fn synthesized_numbers_parse_back() {
        for (y, m, d, sex) in [
            (1987, 2, 22, Sex::Male),
            (2001, 12, 31, Sex::Female),
            (1899, 1, 1, Sex::Male),
        ] {
            let date = Date::new(y, m, d).unwrap();
            let p = parse(&synthesize(date, 123, sex).unwrap()).unwrap();
            assert_eq!((p.date_of_birth, p.sex), (date, sex));
        }
        assert_eq!(
            synthesize(Date::new(1799, 1, 1).unwrap(), 1, Sex::Male),
            None
        );
    }

    #[test]
    fn problems() {
        assert_eq!(parse("8702224373"), Err(PeselProblem::Format));
        assert_eq!(parse("8702224373a"), Err(PeselProblem::Format));
        assert_eq!(parse(" 87022243734"), Err(PeselProblem::Format));
        assert_eq!(parse("87022243735"), Err(PeselProblem::Checksum));
        assert_eq!(parse("87023043739"), Err(PeselProblem::Date)); // 1987-02-30
        assert_eq!(parse("00000000000"), Err(PeselProblem::Date));
    }
}
