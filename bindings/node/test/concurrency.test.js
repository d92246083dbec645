'use strict';
// 100 validations at once on libuv's thread pool: the same results as one at a time, and the
// event loop keeps running meanwhile (a 1 ms timer keeps firing).
const test = require('node:test');
const assert = require('node:assert/strict');
const eidpl = require('..');
const h = require('./helpers');

const JOBS = 100;

test('100 concurrent async validations, event loop responsive', async () => {
  const logins = h.generatedLogins();
  const settings = h.fixture('wk-settings.json');
  const jobs = Array.from({ length: JOBS }, (_, i) => logins[i % logins.length]);
  const args = ({ expected: e }) => ({ requestId: e.authn_request_id, artifactResolveId: e.artifact_resolve_id, now: e.now });
  // One service provider per job: the same answer twice on one SP would be a replay.
  const reference = jobs.map((j) => eidpl.WkServiceProvider.fromFile(settings).validateArtifactResponseSync(j.answer, args(j)));
  const sps = jobs.map(() => eidpl.WkServiceProvider.fromFile(settings));

  let ticks = 0;
  let settled = 0;
  let ticksBeforeLast = 0;
  const timer = setInterval(() => {
    ticks++;
  }, 1);
  const started = Date.now();
  const results = await Promise.all(
    jobs.map((j, i) =>
      sps[i].validateArtifactResponse(j.answer, args(j)).then((r) => {
        settled++;
        if (settled === JOBS - 1) ticksBeforeLast = ticks;
        return r;
      }),
    ),
  );
  const elapsed = Date.now() - started;
  clearInterval(timer);

  assert.deepEqual(results, reference);
  assert.equal(new Set(results.map((r) => r.person.givenName)).size, Math.min(JOBS, logins.length));
  // While the batch ran (at least a few ms of crypto on 4 pool threads), the main thread was free.
  assert.ok(elapsed > 0);
  assert.ok(ticksBeforeLast >= 2, `the timer fired ${ticksBeforeLast} times in ${elapsed} ms before the last result`);
});

test('one shared service provider, many citizens at once', async () => {
  const logins = h.generatedLogins();
  const sp = eidpl.WkServiceProvider.fromFile(h.fixture('wk-settings.json'));
  const got = await Promise.all(
    logins.map(({ answer, expected: e }) =>
      sp.validateArtifactResponse(answer, { requestId: e.authn_request_id, artifactResolveId: e.artifact_resolve_id, now: e.now }),
    ),
  );
  assert.deepEqual(
    got.map((r) => r.nameId),
    logins.map(({ answer, expected: e }) =>
      eidpl.WkServiceProvider.fromFile(h.fixture('wk-settings.json')).validateArtifactResponseSync(answer, {
        requestId: e.authn_request_id,
        artifactResolveId: e.artifact_resolve_id,
        now: e.now,
      }).nameId,
    ),
  );
  // Every answer was consumed once: the replay cache is shared by the concurrent calls.
  const { answer, expected: e } = logins[0];
  await assert.rejects(
    sp.validateArtifactResponse(answer, { requestId: e.authn_request_id, artifactResolveId: e.artifact_resolve_id, now: e.now }),
    { code: 'replay_detected' },
  );
});
