/**
 * The token file: MSAL's cache of a delegated sign-in, kept between runs by a cache plugin. The one
 * place a secret is written, and only the refresh token and its account (access and ID tokens stay
 * in memory); owner-only (mode 0600, its folder 0700 when this creates it), replaced atomically (a
 * temporary file beside it, flushed, renamed), so a crash leaves the old cache or the new one.
 * A file of the first format (one refresh token) is still read: its token is redeemed once.
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
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';

/** The file's content: whose it is (the client id), so another app's token is never sent, and MSAL's cache. */
interface TokenFileContent {
  version: 2;
  clientId: string;
  /** MSAL's serialized cache, without access and ID tokens. */
  msalCache: Record<string, unknown>;
  savedAt: string;
}

/** What a token file holds: MSAL's cache, or (first format) a bare refresh token. */
export type SavedSignIn = { msalCache: string } | { refreshToken: string };

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

/** The parts of MSAL's cache a later run needs: the account and its refresh token. */
const KEPT_SECTIONS = ['Account', 'RefreshToken', 'AppMetadata'] as const;

/** The token file of one app, and MSAL's cache plugin over it. */
export class TokenFile implements ICachePlugin {
  private writing: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  /** What the file holds now (the kept sections), to write only what changed. */
  private lastSaved: string | undefined;
  /** MSAL's whole cache (access tokens too): MSAL clears its memory before each silent request and asks for it back. */
  private memory: string | undefined;

  constructor(
    readonly path: string,
    private readonly clientId: string,
    /** Told once when the file cannot be written (the message never holds a token). */
    private readonly onError?: (message: string) => void,
  ) {}

  /**
   * The saved sign-in, or undefined when there is no file. Throws an Error for a person when the
   * file is open to others (it is not read then), not ours, or not a token file.
   */
  read(): SavedSignIn | undefined {
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
    let content: { version?: unknown; clientId?: unknown; refreshToken?: unknown; msalCache?: unknown };
    try {
      content = JSON.parse(text) as typeof content;
    } catch {
      throw new Error(`${this.path} is not a dap-report token file`);
    }
    if (typeof content !== 'object' || content === null || typeof content.clientId !== 'string') throw new Error(`${this.path} is not a dap-report token file`);
    if (content.clientId.toLowerCase() !== this.clientId.toLowerCase()) throw new Error(`${this.path} holds the refresh token of another app (${content.clientId}), not of ${this.clientId}`);
    if (content.version === 2 && typeof content.msalCache === 'object' && content.msalCache !== null) {
      this.lastSaved = JSON.stringify(content.msalCache);
      this.memory = this.lastSaved;
      return { msalCache: this.lastSaved };
    }
    if (content.version === 1 && typeof content.refreshToken === 'string' && content.refreshToken !== '') return { refreshToken: content.refreshToken };
    throw new Error(`${this.path} is not a dap-report token file`);
  }

  /** Hands MSAL its cache back: the file is read once when the run starts, the rest lives in memory. */
  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    if (this.memory) context.tokenCache.deserialize(this.memory);
  }

  /** Keeps MSAL's cache when it changed (a sign-in, a new token), and saves its refresh token part. */
  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (!context.cacheHasChanged) return;
    this.memory = context.tokenCache.serialize();
    const whole = JSON.parse(this.memory) as Record<string, unknown>;
    if (Object.keys((whole.RefreshToken as object | undefined) ?? {}).length === 0) return;
    const kept = Object.fromEntries(KEPT_SECTIONS.map((section) => [section, whole[section] ?? {}]));
    const text = JSON.stringify(kept);
    if (text === this.lastSaved) return;
    this.lastSaved = text;
    await this.save(kept);
  }

  /** Saves a cache; saves are queued so the newest always ends up in the file. */
  private save(msalCache: Record<string, unknown>): Promise<void> {
    const content: TokenFileContent = { version: 2, clientId: this.clientId, msalCache, savedAt: new Date().toISOString() };
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
