/**
 * Puts the app's credential together from the planned sign-in (sign-in-options.ts) and the
 * secrets the caller already read (client secret from stdin or the environment, a refresh token
 * from the environment): a certificate, or a device-code sign-in whose refresh token is kept in
 * the token file, or the secret / refresh token as given. Shared by the HTTP backends.
 */
import { resolve } from 'node:path';
import { DapError, ExitCode } from '../../../../common/dap-error.js';
import { terminalMessage, writeTerminal } from '../../../../common/terminal-text.js';
import { GraphCallError } from '../http/graph-error.js';
import { readCertificateFile } from './certificate-file.js';
import { signInWithDeviceCode } from './device-code.js';
import type { SignInPlan } from './sign-in-options.js';
import { defaultTokenFile, RefreshTokenFile } from './token-file.js';
import type { AppCredential, FetchLike } from './token-client.js';

export interface AppSignIn {
  clientId: string;
  plan: SignInPlan;
  clientSecret?: string;
  refreshToken?: string;
  simulate: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
  loginBase: string;
  /** The tenant a device-code sign-in happens in: the partner's, or organizations. */
  signInTenant: string;
  /** The scope of the device-code sign-in's first token. */
  scope: string;
  fetch: FetchLike;
  stderr: NodeJS.WritableStream;
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
  signal?: AbortSignal;
}

const wait = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((done, fail) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      fail(signal.reason);
    }, { once: true });
  });

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

export async function signInApp(options: AppSignIn): Promise<{ credential: AppCredential; tokenFile?: RefreshTokenFile }> {
  const warn = (message: string) => writeTerminal(options.stderr, terminalMessage(message));
  const credential: AppCredential = { clientId: options.clientId };
  if (options.plan.certificatePath) {
    // the certificate alone: under --simulate the simulator's secret is not sent beside it
    credential.certificate = readCertificateFile(resolve(options.cwd, options.plan.certificatePath), { simulate: options.simulate, warn });
    return { credential };
  }
  if (!options.plan.deviceCode) {
    if (options.clientSecret) credential.clientSecret = options.clientSecret;
    if (options.refreshToken) credential.refreshToken = options.refreshToken;
    return { credential };
  }
  // delegated: a public client with the signed-in admin's refresh token, kept and rotated in the file
  const path = tokenFilePath(options);
  const tokenFile = path ? new RefreshTokenFile(path, options.clientId, (message) => warn(`dap-report: warning: ${message}; the run goes on with the new token in memory`)) : undefined;
  let saved: string | undefined;
  try {
    saved = tokenFile?.read();
  } catch (error) {
    throw new DapError('BAD_TOKEN_FILE', ExitCode.usage, `--token-file: ${(error as Error).message}`, { cause: error });
  }
  if (saved) {
    credential.refreshToken = saved;
  } else {
    try {
      const result = await signInWithDeviceCode({
        loginBase: options.loginBase,
        tenant: options.signInTenant,
        scope: options.scope,
        credential,
        fetch: options.fetch,
        // the one line the user acts on; shown under --quiet too
        notify: (message) => warn(`dap-report: ${message}`),
        sleep: options.sleep ?? wait,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      credential.refreshToken = result.refreshToken;
    } catch (error) {
      if (error instanceof GraphCallError) throw new DapError('SIGN_IN_FAILED', ExitCode.fatal, `device code sign-in: ${error.message}`, { cause: error });
      throw error;
    }
    await tokenFile?.save(credential.refreshToken);
  }
  if (!tokenFile) return { credential };
  credential.tokenStore = tokenFile;
  return { credential, tokenFile };
}
