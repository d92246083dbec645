'use strict';
// A Rust panic is an EidplError, never a crash; the addon runs on the system OpenSSL, not Node's.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const eidpl = require('..');
const h = require('./helpers');

test('a panic is an internal_error EidplError, sync and on a worker thread', async () => {
  assert.throws(() => eidpl._panicForTest(), (e) => {
    assert.equal(e.constructor, eidpl.EidplError);
    assert.equal(e.code, 'internal_error');
    assert.match(e.details.panic, /test panic/);
    return true;
  });
  await assert.rejects(eidpl._panicForTestAsync(), (e) => {
    assert.equal(e.code, 'internal_error');
    assert.match(e.details.panic, /worker thread/);
    return true;
  });
  // The process and the addon are still fine.
  const login = await new eidpl.WkServiceProvider(h.settings2018()).validateArtifactResponse(h.response2018(), {
    requestId: h.REQUEST_ID_2018,
    artifactResolveId: h.RESOLVE_ID_2018,
    now: h.NOW_2018,
  });
  assert.equal(login.nameId, 'adminAll');
});

test('the addon binds to the system OpenSSL, not the one inside node', () => {
  const b = eidpl.opensslBinding();
  assert.match(path.basename(b.library), /^libcrypto\.so/, JSON.stringify(b));
  assert.notEqual(fs.realpathSync(b.library), fs.realpathSync(process.execPath));
  assert.match(b.version, /^OpenSSL 3\./);
});

test('without RTLD_DEEPBIND the calls would bind to node itself (why the loader asks for it)', (t) => {
  if (process.config.variables.node_shared_openssl) {
    t.skip('this node uses the shared system OpenSSL: there is no second copy');
    return;
  }
  const addon = path.join(__dirname, '..', `eidpl.${require('../lib/native').platformName()}.node`);
  const script =
    "const os = require('node:os'); const m = { exports: {} };" +
    `process.dlopen(m, ${JSON.stringify(addon)}, os.constants.dlopen.RTLD_NOW);` +
    'process.stdout.write(m.exports.opensslBinding().library);';
  const library = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(fs.realpathSync(library), fs.realpathSync(process.execPath));
});
