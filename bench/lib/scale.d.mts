export const scaleAccounts: number;
export const scaleMemoryLimitMb: number;
export function scaleScenario(options: { tenants: number }): Record<string, unknown>;
export function benchScale(options: { tenants: number; runs: number; dir: string; pwsh: string; log: (line: string) => void; dotnetTrace?: string }): Promise<{ section: string }>;
