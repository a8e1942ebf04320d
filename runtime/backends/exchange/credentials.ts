import { DapError, ExitCode } from '../../../common/dap-error.js';
import type { Account } from '../contract/runner-types.js';
import { tty, writeText } from '../../../common/terminal-text.js';

/** The per-account environment variable: DAP_PASSWORD_ + the UPN upper-cased, other characters as _. */
export function passwordVariableFor(userName: string): string {
  return `DAP_PASSWORD_${userName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export interface PasswordSources {
  users: readonly string[];
  env: NodeJS.ProcessEnv;
  /** --password-stdin: the whole of stdin, one password per line in --user order. */
  readStdin?: () => Promise<string>;
  /** A TTY prompt that does not echo; undefined when stdin is not a terminal. */
  prompt?: (userName: string) => Promise<string>;
  /** Under --simulate: the simulator's own account and password, the last resort. */
  simulator?: { userName: string; password: string | undefined };
}

/**
 * Finds each account's password: stdin (--password-stdin), then `DAP_PASSWORD_<UPN>`, then (under
 * --simulate, for the simulator's own account) the simulator's password, then `DAP_PASSWORD`, then
 * a prompt. The password is kept in memory
 * and only ever handed to pwsh through a child's environment.
 */
export async function collectPasswords(sources: PasswordSources): Promise<Account[]> {
  const stdinLines = sources.readStdin ? (await sources.readStdin()).split(/\r?\n/) : undefined;
  if (stdinLines && stdinLines.at(-1) === '') stdinLines.pop();
  if (stdinLines && stdinLines.length < sources.users.length) {
    throw new DapError(
      'PASSWORD_STDIN_SHORT',
      ExitCode.usage,
      `--password-stdin expects one password per line for ${sources.users.length} account(s), received ${stdinLines.length} line(s)`,
    );
  }
  const accounts: Account[] = [];
  for (const [index, userName] of sources.users.entries()) {
    const fromStdin = stdinLines?.[index];
    const fromSimulator =
      sources.simulator && sources.simulator.userName.toLowerCase() === userName.toLowerCase() ? sources.simulator.password : undefined;
    let password = fromStdin ?? sources.env[passwordVariableFor(userName)] ?? fromSimulator ?? sources.env.DAP_PASSWORD;
    if (password === undefined && sources.prompt) password = await sources.prompt(userName);
    if (!password) {
      throw new DapError(
        'NO_PASSWORD',
        ExitCode.usage,
        `no password for ${userName}: expected ${passwordVariableFor(userName)} or DAP_PASSWORD in the environment, --password-stdin, or a terminal to prompt on`,
      );
    }
    accounts.push({ userName, password });
  }
  return accounts;
}

/** Reads a password from the terminal without echoing it. */
export function promptPassword(userName: string, input: NodeJS.ReadStream, output: NodeJS.WritableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    writeText(output, tty`Password for ${userName}: `);
    let value = '';
    const wasRaw = input.isRaw;
    input.setRawMode?.(true);
    input.resume();
    input.setEncoding('utf8');
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode?.(wasRaw);
      input.pause();
      writeText(output, tty`\n`);
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003') return finish(new DapError('INTERRUPTED', ExitCode.interrupted, 'interrupted at the password prompt'));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    input.on('data', onData);
  });
}
