'use strict';
/**
 * eidpl: log citizens in through Węzeł Krajowy (login.gov.pl) and verify documents signed with
 * podpis zaufany, in-process, over the eidpl Rust core.
 *
 *   const { WkServiceProvider, verifyDocument } = require('eidpl');
 *   const sp = WkServiceProvider.fromFile('eidpl.toml');
 *   const req = sp.authnRequest({ relayState });        // keep req.id in the session, send req.htmlForm
 *   const login = await sp.resolveArtifact(samlArt, { requestId: req.id });
 *   login.person.pesel, login.person.givenName, login.loa
 *   const report = await verifyDocument(xml, { trustAnchors: pem });   // report.verdict === 'valid'
 *
 * Heavy calls return Promises and run on libuv's thread pool; each has a `…Sync` twin for scripts.
 * Every failure is an `EidplError` (or a subclass) with a stable `.code` and a `.details` object.
 */
const errors = require('./lib/errors');
const { loadNative } = require('./lib/native');
const convert = require('./lib/convert');

const native = loadNative();
// Lets fromFile hand a native handle to the constructor; not reachable from outside this module.
const ADOPT = Symbol('eidpl.adopt');
const { call, callAsync } = errors;
const { data, optionalPem, rfc3339 } = convert;

/** Settings as JSON text: plain objects only; values are JSON (paths as strings). */
function settingsJson(settings) {
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) {
    throw new TypeError(`\`settings\` must be an object, got ${convert.describe(settings)}`);
  }
  return JSON.stringify(settings);
}

function text(value, argument) {
  if (typeof value !== 'string') {
    throw new TypeError(`\`${argument}\` must be a string, got ${convert.describe(value)}`);
  }
  return value;
}

function optionalText(value, argument) {
  return value === undefined || value === null ? undefined : text(value, argument);
}

function options(value, argument) {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object') {
    throw new TypeError(`\`${argument}\` must be an object, got ${convert.describe(value)}`);
  }
  return value;
}

function expected(opts) {
  const o = options(opts, 'options');
  return {
    requestId: text(o.requestId, 'requestId'),
    artifactResolveId: optionalText(o.artifactResolveId, 'artifactResolveId'),
    now: rfc3339(o.now),
    minimumLoa: optionalText(o.minimumLoa, 'minimumLoa'),
  };
}

/**
 * A Węzeł Krajowy service provider (DU). Build one per configuration at start-up and share it:
 * it holds the replay cache (one-time IDs are remembered per instance).
 */
class WkServiceProvider {
  #native;

  /**
   * @param settings the schema of docs/wk.md as an object; relative key paths resolve against
   *   `baseDir` (default: the working directory). Throws ConfigError naming a bad setting.
   */
  constructor(settings, opts = {}) {
    if (settings === ADOPT) {
      this.#native = opts;
      return;
    }
    const { baseDir } = options(opts, 'options');
    const json = settingsJson(settings);
    const base = baseDir === undefined || baseDir === null ? undefined : convert.path(baseDir, 'baseDir');
    this.#native = call(() => native.NativeServiceProvider.fromSettings(json, base));
  }

  /** Settings from a `.toml` or `.json` file (relative paths inside: relative to the file). */
  static fromFile(path) {
    const file = convert.path(path, 'path');
    return new WkServiceProvider(ADOPT, call(() => native.NativeServiceProvider.fromFile(file)));
  }

