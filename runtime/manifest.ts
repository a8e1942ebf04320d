import { readFileSync } from 'node:fs';
import type { FailureCategory } from '../common/failure-category.js';
import type { JobParameter } from './runner-types.js';
import { writeFileAtomic } from './atomic-file.js';

/** What makes two runs "the same run": resuming is allowed only when these are equal. */
export interface RunFingerprint {
  report: string;
  parameters: Array<Pick<JobParameter, 'name' | 'value'>>;
  tenants: string[];
  exclude: string[];
}

export type TenantState = 'pending' | 'succeeded' | 'noData' | 'failed';

export interface ManifestTenant {
  tenantId: string;
  domain: string;
  name: string;
  account: string;
  state: TenantState;
  rows: number;
  attempts: number;
  category?: FailureCategory;
  message?: string;
  durationMs?: number;
  /** The part file, relative to the run directory, when state is succeeded. */
  part?: string;
}

export interface Manifest {
  format: 1;
  fingerprint: RunFingerprint;
  createdAt: string;
  updatedAt: string;
  /** Sorted by domain, then TenantId. */
  tenants: ManifestTenant[];
}

export function compareTenants(a: { domain: string; tenantId: string }, b: { domain: string; tenantId: string }): number {
  const byDomain = a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0;
  return byDomain || (a.tenantId < b.tenantId ? -1 : a.tenantId > b.tenantId ? 1 : 0);
}

export function readManifest(path: string): Manifest {
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  if (manifest.format !== 1 || !Array.isArray(manifest.tenants) || typeof manifest.fingerprint !== 'object') {
    throw new Error(`${path} is not a dap-report run manifest (format 1)`);
  }
  return manifest;
}

/** Differences between two fingerprints, as "field: was X, now Y" lines; empty when they match. */
export function fingerprintDifferences(saved: RunFingerprint, current: RunFingerprint): string[] {
  const fields: Array<keyof RunFingerprint> = ['report', 'parameters', 'tenants', 'exclude'];
  const show = (value: unknown) =>
    Array.isArray(value)
      ? value.map((v) => (typeof v === 'object' && v !== null && 'name' in v ? `${v.name}=${String(v.value)}` : String(v))).join(' ') || '(none)'
      : String(value);
  return fields
    .filter((field) => JSON.stringify(saved[field]) !== JSON.stringify(current[field]))
    .map((field) => `${field}: the run used ${show(saved[field])}, this command gives ${show(current[field])}`);
}

/**
 * Saves the manifest atomically; saves are serialised so the file on disk is always a complete
 * state, and when save() resolves it holds every change made before the call. saveSoon() is for
 * the stream of finished tenants: at most one write per `soonMs`, since a tenant the file does not
 * name yet (its part is committed first) only runs again on --resume.
 */
export class ManifestWriter {
  private chain: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;
  private soon: NodeJS.Timeout | undefined;

  constructor(
    readonly path: string,
    readonly manifest: Manifest,
    private readonly now: () => Date = () => new Date(),
    private readonly soonMs = 500,
  ) {}

  /** Saves within soonMs, without waiting for it; a failure shows again at the next save(), which writes the same state. */
  saveSoon(): void {
    if (this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      this.save().catch(() => undefined);
    }, this.soonMs);
  }

  save(): Promise<void> {
    if (this.soon) {
      clearTimeout(this.soon);
      this.soon = undefined;
    }

    // A save that has not started yet will write the latest state anyway: later callers share it,
    // so a burst of changes costs one write, not one per change.
    if (this.queued) return this.queued;
    const next = this.chain.then(async () => {
      this.queued = undefined;
      this.manifest.updatedAt = this.now().toISOString();
      await writeFileAtomic(this.path, `${JSON.stringify(this.manifest, null, 2)}\n`);
    });
    this.queued = next;
    this.chain = next.catch(() => undefined);
    return next;
  }

  tenant(tenantId: string): ManifestTenant {
    const found = this.manifest.tenants.find((t) => t.tenantId === tenantId);
    if (!found) throw new Error(`tenant ${tenantId} is not in the run manifest`);
    return found;
  }
}
