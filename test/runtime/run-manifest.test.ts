import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DapError } from '../../common/dap-error.js';
import type { Manifest } from '../../runtime/run/manifest.js';
import { harness, makeTenants, USER } from './fakes.js';

const base = (out: string) => ['run', '--report', 'MailboxActivityReport', '--param', 'ReportType=Daily', '--user', USER, '--out', out];

type Edit = (m: Record<string, any>) => void;

/** [what, how the saved manifest is spoiled, the field the message must name] */
const badManifests: Array<[string, Edit, RegExp]> = [
  ['a tenant that is null', (m) => (m.tenants[1] = null), /tenants\.1: /],
  ['an unknown state', (m) => (m.tenants[0].state = 'done'), /tenants\.0\.state: /],
  ['rows as text', (m) => (m.tenants[2].rows = '3'), /tenants\.2\.rows: /],
  ['negative attempts', (m) => (m.tenants[0].attempts = -1), /tenants\.0\.attempts: /],
  ['a part outside the run directory', (m) => (m.tenants[0].part = '../../etc/passwd'), /tenants\.0\.part: expected the part file/],
  ['a TenantId with a slash', (m) => (m.tenants[0].tenantId = '../x'), /tenants\.0\.tenantId: /],
  ['a duplicate TenantId', (m) => (m.tenants[1].tenantId = m.tenants[0].tenantId), /tenants\.1\.tenantId: duplicate TenantId/],
  ['an unknown category', (m) => (m.tenants[0].category = 'Gremlins'), /tenants\.0\.category: /],
  ['no fingerprint', (m) => delete m.fingerprint, /fingerprint: /],
  ['parameters not a list', (m) => (m.fingerprint.parameters = 'ReportType=Daily'), /fingerprint\.parameters: /],
  ['tenants not a list', (m) => (m.tenants = {}), /tenants: /],
  ['another format', (m) => (m.format = 2), /format: /],
  ['a bad time', (m) => (m.updatedAt = 'yesterday'), /updatedAt: /],
  ['an unknown field', (m) => (m.colour = 'blue'), /\(manifest\): unknown field\(s\) 'colour'/],
];

describe('a saved manifest with bad entries is a usage error naming the file and the field', () => {
  it.each(badManifests)('%s', async (_what, edit, field) => {
    let h = harness({ tenants: makeTenants(3) });
    const out = join(h.deps.cwd, 'out.csv');
    expect(await h.run([...base(out), '--keep-spool'])).toBe(0);
    const path = join(`${out}.dap-run`, 'manifest.json');
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
    manifest.tenants[0]!.state = 'pending'; // an unfinished run, so --resume has something to do
    edit(manifest);
    writeFileSync(path, JSON.stringify(manifest));

    h = harness({ tenants: makeTenants(3), cwd: h.deps.cwd });
    const error = await h.run([...base(out), '--resume']).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DapError);
    expect(error).toMatchObject({ code: 'RUN_MANIFEST_INVALID', exitCode: 2 });
    expect((error as DapError).message).toContain(path);
    expect((error as DapError).message).toMatch(field);
    expect(h.openExchangeHost).not.toHaveBeenCalled();
  });
});
