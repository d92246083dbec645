'use strict';
// Podpis zaufany documents: the generated PZ document verifies, its forged copy does not.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const eidpl = require('..');
const h = require('./helpers');

function options() {
  const o = h.fixtureJson('pz-options.json');
  return { trustAnchors: o.trust_anchors_pem, now: new Date(o.now) };
}

test('the PZ document is valid (async and sync agree)', async () => {
  const doc = fs.readFileSync(h.fixture('pz-document.xml'));
  const report = await eidpl.verifyDocument(doc, options());
  assert.deepEqual(report, eidpl.verifyDocumentSync(doc, options()));
  assert.equal(report.verdict, 'valid');
  assert.equal(report.valid, true);
  assert.equal(report.signatures.length, 1);
  const s = report.signatures[0];
  assert.equal(s.kind, 'pz');
  assert.equal(s.indication, 'TOTAL_PASSED');
  assert.equal(s.pz.pesel, '87022243734');
  assert.equal(s.pz.givenName, 'Jan');
  assert.ok(!Number.isNaN(Date.parse(s.signingTime)));
  assert.ok(!('valid' in JSON.parse(JSON.stringify(report))));
});

test('anchors as an array, a string document', async () => {
  const o = options();
  const report = await eidpl.verifyDocument(fs.readFileSync(h.fixture('pz-document.xml'), 'utf8'), {
    ...o,
    trustAnchors: [Buffer.from(o.trustAnchors)],
  });
  assert.equal(report.verdict, 'valid');
});

test('the forged PZ document is invalid with HASH_FAILURE', async () => {
  const report = await eidpl.verifyDocument(fs.readFileSync(h.fixture('pz-forged.xml')), options());
  assert.equal(report.verdict, 'invalid');
  assert.equal(report.valid, false);
  assert.equal(report.signatures[0].subIndication, 'HASH_FAILURE');
});

test('without anchors the verdict is at best indeterminate', async () => {
  const report = await eidpl.verifyDocument(fs.readFileSync(h.fixture('pz-document.xml')), { now: options().now });
  assert.notEqual(report.verdict, 'valid');
});

test('unreadable documents and options throw the right family', async () => {
  await assert.rejects(eidpl.verifyDocument('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'), {
    name: 'InputError',
    code: 'doctype_forbidden',
  });
  assert.throws(() => eidpl.verifyDocumentSync('<x/>', { trustAnchors: 'not a pem' }), (e) => {
    assert.ok(e instanceof eidpl.ConfigError);
    assert.equal(e.code, 'key_invalid');
    return true;
  });
  assert.throws(() => eidpl.verifyDocumentSync('<x/>', { checkPesel: 'yes' }), TypeError);
  assert.throws(() => eidpl.verifyDocumentSync(null), TypeError);
});

test('verifyDocumentFile streams the file with the same verdicts', async () => {
  const good = h.fixture('pz-document.xml');
  const report = await eidpl.verifyDocumentFile(good, options());
  assert.deepEqual(report, await eidpl.verifyDocument(fs.readFileSync(good), options()));
  assert.deepEqual(eidpl.verifyDocumentFileSync(require('node:url').pathToFileURL(good), options()), report);
  const forged = await eidpl.verifyDocumentFile(h.fixture('pz-forged.xml'), options());
  assert.equal(forged.signatures[0].subIndication, 'HASH_FAILURE');
  const dir = fs.mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'eidpl-'));
  const doctype = require('node:path').join(dir, 'doctype.xml');
  fs.writeFileSync(doctype, '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>');
  await assert.rejects(eidpl.verifyDocumentFile(doctype), { name: 'InputError', code: 'doctype_forbidden' });
  const missing = require('node:path').join(dir, 'missing.xml');
  await assert.rejects(eidpl.verifyDocumentFile(missing), (e) => {
    assert.ok(e instanceof eidpl.ConfigError);
    assert.equal(e.code, 'io_error');
    assert.equal(e.details.path, missing);
    return true;
  });
  assert.throws(() => eidpl.verifyDocumentFileSync(''), TypeError);
  assert.throws(() => eidpl.verifyDocumentFileSync(Buffer.from('x')), TypeError);
  fs.rmSync(dir, { recursive: true });
});
