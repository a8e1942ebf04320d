// Types of bench-math.mjs, for the tests in test/bench.
export interface MakespanRow {
  id: string;
  accounts: number;
  median: number | null;
  ideal: number;
  speedup: number | null;
  vsIdeal: number | null;
}
export interface OverheadRow {
  id: string;
  median: number | null;
  tenantsPerSecond: number | null;
  msPerTenant: number | null;
}
export interface TargetSpec {
  text: string;
  value: number | null | undefined;
  atMost?: number;
  atLeast?: number;
  format?: (value: number) => string;
}
export interface CheckedTarget {
  text: string;
  met: boolean | null;
  value: number | null;
  shown: string;
}
export declare function idealSeconds(tenants: number, accounts: number, options?: { sessionsPerAccount?: number; perTenantSeconds?: number }): number;
export declare function makespanRows(input: {
  tenants: number;
  baseline: string;
  contenders: Array<{ id: string; accounts: number; seconds: number[] }>;
  sessionsPerAccount?: number;
  perTenantSeconds?: number;
}): MakespanRow[];
export declare function overheadRows(input: { tenants: number; contenders: Array<{ id: string; seconds: number[] }> }): OverheadRow[];
export declare function checkTargets(targets: TargetSpec[]): CheckedTarget[];
export declare function makespanTargets(rows: MakespanRow[]): CheckedTarget[];
export declare function overheadTargets(rows: OverheadRow[]): CheckedTarget[];
export declare function describeTargets(checked: CheckedTarget[]): string;
