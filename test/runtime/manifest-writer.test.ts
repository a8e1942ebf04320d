import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ManifestWriter, type Manifest } from '../../runtime/run/manifest.js';

function manifest(): Manifest {
  return { format: 1, fingerprint: {} as Manifest['fingerprint'], createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '', tenants: [] };
}

describe('ManifestWriter', () => {
  it('a burst of saves shares the pending write, and the file ends with every change', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dap-manifest-')), 'manifest.json');
    let clock = 0;
    const writer = new ManifestWriter(path, manifest(), () => new Date(Date.UTC(2026, 0, 1, 0, 0, clock++)));
    const saves: Array<Promise<void>> = [];
    for (let i = 0; i < 50; i += 1) {
      writer.manifest.tenants.push({ tenantId: `t${i}`, domain: `d${i}.onmicrosoft.com`, state: 'pending', attempts: 0 } as Manifest['tenants'][number]);
      saves.push(writer.save());
    }
    await Promise.all(saves);
    // none had started before the burst ended: all 50 share one write
    expect(new Set(saves).size).toBe(1);
    expect(clock).toBe(1);
    const onDisk = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
    expect(onDisk.tenants.map((t) => t.tenantId)).toEqual(writer.manifest.tenants.map((t) => t.tenantId));
  });

  it('a change made after a save started gets a save of its own', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dap-manifest-')), 'manifest.json');
    const writer = new ManifestWriter(path, manifest());
    await writer.save();
    writer.manifest.tenants.push({ tenantId: 'late', domain: 'late.onmicrosoft.com', state: 'pending', attempts: 0 } as Manifest['tenants'][number]);
    await writer.save();
    expect((JSON.parse(readFileSync(path, 'utf8')) as Manifest).tenants.map((t) => t.tenantId)).toEqual(['late']);
  });

  it('saveSoon writes once per interval however many tenants finish, and save() writes at once what is pending', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dap-manifest-')), 'manifest.json');
    let writes = 0;
    const writer = new ManifestWriter(path, manifest(), () => new Date(Date.UTC(2026, 0, 1, 0, 0, writes++)), 200);
    for (let i = 0; i < 100; i += 1) {
      writer.manifest.tenants.push({ tenantId: `t${i}`, domain: `d${i}.onmicrosoft.com`, state: 'succeeded', attempts: 1 } as Manifest['tenants'][number]);
      writer.saveSoon();
    }
    // the clock is read as the write starts; the file is there once the write has renamed it into place
    await vi.waitFor(() => expect((JSON.parse(readFileSync(path, 'utf8')) as Manifest).tenants).toHaveLength(100), { timeout: 2_000 });
    expect(writes).toBe(1);
    writer.manifest.tenants.push({ tenantId: 'last', domain: 'last.onmicrosoft.com', state: 'succeeded', attempts: 1 } as Manifest['tenants'][number]);
    writer.saveSoon();
    await writer.save();
    expect(writes).toBe(2);
    expect((JSON.parse(readFileSync(path, 'utf8')) as Manifest).tenants.at(-1)?.tenantId).toBe('last');
    // the deferred save was replaced by the explicit one, not added to it
    await new Promise((r) => setTimeout(r, 300));
    expect(writes).toBe(2);
  });
});
