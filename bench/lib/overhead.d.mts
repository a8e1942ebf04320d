// Types of overhead.mjs, for the tests in test/bench.
import type { OverheadRow } from './bench-math.mjs';
import type { ContenderSample } from './contenders.mjs';
export declare const overheadIds: string[];
export declare function benchOverhead(options: {
  tenants: number;
  runs: number;
  dir: string;
  pwsh: string;
  log: (line: string) => void;
  ids?: string[];
}): Promise<{ section: string; rows: OverheadRow[]; samples: Record<string, ContenderSample[]> }>;
