export function roleOf(argv: string[]): 'pwsh host' | 'pwsh' | 'node' | 'other';
export interface TreeRun {
  seconds: number;
  ok: boolean;
  status: number | null;
  stderr: string;
  peakTreeMb: number;
  /** Each role's resident memory when the tree peaked. */
  peakByRoleMb: Record<string, number>;
  maxPwsh: number;
  cpu: Record<string, number>;
}
export function runTree(
  command: string,
  args: string[],
  options?: { cwd?: string; env?: NodeJS.ProcessEnv; intervalMs?: number; onSample?: (pids: Array<{ pid: number; role: string }>) => void },
): Promise<TreeRun>;
