'use strict';
// The Express example (examples/express) with eidpl/express against `eidpl simulator`, both over
// HTTP on 127.0.0.1: the portal as `localhost`, WK as `127.0.0.1` (two sites, like the real WK), the
// browser's part done with fetch and a cookie jar that, like a browser, keeps SameSite=Lax cookies
// off WK's cross-site POST to the ACS.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { WkServiceProvider } = require('..');
const h = require('./helpers');

// The example requires 'eidpl' like an app that installed it: resolve it to this package.
const examples = path.join(__dirname, '..', 'examples');
fs.mkdirSync(path.join(examples, 'node_modules'), { recursive: true });
const link = path.join(examples, 'node_modules', 'eidpl');
if (!fs.existsSync(link)) fs.symlinkSync(path.join('..', '..'), link, 'dir');
const { createApp } = require('../examples/express/app');

/** A browser: one cookie jar for the portal; `crossSite` requests leave Lax cookies home. */
class Browser {
  constructor() {
    this.cookies = new Map();
  }

  async fetch(url, { method = 'GET', form, crossSite = false } = {}) {
    const headers = {};
    const jar = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (jar && !crossSite && url.startsWith(this.portal)) headers.cookie = jar;
    let body;
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const res = await fetch(url, { method, headers, body, redirect: 'manual' });
    if (url.startsWith(this.portal)) {
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const at = pair.indexOf('=');
        this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
      }
    }
    return { status: res.status, location: res.headers.get('location'), text: await res.text(), headers: res.headers };
  }
}

let sim;
let server;
let portal;

test.before(async () => {
  server = http.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  portal = `http://localhost:${server.address().port}`;
  sim = await h.startSimulator(`${portal}/eidpl/acs`);
  const app = createApp({ sp: new WkServiceProvider(sim.settings), secret: 'test-secret-not-for-production' });
  server.on('request', app);
});

test.after(() => {
  server?.close();
  server?.closeAllConnections?.();
  sim?.stop();
});

function browser() {
  const b = new Browser();
  b.portal = portal;
  return b;
}

