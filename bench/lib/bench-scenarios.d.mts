// Types of bench-scenarios.mjs, for the tests in test/bench.
export interface BenchAccount {
  userName: string;
  password: string;
}
export interface BenchLatency {
  signInMs: number;
  sessionOpenMs: number;
  commandMs: number;
  jitterMs: number;
}
export type BenchScenario = {
  seed: string;
  accounts: BenchAccount[];
  tenantCount: number;
  limits: { maxSessionsPerAccount: number };
  latency: BenchLatency;
  faults: never[];
};
export declare const benchAccounts: readonly BenchAccount[];
export declare const benchSizes: { full: { makespan: number; overhead: number; scale: number }; quick: { makespan: number; overhead: number; scale: number } };
export declare const sessionsPerAccount: number;
export declare const reportDay: string;
export declare const reportName: string;
export declare const makespanLatency: BenchLatency;
export declare const perTenantSeconds: number;
export declare const zeroLatency: BenchLatency;
export declare function makespanScenario(options: { tenants: number; accounts?: number }): BenchScenario;
export declare function overheadScenario(options: { tenants: number }): BenchScenario;
export declare function writeScenario(path: string, scenario: BenchScenario): string;
