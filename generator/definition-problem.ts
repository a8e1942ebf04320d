import { DapError, ExitCode } from '../common/dap-error.js';

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

/** Every problem, one per line, in one error (exit code 2). */
export function definitionError(problems: readonly DefinitionProblem[]): DapError {
  const lines = sortProblems(problems).map(formatProblem);
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'} in the report definitions`;
  return new DapError('DEFINITION_INVALID', ExitCode.usage, `${lines.join('\n')}\n${count}`);
}
