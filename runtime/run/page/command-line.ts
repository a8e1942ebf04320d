import { passwordVariableFor } from '../../backends/exchange/credentials.js';
import { Redactor } from '../../platform/redact.js';

/** A flag whose value is a secret: --client-secret, --password, --refresh-token, --api-key … (not --token-file, a path). */
const secretFlag = /^--?[\w-]*(secret|password|passwd|token|api-?key|private-?key)[\w-]*$/i;
/** Flags named like secrets that take no value, or whose value is only where a secret is. */
const notSecretValue = /(-stdin|-file|-path)$/i;
/** A report parameter whose name says it is a secret (--param Password=…). */
const secretParam = /^(?:[\w-]*(secret|password|passwd|token|api-?key))=/i;

/** The environment variables a run reads secrets from, for the users it signs in as. */
export function secretsOf(env: NodeJS.ProcessEnv, users: readonly string[] = []): string[] {
  const names = ['DAP_PASSWORD', 'DAP_GRAPH_CLIENT_SECRET', 'DAP_GRAPH_REFRESH_TOKEN', ...users.map(passwordVariableFor)];
  return names.map((name) => env[name]).filter((value): value is string => typeof value === 'string' && value.length > 0);
}

/**
 * The command line as the page shows it: argv never holds secrets (they come from the environment,
 * stdin or a prompt), but a value after a secret-like flag, a secret-like --param and anything the
 * run knows as a secret (`secrets`, and those only the backend knows, through `clean`) are replaced
 * by [redacted] all the same.
 */
export function redactCommand(argv: readonly string[], secrets: readonly string[] = [], clean: (text: string) => string = (text) => text): string[] {
  const redactor = new Redactor();
  for (const secret of secrets) redactor.add(secret);
  const out: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('-') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const isSecretFlag = secretFlag.test(flag) && !notSecretValue.test(flag);
    if (isSecretFlag && inline !== undefined) out.push(`${flag}=[redacted]`);
    else if (isSecretFlag && i + 1 < argv.length) {
      out.push(arg, '[redacted]');
      i += 1;
    } else if (argv[i - 1] === '--param' && secretParam.test(arg)) out.push(`${arg.slice(0, arg.indexOf('='))}=[redacted]`);
    else out.push(clean(redactor.clean(arg)));
  }
  return out;
}

/** The arguments as one line a shell would read back the same (POSIX single quotes where needed). */
export function shellLine(args: readonly string[]): string {
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`)).join(' ');
}
