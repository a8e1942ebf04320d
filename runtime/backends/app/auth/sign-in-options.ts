/**
 * The sign-in options every HTTP backend shares (Graph now, Exchange REST next): how the app
 * proves itself. Checked here without reading any secret; runtime/backends/app/auth reads them when the run starts.
 */
import { DapError, ExitCode } from '../../../../common/dap-error.js';

export const certificateHelp =
  'app-only sign-in with a certificate: a password-less PEM file holding the private key and the certificate (chmod 600), else DAP_GRAPH_CERTIFICATE_PATH';
export const deviceCodeHelp =
  'delegated sign-in as a partner admin (MFA): prints a code to enter at https://microsoft.com/devicelogin, then keeps the refresh token in --token-file (used, and rotated, by the next runs)';
export const certificateX5cHelp =
  'with --certificate: send the certificate itself (x5c) in each client assertion, for an app that trusts its certificates by subject name and issuer';
export const tokenFileHelp = 'with --device-code: the refresh token file (mode 0600); default ~/.config/dap-reporting/<client id>.token (under --simulate: none, the token lives for the run only)';

/** The sign-in options as commander hands them over. */
export interface SignInCliOptions {
  clientSecretStdin?: boolean;
  certificate?: string;
  certificateX5c?: boolean;
  deviceCode?: boolean;
  tokenFile?: string;
}

/** How the app signs in, as planned (paths only; nothing read yet). */
export interface SignInPlan {
  /** The PEM file of --certificate or DAP_GRAPH_CERTIFICATE_PATH. */
  certificatePath?: string;
  /** Send the certificate (x5c) with each assertion (--certificate-x5c). */
  sendX5c?: boolean;
  /** Delegated sign-in by device code, its refresh token kept in `tokenFile` (default decided at run time). */
  deviceCode: boolean;
  tokenFile?: string;
}

const conflict = (message: string) => new DapError('OPTION_CONFLICT', ExitCode.usage, message);

/**
 * Checks the sign-in options: one way to sign in. --certificate and --client-secret-stdin are two
 * client credentials; --device-code signs in a user (a public client: no app credential) and
 * brings its own refresh token, so it excludes both and DAP_GRAPH_REFRESH_TOKEN; --token-file
 * belongs to --device-code. Under --simulate the caller's DAP_GRAPH_* variables are ignored.
 */
export function planSignIn(options: SignInCliOptions, env: NodeJS.ProcessEnv, simulate: boolean): SignInPlan {
  const certificatePath = (options.certificate ?? (simulate ? undefined : env.DAP_GRAPH_CERTIFICATE_PATH) ?? '').trim();
  const deviceCode = options.deviceCode === true;
  if (options.certificate !== undefined && certificatePath === '') throw new DapError('BAD_CERTIFICATE', ExitCode.usage, '--certificate expects the path of a PEM file');
  if (certificatePath && options.clientSecretStdin) {
    throw conflict('--certificate and --client-secret-stdin are two client credentials; give one (a certificate is the safer)');
  }
  if (deviceCode) {
    if (options.clientSecretStdin) throw conflict('--device-code signs in a partner admin, not the app: leave out --client-secret-stdin');
    if (options.certificate !== undefined) throw conflict('--device-code signs in a partner admin, not the app: leave out --certificate');
    if (!simulate && env.DAP_GRAPH_REFRESH_TOKEN) {
      throw conflict('--device-code keeps its refresh token in --token-file; DAP_GRAPH_REFRESH_TOKEN is set too: unset it, or leave out --device-code to use it');
    }
  } else if (options.tokenFile !== undefined) {
    throw conflict('--token-file applies only with --device-code (the file where the signed-in refresh token is kept)');
  }
  if (options.certificateX5c && !(certificatePath && !deviceCode)) throw conflict('--certificate-x5c applies only with --certificate (or DAP_GRAPH_CERTIFICATE_PATH)');
  if (options.tokenFile !== undefined && options.tokenFile.trim() === '') throw new DapError('BAD_TOKEN_FILE', ExitCode.usage, '--token-file expects a path');
  const plan: SignInPlan = { deviceCode };
  if (certificatePath && !deviceCode) plan.certificatePath = certificatePath;
  if (options.certificateX5c && plan.certificatePath) plan.sendX5c = true;
  if (options.tokenFile) plan.tokenFile = options.tokenFile.trim();
  return plan;
}