/** The portal's login, its auto-POST to WK (scripted citizen), WK's answer fields for the ACS. */
async function toWk(b, citizen, { scenario = 'success', next } = {}) {
  const r = await b.fetch(`${portal}/eidpl/login${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const action = h.formAction(r.text);
  assert.ok(action.startsWith(sim.base) && action.endsWith('/login/SingleSignOnService'), action);
  const back = await b.fetch(action, {
    method: 'POST',
    form: {
      SAMLRequest: h.field(r.text, 'SAMLRequest'),
      RelayState: h.field(r.text, 'RelayState'),
      eidpl_citizen: citizen,
      eidpl_scenario: scenario,
    },
    crossSite: true,
  });
  assert.equal(back.status, 200, back.text);
  assert.equal(h.formAction(back.text), `${portal}/eidpl/acs`);
  return { SAMLart: h.field(back.text, 'SAMLart'), RelayState: h.field(back.text, 'RelayState') };
}

/** WK's cross-site POST to the ACS (no cookie), then the same-site re-POST the ACS asks for. */
async function acs(b, fields) {
  const first = await b.fetch(`${portal}/eidpl/acs`, { method: 'POST', form: fields, crossSite: true });
  assert.equal(first.status, 200, first.text);
  assert.ok(!first.headers.getSetCookie().length, 'the cross-site POST must not set a cookie');
  assert.equal(h.field(first.text, 'eidpl_repost'), '1');
  return b.fetch(`${portal}${h.formAction(first.text)}`, {
    method: 'POST',
    form: { SAMLart: h.field(first.text, 'SAMLart'), RelayState: h.field(first.text, 'RelayState'), eidpl_repost: '1' },
  });
}

test('login through the simulator, the protected page, then logout', async () => {
  const b = browser();
  let r = await b.fetch(`${portal}/sprawy`);
  assert.equal(r.status, 302);
  assert.equal(r.location, '/eidpl/login?next=%2Fsprawy');
  const fields = await toWk(b, 'jan', { next: '/sprawy' });
  const sidBefore = b.cookies.get('portal.sid');
  assert.ok(sidBefore, 'the pending login is in a session');

  r = await acs(b, fields);
  assert.equal(r.status, 302, r.text);
  assert.equal(r.location, '/sprawy');
  assert.notEqual(b.cookies.get('portal.sid'), sidBefore, 'the session id changes at login');

  r = await b.fetch(`${portal}/sprawy`);
  assert.equal(r.status, 200);
  assert.match(r.text, /<p id="citizen">Jan /);
  r = await b.fetch(`${portal}/`);
  assert.match(r.text, /Zalogowano: Jan /);

  // Logout is POST only; WK ends its session, the portal's session is destroyed.
  assert.equal((await b.fetch(`${portal}/eidpl/logout`)).status, 405);
  r = await b.fetch(`${portal}/eidpl/logout`, { method: 'POST' });
  assert.equal(r.status, 302);
  assert.equal(r.location, '/');
  r = await b.fetch(`${portal}/sprawy`);
  assert.equal(r.status, 302);
  r = await b.fetch(`${portal}/`);
  assert.match(r.text, /Zaloguj przez login\.gov\.pl/);
});

test('another browser is another citizen', async () => {
  const anna = browser();
  await acs(anna, await toWk(anna, 'anna'));
  const jan = browser();
  await acs(jan, await toWk(jan, 'jan'));
  assert.match((await anna.fetch(`${portal}/sprawy`)).text, /Anna/);
  assert.match((await jan.fetch(`${portal}/sprawy`)).text, /Jan/);
});

test("WK's error scenario shows the error page and logs nobody in", async () => {
  const b = browser();
  const r = await acs(b, await toWk(b, 'anna', { scenario: 'authn_failed' }));
  assert.equal(r.status, 400);
  assert.match(r.text, /status_not_success/);
  assert.match(r.text, /Logowanie nie powiodło się/);
  assert.match(r.text, /eidpl-error-status/);
  assert.equal((await b.fetch(`${portal}/sprawy`)).status, 302);
});

test('a forged RelayState is refused and the real answer still completes the login', async () => {
  const b = browser();
  const fields = await toWk(b, 'jan');
  let r = await b.fetch(`${portal}/eidpl/acs`, { method: 'POST', form: { ...fields, RelayState: 'forged' } });
  assert.equal(r.status, 400);
  assert.match(r.text, /relay_state_mismatch/);
  r = await b.fetch(`${portal}/eidpl/acs`, { method: 'POST', form: fields });
  assert.equal(r.status, 302);
  assert.equal((await b.fetch(`${portal}/sprawy`)).status, 200);
});

test("another browser's answer re-POSTed here finds no pending login", async () => {
  const b = browser();
  await b.fetch(`${portal}/`);
  const r = await b.fetch(`${portal}/eidpl/acs`, { method: 'POST', form: { ...(await toWk(browser(), 'anna')), eidpl_repost: '1' } });
  assert.equal(r.status, 400);
  assert.match(r.text, /no_pending_login/);
});

test('the pending login is one-time: the same answer again is refused', async () => {
  const b = browser();
  const fields = await toWk(b, 'jan');
  assert.equal((await b.fetch(`${portal}/eidpl/acs`, { method: 'POST', form: fields })).status, 302);
  const r = await b.fetch(`${portal}/eidpl/acs`, { method: 'POST', form: { ...fields, eidpl_repost: '1' } });
  assert.equal(r.status, 400);
  assert.match(r.text, /no_pending_login/);
});

test('a cross-site logout POST is refused', async () => {
  const b = browser();
  await acs(b, await toWk(b, 'jan'));
  const res = await fetch(`${portal}/eidpl/logout`, {
    method: 'POST',
    headers: { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'sec-fetch-site': 'cross-site' },
    redirect: 'manual',
  });
  assert.equal(res.status, 403);
  assert.equal((await b.fetch(`${portal}/sprawy`)).status, 200);
});

test('the metadata route serves the SP metadata', async () => {
  const r = await browser().fetch(`${portal}/eidpl/metadata`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /samlmetadata\+xml/);
  assert.match(r.text, /EntityDescriptor/);
});
