'use strict';
// Węzeł Krajowy: the real 2018 simulator message, forgeries, replay, settings and requests.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const util = require('node:util');
const eidpl = require('..');
const h = require('./helpers');

const sp2018 = () => new eidpl.WkServiceProvider(h.settings2018());
const opts = (extra = {}) => ({
  requestId: h.REQUEST_ID_2018,
  artifactResolveId: h.RESOLVE_ID_2018,
  now: h.NOW_2018,
  ...extra,
});

/** Sync and async must agree, errors included: runs both and returns the async outcome. */
async function both(make, data, extra) {
  let syncOutcome;
  try {
    syncOutcome = { value: make().validateArtifactResponseSync(data, opts(extra)) };
  } catch (e) {
    syncOutcome = { error: e };
  }
  let asyncOutcome;
  try {
    asyncOutcome = { value: await make().validateArtifactResponse(data, opts(extra)) };
  } catch (e) {
    asyncOutcome = { error: e };
  }
  assert.deepEqual(asyncOutcome.value, syncOutcome.value);
  assert.equal(asyncOutcome.error?.code, syncOutcome.error?.code);
  assert.equal(asyncOutcome.error?.constructor, syncOutcome.error?.constructor);
  if (asyncOutcome.error) throw asyncOutcome.error;
  return asyncOutcome.value;
}

test('the 2018 simulator message gives the published identity', async () => {
  const login = await both(sp2018, h.response2018());
  assert.equal(login.nameId, 'adminAll');
  assert.equal(login.sessionIndex, '_ID-6ed12bfb-60f9-41bf-afdd-0ab87aec4150');
  assert.equal(login.loa, 'substantial');
  assert.equal(login.issuer, 'localhost.wk.gov.pl');
  assert.equal(login.authenticatingAuthority, 'pz.gov.pl');
  assert.equal(new Date(login.authnInstant).toISOString(), '2018-09-13T13:17:51.395Z');
  assert.deepEqual({ ...login.person }, {
    personIdentifier: '87022243734',
    pesel: '87022243734',
    givenName: 'Roch',
    familyName: 'Apitz',
    dateOfBirth: '1987-02-22',
  });
  const np = 'http://eidas.europa.eu/attributes/naturalperson';
  assert.deepEqual(login.attributes[`${np}/CurrentGivenName`], ['Roch']);
  assert.deepEqual(login.warnings, []);
  // Logs see the identifiers masked; JSON (sessions) keeps them whole.
  const shown = util.inspect(login, { depth: 5 });
  assert.match(shown, /Roch/);
  assert.doesNotMatch(shown, /87022243734/);
  assert.equal(JSON.parse(JSON.stringify(login)).person.pesel, '87022243734');
});

test('string, Uint8Array and RFC 3339 inputs work', async () => {
  const bytes = h.response2018();
  for (const data of [bytes.toString('utf8'), new Uint8Array(bytes), bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)]) {
    const login = await sp2018().validateArtifactResponse(data, opts({ now: '2018-09-13T13:20:00Z' }));
    assert.equal(login.nameId, 'adminAll');
  }
});

test('one changed byte is digest_mismatch, a SignatureError', async () => {
  const good = h.response2018();
  const needle = Buffer.from('<saml2:Issuer>localhost.wk.gov.pl<');
  const at = good.indexOf(needle) + needle.length - 2;
  const forged = Buffer.from(good);
  forged[at] = 'k'.charCodeAt(0);
  assert.notDeepEqual(forged, good);
  await assert.rejects(both(sp2018, forged), (e) => {
    assert.ok(e instanceof eidpl.SignatureError && e instanceof eidpl.EidplError && e instanceof Error);
    assert.equal(e.code, 'digest_mismatch');
    assert.equal(e.name, 'SignatureError');
    assert.equal(typeof e.details, 'object');
    assert.match(e.message, /^digest_mismatch: /);
    return true;
  });
});

// attack: replay
test('the second use of a message is a replay', async () => {
  const sp = sp2018();
  await sp.validateArtifactResponse(h.response2018(), opts());
  await assert.rejects(sp.validateArtifactResponse(h.response2018(), opts()), (e) => {
    assert.ok(e instanceof eidpl.ValidationError);
    assert.equal(e.code, 'replay_detected');
    return true;
  });
  assert.throws(() => sp.validateArtifactResponseSync(h.response2018(), opts()), { code: 'replay_detected' });
});

test('time and parties are checked', async () => {
  const cases = [
    [{ now: new Date('2018-09-13T14:10:00Z') }, 'expired'],
    [{ now: new Date('2018-09-13T13:10:00Z') }, 'not_yet_valid'],
    [{ requestId: 'ID-other' }, 'in_response_to_mismatch'],
    [{ artifactResolveId: 'ID-other' }, 'in_response_to_mismatch'],
    [{ minimumLoa: 'high' }, 'loa_insufficient'],
  ];
  for (const [extra, code] of cases) {
    await assert.rejects(both(sp2018, h.response2018(), extra), (e) => {
      assert.ok(e instanceof eidpl.ValidationError, `${code}: ${e}`);
      assert.equal(e.code, code, JSON.stringify(extra));
      return true;
    });
  }
});

