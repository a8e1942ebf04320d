import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import selfsigned from 'selfsigned';

/**
 * The simulator's TLS: a CA of its own and one server certificate it signed, for 127.0.0.1 and
 * localhost. A client trusts the CA (NODE_EXTRA_CA_CERTS, SSL_CERT_FILE, or a transport given its
 * PEM); no certificate check is turned off anywhere. EC P-256 keys, made once per process: the
 * tests start hundreds of simulators, and every one of them may share the same identity.
 */
export interface TlsIdentity {
  /** The CA certificate (PEM): what a client trusts. */
  caPem: string;
  /** The server's certificate (PEM) and its private key (PKCS#8 PEM). */
  cert: string;
  key: string;
}

/** Long enough for any run or `dap-sim serve` session; the identity lives only as long as its process. */
const VALIDITY_DAYS = 400;

let identity: Promise<TlsIdentity> | undefined;

async function makeIdentity(): Promise<TlsIdentity> {
  // a minute back, so that a client whose clock is a little behind still accepts it
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + VALIDITY_DAYS * 86_400_000);
  const common = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256', notBeforeDate, notAfterDate } as const;
  const ca = await selfsigned.generate([{ name: 'commonName', value: 'dap-sim loopback CA' }], {
    ...common,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const server = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
    ...common,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  return { caPem: ca.cert, cert: server.cert, key: server.private };
}

/** The files of an identity in a trust folder (DAP_SIM_TLS_DIR). */
const identityFiles = { caPem: 'ca.pem', cert: 'cert.pem', key: 'key.pem' } as const;

/** An identity another simulator wrote (DAP_SIM_TLS_DIR), so that what trusts that one trusts this one too. */
async function readIdentity(folder: string): Promise<TlsIdentity> {
  try {
    const read = (name: string) => readFileSync(join(folder, name), 'utf8');
    return { caPem: read(identityFiles.caPem), cert: read(identityFiles.cert), key: read(identityFiles.key) };
  } catch (error) {
    throw new Error(`DAP_SIM_TLS_DIR names ${folder}, which does not hold the simulator's ${Object.values(identityFiles).join(', ')}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The process's identity, made on first use; the one in DAP_SIM_TLS_DIR when that is set (a
 * simulator started under `dap-sim run` or another simulator's environment: its children already
 * trust that CA).
 */
export function tlsIdentity(env: NodeJS.ProcessEnv = process.env): Promise<TlsIdentity> {
  const folder = env.DAP_SIM_TLS_DIR;
  if (folder) return readIdentity(folder);
  identity ??= makeIdentity().catch((error: unknown) => {
    identity = undefined;
    throw error;
  });
  return identity;
}

/**
 * Where OpenSSL (and so .NET on Linux) finds the machine's trusted roots, in the order the common
 * distributions put them (Debian/Ubuntu, Fedora/RHEL, openSUSE, Alpine).
 */
const systemBundles = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/ca-bundle.pem', '/etc/ssl/cert.pem'];

let systemRoots: string | undefined;

/**
 * The roots a child trusted before the simulator added its CA: the bundle SSL_CERT_FILE already
 * names, else the machine's, else Node's own list (a machine without an OpenSSL bundle).
 */
function systemRootsPem(env: NodeJS.ProcessEnv): string {
  const named = env.SSL_CERT_FILE;
  if (named && existsSync(named)) return readFileSync(named, 'utf8');
  systemRoots ??= (() => {
    const file = systemBundles.find((path) => existsSync(path));
    return file ? readFileSync(file, 'utf8') : rootCertificates.join('\n');
  })();
  return systemRoots;
}

export interface TrustFiles {
  /** DAP_SIM_CA_FILE, NODE_EXTRA_CA_CERTS and SSL_CERT_FILE for a child; DAP_SIM_TLS_DIR for a simulator it starts. */
  env: { DAP_SIM_CA_FILE: string; NODE_EXTRA_CA_CERTS: string; SSL_CERT_FILE: string; DAP_SIM_TLS_DIR: string };
  /** Removes the files. */
  remove(): void;
}

const withNewline = (pem: string) => (pem.endsWith('\n') ? pem : `${pem}\n`);

/**
 * Writes the CA for children in a folder of the simulator's own (owner only): the CA alone
 * (DAP_SIM_CA_FILE), the certificates Node adds to its roots (the CA, after any NODE_EXTRA_CA_CERTS
 * the caller had), and the bundle OpenSSL and .NET read instead of the machine's (its roots and the
 * CA). The server certificate and its key go there too (DAP_SIM_TLS_DIR): a simulator a child starts
 * presents the same one, which that child's own children trust already (a pwsh process cannot
 * take a new SSL_CERT_FILE once started). The key is the simulator's own, for loopback only.
 */
export function writeTrustFiles(identity: TlsIdentity, env: NodeJS.ProcessEnv): TrustFiles {
  const { caPem } = identity;
  const folder = mkdtempSync(join(tmpdir(), 'dap-sim-tls-'));
  const caFile = join(folder, identityFiles.caPem);
  writeFileSync(caFile, withNewline(caPem));
  writeFileSync(join(folder, identityFiles.cert), withNewline(identity.cert));
  writeFileSync(join(folder, identityFiles.key), withNewline(identity.key), { mode: 0o600 });
  let nodeExtra = caFile;
  const callerExtra = env.NODE_EXTRA_CA_CERTS;
  if (callerExtra && existsSync(callerExtra)) {
    nodeExtra = join(folder, 'node-extra-ca.pem');
    writeFileSync(nodeExtra, `${withNewline(readFileSync(callerExtra, 'utf8'))}${withNewline(caPem)}`);
  }
  const bundle = join(folder, 'ca-bundle.pem');
  writeFileSync(bundle, `${withNewline(systemRootsPem(env))}${withNewline(caPem)}`);
  return {
    env: { DAP_SIM_CA_FILE: caFile, NODE_EXTRA_CA_CERTS: nodeExtra, SSL_CERT_FILE: bundle, DAP_SIM_TLS_DIR: folder },
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}
