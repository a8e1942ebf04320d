/** Exit codes shared by every command (see DESIGN.md). */
export const ExitCode = {
  ok: 0,
  partial: 1,
  usage: 2,
  fatal: 3,
  /** The machine stopped the work (disk full, a file that cannot be written): what was done is kept. */
  machine: 4,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** A typed error with a stable code and the exit code a command should end with. */
export class DapError extends Error {
  override readonly name = 'DapError';

  constructor(
    readonly code: string,
    readonly exitCode: ExitCodeValue,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isDapError(error: unknown): error is DapError {
  return error instanceof DapError;
}
