// Types of machine-load.mjs, for the tests in test/bench.
export interface CpuSnapshot {
  busy: number;
  all: number;
  own: number;
}
export declare function cpuSnapshot(): CpuSnapshot | undefined;
export declare function otherCores(start: CpuSnapshot | undefined, end: CpuSnapshot | undefined, cores?: number): number | undefined;
export declare const overlapThreshold: number;
export declare function describeOtherLoad(start: CpuSnapshot | undefined, end: CpuSnapshot | undefined, cores?: number): string | undefined;
