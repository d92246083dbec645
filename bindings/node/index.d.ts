/// <reference types="node" />
/**
 * eidpl: Węzeł Krajowy (login.gov.pl) login and profil zaufany / XAdES verification.
 * Heavy calls return Promises (run on libuv's thread pool); `…Sync` twins block the event loop.
 */

/** Bytes of a message or document; a string is taken as UTF-8. */
export type Data = Buffer | Uint8Array | ArrayBuffer | string;
/** PEM text or bytes (several certificates in one are fine), or an array of them. */
export type Pem = Data | readonly Data[];
export type Loa = 'low' | 'substantial' | 'high';

/** Something accepted but worth logging. */
export interface ResultWarning {
  code: string;
  message: string;
}

/** The citizen WK vouched for. `pesel` is a valid PESEL or null (`personIdentifier` is verbatim). */
export interface Person {
  personIdentifier: string | null;
  pesel: string | null;
  givenName: string | null;
  familyName: string | null;
  /** YYYY-MM-DD */
  dateOfBirth: string | null;
}

/** A verified WK login. Times are RFC 3339 UTC text. */
export interface LoginResult {
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string;
  loa: Loa;
  authnContextClassRef: string;
  authnInstant: string;
  authenticatingAuthority: string | null;
  assertionId: string;
  notOnOrAfter: string;
  issuer: string;
  person: Person;
  /** Every attribute by its SAML Name (verbatim) → values in document order. */
  attributes: Record<string, string[]>;
  warnings: ResultWarning[];
}

export interface LogoutResult {
  inResponseTo: string;
  /** False when WK reports a partial logout. */
  complete: boolean;
  warnings: ResultWarning[];
}

/** A signed AuthnRequest: keep `id` in the session; send `htmlForm` (auto-POST to WK). */
export interface AuthnRequest {
  id: string;
  xml: string;
  samlRequest: string;
  destination: string;
  relayState: string | null;
  htmlForm: string;
}

/** A signed SOAP request for hosts doing the HTTP themselves: POST `soap` to `url` (text/xml). */
export interface SoapRequest {
  id: string;
  soap: string;
  url: string;
}

export interface Signer {
  subject: string;
  issuer: string;
  serial: string;
  organizationIdentifier: string | null;
  pesel: string | null;
}

export interface PzIdentity {
  dialect: string;
  givenName: string | null;
  familyName: string | null;
  pesel: string | null;
  dateOfBirth: string | null;
  accountId: string | null;
  identityIssuer: string | null;
  other: Record<string, string>;
}

/** One signature (ETSI EN 319 102-1 indication); `children` are its counter-signatures. */
export interface Signature {
  id: string | null;
  indication: 'TOTAL_PASSED' | 'TOTAL_FAILED' | 'INDETERMINATE';
  subIndication: string | null;
  message: string | null;
  kind: 'pz' | 'qualified' | 'advanced' | 'untrusted_pz_claim';
  signingTime: string | null;
  signer: Signer | null;
  chain: string[];
  pz: PzIdentity | null;
  warnings: ResultWarning[];
  children: Signature[];
}

export interface Attachment {
  name: string | null;
  encoding: string;
  covered: boolean;
  signed: boolean;
}

export interface Report {
  verdict: 'valid' | 'invalid' | 'indeterminate';
  /** `pismo_ogolne`, `upo` or `xml`. */
  documentType: string;
  signatures: Signature[];
  attachments: Attachment[];
  upo: Record<string, string> | null;
  warnings: ResultWarning[];
  /** verdict === 'valid' (not enumerable: absent from JSON). */
  readonly valid: boolean;
}

export interface ValidateOptions {
  /** The AuthnRequest's id (kept in the session). */
  requestId: string;
  /** The ArtifactResolve's id, when you sent it yourself. */
  artifactResolveId?: string;
  /** The clock (recorded messages, tests); default now. */
  now?: Date | string;
  /** Refuse logins below this level of assurance. */
  minimumLoa?: Loa;
}

export interface VerifyOptions {
  trustAnchors?: Pem;
  intermediates?: Pem;
  crls?: Pem;
  /** Reference URI → the bytes it points at (detached signatures). */
  detachedData?: Record<string, Data> | Map<string, Data>;
  now?: Date | string;
  /** Check that a PESEL in a PZ identity is valid (default true). */
  checkPesel?: boolean;
}

/** A Węzeł Krajowy service provider (DU): build one per configuration and share it. */
export class WkServiceProvider {
  /** `settings`: the schema of docs/wk.md; relative key paths resolve against `baseDir`. */
  constructor(settings: Record<string, unknown>, options?: { baseDir?: string | URL });
  /** Settings from a `.toml` or `.json` file (relative paths: relative to the file). */
  static fromFile(path: string | URL): WkServiceProvider;
  authnRequest(options?: { relayState?: string; loa?: Loa; cspNonce?: string }): AuthnRequest;
  artifactResolveRequest(artifact: string): SoapRequest;
  resolveArtifact(artifact: string, options: { requestId: string }): Promise<LoginResult>;
  resolveArtifactSync(artifact: string, options: { requestId: string }): LoginResult;
  validateArtifactResponse(data: Data, options: ValidateOptions): Promise<LoginResult>;
  validateArtifactResponseSync(data: Data, options: ValidateOptions): LoginResult;
  logoutRequest(nameId: string, sessionIndex: string): SoapRequest;
  validateLogoutResponse(data: Data, options: { requestId: string }): Promise<LogoutResult>;
  validateLogoutResponseSync(data: Data, options: { requestId: string }): LogoutResult;
  logout(nameId: string, sessionIndex: string): Promise<LogoutResult>;
  logoutSync(nameId: string, sessionIndex: string): LogoutResult;
  metadata(): string;
}

export function verifyDocument(data: Data, options?: VerifyOptions): Promise<Report>;
export function verifyDocumentSync(data: Data, options?: VerifyOptions): Report;
/** Streams the document from its file; a missing file is a `ConfigError` ('io_error'). */
export function verifyDocumentFile(path: string | URL, options?: VerifyOptions): Promise<Report>;
export function verifyDocumentFileSync(path: string | URL, options?: VerifyOptions): Report;

/** Every eidpl failure: `code` is the stable name (docs/errors.md). */
export class EidplError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;
}
/** Empty, not UTF-8, not XML, a DOCTYPE, over a size limit. */
export class InputError extends EidplError {}
/** Missing or bad signature, digest mismatch, refused algorithm or key. */
export class SignatureError extends EidplError {}
/** Well signed but not acceptable: wrong party, expired, replayed, … */
export class ValidationError extends EidplError {}
/** The encrypted assertion could not be decrypted (one uniform error). */
export class DecryptionError extends EidplError {}
/** Settings, options, keys or files: `details.setting` names what to fix. */
export class ConfigError extends EidplError {}

/** The package version. */
export const version: string;

/** Which OpenSSL the addon's calls bind to (see README: "OpenSSL inside Node"). */
export function opensslBinding(): { library: string; version: string; dir: string };
