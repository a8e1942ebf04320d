/**
 * The one way dap-gen lays out PowerShell: code is a tree of lines and blocks, and a block's body
 * is indented one level deeper than its opening line when the tree is rendered; no emitter writes
 * indentation itself. The writer only arranges code: a value from a definition, a tenant or a user
 * enters a line through psLiteral()/psStringArray() (common/ps-literal.ts, the one escaping path)
 * or as a name checked by identifier() (ps-code.ts), and help text through ps-comment.ts.
 */
import { commentHelpLines, type HelpSections } from './ps-comment.js';

const indentUnit = '    ';

/** Lines whose body is indented one level: `open`, the body, then `close`. */
export interface PsBlock {
  readonly open: string;
  readonly body: readonly PsCode[];
  readonly close: string;
}

/** A line (without its indentation), a block, or a list of them. */
export type PsCode = string | PsBlock | readonly PsCode[];

export function block(open: string, body: readonly PsCode[], close = '}'): PsBlock {
  return { open, body, close };
}

function isBlock(code: PsCode): code is PsBlock {
  return typeof code === 'object' && !Array.isArray(code);
}

/**
 * The lines of `code` at `depth` levels of indentation; an empty line stays empty. A line holds a
 * line break only inside a string literal (psLiteral() of a text with several lines): what follows
 * the break is part of the string and is kept as it is.
 */
export function renderLines(code: PsCode, depth = 0): string[] {
  if (typeof code === 'string') {
    return [code === '' ? '' : `${indentUnit.repeat(depth)}${code}`];
  }
  if (isBlock(code)) {
    return [...renderLines(code.open, depth), ...code.body.flatMap((part) => renderLines(part, depth + 1)), ...renderLines(code.close, depth)];
  }
  return (code as readonly PsCode[]).flatMap((part) => renderLines(part, depth));
}

/** `code` as text, each line ending with a line feed. */
export function render(code: PsCode, depth = 0): string {
  return `${renderLines(code, depth).join('\n')}\n`;
}

/** The indentation levels of a line that starts with `indentation` (spaces, a multiple of four). */
export function depthOf(indentation: string): number {
  if (!/^ *$/.test(indentation) || indentation.length % indentUnit.length !== 0) {
    throw new Error(`indentation of ${JSON.stringify(indentation)} is not a multiple of ${indentUnit.length} spaces`);
  }
  return indentation.length / indentUnit.length;
}

/** Text made elsewhere (a rendered function, a file header), kept line by line at the outer level. */
export function verbatim(text: string): string[] {
  return text.replace(/\n$/, '').split('\n');
}

/**
 * A hashtable with one `Key = value` per line, the `=` signs aligned: `open` ends with `@{`. A
 * value is an expression on one line, or a block that opens on the key's line (`Key = @(` … `)`).
 */
export function hashtable(open: string, entries: ReadonlyArray<readonly [key: string, value: string | PsBlock]>, close = '}'): PsBlock {
  const width = Math.max(0, ...entries.map(([key]) => key.length));
  return block(
    open,
    entries.map(([key, value]) => {
      const head = `${key.padEnd(width)} = `;
      return typeof value === 'string' ? `${head}${value}` : block(`${head}${value.open}`, value.body, value.close);
    }),
    close,
  );
}

/**
 * A param() block. Each parameter is its attribute lines followed by its declaration line
 * (`[type] $Name = default`); parameters are separated by a comma and an empty line.
 */
export function paramBlock(parameters: ReadonlyArray<readonly PsCode[]>): PsBlock {
  const body = parameters.flatMap((parameter, index) => {
    const declaration = parameter.at(-1);
    if (typeof declaration !== 'string') throw new Error('a parameter ends with its declaration line');
    return index < parameters.length - 1 ? [...parameter.slice(0, -1), `${declaration},`, ''] : [...parameter];
  });
  return block('param(', body, ')');
}

/** A comment-based help block (`<#` … `#>`) in the fixed order of ps-comment.ts. */
export function helpBlock(help: HelpSections): string[] {
  return ['<#', ...commentHelpLines(help), '#>'];
}
