'use strict';
// The error classes and the conversion of the addon's error envelope into them.

const PREFIX = 'EIDPL_ERROR:';

/** Every eidpl failure: `.code` is the stable name (docs/errors.md), `.details` an object. */
class EidplError extends Error {
  constructor(code, message, details = {}) {
    super(`${code}: ${message}`);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** The input is unusable: empty, not UTF-8, not XML, a DOCTYPE, over a size limit. */
class InputError extends EidplError {}
/** A signature is missing or does not verify, a digest differs, an algorithm or key is refused. */
class SignatureError extends EidplError {}
/** A well-signed message that is not acceptable: wrong party, expired, replayed, ... */
class ValidationError extends EidplError {}
/** The encrypted assertion could not be decrypted (one uniform error, by design). */
class DecryptionError extends EidplError {}
/** Settings, options, keys or files of the setup: `.details.setting` names what to fix. */
class ConfigError extends EidplError {}

// The same table as the Python, PHP, C# and Java bindings.
const FAMILY = new Map();
for (const [cls, codes] of [
  [InputError, ['invalid_input', 'xml_malformed', 'doctype_forbidden', 'limit_exceeded']],
  [
    SignatureError,
    [
      'signature_missing',
      'signature_invalid',
      'digest_mismatch',
      'algorithm_not_allowed',
      'reference_invalid',
      'key_not_trusted',
      'c14n_failed',
    ],
  ],
  [ConfigError, ['key_invalid', 'config_invalid', 'io_error']],
  [DecryptionError, ['decryption_failed']],
  [
    ValidationError,
    [
      'duplicate_id',
      'profile_violation',
      'status_not_success',
      'issuer_mismatch',
      'audience_mismatch',
      'recipient_mismatch',
      'destination_mismatch',
      'in_response_to_mismatch',
      'expired',
      'not_yet_valid',
      'replay_detected',
      'loa_insufficient',
      'chain_invalid',
    ],
  ],
]) {
  for (const code of codes) FAMILY.set(code, cls);
}

/** The EidplError for an addon error; any other error is returned unchanged. */
function fromNative(error) {
  const message = error && typeof error.message === 'string' ? error.message : '';
  if (!message.startsWith(PREFIX)) return error;
  let envelope;
  try {
    envelope = JSON.parse(message.slice(PREFIX.length));
  } catch {
    return error;
  }
  // http_error, internal_error and codes newer than this table: the base class.
  const Cls = FAMILY.get(envelope.code) ?? EidplError;
  return new Cls(String(envelope.code), String(envelope.message), envelope.details ?? {});
}

/** Runs a synchronous addon call; its error is thrown as the matching EidplError. */
function call(body) {
  try {
    return body();
  } catch (e) {
    throw fromNative(e);
  }
}

/** Starts an asynchronous addon call; its rejection becomes the matching EidplError. */
function callAsync(start) {
  let promise;
  try {
    promise = start();
  } catch (e) {
    return Promise.reject(fromNative(e));
  }
  return promise.catch((e) => {
    throw fromNative(e);
  });
}

module.exports = {
  EidplError,
  InputError,
  SignatureError,
  ValidationError,
  DecryptionError,
  ConfigError,
  call,
  callAsync,
  fromNative,
};