test('garbage is an InputError, wrong types a TypeError', async () => {
  await assert.rejects(sp2018().validateArtifactResponse(Buffer.from('<not xml'), opts()), (e) => {
    assert.ok(e instanceof eidpl.InputError);
    assert.equal(e.code, 'xml_malformed');
    return true;
  });
  assert.throws(() => sp2018().validateArtifactResponseSync('<!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>', opts()), {
    name: 'InputError',
    code: 'doctype_forbidden',
  });
  assert.throws(() => sp2018().validateArtifactResponseSync('<a/>', opts({ requestId: ' ' })), {
    code: 'invalid_input',
  });
  assert.throws(() => sp2018().validateArtifactResponseSync(42, opts()), TypeError);
  assert.throws(() => sp2018().validateArtifactResponseSync('<a/>', {}), TypeError);
  assert.throws(() => sp2018().validateArtifactResponseSync('<a/>', opts({ now: 7 })), TypeError);
  await assert.rejects(sp2018().validateArtifactResponse('<a/>', opts({ now: 'yesterday' })), {
    name: 'ConfigError',
    code: 'config_invalid',
  });
});

test('bad settings name the key', () => {
  const s = h.settings2018();
  s.sp.entity_idd = 'typo';
  assert.throws(() => new eidpl.WkServiceProvider(s), (e) => {
    assert.ok(e instanceof eidpl.ConfigError);
    assert.equal(e.code, 'config_invalid');
    assert.match(String(e.details.setting), /entity_idd/);
    return true;
  });
  const t = h.settings2018();
  delete t.sp.acs_url;
  assert.throws(() => new eidpl.WkServiceProvider(t), (e) => e.details.setting === 'sp.acs_url');
  assert.throws(() => eidpl.WkServiceProvider.fromFile('/nonexistent/eidpl.toml'), eidpl.ConfigError);
  assert.throws(() => new eidpl.WkServiceProvider('not an object'), TypeError);
});

test('requests and metadata from the generated setup', () => {
  const sp = eidpl.WkServiceProvider.fromFile(h.fixture('wk-settings.json'));
  const viaUrl = eidpl.WkServiceProvider.fromFile(new URL(`file://${h.fixture('wk-settings.json')}`));
  assert.ok(viaUrl instanceof eidpl.WkServiceProvider);
  const req = sp.authnRequest({ relayState: 'abc', loa: 'high' });
  assert.ok(req.id);
  assert.equal(req.relayState, 'abc');
  assert.match(req.htmlForm, /<form/);
  assert.ok(req.samlRequest && req.destination && req.xml.includes('AuthnRequest'));
  assert.throws(() => sp.authnRequest({ loa: 'very high' }), (e) => e instanceof eidpl.ConfigError && e.details.setting === 'loa');
  const ar = sp.artifactResolveRequest('AAQAAMFbLinlXaCM+FIxiDwGOLAy2T71gbV1xH8hgQ==');
  assert.ok(ar.id && ar.soap.includes('ArtifactResolve') && ar.url);
  assert.throws(() => sp.artifactResolveRequest('not base64 !'), eidpl.InputError);
  const lr = sp.logoutRequest('obywatel-0', '_session');
  assert.ok(lr.soap.includes('LogoutRequest') && lr.url.startsWith('https://'));
  assert.match(sp.metadata(), /EntityDescriptor/);
  assert.match(eidpl.version, /^\d+\.\d+\.\d+/);
  assert.equal(eidpl.version, require('../package.json').version);
});

test('the generated logins validate, sync and async alike', async () => {
  for (const { answer, expected } of h.generatedLogins()) {
    const make = () => eidpl.WkServiceProvider.fromFile(h.fixture('wk-settings.json'));
    const o = { requestId: expected.authn_request_id, artifactResolveId: expected.artifact_resolve_id, now: expected.now };
    const a = make().validateArtifactResponseSync(answer, o);
    const b = await make().validateArtifactResponse(answer, o);
    assert.deepEqual(b, a);
    assert.ok(a.person.givenName);
  }
});

test('no WK server is an http_error (plain EidplError), async and sync', async () => {
  const s = JSON.parse(require('node:fs').readFileSync(h.fixture('wk-settings.json'), 'utf8'));
  s.idp = {
    environment: 'custom',
    entity_id: 'int.login.gov.pl',
    signing_certs: s.idp.signing_certs,
    artifact_resolution_url: 'http://127.0.0.1:9/wk/ar',
    slo_url: 'http://127.0.0.1:9/wk/slo',
  };
  const sp = new eidpl.WkServiceProvider(s, { baseDir: path.dirname(h.fixture('wk-settings.json')) });
  const art = 'AAQAAMFbLinlXaCM+FIxiDwGOLAy2T71gbV1xH8hgQ==';
  await assert.rejects(sp.resolveArtifact(art, { requestId: 'ID-x' }), (e) => {
    assert.equal(e.code, 'http_error');
    assert.equal(e.constructor, eidpl.EidplError);
    return true;
  });
  assert.throws(() => sp.resolveArtifactSync(art, { requestId: 'ID-x' }), { code: 'http_error' });
  await assert.rejects(sp.logout('obywatel-0', '_s'), { code: 'http_error' });
});
