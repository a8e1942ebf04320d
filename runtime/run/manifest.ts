import { join } from 'node:path';
import { readBoundedFile, readProblem } from '../../common/bounded-read.js';
import { inputLimits } from '../../common/input-limits.js';
import { z } from 'zod';
import { DapError, ExitCode } from '../../common/dap-error.js';
import { failureCategories } from '../../common/failure-category.js';
import { formatIssues } from '../../common/zod-issues.js';
import { writeFileAtomic } from '../../common/output-path.js';

/** A tenant's part file, relative to the run directory. */
export function partNameOf(tenantId: string): string {
  return join('parts', `${tenantId.toLowerCase()}.csv`);
}

const isoTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'expected an ISO 8601 time such as 2015-03-18T10:00:00.000Z');
const count = z.number().int().min(0);
/** A TenantId names the tenant's part file: no path separators, not . or .. */
const tenantIdSchema = z.string().min(1).refine((id) => !/[/\\\0]/.test(id) && id !== '.' && id !== '..', 'expected a TenantId without / or \\');
const parameterValue = z.union([z.string(), z.number(), z.boolean()]);

/** What makes two runs "the same run": resuming is allowed only when these are equal. */
const fingerprintSchema = z.strictObject({
  report: z.string().min(1),
  parameters: z.array(z.strictObject({ name: z.string().min(1), value: z.union([parameterValue, z.array(parameterValue)]) })),
  tenants: z.array(z.string()),
  exclude: z.array(z.string()),
});

export const tenantStates = ['pending', 'succeeded', 'noData', 'failed'] as const;

const manifestTenantSchema = z
  .strictObject({
    tenantId: tenantIdSchema,
    domain: z.string(),
    /** The initial domain, where the backend connects by it (Exchange: DelegatedOrg); absent: domain. */
    initialDomain: z.string().optional(),
    name: z.string(),
    account: z.string().min(1),
    state: z.enum(tenantStates),
    rows: count,
    attempts: count,
    category: z.enum(failureCategories).optional(),
    message: z.string().optional(),
    warning: z.strictObject({ code: z.enum(['ConcealedNames']), message: z.string() }).optional(),
    durationMs: z.number().min(0).optional(),
    /** The part file, relative to the run directory, when state is succeeded. */
    part: z.string().optional(),
  })
  .refine((t) => t.part === undefined || t.part === partNameOf(t.tenantId), { path: ['part'], message: 'expected the part file parts/<tenantid>.csv of this tenant' });

/** The run manifest, `<out>.dap-run/manifest.json`: what a run is and where each tenant stands. */
export const manifestSchema = z
  .strictObject({
    format: z.literal(1),
    fingerprint: fingerprintSchema,
    createdAt: isoTime,
    updatedAt: isoTime,
    /** Sorted by domain, then TenantId. */
    tenants: z.array(manifestTenantSchema),
    /**
     * When the run's merged output and errors file were written. A run is finished when this is
     * set and no tenant is pending (see saved-run.ts); a run that starts (or resumes) removes it.
     */
    mergedAt: isoTime.optional(),
  })
  .superRefine((manifest, context) => {
    const seen = new Set<string>();
    manifest.tenants.forEach((tenant, index) => {
      const id = tenant.tenantId.toLowerCase();
      if (seen.has(id)) context.addIssue({ code: 'custom', path: ['tenants', index, 'tenantId'], message: `duplicate TenantId '${tenant.tenantId}'` });
      seen.add(id);
    });
  });

export type RunFingerprint = z.infer<typeof fingerprintSchema>;
export type TenantState = (typeof tenantStates)[number];
export type ManifestTenant = z.infer<typeof manifestTenantSchema>;
export type Manifest = z.infer<typeof manifestSchema>;

export function compareTenants(a: { domain: string; tenantId: string }, b: { domain: string; tenantId: string }): number {
  const byDomain = a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0;
  return byDomain || (a.tenantId < b.tenantId ? -1 : a.tenantId > b.tenantId ? 1 : 0);
}

/**
 * Reads and checks a run manifest. A file that cannot be read or is not JSON is
 * RUN_MANIFEST_UNREADABLE, one with bad entries RUN_MANIFEST_INVALID naming each field; both are
 * usage errors (exit 2) naming the file.
 */
export function readManifest(path: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(readBoundedFile(path, inputLimits.runFile));
  } catch (error) {
    const reason = readProblem(error);
    throw new DapError('RUN_MANIFEST_UNREADABLE', ExitCode.usage, `the run manifest ${path} cannot be read: ${reason}`, { cause: error });
  }
  const result = manifestSchema.safeParse(value);
  if (!result.success) {
    const lines = formatIssues(result.error.issues, '(manifest)');
    throw new DapError('RUN_MANIFEST_INVALID', ExitCode.usage, `${path} is not a valid dap-report run manifest:\n  ${lines.join('\n  ')}`, { cause: result.error });
  }
  return result.data;
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

  /** Saves within soonMs, without waiting for it; a failure goes to onError. */
  saveSoon(onError: (error: unknown) => void = () => undefined): void {
    if (this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      this.save().catch(onError);
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

/**
 * Room for the manifest's last save: two copies (the save's temporary file, then the file) of a
 * manifest whose tenants all have a state, a category and a message of up to about 1 KB.
 */
export function manifestReserveBytes(tenants: number): number {
  return 64 * 1024 + tenants * 2 * 1024;
}
