/**
 * Puts the app's sign-in together from the planned sign-in (sign-in-options.ts) and the secrets the
 * caller already read (client secret from stdin or the environment, a refresh token from the
 * environment): a certificate or a secret (app-only), or a delegated sign-in whose refresh token is
 * the token file's, a device-code sign-in's, or the one given. Shared by the HTTP backends.
 */
import { resolve } from 'node:path';
import { DapError, ExitCode } from '../../../../common/dap-error.js';
import { terminalMessage, writeTerminal } from '../../../../common/terminal-text.js';
import type { FetchLike } from '../../../platform/http/fetch-like.js';
import { GraphCallError } from '../http/graph-error.js';
import { readCertificateFile } from './certificate-file.js';
import { type AppCredential, cachedRefreshToken, MsalApp } from './msal-app.js';
import type { SignInPlan } from './sign-in-options.js';
import { defaultTokenFile, type SavedSignIn, TokenFile } from './token-file.js';

export interface AppSignIn {
  clientId: string;
  plan: SignInPlan;
  clientSecret?: string;
  refreshToken?: string;
  simulate: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
  loginBase: string;
  /** The tenant a delegated sign-in happens in: the partner's, or organizations. */
  signInTenant: string;
  /** The scope of the delegated sign-in's first token. */
  scope: string;
  fetch: FetchLike;
  stderr: NodeJS.WritableStream;
  now?: () => number;
  signal?: AbortSignal;
}

export interface SignedInApp {
  credential: AppCredential;
  app: MsalApp;
  tokenFile?: TokenFile;
  /** Secrets met while signing in (a refresh token given or read), to keep out of messages. */
  secrets: string[];
}

/**
 * Where --device-code keeps its token: --token-file, else ~/.config/dap-reporting/<client id>.token;
 * under --simulate without --token-file nowhere (each simulator forgets its tokens when it stops,
 * and the user's config must never hold a simulator's token).
 */
export function tokenFilePath(options: Pick<AppSignIn, 'clientId' | 'plan' | 'simulate' | 'cwd' | 'env'>): string | undefined {
  if (options.plan.tokenFile) return resolve(options.cwd, options.plan.tokenFile);
  if (options.simulate) return undefined;
  return defaultTokenFile(options.clientId, options.env);
}

export async function signInApp(options: AppSignIn): Promise<SignedInApp> {
  const warn = (message: string) => writeTerminal(options.stderr, terminalMessage(message));
  const credential: AppCredential = { clientId: options.clientId };
  const base = { loginBase: options.loginBase, credential, fetch: options.fetch, ...(options.now ? { now: options.now } : {}) };
  if (options.plan.certificatePath) {
    // the certificate alone: under --simulate the simulator's secret is not sent beside it
    credential.certificate = readCertificateFile(resolve(options.cwd, options.plan.certificatePath), { simulate: options.simulate, warn });
    if (options.plan.sendX5c) credential.sendX5c = true;
    return { credential, app: new MsalApp({ ...base, delegated: false }), secrets: [] };
  }
  if (!options.plan.deviceCode) {
    if (options.clientSecret) credential.clientSecret = options.clientSecret;
    if (!options.refreshToken) return { credential, app: new MsalApp({ ...base, delegated: false }), secrets: [] };
    // a refresh token given by the user: redeemed by the first token request; its rotations live in MSAL's cache for the run
    return { credential, app: new MsalApp({ ...base, delegated: true, refreshToken: options.refreshToken }), secrets: [options.refreshToken] };
  }
  // delegated by device code: a public client whose MSAL cache is kept in the token file
  const path = tokenFilePath(options);
  const tokenFile = path ? new TokenFile(path, options.clientId, (message) => warn(`dap-report: warning: ${message}; the run goes on with the new token in memory`)) : undefined;
  let saved: SavedSignIn | undefined;
  try {
    saved = tokenFile?.read();
  } catch (error) {
    throw new DapError('BAD_TOKEN_FILE', ExitCode.usage, `--token-file: ${(error as Error).message}`, { cause: error });
  }
  // the first format's bare refresh token is redeemed by the first token request (a refusal is reported at discovery with how to sign in again)
  const legacy = saved && 'refreshToken' in saved ? saved.refreshToken : undefined;
  const app = new MsalApp({ ...base, delegated: true, ...(tokenFile ? { cachePlugin: tokenFile } : {}), ...(legacy ? { refreshToken: legacy } : {}) });
  const secrets: string[] = legacy ? [legacy] : [];
  if (saved && 'msalCache' in saved) {
    // the token file hands MSAL the saved cache at its first access
    const kept = cachedRefreshToken(saved.msalCache)?.secret;
    if (kept) secrets.push(kept);
  } else if (!saved) {
    try {
      // the one line the user acts on; shown under --quiet too
      await app.signInWithDeviceCode(options.signInTenant, options.scope, (message) => warn(`dap-report: ${message}`), options.signal);
    } catch (error) {
      if (error instanceof GraphCallError) throw new DapError('SIGN_IN_FAILED', ExitCode.fatal, `device code sign-in: ${error.message}`, { cause: error });
      throw error;
    }
  }
  return { credential, app, ...(tokenFile ? { tokenFile } : {}), secrets };
}
