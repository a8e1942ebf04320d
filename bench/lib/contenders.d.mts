// Types of contenders.mjs, for the tests in test/bench.
export type ContenderId = 'a' | 'b' | 'c' | 'd' | 'e';
export interface Contender {
  id: ContenderId;
  name: string;
  accounts: number;
}
export interface ContenderPlan {
  command: string;
  env: Record<string, string>;
  out: string;
  stats: { file?: string; summary?: string };
  script?: string;
  parameters?: string[];
}
export interface SessionCounters {
  maxPerAccount: number[];
  rejections: number;
}
export interface ContenderSample {
  seconds: number;
  peakMb: number;
  ok: boolean;
  status: number | null;
  stderr: string;
  check: { ok: boolean; text: string; rows: number };
  sessions: SessionCounters | undefined;
}
export declare const contenders: Record<ContenderId, Contender>;
export declare function contenderCommand(id: string, options: { scenario: string; pwsh: string; dir: string }): ContenderPlan;
export declare function sessionCounters(stats: unknown, accountCount: number): SessionCounters | undefined;
export declare const okSeconds: (samples: ContenderSample[]) => number[];
export declare function describeWall(samples: ContenderSample[]): string;
export declare function describeChecks(samples: ContenderSample[]): string;
export declare function describeSessions(samples: ContenderSample[]): { max: string; rejections: string };
