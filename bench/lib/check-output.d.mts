// Types of check-output.mjs, for the tests in test/bench.
export type ExpectedRows = Map<string, { domain: string; rows: number }>;
export declare function expectedRows(scenario: string | Record<string, unknown>): ExpectedRows;
export declare function checkOutput(path: string, expected: ExpectedRows): Promise<{ ok: boolean; text: string; rows: number }>;
