// Types of makespan.mjs, for the tests in test/bench.
import type { MakespanRow } from './bench-math.mjs';
import type { ContenderSample } from './contenders.mjs';
export declare const makespanIds: string[];
export declare function writeMakespanScenarios(dir: string, tenants: number): { one: string; three: string };
export declare function benchMakespan(options: {
  tenants: number;
  runs: number;
  dir: string;
  pwsh: string;
  log: (line: string) => void;
  ids?: string[];
}): Promise<{ section: string; rows: MakespanRow[]; samples: Record<string, ContenderSample[]> }>;
