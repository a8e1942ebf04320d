// Runs a command that will start simulators of its own and talk to them from a process already
// running (a pwsh that runs Pester: .NET reads SSL_CERT_FILE once, when the process starts): makes the
// simulator's TLS identity, writes its trust files (DAP_SIM_TLS_DIR, SSL_CERT_FILE,
// NODE_EXTRA_CA_CERTS, DAP_SIM_CA_FILE) into the command's environment, so every simulator it starts
// presents that certificate and the command trusts it; removes the files after; exits with its code.
// Needs the build (dist/).
// Usage: node test/helpers/with-sim-trust.mjs -- <command> [args…]
import { spawn } from 'node:child_process';
import { tlsIdentity, writeTrustFiles } from '../../dist/simulator/server/tls-identity.js';

const at = process.argv.indexOf('--');
const [command, ...args] = at === -1 ? [] : process.argv.slice(at + 1);
if (!command) {
  process.stderr.write('usage: node test/helpers/with-sim-trust.mjs -- <command> [args…]\n');
  process.exit(2);
}
const trust = writeTrustFiles(await tlsIdentity(), process.env);
const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ...trust.env } });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('error', (error) => {
  trust.remove();
  process.stderr.write(`cannot run '${command}': ${error.message}\n`);
  process.exit(2);
});
child.on('exit', (code, signal) => {
  trust.remove();
  process.exit(code ?? (signal ? 128 + 15 : 1));
});
