'use strict';
// An Express portal logging citizens in through Węzeł Krajowy with eidpl.
//
//   EIDPL_SETTINGS_FILE=eidpl.toml SESSION_SECRET=... node app.js      (PORT, default 3000)
//
// Pages: / (the citizen's name, or "Zaloguj przez login.gov.pl"), /sprawy (logged-in only),
// /eidpl/login, /eidpl/acs, /eidpl/logout, /eidpl/metadata.
const express = require('express');
const session = require('express-session');
const { WkServiceProvider } = require('eidpl');
const { eidplRouter, requireLogin } = require('eidpl/express');

const escapeHtml = (s) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function page(title, body) {
  return `<!DOCTYPE html><html lang="pl"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`;
}

/** The app: `sp` is a WkServiceProvider built once at start-up; `secret` signs the session cookie. */
function createApp({ sp, secret, secureCookies = false }) {
  const app = express();
  app.disable('x-powered-by');
  app.use(
    session({
      secret,
      name: 'portal.sid',
      resave: false,
      saveUninitialized: false,
      // Lax keeps the cookie off WK's cross-site POST; eidplRouter re-POSTs same-site for it.
      cookie: { httpOnly: true, sameSite: 'lax', secure: secureCookies },
    }),
  );
  app.use('/eidpl', eidplRouter({ sp, loa: 'substantial' }));

  app.get('/', (req, res) => {
    const citizen = req.session.eidpl;
    if (!citizen) {
      res.send(page('Gmina Example', '<h1>Gmina Example</h1><p><a id="login" href="/eidpl/login">Zaloguj przez login.gov.pl</a></p>'));
      return;
    }
    const p = citizen.person;
    res.send(
      page(
        'Gmina Example',
        `<h1>Gmina Example</h1><p id="citizen">Zalogowano: ${escapeHtml(p.givenName)} ${escapeHtml(p.familyName)}</p>` +
          '<form method="post" action="/eidpl/logout"><button id="logout" type="submit">Wyloguj</button></form>',
      ),
    );
  });

  app.get('/sprawy', requireLogin(), (req, res) => {
    const p = req.session.eidpl.person;
    res.send(page('Moje sprawy', `<h1>Moje sprawy</h1><p id="citizen">${escapeHtml(p.givenName)} ${escapeHtml(p.familyName)}</p>`));
  });
  return app;
}

module.exports = { createApp };

if (require.main === module) {
  const settingsFile = process.env.EIDPL_SETTINGS_FILE;
  const secret = process.env.SESSION_SECRET;
  if (!settingsFile || !secret) {
    console.error('set EIDPL_SETTINGS_FILE (eidpl settings, docs/wk.md) and SESSION_SECRET');
    process.exit(2);
  }
  const sp = WkServiceProvider.fromFile(settingsFile);
  const port = Number(process.env.PORT || 3000);
  createApp({ sp, secret, secureCookies: process.env.NODE_ENV === 'production' }).listen(port, '127.0.0.1', () =>
    console.log(`portal on http://127.0.0.1:${port}/`),
  );
}
