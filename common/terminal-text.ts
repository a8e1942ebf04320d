import { stringify } from 'csv-stringify/sync';

/**
 * Characters that data (tenant names, column names, service messages, paths) must not carry to a
 * terminal: every C0 control (CR, LF and TAB too: a name must not start a line of its own that
 * reads like the tool's), DEL, the C1 controls U+0080–U+009F, the line and paragraph separators
 * U+2028/U+2029 and the bidi embeddings, overrides and isolates U+202A–U+202E, U+2066–U+2069 (which
 * make text read in another order than it is). Others could move the cursor, overwrite a line,
 * recolour or retitle the terminal.
 */
const unsafe = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const unsafeInJson = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Data made safe for a terminal: each unsafe character becomes a visible escape such as `\x1b`, `\x0a` or `\u202e`. */
export function terminalText(value: string): string {
  return value.replace(unsafe, escapeChar);
}

/**
 * Text for the terminal: the tool's own words (the literal parts of a `tty` template, its own line
 * breaks among them) with data escaped. The only thing the writers of stdout and stderr take
 * (writeTerminal, a command's `say`, Progress.log), so data cannot reach a terminal unescaped.
 */
export class TerminalText {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

/**
 * `tty\`dap-report: --tenant ${name} matched no customer\``: the literal parts kept, each value
 * escaped with terminalText (a TerminalText value is put in as it is, so lines can be built from parts).
 */
export function tty(literals: TemplateStringsArray, ...values: unknown[]): TerminalText {
  let text = literals[0]!;
  values.forEach((value, i) => {
    text += (value instanceof TerminalText ? value.text : terminalText(String(value))) + literals[i + 1]!;
  });
  return new TerminalText(text);
}

/** Parts joined by the tool's own separator (a line break, ', '). */
export function joinTerminal(parts: readonly TerminalText[], separator: string): TerminalText {
  return new TerminalText(parts.map((part) => part.text).join(separator));
}

/**
 * A message made elsewhere that holds both the tool's words and data and may have its own line
 * breaks (an error's message, a trace, the command-line parser's output): its lines are kept, each
 * one escaped, and (unless `indent` is false: help text, laid out by the parser) a line after the
 * first that does not start with a space is indented, so data can never begin a line of its own
 * that reads like one of the tool's.
 */
export function terminalMessage(message: string, options: { indent?: boolean } = {}): TerminalText {
  const indent = options.indent ?? true;
  return new TerminalText(
    message
      .split(/\r?\n/)
      .map((line, i) => {
        const safe = terminalText(line);
        return indent && i > 0 && safe !== '' && !safe.startsWith(' ') ? `  ${safe}` : safe;
      })
      .join('\n'),
  );
}

/** JSON for stdout: the same value, with the characters JSON leaves as they are (C1, bidi, separators) written as \u escapes. */
export function terminalJson(value: unknown): TerminalText {
  // JSON.stringify escapes C0 controls in strings itself; its own line breaks lay the JSON out
  return new TerminalText(JSON.stringify(value, null, 2).replace(unsafeInJson, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** A CSV table for the terminal: each cell escaped (a line break in a name shows as `\x0a`), one row a line. */
export function terminalTable(rows: readonly (readonly string[])[]): TerminalText {
  return new TerminalText(stringify(rows.map((row) => row.map(terminalText))));
}

/** Writes text for the terminal, then a line break: how the tools print a line to stdout or stderr. */
export function writeTerminal(stream: NodeJS.WritableStream, line: TerminalText): void {
  stream.write(`${line.text}\n`);
}

/** Writes text for the terminal as it is (a table, a prompt, text that brings its own line breaks). */
export function writeText(stream: NodeJS.WritableStream, text: TerminalText): void {
  stream.write(text.text);
}

/**
 * How a command line prints through commander (dap-gen, dap-sim): an error's message, which may carry
 * a path, a definition's or a scenario's value, has each line escaped and a line after the first
 * indented; help and usage are escaped as laid out. Subcommands inherit it.
 */
export function commandOutput(stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream) {
  return {
    writeOut: (text: string) => writeText(stdout, terminalMessage(text, { indent: false })),
    writeErr: (text: string) => writeText(stderr, terminalMessage(text, { indent: false })),
    outputError: (text: string, write: (text: string) => void) => write(terminalMessage(text).text),
  };
}
