/**
 * Text from definitions may appear in PowerShell comments only through these helpers. Everything
 * else from a definition reaches PowerShell through psLiteral()/psStringArray().
 */

const lineBreaks = /\r\n|[\r\n\u0085\u2028\u2029]/g;

/**
 * Makes text safe inside a `<# … #>` comment-based help block: the block cannot be closed early
 * ('#>') or nested ('<#'), a line cannot start a new help keyword ('.PARAMETER' …), and other
 * control characters are dropped. Returns the lines, without indentation.
 */
export function helpLines(text: string): string[] {
  return text
    .replace(lineBreaks, '\n')
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '')
    .replace(/\t/g, '    ')
    .split('\n')
    .map((line) =>
      line
        .replace(/#>/g, '# >')
        .replace(/<#/g, '< #')
        .replace(/^(\s*)\./, '$1\u2024')
        .trimEnd(),
    );
}

/** Makes text safe on one `#` line comment: any line break or control character becomes '?'. */
export function lineCommentText(text: string): string {
  return text.replace(/[\u0000-\u001F\u007F\u0085\u2028\u2029]/g, '?');
}

export interface HelpSections {
  synopsis: string;
  description: string;
  parameters: Array<{ name: string; help: string }>;
  examples: Array<{ code: string; description: string }>;
  /** What the command takes from the pipeline ("None." when nothing). */
  inputs: string;
  outputs: string;
  links: string[];
}

/**
 * The lines of a comment-based help block in the fixed order, without the `<#` and `#>` around
 * them (ps-writer.ts helpBlock() adds those and the indentation).
 */
export function commentHelpLines(help: HelpSections): string[] {
  const out: string[] = [];
  const section = (keyword: string, text: string): void => {
    out.push(`.${keyword}`, ...helpLines(text), '');
  };
  section('SYNOPSIS', help.synopsis);
  section('DESCRIPTION', help.description);
  for (const parameter of help.parameters) section(`PARAMETER ${parameter.name}`, parameter.help);
  for (const example of help.examples) section('EXAMPLE', `${example.code}\n\n${example.description}`);
  section('INPUTS', help.inputs);
  section('OUTPUTS', help.outputs);
  for (const link of help.links) section('LINK', link);
  while (out.at(-1) === '') out.pop();
  return out;
}
