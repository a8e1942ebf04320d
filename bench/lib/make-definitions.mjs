// Writes N synthetic report definition files for the generator benchmark.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const definitionModule = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'generator', 'report-definition.js');

export function writeDefinitions(dir, count) {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i += 1) {
    const name = `SyntheticUsage${String(i).padStart(3, '0')}Report`;
    writeFileSync(
      join(dir, `synthetic-${i}.ts`),
      `import type { ReportDefinition } from ${JSON.stringify(definitionModule)};

export const synthetic${i} = {
  name: '${name}',
  summary: 'Synthetic report number ${i} for the generator benchmark.',
  description: 'Runs Get-MailboxUsageReport with a few parameters of every supported type, to measure generation time.',
  source: { kind: 'exchange', cmdlet: 'Get-MailboxUsageReport' },
  parameters: [
    { name: 'StartDate', type: 'Date', help: 'First day.' },
    { name: 'EndDate', type: 'Date', help: 'Last day.' },
    { name: 'ResultSize', type: 'string', default: '1000', help: 'Most rows.' },
    { name: 'Mode', type: { oneOf: ['Fast', 'Full'] }, default: 'Fast', help: 'A choice.' },
  ],
  columns: [
    { name: 'TenantGuid', type: 'string' },
    { name: 'Date', type: 'Date' },
    { name: 'TotalMailboxCount', type: 'integer' },
  ],
  examples: [{ code: 'Get-DapCustomer | Get-Dap${name} -Credential $credential', description: 'Every tenant.' }],
} satisfies ReportDefinition;
`,
    );
  }
}