  /**
   * A signed AuthnRequest and WK's auto-POST page: keep `id` in the session, send `htmlForm`.
   * `loa`: 'low', 'substantial' or 'high'; `cspNonce` goes on the page's script element.
   */
  authnRequest({ relayState, loa, cspNonce } = {}) {
    const json = call(() =>
      this.#native.authnRequest(
        optionalText(relayState, 'relayState'),
        optionalText(loa, 'loa'),
        optionalText(cspNonce, 'cspNonce'),
      ),
    );
    return JSON.parse(json);
  }

  /** The signed ArtifactResolve for a `SAMLart`, for hosts doing the HTTP themselves. */
  artifactResolveRequest(artifact) {
    const a = text(artifact, 'artifact');
    return JSON.parse(call(() => this.#native.artifactResolveRequest(a)));
  }

  /** ArtifactResolve over HTTPS to WK and validation of its answer: a Promise of the login. */
  resolveArtifact(artifact, { requestId } = {}) {
    const a = text(artifact, 'artifact');
    const id = text(requestId, 'requestId');
    return callAsync(() => this.#native.resolveArtifactAsync(a, id)).then(convert.login);
  }

  /** `resolveArtifact`, blocking the event loop: for scripts and tests only. */
  resolveArtifactSync(artifact, { requestId } = {}) {
    const a = text(artifact, 'artifact');
    const id = text(requestId, 'requestId');
    return convert.login(call(() => this.#native.resolveArtifact(a, id)));
  }

  /**
   * Validates WK's answer (SOAP envelope, ArtifactResponse or Response) given as a Buffer or a
   * string: a Promise of the verified login. `requestId` is the AuthnRequest's id; `now` a Date or
   * RFC 3339 text (tests and replays of recorded messages). A Buffer is read in place: do not change
   * it until the Promise settles.
   */
  validateArtifactResponse(input, opts) {
    const bytes = data(input, 'data');
    const e = expected(opts);
    return callAsync(() => this.#native.validateArtifactResponseAsync(bytes, e)).then(
      convert.login,
    );
  }

  /** `validateArtifactResponse`, blocking the event loop. */
  validateArtifactResponseSync(input, opts) {
    const bytes = data(input, 'data');
    const e = expected(opts);
    return convert.login(call(() => this.#native.validateArtifactResponse(bytes, e)));
  }

  /** A signed LogoutRequest (SOAP) for the session WK gave (`nameId`, `sessionIndex`). */
  logoutRequest(nameId, sessionIndex) {
    const n = text(nameId, 'nameId');
    const s = text(sessionIndex, 'sessionIndex');
    return JSON.parse(call(() => this.#native.logoutRequest(n, s)));
  }

  /** Validates WK's LogoutResponse to the LogoutRequest `requestId`: a Promise. */
  validateLogoutResponse(input, { requestId } = {}) {
    const bytes = data(input, 'data');
    const id = text(requestId, 'requestId');
    return callAsync(() => this.#native.validateLogoutResponseAsync(bytes, id)).then(
      convert.logout,
    );
  }

  /** `validateLogoutResponse`, blocking the event loop. */
  validateLogoutResponseSync(input, { requestId } = {}) {
    const bytes = data(input, 'data');
    const id = text(requestId, 'requestId');
    return convert.logout(call(() => this.#native.validateLogoutResponse(bytes, id)));
  }

  /** LogoutRequest over HTTPS to WK and validation of its answer: a Promise. */
  logout(nameId, sessionIndex) {
    const n = text(nameId, 'nameId');
    const s = text(sessionIndex, 'sessionIndex');
    return callAsync(() => this.#native.logoutAsync(n, s)).then(convert.logout);
  }

  /** `logout`, blocking the event loop. */
  logoutSync(nameId, sessionIndex) {
    const n = text(nameId, 'nameId');
    const s = text(sessionIndex, 'sessionIndex');
    return convert.logout(call(() => this.#native.logout(n, s)));
  }

  /** The SP's SAML metadata (XML text) to register at WK. */
  metadata() {
    return call(() => this.#native.metadata());
  }
}

function documentOptions(opts) {
  const o = options(opts, 'options');
  const uris = [];
  const blobs = [];
  const detached = o.detachedData ?? {};
  const entries = detached instanceof Map ? [...detached.entries()] : Object.entries(detached);
  for (const [uri, value] of entries) {
    uris.push(String(uri));
    const bytes = data(value, `detachedData[${JSON.stringify(uri)}]`);
    blobs.push(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
  }
  if (o.checkPesel !== undefined && typeof o.checkPesel !== 'boolean') {
    throw new TypeError(`\`checkPesel\` must be a boolean, got ${convert.describe(o.checkPesel)}`);
  }
  return {
    trustAnchors: optionalPem(o.trustAnchors, 'trustAnchors'),
    intermediates: optionalPem(o.intermediates, 'intermediates'),
    crls: optionalPem(o.crls, 'crls'),
    detachedUris: uris,
    detachedData: blobs,
    now: rfc3339(o.now),
    checkPesel: o.checkPesel ?? true,
  };
}

/**
 * Verifies every signature in an XML document (XAdES, podpis zaufany, ePUAP, UPO): a Promise of the
 * report. Trust comes only from `trustAnchors` (PEM: one text with several certificates, or an
 * array); without them the verdict is at best 'indeterminate'. `detachedData` maps a reference URI
 * to its bytes. A document that parses always gives a report: check `report.verdict`.
 */
function verifyDocument(input, opts) {
  const bytes = data(input, 'data');
  const o = documentOptions(opts);
  return callAsync(() => native.verifyDocumentAsync(bytes, o)).then(convert.report);
}

/** `verifyDocument`, blocking the event loop. */
function verifyDocumentSync(input, opts) {
  const bytes = data(input, 'data');
  const o = documentOptions(opts);
  return convert.report(call(() => native.verifyDocument(bytes, o)));
}

function filePath(path) {
  if (typeof path === 'string' && path !== '') return path;
  if (path instanceof URL && path.protocol === 'file:') return require('node:url').fileURLToPath(path);
  throw new TypeError(`\`path\` must be a non-empty string or a file: URL, got ${convert.describe(path)}`);
}

/**
 * `verifyDocument` streaming the document from its file (a large ePUAP document is never in memory
 * whole). A missing or unreadable file is a `ConfigError` with code 'io_error' and `details.path`.
 */
function verifyDocumentFile(path, opts) {
  const p = filePath(path);
  const o = documentOptions(opts);
  return callAsync(() => native.verifyDocumentFileAsync(p, o)).then(convert.report);
}

/** `verifyDocumentFile`, blocking the event loop. */
function verifyDocumentFileSync(path, opts) {
  const p = filePath(path);
  const o = documentOptions(opts);
  return convert.report(call(() => native.verifyDocumentFile(p, o)));
}

module.exports = {
  WkServiceProvider,
  verifyDocument,
  verifyDocumentSync,
  verifyDocumentFile,
  verifyDocumentFileSync,
  EidplError: errors.EidplError,
  InputError: errors.InputError,
  SignatureError: errors.SignatureError,
  ValidationError: errors.ValidationError,
  DecryptionError: errors.DecryptionError,
  ConfigError: errors.ConfigError,
  version: native.nativeVersion(),
  /** Which OpenSSL the addon's calls bind to (docs: "OpenSSL inside Node"). */
  opensslBinding: () => native.opensslBinding(),
  /** @internal tests: a Rust panic inside the boundary. */
  _panicForTest: () => call(() => native._panicForTest()),
  /** @internal tests: a Rust panic on a libuv worker thread. */
  _panicForTestAsync: () => callAsync(() => native._panicForTestAsync()),
};
