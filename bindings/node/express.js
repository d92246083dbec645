'use strict';
/**
 * eidpl/express: login through Węzeł Krajowy in an Express (4 or 5) or Connect app.
 *
 *   const session = require('express-session');
 *   const { eidplRouter, requireLogin } = require('eidpl/express');
 *   app.use(session({ secret, resave: false, saveUninitialized: false }));
 *   app.use('/eidpl', eidplRouter({ sp }));          // GET login, POST acs, POST logout, GET metadata
 *   app.get('/sprawy', requireLogin(), (req, res) => res.send(req.session.eidpl.person.givenName));
 *
 * Session keys (express-session or anything with the same API):
 *   eidplLogin  the pending login (request id, RelayState nonce, next URL); one-time, removed at the ACS
 *   eidpl       the logged-in citizen: { nameId, sessionIndex, loa, person, authenticatingAuthority }
 * The session is regenerated at login (no fixation) and destroyed at logout.
 */
const crypto = require('node:crypto');
const { EidplError, SignatureError, DecryptionError, ConfigError, InputError } = require('./index');

const PENDING = 'eidplLogin';
const SESSION = 'eidpl';
const REPOST_FIELD = 'eidpl_repost';
const MAX_FORM_BYTES = 64 * 1024;

// One message per error family (the same texts as eidpl.django); the code is shown beside it.
const MESSAGES = {
  status: [
    'Logowanie nie powiodło się',
    'Węzeł Krajowy (login.gov.pl) zgłosił, że logowanie nie zostało zakończone — np. przerwane lub ' +
      'odrzucone. Spróbuj zalogować się ponownie.',
  ],
  signature: [
    'Odpowiedź nie przeszła weryfikacji podpisu',
    'Odpowiedź Węzła Krajowego nie ma ważnego podpisu i została odrzucona.',
  ],
  validation: [
    'Odpowiedź Węzła Krajowego została odrzucona',
    'Odpowiedź jest nieważna (np. przeterminowana, użyta ponownie lub wystawiona dla innego ' +
      'żądania). Spróbuj zalogować się ponownie.',
  ],
  decryption: [
    'Nie można odszyfrować odpowiedzi',
    'Odpowiedzi Węzła Krajowego nie udało się odszyfrować: klucze portalu nie pasują do tych ' +
      'zarejestrowanych w Węźle Krajowym.',
  ],
  config: [
    'Błąd konfiguracji portalu',
    'Logowanie przez login.gov.pl jest źle skonfigurowane. Administrator znajdzie szczegóły w logach.',
  ],
  input: ['Nieprawidłowe żądanie', 'Przesłane dane logowania są nieprawidłowe.'],
  transport: [
    'Brak połączenia z Węzłem Krajowym',
    'Nie udało się połączyć z login.gov.pl. Spróbuj ponownie za chwilę.',
  ],
  session: [
    'Sesja logowania wygasła',
    'Nie znaleziono rozpoczętego logowania w tej przeglądarce (sesja wygasła albo ciasteczka są ' +
      'zablokowane). Rozpocznij logowanie od nowa.',
  ],
  relay_state: [
    'Odpowiedź nie pasuje do logowania',
    'Odpowiedź Węzła Krajowego nie należy do logowania rozpoczętego w tej przeglądarce.',
  ],
  user: ['Brak dostępu', 'Tożsamość została potwierdzona, ale to konto nie może się zalogować.'],
};

/** The message family of an error (what the citizen is told). */
function family(error) {
  if (!(error instanceof EidplError)) return 'validation';
  if (error.code === 'status_not_success') return 'status';
  if (error instanceof SignatureError) return 'signature';
  if (error instanceof DecryptionError) return 'decryption';
  if (error instanceof ConfigError) return 'config';
  if (error instanceof InputError) return 'input';
  if (error.code === 'http_error') return 'transport';
  return 'validation';
}

const escapeHtml = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function send(res, status, body, type = 'text/html; charset=utf-8') {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', 'no-store');
  res.end(body);
}

function redirect(res, location) {
  res.statusCode = 302;
  res.setHeader('Location', location);
  res.setHeader('Cache-Control', 'no-store');
  res.end();
}

