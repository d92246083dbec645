import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoginResult, Loa, Person, WkServiceProvider, EidplError } from './index';

/** What eidplRouter keeps in `req.session.eidpl` for a logged-in citizen. */
export interface EidplSession {
  nameId: string;
  sessionIndex: string;
  loa: Loa;
  authenticatingAuthority: string | null;
  person: Person;
}

export type ErrorFamily =
  | 'status' | 'signature' | 'validation' | 'decryption' | 'config'
  | 'input' | 'transport' | 'session' | 'relay_state' | 'user';

export interface RouterOptions {
  sp: WkServiceProvider;
  loa?: Loa;
  /** After login without `?next=` (default '/'). */
  loginRedirect?: string;
  /** After logout (default '/'). */
  logoutRedirect?: string;
  /** Return false/null to refuse the citizen, or a value stored as `req.session.user`. */
  onLogin?: (login: LoginResult, req: IncomingMessage) => unknown | Promise<unknown>;
  /** The HTML of the error page. */
  errorPage?: (e: { family: ErrorFamily; code: string; title: string; message: string; error?: unknown }) => string;
  logger?: { warn(message: string): void; error(message: string): void };
}

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/** GET login, POST acs, POST logout, GET metadata: mount with app.use('/eidpl', eidplRouter({ sp })). */
export function eidplRouter(options: RouterOptions): Middleware;
/** Logged-in citizens pass; others are sent to `${loginPath}?next=<this URL>`. */
export function requireLogin(options?: { loginPath?: string }): Middleware;
/** The error family shown to the citizen for an error. */
export function family(error: unknown): ErrorFamily;
export const MESSAGES: Record<ErrorFamily, [title: string, message: string]>;
