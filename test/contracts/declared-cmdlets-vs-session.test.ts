// The simulator checks a declared cmdlet's name and parameters when it reads a catalog
// (simulator/world/declared-cmdlets.ts), and the remoting session checks them again before it defines a
// function (DapSimParameters.ps1); the session's built-in cmdlets write the ResultSize rule the
// simulator sends for a declared one. The two sides must say the same, and agree with the names
// dap-gen allows in a definition.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cmdletNamePattern, parameterNamePattern } from '../../generator/identifiers.js';
import { declaredCmdletNamePattern, declaredParameterNamePattern } from '../../simulator/world/declared-cmdlets.js';
import { standInModulesDir } from '../../simulator/index.js';
import { resultSizePsPattern } from '../../simulator/world/result-size.js';

const read = (file: string) => readFileSync(join(standInModulesDir, 'DapSim.Remoting', file), 'utf8');
const psString = (text: string, variable: string) => new RegExp(`^\\$script:${variable} = '([^']*)'$`, 'm').exec(text)?.[1];

describe('declared cmdlets: the simulator and the session agree', () => {
  const parameters = read('DapSimParameters.ps1');

  it('on the cmdlet name (Verb-Noun) and the parameter name, which are the names dap-gen allows', () => {
    expect(psString(parameters, 'DapSimDeclaredCmdletPattern')).toBe(declaredCmdletNamePattern.source);
    expect(psString(parameters, 'DapSimDeclaredParameterPattern')).toBe(declaredParameterNamePattern.source);
    expect(declaredCmdletNamePattern.source).toBe(cmdletNamePattern.source);
    expect(declaredParameterNamePattern.source).toBe(parameterNamePattern.source);
  });

  it("on the ResultSize rule the session's built-in cmdlets validate", () => {
    const cmdlets = read('ExchangeCmdlets.ps1');
    const rules = [...cmdlets.matchAll(/\[ValidatePattern\('([^']*)'\)\]\s*\[string\] \$ResultSize/g)].map((m) => m[1]);
    // every ResultSize parameter of the session has the rule
    expect(rules.length).toBe([...cmdlets.matchAll(/\$ResultSize\b(?=\s*[,)\n])/g)].length);
    expect(rules.length).toBeGreaterThan(0);
    expect(new Set(rules)).toEqual(new Set([resultSizePsPattern]));
  });
});
