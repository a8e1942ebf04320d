import { existsSync, mkdirSync, promises as fs, rmSync } from 'node:fs';
import { join } from 'node:path';
import { inspectPart } from '../platform/files/csv-files.js';
import { type ManifestTenant, partNameOf } from './manifest.js';
import { checkOwnFolder, createNewFile } from '../../common/output-path.js';

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
    // the run's own folders, never a link to somewhere else (output-path.ts)
    checkOwnFolder(this.dir, 'the run folder');
    checkOwnFolder(this.partsDir, 'the parts folder of the run');
    if (fresh) {
      rmSync(this.manifestPath, { force: true });
      rmSync(this.partsDir, { recursive: true, force: true });
    }
    mkdirSync(this.partsDir, { recursive: true });
  }

  /**
   * Writes a file of `bytes` that releaseReserve removes: when the disk fills during a run, that
   * space lets the manifest be saved one last time with every tenant done so far.
   */
  async reserve(bytes: number): Promise<void> {
    await fs.rm(this.reservePath, { force: true });
    const handle = await createNewFile(this.reservePath);
    try {
      await handle.writeFile(Buffer.alloc(bytes));
    } finally {
      await handle.close();
    }
  }

  async releaseReserve(): Promise<void> {
    await fs.rm(this.reservePath, { force: true });
  }

  private get reservePath(): string {
    return join(this.dir, 'reserve.bin');
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
   * Checks a finished attempt's file (see inspectPart: it is well-formed CSV with the TenantId and
   * TenantDomain columns, and holds the row count the runner reported) and renames it to the
   * tenant's part name. The file is kept as the runner wrote it: the merge reads that dialect.
   */
  async commitPart(tenant: { tenantId: string; domain: string }, tempPath: string, expectedRows: number): Promise<{ part: string; rows: number }> {
    const { rows } = await inspectPart(tempPath);
    if (rows !== expectedRows) throw new Error(`the runner reported ${expectedRows} rows, the file holds ${rows}`);
    await fs.rename(tempPath, this.partPath(tenant.tenantId));
    return { part: this.partName(tenant.tenantId), rows };
  }

  /** True when a tenant recorded as succeeded still has a part file that parses with its row count. */
  async verifyPart(tenant: ManifestTenant): Promise<boolean> {
    if (!tenant.part) return false;
    try {
      const { rows } = await inspectPart(join(this.dir, tenant.part));
      return rows === tenant.rows;
    } catch {
      return false;
    }
  }
}
