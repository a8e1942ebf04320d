import { writeFileAtomic } from '../../../common/output-path.js';
import type { RunSummary } from '../summary.js';
import { renderRunPage } from './render-page.js';

/** Where a run's page goes: beside its output, `<out>.html`. */
export const pagePathFor = (out: string) => `${out}.html`;

export async function writeRunPage(path: string, summary: RunSummary): Promise<void> {
  await writeFileAtomic(path, renderRunPage(summary), { option: 'the page' });
}
