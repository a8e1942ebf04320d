import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../common/project-paths.js';

/** What the module's manifest says about the package, each fact read from the one file that holds it. */
export interface PackageFacts {
  /** package.json's version. */
  version: string;
  /** package.json's homepage: the manifest's ProjectUri. */
  projectUri: string;
  /** The project's own LICENSE file at the homepage: the manifest's LicenseUri. */
  licenseUri: string;
  /** CHANGELOG.md's section for this version: the manifest's ReleaseNotes. */
  releaseNotes: string;
}

/** The files the facts come from, relative to the project root (named in the manifest's header). */
export const packageFactSources = ['package.json', 'CHANGELOG.md'] as const;

/** The body of the `## <version>` section of a changelog, trimmed; undefined when there is none. */
export function changelogSection(changelog: string, version: string): string | undefined {
  const lines = changelog.replace(/\r\n/g, '\n').split('\n');
  const start = lines.findIndex((line) => line.trim() === `## ${version}`);
  if (start < 0) return undefined;
  const end = lines.findIndex((line, index) => index > start && /^##?\s/.test(line));
  const body = lines.slice(start + 1, end < 0 ? undefined : end).join('\n').trim();
  return body === '' ? undefined : body;
}

export function readPackageFacts(root = projectRoot): PackageFacts {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; homepage?: string; license?: string };
  const homepage = pkg.homepage?.replace(/\/+$/, '');
  if (!homepage || !/^https:\/\/[^\s]+$/.test(homepage)) throw new Error(`package.json has no https homepage (the module's ProjectUri): '${pkg.homepage ?? ''}'`);
  const releaseNotes = changelogSection(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'), pkg.version);
  if (releaseNotes === undefined) throw new Error(`CHANGELOG.md has no '## ${pkg.version}' section (the module's release notes for package.json's version)`);
  return { version: pkg.version, projectUri: homepage, licenseUri: `${homepage}/blob/main/LICENSE`, releaseNotes };
}
