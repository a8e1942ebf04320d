import { DapError, ExitCode, type ExitCodeValue } from '../common/dap-error.js';
import { joinTerminal, type TerminalText, tty } from '../common/terminal-text.js';

/** One problem found in a definition file, with its position (1-based line and column). */
export interface DefinitionProblem {
  file: string;
  line: number;
  col: number;
  message: string;
}

export function formatProblem(problem: DefinitionProblem): string {
  return `${problem.file}:${problem.line}:${problem.col}: ${problem.message}`;
}

/** Sorted by file, then position, so the output is stable. */
export function sortProblems(problems: readonly DefinitionProblem[]): DefinitionProblem[] {
  return [...problems].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col));
}

/** A problem as a line for the terminal: the path and the message (which may quote a definition's text) escaped. */
export function problemLine(problem: DefinitionProblem): TerminalText {
  return tty`${problem.file}:${problem.line}:${problem.col}: ${problem.message}`;
}

/**
 * An error whose message is lines made for the terminal, the data in each escaped where the line was
 * made: printed as it is, each line at the left edge (path:line:col:, as editors read them).
 */
export class LinesError extends DapError {
  constructor(
    code: string,
    exitCode: ExitCodeValue,
    readonly lines: TerminalText,
  ) {
    super(code, exitCode, lines.text);
  }
}

/** Every problem, one per line, in one error (exit code 2). */
export function definitionError(problems: readonly DefinitionProblem[]): LinesError {
  const lines = sortProblems(problems).map(problemLine);
  const count = tty`${problems.length} problem${problems.length === 1 ? '' : 's'} in the report definitions`;
  return new LinesError('DEFINITION_INVALID', ExitCode.usage, joinTerminal([...lines, count], '\n'));
}
