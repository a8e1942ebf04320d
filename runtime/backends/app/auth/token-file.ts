/**
 * The refresh token file: the one place a secret is written, owner-only (mode 0600, its folder
 * 0700 when this creates it), replaced atomically (a temporary file beside it, flushed, renamed),
 * so a crash leaves the old token or the new one, never half of either.
 *
 * Why a file and not the OS keyring: there is no keyring the runtime can reach without a native
 * dependency (libsecret/`secret-tool` and a Secret Service daemon are absent on the servers and
 * containers this runs on, and Node has no keyring API); an owner-only file is what the Azure CLI
 * and MSAL's Linux fallback use in the same situation. See runtime/backends/app/auth/README.md.
 */
import { promises as fs, statSync } from 'node:fs';
import { readBoundedFile, readProblem } from '../../../../common/bounded-read.js';
import { inputLimits } from '../../../../common/input-limits.js';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../../../../common/output-path.js';
import type { RefreshTokenStore } from './token-client.js';

/** The file's content: the token and whose it is (the client id), so another app's token is never sent. */
interface TokenFileContent {
  version: 1;
  clientId: string;
  refreshToken: string;
  savedAt: string;
}

/** ~/.config/dap-reporting/<clientId>.token (XDG_CONFIG_HOME when set). */
export function defaultTokenFile(clientId: string, env: NodeJS.ProcessEnv): string {
  const config = env.XDG_CONFIG_HOME?.startsWith('/') ? env.XDG_CONFIG_HOME : join(env.HOME || homedir(), '.config');
  return join(config, 'dap-reporting', `${clientId.toLowerCase()}.token`);
}

/** True when group or others may read or write the file (POSIX only; Windows has no such bits). */
export function isOpenToOthers(mode: number): boolean {
  return process.platform !== 'win32' && (mode & 0o077) !== 0;
}

/** Writes `data` owner-only and atomically over `path`. */
export async function writeOwnerOnlyFile(path: string, data: string): Promise<void> {
  await fs.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFileAtomic(path, data, { mode: 0o600 });
}

/** The refresh token kept in a file for one app. */
export class RefreshTokenFile implements RefreshTokenStore {
  private writing: Promise<void> = Promise.resolve();
  private failure: Error | undefined;

  constructor(
    readonly path: string,
    private readonly clientId: string,
    /** Told once when the file cannot be written (the message never holds the token). */
    private readonly onError?: (message: string) => void,
  ) {}

  /**
   * The saved token, or undefined when there is no file. Throws an Error for a person when the
   * file is open to others (it is not read then), not ours, or not a token file.
   */
  read(): string | undefined {
    let mode: number;
    try {
      mode = statSync(this.path).mode;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    if (isOpenToOthers(mode)) throw new Error(`${this.path} can be read by other users (mode ${(mode & 0o777).toString(8)}); remove it and sign in again (its token may be known), or chmod 600 it if you are sure`);
    let text: string;
    try {
      text = readBoundedFile(this.path, inputLimits.tokenFile);
    } catch (error) {
      throw new Error(`${this.path} cannot be read: ${readProblem(error)}`, { cause: error });
    }
    let content: Partial<TokenFileContent>;
    try {
      content = JSON.parse(text) as Partial<TokenFileContent>;
    } catch {
      throw new Error(`${this.path} is not a dap-report token file`);
    }
    if (typeof content.refreshToken !== 'string' || content.refreshToken === '' || typeof content.clientId !== 'string') throw new Error(`${this.path} is not a dap-report token file`);
    if (content.clientId.toLowerCase() !== this.clientId.toLowerCase()) throw new Error(`${this.path} holds the refresh token of another app (${content.clientId}), not of ${this.clientId}`);
    return content.refreshToken;
  }

  /** Saves a token; saves are queued so the newest always ends up in the file. */
  save(refreshToken: string): Promise<void> {
    const content: TokenFileContent = { version: 1, clientId: this.clientId, refreshToken, savedAt: new Date().toISOString() };
    this.writing = this.writing.then(() =>
      writeOwnerOnlyFile(this.path, `${JSON.stringify(content)}\n`).catch((error: NodeJS.ErrnoException) => {
        if (!this.failure) this.onError?.(`cannot save the refresh token to ${this.path}: ${error.code ?? error.message}`);
        this.failure = error;
      }),
    );
    return this.writing;
  }

  /** Waits for the queued saves. */
  flush(): Promise<void> {
    return this.writing;
  }
}