function defaultErrorPage({ family: fam, code }) {
  const [title, message] = MESSAGES[fam] ?? MESSAGES.validation;
  return (
    '<!DOCTYPE html><html lang="pl"><head><meta charset="utf-8">' +
    `<title>${escapeHtml(title)}</title></head><body class="eidpl-error eidpl-error-${escapeHtml(fam)}">` +
    `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>` +
    `<p><small>Kod błędu: <code>${escapeHtml(code)}</code></small></p>` +
    '<p><a href="login">Zaloguj ponownie</a></p></body></html>'
  );
}

/** The URL-encoded POST body: express.urlencoded()'s result when present, else read here. */
function formBody(req) {
  if (req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body)) {
    return Promise.resolve(req.body);
  }
  return new Promise((resolve, reject) => {
    const type = String(req.headers['content-type'] ?? '');
    if (!type.startsWith('application/x-www-form-urlencoded')) {
      resolve({});
      return;
    }
    let size = 0;
    const chunks = [];
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_FORM_BYTES) {
        reject(Object.assign(new Error('form too large'), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')))));
    req.on('error', reject);
  });
}

const sessionCall = (req, method) =>
  new Promise((resolve, reject) => req.session[method]((e) => (e ? reject(e) : resolve())));

/** A same-site path only (no scheme, no host, no `//`, no backslash tricks). */
function safeNext(value) {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) return undefined;
  if (/[\\\u0000-\u001f]/.test(value)) return undefined;
  return value;
}

