import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';
import { changelogSection, readPackageFacts } from '../../generator/package-facts.js';

function project(pkg: Record<string, unknown>, changelog: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dap-facts-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
  writeFileSync(join(dir, 'CHANGELOG.md'), changelog);
  return dir;
}

describe('package facts for the manifest', () => {
  it.each([
    ['the section of the version, up to the next one', '# Changelog\n\n## 1.1.0\n\n- later\n\n## 1.0.0\n\n- first\r\n- second\n\n## 0.9.0\n- older\n', '1.0.0', '- first\n- second'],
    ['the last section, up to the end', '## 1.0.0\n- only\n', '1.0.0', '- only'],
    ['no section for the version', '## 1.0.1\n- other\n', '1.0.0', undefined],
    ['an empty section', '## 1.0.0\n\n## 0.9.0\n- older\n', '1.0.0', undefined],
  ])('changelogSection: %s', (_name, text, version, expected) => {
    expect(changelogSection(text, version)).toBe(expected);
  });

  it("reads the project's own: version, homepage as ProjectUri, its LICENSE file (which exists) as LicenseUri", () => {
    const facts = readPackageFacts();
    const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string; homepage: string; license: string };
    expect(facts.version).toBe(pkg.version);
    expect(facts.projectUri).toBe(pkg.homepage);
    expect(facts.licenseUri).toBe(`${pkg.homepage}/blob/main/LICENSE`);
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(join(projectRoot, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
    expect(facts.releaseNotes.length).toBeGreaterThan(20);
  });

  it('refuses a package without an https homepage, and a version without release notes', () => {
    expect(() => readPackageFacts(project({ version: '1.0.0' }, '## 1.0.0\n- x\n'))).toThrow(/no https homepage/);
    expect(() => readPackageFacts(project({ version: '1.0.0', homepage: 'http://example.com' }, '## 1.0.0\n- x\n'))).toThrow(/no https homepage/);
    expect(() => readPackageFacts(project({ version: '1.0.1', homepage: 'https://example.com/p/' }, '## 1.0.0\n- x\n'))).toThrow(/no '## 1\.0\.1' section/);
    expect(readPackageFacts(project({ version: '1.0.0', homepage: 'https://example.com/p/' }, '## 1.0.0\n- x\n'))).toEqual({
      version: '1.0.0',
      projectUri: 'https://example.com/p',
      licenseUri: 'https://example.com/p/blob/main/LICENSE',
      releaseNotes: '- x',
    });
  });
});
