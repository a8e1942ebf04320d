import { DapError, ExitCode } from '../../common/dap-error.js';
import { fingerprintDifferences, readManifest, type Manifest } from './manifest.js';
import type { RunPlan } from './run-plan.js';

const usage = (code: string, message: string) => new DapError(code, ExitCode.usage, message);

/** A saved run is finished when its output was merged (mergedAt) and no tenant is left pending. */
export function isFinished(manifest: Manifest): boolean {
  return manifest.mergedAt !== undefined && manifest.tenants.every((t) => t.state !== 'pending');
}

function unfinished(plan: RunPlan, manifest: Manifest): DapError {
  const pending = manifest.tenants.filter((t) => t.state === 'pending').length;
  const where = pending > 0 ? `${pending} of ${manifest.tenants.length} tenant(s) not run yet` : 'every tenant ran, but no merged output was written';
  return usage(
    'UNFINISHED_RUN',
    `${plan.spool.dir} holds an unfinished run of ${manifest.fingerprint.report} started ${manifest.createdAt} (${where}): add --resume to finish it, or --fresh to discard it`,
  );
}

/**
 * Checks the saved run of this output, once the run's lock is held (no other run changes it
 * meanwhile), and answers the manifest to resume. With --resume: the saved manifest, checked
 * against this command. With --fresh: nothing (the saved run is discarded when the spool is
 * created). Otherwise a finished saved run is replaced, an unfinished one (or one that cannot be
 * read) is a usage error: a new run would throw away the tenants it has done.
 */
export function checkSavedRun(plan: RunPlan): Manifest | undefined {
  if (plan.resume) {
    if (!plan.spool.exists()) {
      throw usage('NO_RUN_TO_RESUME', `--resume: there is no earlier run of ${plan.out} to resume (expected ${plan.spool.manifestPath})`);
    }
    const manifest = readManifest(plan.spool.manifestPath);
    const differences = fingerprintDifferences(manifest.fingerprint, plan.fingerprint);
    if (differences.length > 0) {
      throw usage('RESUME_MISMATCH', `--resume needs the same report, parameters and tenant filters as the run it resumes; ${differences.join('; ')}`);
    }
    return manifest;
  }
  if (plan.fresh || !plan.spool.exists()) return undefined;
  let manifest: Manifest;
  try {
    manifest = readManifest(plan.spool.manifestPath);
  } catch (error) {
    if (error instanceof DapError) throw usage(error.code, `${error.message}\nadd --fresh to discard that run`);
    throw error;
  }
  if (!isFinished(manifest)) throw unfinished(plan, manifest);
  return undefined;
}
