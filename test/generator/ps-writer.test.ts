import { describe, expect, it } from 'vitest';
import { psLiteral } from '../../common/ps-literal.js';
import { block, hashtable, helpBlock, paramBlock, render } from '../../generator/ps-writer.js';

describe('the PowerShell writer', () => {
  it('indents a block body one level per nesting, never an empty line', () => {
    const code = block('function Get-X {', [block('process {', ['$a = 1', '', block('if ($a) {', ['$a'])])]);
    expect(render(code)).toBe(['function Get-X {', '    process {', '        $a = 1', '', '        if ($a) {', '            $a', '        }', '    }', '}', ''].join('\n'));
  });

  it('aligns the = of a hashtable, a block value opening on its key line', () => {
    const code = hashtable('$plan = @{', [
      ['Cmdlet', "'Get-X'"],
      ['ContinueWith', '$null'],
      ['Columns', block('@(', ["@{ Name = 'A' }"], ')')],
    ]);
    expect(render(code, 1)).toBe(
      ['    $plan = @{', "        Cmdlet       = 'Get-X'", '        ContinueWith = $null', '        Columns      = @(', "            @{ Name = 'A' }", '        )', '    }', ''].join('\n'),
    );
  });

  it('separates parameters by a comma and an empty line', () => {
    const code = paramBlock([['[Parameter(Mandatory)]', '[string] $A'], ['[int] $B = 1']]);
    expect(render(code)).toBe(['param(', '    [Parameter(Mandatory)]', '    [string] $A,', '', '    [int] $B = 1', ')', ''].join('\n'));
    expect(() => paramBlock([[block('[ValidateScript({', ['$true'], '})]')]])).toThrow(/ends with its declaration line/);
  });

  it('keeps the lines of a multi-line string literal as they are', () => {
    expect(render(block('@{', [`Notes = ${psLiteral('one\n  two')}`]))).toBe("@{\n    Notes = 'one\n  two'\n}\n");
  });

  it('writes comment-based help between <# and #>, its text made safe', () => {
    const lines = helpBlock({ synopsis: 'S #> x', description: 'D', parameters: [], examples: [{ code: 'Get-X', description: 'E' }], inputs: 'None.', outputs: 'O', links: [] });
    expect(lines[0]).toBe('<#');
    expect(lines.at(-1)).toBe('#>');
    expect(lines.slice(1, -1).join('\n')).not.toMatch(/#>/);
    expect(lines).toContain('.EXAMPLE');
  });
});
