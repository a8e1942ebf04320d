// Types of results-file.mjs, for the tests in test/bench.
export type SectionId = 'B1' | 'B2' | 'B3' | 'B4';
export declare const sectionIds: SectionId[];
export declare const sectionTitles: Record<SectionId, string>;
export declare function selectedSections(argv: string[]): SectionId[];
export declare function splitSections(text: string): Map<SectionId, string>;
export declare function previousRuns(text: string): Map<SectionId, string>;
export declare function describeRun(run: { quick: boolean; only: string[] | undefined; started: Date; pwsh: string }): string;
export declare function composeResults(input: {
  intro: string[];
  measured: Map<string, { text: string; note?: string }>;
  run: string;
  previous: string;
}): string;
