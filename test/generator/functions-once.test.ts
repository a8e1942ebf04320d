// Each shared function is written once in the repository: its template in generator/templates/,
// rendered into the committed module/DapReporting/. The standalone scripts that carry copies of
// them are built, not committed, and the golden files hold the scripts' own parts only.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../common/project-paths.js';
import { isPrivateTemplate, sharedTemplates, templatePath } from '../../generator/render-template.js';

describe('the committed PowerShell files', () => {
  it('define each shared function in its template and in its module file, nowhere else', async () => {
    const listed = await execa('git', ['ls-files', '-z', '--', '*.ps1', '*.psm1'], { cwd: projectRoot });
    const files = listed.stdout.split('\0').filter(Boolean).map((file) => [file, readFileSync(join(projectRoot, file), 'utf8')] as const);
    expect(files.length).toBeGreaterThan(20);
    for (const name of sharedTemplates) {
      const definition = new RegExp(`^\\s*function ${name} \\{`, 'm');
      const defining = files.filter(([, text]) => definition.test(text)).map(([file]) => file);
      const moduleFile = `module/DapReporting/${isPrivateTemplate(name) ? 'Private' : 'Public'}/${name}.ps1`;
      expect(defining.sort(), name).toEqual([relative(projectRoot, templatePath(name)).split('\\').join('/'), moduleFile].sort());
    }
  });
});
