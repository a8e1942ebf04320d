import { DapError, ExitCode } from '../common/dap-error.js';
import { fingerprintDifferences, readManifest, type Manifest } from './manifest.js';
import type { RunPlan } from './run-options.js';

const usage = (code: string, message: string) => new DapError(code, ExitCode.usage, message);

/**
 * The saved run of this output, read once the run's lock is held (no other run changes it
 * meanwhile). With --resume: its manifest, checked against this command; otherwise undefined.
 */
export function savedRunToResume(plan: RunPlan): Manifest | undefined {
  if (!plan.resume) return undefined;
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
