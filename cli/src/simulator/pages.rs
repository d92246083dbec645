//! The simulator's HTML: plain forms that work without JavaScript.

use super::engine::{Scenario, Simulator, AUTHENTICATE, METADATA, SSO};
use eidpl::xml::escape;

fn page(title: &str, body: &str) -> String {
    format!(
        concat!(
            "<!DOCTYPE html>\n<html lang=\"pl\"><head><meta charset=\"utf-8\"><title>{t}</title>",
            "<style>body{{font-family:sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem}}",
            "label{{display:block;margin:.4rem 0}}.note{{color:#555;font-size:.9rem}}</style></head>",
            "<body><h1>{t}</h1>{b}<p class=\"note\">eidpl — lokalny symulator Węzła Krajowego (dane testowe, nie prawdziwe osoby)</p></body></html>\n"
        ),
        t = escape(title),
        b = body
    )
}

/// The login page: pick a test citizen and a scenario.
pub(crate) fn picker(sim: &Simulator, request_key: &str, provider: &str) -> String {
    let mut citizens = String::new();
    for (i, t) in sim.citizens().iter().enumerate() {
        let c = &t.citizen;
        citizens.push_str(&format!(
            r#"<label><input type="radio" name="citizen" value="{id}"{checked}> {given} {family}, PESEL {pesel} ({auth})</label>"#,
            id = t.id,
            checked = if i == 0 { " checked" } else { "" },
            given = escape(&c.given_name),
            family = escape(&c.family_name),
            pesel = escape(&c.person_identifier),
            auth = escape(&c.authenticating_authority),
        ));
    }
    let scenarios: String = Scenario::ALL
        .iter()
        .map(|(_, name, what)| {
            format!(
                r#"<option value="{name}">{name} — {}</option>"#,
                escape(what)
            )
        })
        .collect();
    page(
        "Zaloguj się — symulator login.gov.pl",
        &format!(
            concat!(
                "<p>Usługa <strong>{provider}</strong> prosi o potwierdzenie tożsamości.</p>",
                r#"<form method="post" action="{action}"><input type="hidden" name="request" value="{key}">"#,
                "<fieldset><legend>Osoba testowa</legend>{citizens}</fieldset>",
                r#"<label>Scenariusz <select name="scenario">{scenarios}</select></label>"#,
                r#"<button type="submit">Zaloguj</button></form>"#
            ),
            provider = escape(provider),
            action = AUTHENTICATE,
            key = escape(request_key),
            citizens = citizens,
            scenarios = scenarios,
        ),
    )
}

/// An error page naming what was wrong (the integration environment is less helpful).
pub(crate) fn error(title: &str, detail: &str) -> String {
    page(title, &format!("<p><code>{}</code></p>", escape(detail)))
}

/// The start page: endpoints, citizens, scenarios, and how to script a login.
pub(crate) fn index(sim: &Simulator) -> String {
    let citizens: String = sim
        .citizens()
        .iter()
        .map(|t| {
            format!(
                "<li><code>{}</code>: {} {}, PESEL {}, ur. {}</li>",
                t.id,
                escape(&t.citizen.given_name),
                escape(&t.citizen.family_name),
                escape(&t.citizen.person_identifier),
                escape(&t.citizen.date_of_birth)
            )
        })
        .collect();
    let scenarios: String = Scenario::ALL
        .iter()
        .map(|(_, n, w)| format!("<li><code>{n}</code>: {}</li>", escape(w)))
        .collect();
    page(
        "eidpl — symulator Węzła Krajowego",
        &format!(
            concat!(
                "<p>SSO: <code>{sso}</code> · metadata: <a href=\"{md}\">{md}</a></p>",
                "<h2>Osoby testowe</h2><ul>{c}</ul><h2>Scenariusze</h2><ul>{s}</ul>",
                "<p>Scripted logins: POST the form to the SSO URL with extra fields ",
                "<code>eidpl_citizen</code> and <code>eidpl_scenario</code>: the answer is the auto-submitting form to the ACS.</p>"
            ),
            sso = escape(&sim.url(SSO)),
            md = escape(&sim.url(METADATA)),
            c = citizens,
            s = scenarios,
        ),
    )
}
