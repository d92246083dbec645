//! Synthetic test citizens with valid PESELs (never real people).

use eidpl::pesel::{synthesize, Sex};
use eidpl::time::Date;
use eidpl::wk::idp::Citizen;

/// A citizen the simulator can log in, with a short id for scripted selection.
#[derive(Debug, Clone)]
pub(crate) struct TestCitizen {
    pub id: &'static str,
    pub citizen: Citizen,
}

fn person(
    id: &'static str,
    given: &str,
    family: &str,
    (y, m, d): (i32, u8, u8),
    sex: Sex,
    dob_suffix: &str,
    authority: &str,
) -> Option<TestCitizen> {
    let date = Date::new(y, m, d)?;
    let pesel = synthesize(date, 417, sex)?;
    Some(TestCitizen {
        id,
        citizen: Citizen {
            name_id: pesel.clone(),
            given_name: given.to_owned(),
            family_name: family.to_owned(),
            date_of_birth: format!("{date}{dob_suffix}"),
            person_identifier: pesel,
            authenticating_authority: authority.to_owned(),
        },
    })
}

/// The built-in citizens: different authorities, both date-of-birth forms, Polish letters.
pub(crate) fn built_in() -> Vec<TestCitizen> {
    [
        person(
            "jan",
            "Jan",
            "Kowalski",
            (1980, 7, 21),
            Sex::Male,
            "",
            "pz.gov.pl",
        ),
        person(
            "anna",
            "Anna",
            "Nowak",
            (1992, 11, 3),
            Sex::Female,
            "Z",
            "mObywatel",
        ),
        person(
            "lukasz",
            "Łukasz",
            "Żółkiewski",
            (2001, 2, 28),
            Sex::Male,
            "",
            "Bank PKO BP",
        ),
        person(
            "zofia",
            "Zofia",
            "Wiśniewska-Gęś",
            (1956, 5, 14),
            Sex::Female,
            "Z",
            "e-dowód",
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}
