// Compiled with `tsc --noEmit --strict` in `make test-node`: the declarations match real use.
import { readFileSync } from 'node:fs';
import {
  WkServiceProvider,
  verifyDocument,
  verifyDocumentSync,
  verifyDocumentFile,
  verifyDocumentFileSync,
  EidplError,
  SignatureError,
  type LoginResult,
  type Report,
} from 'eidpl';
import { eidplRouter, requireLogin, family, type EidplSession } from 'eidpl/express';

async function main(): Promise<void> {
  const sp = WkServiceProvider.fromFile('eidpl.toml');
  const sp2 = new WkServiceProvider({ sp: { entity_id: 'x' } }, { baseDir: '/etc/eidpl' });
  const req = sp.authnRequest({ relayState: 'r', loa: 'substantial' });
  const id: string = req.id;
  const html: string = req.htmlForm;
  const login: LoginResult = await sp.resolveArtifact('AAQ...', { requestId: id });
  const pesel: string | null = login.person.pesel;
  const sync: LoginResult = sp2.validateArtifactResponseSync(Buffer.from(''), { requestId: id, now: new Date() });
  await sp.validateArtifactResponse('<x/>', { requestId: id, minimumLoa: 'high', now: '2026-01-01T00:00:00Z' });
  const out = await sp.logout(login.nameId, login.sessionIndex);
  const complete: boolean = out.complete;
  const report: Report = await verifyDocument(readFileSync('doc.xml'), { trustAnchors: [readFileSync('ca.pem')] });
  const valid: boolean = report.valid && verifyDocumentSync('<x/>').verdict === 'valid';
  const streamed: Report = await verifyDocumentFile('doc.xml', { trustAnchors: readFileSync('ca.pem') });
  const fromUrl: string = verifyDocumentFileSync(new URL('file:///srv/doc.xml')).verdict;
  const router = eidplRouter({ sp, loa: 'high', onLogin: (l) => l.person.givenName !== null });
  const guard = requireLogin({ loginPath: '/eidpl/login' });
  try {
    sp.metadata();
  } catch (e) {
    if (e instanceof SignatureError) console.log(e.code, e.details);
    if (e instanceof EidplError) console.log(family(e));
  }
  const s: EidplSession | undefined = undefined;
  console.log(html, pesel, sync, complete, valid, router, guard, s);
}

void main;
