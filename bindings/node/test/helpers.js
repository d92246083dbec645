'use strict';
// Where the tests read from: the interop vectors beside the project (EIDPL_INTEROP, default
// ../shared/interop from the project root), the fixtures of `make c-fixtures` (EIDPL_FIXTURES,
// default target/c-test) and the CLI for the simulator (EIDPL_BIN, default target/debug/eidpl).
const fs = require('node:fs');
const path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');
const os = require('node:os');
const readline = require('node:readline');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const INTEROP = process.env.EIDPL_INTEROP || path.join(ROOT, '..', 'shared', 'interop');
const FIXTURES = process.env.EIDPL_FIXTURES || path.join(ROOT, 'target', 'c-test');
const EIDPL_BIN = process.env.EIDPL_BIN || path.join(ROOT, 'target', 'debug', 'eidpl');

const REQUEST_ID_2018 = 'ID-d136a4ee-a3a3-4392-a055-2e95d44165bc';
const RESOLVE_ID_2018 = 'ID-09a2e477-dd85-4ce2-9420-0d9cc27244df';
const NOW_2018 = new Date('2018-09-13T13:20:00Z');

function settings2018() {
  const d = path.join(INTEROP, 'wk-simulator-2018');
  return {
    sp: {
      entity_id: 'http://localhost.sp.pl',
      acs_url: 'http://localhost:11080/saml-emulator/context',
      encryption_keys: [{ path: path.join(d, 'du_enc_ec.p12'), password: '12345' }],
    },
    idp: { environment: 'simulator', signing_certs: [path.join(d, 'wk_sig_ec.pem')] },
  };
}

const response2018 = () => fs.readFileSync(path.join(INTEROP, 'wk-simulator-2018', 'artifact-response.xml'));

function fixture(name) {
  const file = path.join(FIXTURES, name);
  if (!fs.existsSync(file)) throw new Error(`no ${file}: run \`make c-fixtures\` first`);
  return file;
}

const fixtureJson = (name) => JSON.parse(fs.readFileSync(fixture(name), 'utf8'));

/** The generated WK logins of `make c-fixtures`: [{ answer: Buffer, expected }]. */
function generatedLogins() {
  const out = [];
  for (let i = 0; fs.existsSync(path.join(FIXTURES, `wk-answer-${i}.xml`)); i++) {
    out.push({
      answer: fs.readFileSync(path.join(FIXTURES, `wk-answer-${i}.xml`)),
      expected: fixtureJson(`wk-expected-${i}.json`),
    });
  }
  if (out.length < 2) throw new Error(`no generated logins in ${FIXTURES}: run \`make c-fixtures\``);
  return out;
}

const ENTITY = 'https://gmina.example.pl';

/** `eidpl simulator` on 127.0.0.1 with a freshly generated DU registered for `acsUrl`. */
async function startSimulator(acsUrl) {
  if (!fs.existsSync(EIDPL_BIN)) {
    throw new Error(`no ${EIDPL_BIN}: build the CLI first (cargo build -p eidpl-cli) or set EIDPL_BIN`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eidpl-node-'));
  execFileSync(EIDPL_BIN, ['keys', 'generate', '--entity-id', ENTITY, '--out', path.join(dir, 'du')], {
    stdio: 'ignore',
  });
  fs.writeFileSync(
    path.join(dir, 'simulator.toml'),
    '[simulator]\nartifact_ttl_seconds = 30\n\n[[du]]\n' +
      `entity_id = "${ENTITY}"\nprovider_name = "Gmina Example"\n` +
      'signing_cert = "du/sig_ec.crt"\nencryption_cert = "du/enc_ec.crt"\n' +
      `acs_urls = ["${acsUrl}"]\n`,
  );
  const proc = spawn(
    EIDPL_BIN,
    ['simulator', '--listen', '127.0.0.1:0', '--config', path.join(dir, 'simulator.toml'), '--state-dir', path.join(dir, 'wk')],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const lines = readline.createInterface({ input: proc.stdout });
  const first = await new Promise((resolve, reject) => {
    lines.once('line', resolve);
    proc.once('exit', (code) => reject(new Error(`the simulator exited with ${code}`)));
  });
  const prefix = 'eidpl simulator listening on ';
  if (!first.startsWith(prefix)) throw new Error(`unexpected first line: ${first}`);
  // Keep reading so the pipe never fills.
  lines.on('line', () => {});
  const base = first.slice(prefix.length);
  const d = (f) => path.join(dir, f);
  return {
    base,
    settings: {
      sp: {
        entity_id: ENTITY,
        acs_url: acsUrl,
        provider_name: 'Gmina Example',
        signing_key: d('du/sig_ec.key'),
        signing_cert: d('du/sig_ec.crt'),
        encryption_keys: [d('du/enc_ec.key')],
        encryption_certs: [d('du/enc_ec.crt')],
      },
      idp: {
        environment: 'custom',
        entity_id: 'symulator.eidpl.local',
        signing_certs: [d('wk/wk_sig_ec.crt')],
        sso_url: `${base}/login/SingleSignOnService`,
        artifact_resolution_url: `${base}/login-services/idpArtifactResolutionService`,
        slo_url: `${base}/login-services/singleLogoutService`,
      },
    },
    stop() {
      proc.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The value of a hidden form field in an HTML page. */
function field(page, name) {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(page);
  if (!m) throw new Error(`no ${name} in ${page}`);
  return unescapeHtml(m[1]);
}

function formAction(page) {
  const m = /action="([^"]*)"/.exec(page);
  if (!m) throw new Error(`no form action in ${page}`);
  return unescapeHtml(m[1]);
}

const unescapeHtml = (s) =>
  s.replace(/&(amp|lt|gt|quot|#39|#x27|#x2F|#47);/g, (_, e) =>
    ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", '#x2F': '/', '#47': '/' })[e],
  );

module.exports = {
  ROOT,
  INTEROP,
  FIXTURES,
  REQUEST_ID_2018,
  RESOLVE_ID_2018,
  NOW_2018,
  settings2018,
  response2018,
  fixture,
  fixtureJson,
  generatedLogins,
  startSimulator,
  field,
  formAction,
};