function sameText(a, b) {
  const x = Buffer.from(String(a));
  const y = Buffer.from(String(b));
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/**
 * The login, ACS, logout and metadata routes as one middleware: mount it with
 * `app.use('/eidpl', eidplRouter({ sp }))`. Needs a session middleware before it.
 *
 * options.sp                   a WkServiceProvider (required; build it once at start-up)
 * options.loa                  the level of assurance to ask for ('substantial' by default at WK)
 * options.loginRedirect        where to go after login without `?next=` (default '/')
 * options.logoutRedirect       where to go after logout (default '/')
 * options.onLogin(login, req)  may return false to refuse the citizen, or an object stored as
 *                              req.session.user (async allowed)
 * options.errorPage({family, code, title, message, error})  HTML of the error page
 * options.logger               { warn, error } (default console)
 */
function eidplRouter(options = {}) {
  const { sp, loa, onLogin, errorPage = defaultErrorPage, logger = console } = options;
  if (!sp || typeof sp.authnRequest !== 'function') {
    throw new TypeError('eidplRouter: `sp` must be a WkServiceProvider');
  }
  const loginRedirect = options.loginRedirect ?? '/';
  const logoutRedirect = options.logoutRedirect ?? '/';

  function fail(res, fam, code, status = 400, error = undefined) {
    const [title, message] = MESSAGES[fam] ?? MESSAGES.validation;
    send(res, status, errorPage({ family: fam, code, title, message, error }));
  }

  async function login(req, res) {
    const url = new URL(req.url, 'http://portal.invalid');
    const nonce = crypto.randomBytes(24).toString('base64url');
    let request;
    try {
      request = sp.authnRequest({ relayState: nonce, loa, cspNonce: res.locals?.cspNonce });
    } catch (e) {
      logger.error(`eidpl: cannot build the AuthnRequest: ${e.message}`);
      fail(res, family(e), e.code ?? 'internal_error', 500, e);
      return;
    }
    req.session[PENDING] = {
      requestId: request.id,
      relayState: nonce,
      next: safeNext(url.searchParams.get('next')),
    };
    await sessionCall(req, 'save');
    send(res, 200, request.htmlForm);
  }

  // WK's cross-site POST of SAMLart. A SameSite=Lax session cookie is not sent with it: when no
  // login is pending and this is not yet the re-POST, answer a page that POSTs the same fields to
  // itself (same-site, with the cookie). The session is not touched on that answer.
  async function acs(req, res) {
    const form = await formBody(req);
    const artifact = typeof form.SAMLart === 'string' ? form.SAMLart : '';
    const relayState = typeof form.RelayState === 'string' ? form.RelayState : '';
    if (!artifact) {
      fail(res, 'input', 'missing_samlart');
      return;
    }
    const pending = req.session?.[PENDING];
    if (!pending) {
      if (form[REPOST_FIELD] !== '1') {
        send(res, 200, repostPage(req.originalUrl ?? req.url, artifact, relayState));
        return;
      }
      fail(res, 'session', 'no_pending_login');
      return;
    }
    if (!sameText(pending.relayState, relayState)) {
      // Keep the pending login: a foreign or stale POST must not cancel the user's real one.
      logger.warn('eidpl: RelayState does not match the pending login');
      fail(res, 'relay_state', 'relay_state_mismatch');
      return;
    }
    delete req.session[PENDING];
    let result;
    try {
      result = await sp.resolveArtifact(artifact, { requestId: pending.requestId });
    } catch (e) {
      await sessionCall(req, 'save');
      logger.warn(`eidpl: login refused: ${e.message}`);
      const fam = family(e);
      fail(res, fam, e.code ?? 'internal_error', fam === 'config' ? 500 : 400, e);
      return;
    }
    let user;
    if (onLogin) {
      user = await onLogin(result, req);
      if (user === false || user === null) {
        await sessionCall(req, 'save');
        fail(res, 'user', 'user_refused', 403);
        return;
      }
    }
    // A new session id for the logged-in citizen (no session fixation).
    await sessionCall(req, 'regenerate');
    req.session[SESSION] = {
      nameId: result.nameId,
      sessionIndex: result.sessionIndex,
      loa: result.loa,
      authenticatingAuthority: result.authenticatingAuthority,
      person: result.person,
    };
    if (user !== undefined && user !== true) req.session.user = user;
    await sessionCall(req, 'save');
    redirect(res, pending.next ?? loginRedirect);
  }

  // POST only, and refused when the browser says it comes from another site (logout CSRF).
  async function logout(req, res) {
    const site = req.headers['sec-fetch-site'];
    if (site === 'cross-site') {
      fail(res, 'input', 'cross_site_logout', 403);
      return;
    }
    const wk = req.session?.[SESSION];
    if (wk) {
      try {
        await sp.logout(wk.nameId, wk.sessionIndex);
      } catch (e) {
        // WK's failure does not keep the citizen logged in here.
        logger.warn(`eidpl: WK logout failed: ${e.message}`);
      }
    }
    if (req.session) await sessionCall(req, 'destroy');
    redirect(res, logoutRedirect);
  }

  function metadata(req, res) {
    send(res, 200, sp.metadata(), 'application/samlmetadata+xml; charset=utf-8');
  }

  const routes = {
    'GET /login': login,
    'POST /acs': acs,
    'POST /logout': logout,
    'GET /metadata': metadata,
  };
  const paths = new Set(Object.keys(routes).map((k) => k.split(' ')[1]));

  return function eidpl(req, res, next) {
    const path = new URL(req.url, 'http://portal.invalid').pathname.replace(/\/+$/, '') || '/';
    const handler = routes[`${req.method} ${path}`];
    if (!handler) {
      if (paths.has(path)) {
        res.setHeader('Allow', Object.keys(routes).filter((k) => k.endsWith(` ${path}`)).map((k) => k.split(' ')[0]).join(', '));
        send(res, 405, 'Method Not Allowed', 'text/plain; charset=utf-8');
        return;
      }
      next();
      return;
    }
    if (!req.session && handler !== metadata) {
      next(new Error('eidplRouter needs a session middleware (express-session) mounted before it'));
      return;
    }
    Promise.resolve(handler(req, res)).catch(next);
  };
}

function repostPage(action, artifact, relayState) {
  const field = (name, value) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  return (
    '<!DOCTYPE html><html lang="pl"><head><meta charset="utf-8"><title>Logowanie…</title></head>' +
    '<body onload="document.forms[0].submit()">' +
    `<form method="post" action="${escapeHtml(action)}">` +
    field('SAMLart', artifact) +
    field('RelayState', relayState) +
    field(REPOST_FIELD, '1') +
    '<noscript><button type="submit">Kontynuuj</button></noscript></form></body></html>'
  );
}

/**
 * Lets logged-in citizens through; others go to the login with `?next=` this URL.
 * `loginPath` is where eidplRouter is mounted plus /login (default '/eidpl/login').
 */
function requireLogin({ loginPath = '/eidpl/login' } = {}) {
  return function eidplRequireLogin(req, res, next) {
    if (req.session?.[SESSION]) {
      next();
      return;
    }
    redirect(res, `${loginPath}?next=${encodeURIComponent(req.originalUrl ?? req.url)}`);
  };
}

module.exports = { eidplRouter, requireLogin, family, MESSAGES };
