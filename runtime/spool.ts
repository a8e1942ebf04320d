import { existsSync, mkdirSync, promises as fs, rmSync } from 'node:fs';
import { join } from 'node:path';
import { countCsvRows, normalizePart } from './csv-files.js';
import type { ManifestTenant } from './manifest.js';

/** A tenant's part file, relative to the run directory. */
export function partNameOf(tenantId: string): string {
  return join('parts', `${tenantId.toLowerCase()}.csv`);
}

/** Where a run keeps its state: `<out>.dap-run/` beside the output. */
export class Spool {
  readonly manifestPath: string;
  readonly partsDir: string;

  constructor(readonly dir: string) {
    this.manifestPath = join(dir, 'manifest.json');
    this.partsDir = join(dir, 'parts');
  }

  static forOutput(outPath: string): Spool {
    return new Spool(`${outPath}.dap-run`);
  }

  exists(): boolean {
    return existsSync(this.manifestPath);
  }

  /**
   * Makes the parts folder. A fresh run first discards an earlier run (its manifest and parts),
   * so it cannot pick up that run's parts; the lock and backend state (graph-requests.json) stay.
   */
  create(fresh: boolean): void {
    if (fresh) {
      rmSync(this.manifestPath, { force: true });
      rmSync(this.partsDir, { recursive: true, force: true });
    }
    mkdirSync(this.partsDir, { recursive: true });
  }

  /** Removes what an interrupted or killed run left half written (attempt files). */
  async cleanTemporary(): Promise<void> {
    for (const name of await fs.readdir(this.partsDir).catch(() => [] as string[])) {
      if (name.endsWith('.tmp')) await fs.rm(join(this.partsDir, name), { force: true });
    }
  }

  /** The part file for a tenant, relative to the run directory. */
  partName(tenantId: string): string {
    return partNameOf(tenantId);
  }

  partPath(tenantId: string): string {
    return join(this.dir, this.partName(tenantId));
  }

  /** The temporary name a runner writes to before the part is committed. */
  partTempPath(tenantId: string, attempt: number): string {
    return join(this.partsDir, `.${tenantId.toLowerCase()}.attempt${attempt}.csv.tmp`);
  }

  /**
   * Checks a finished attempt's file (it parses, has the TenantId and TenantDomain columns and the
   * row count the runner reported), rewrites it in the runtime's CSV dialect (see normalizePart)
   * and renames the result to the tenant's part name. The attempt's file is removed.
   */
  async commitPart(tenant: { tenantId: string; domain: string }, tempPath: string, expectedRows: number): Promise<{ part: string; rows: number }> {
    const normalized = `${tempPath}.normalized.tmp`;
    try {
      const { rows } = await normalizePart(tempPath, normalized, tenant);
      if (rows !== expectedRows) throw new Error(`the pwsh host reported ${expectedRows} rows, the file holds ${rows}`);
      await fs.rename(normalized, this.partPath(tenant.tenantId));
      await fs.rm(tempPath, { force: true });
      return { part: this.partName(tenant.tenantId), rows };
    } finally {
      await fs.rm(normalized, { force: true });
    }
  }

  /** True when a tenant recorded as succeeded still has a part file that parses with its row count. */
  async verifyPart(tenant: ManifestTenant): Promise<boolean> {
    if (!tenant.part) return false;
    try {
      const { header, rows } = await countCsvRows(join(this.dir, tenant.part));
      return header.includes('TenantId') && rows === tenant.rows;
    } catch {
      return false;
    }
  }
}
