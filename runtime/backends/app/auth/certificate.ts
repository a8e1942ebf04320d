/**
 * The app's certificate credential: a password-less PEM file holding the private key and the
 * certificate (as `openssl pkcs12 -nodes` or Key Vault's PEM export writes it). The key never
 * leaves this process (MSAL signs the client assertions with it); the certificate gives the
 * thumbprint, and `x5c` when asked.
 *
 * Hand-written: MSAL takes a thumbprint and a PEM key as given; reading the file, refusing an
 * encrypted or non-RSA key, and checking that key and certificate belong together are ours, so a
 * wrong file is a clear usage error before any request rather than a refusal by the service.
 */
import { createHash, createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';

export interface ClientCertificate {
  privateKey: KeyObject;
  /** The key as PKCS#8 PEM, for MSAL. */
  privateKeyPem: string;
  /** The certificate as PEM (MSAL's `x5c` when asked). */
  certificatePem: string;
  /** Hex SHA-256 of the DER certificate: MSAL's thumbprintSha256 (`x5t#S256`, PS256 assertions). */
  thumbprintSha256: string;
  /** base64url of the SHA-1 hash of the DER certificate: the `x5t` (RS256) form of the thumbprint. */
  x5t: string;
  /** For messages: the thumbprint as the Entra admin center shows it (upper-case hex). */
  thumbprint: string;
  notAfter: Date;
}

const pemBlock = (label: string) => new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----`, 'g');

/** x5t of a certificate: base64url(SHA-1(DER)). */
export function certificateX5t(der: Buffer): string {
  return createHash('sha1').update(der).digest('base64url');
}

/**
 * Reads the key and the certificate out of PEM text. Throws an Error with a message for a person
 * (never the key's bytes) when either is missing, the key is encrypted, not RSA, or not the
 * certificate's key.
 */
export function parseCertificatePem(pem: string): ClientCertificate {
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(pem)) {
    throw new Error('the private key is encrypted; export it without a password (e.g. openssl pkcs12 -in app.pfx -nodes -out app.pem) and protect the file instead (chmod 600)');
  }
  const keyText = [...pem.matchAll(pemBlock('(?:RSA )?PRIVATE KEY'))][0]?.[0];
  if (!keyText) throw new Error('no private key found (expected a "-----BEGIN PRIVATE KEY-----" block beside the certificate)');
  const certText = [...pem.matchAll(pemBlock('CERTIFICATE'))][0]?.[0];
  if (!certText) throw new Error('no certificate found (expected a "-----BEGIN CERTIFICATE-----" block beside the private key)');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: keyText, format: 'pem' });
  } catch (error) {
    throw new Error(`the private key cannot be read: ${(error as Error).message}`, { cause: error });
  }
  if (privateKey.asymmetricKeyType !== 'rsa') throw new Error(`the private key is ${privateKey.asymmetricKeyType ?? 'of an unknown type'}; Entra ID client assertions here are RS256, which needs an RSA key`);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certText);
  } catch (error) {
    throw new Error(`the certificate cannot be read: ${(error as Error).message}`, { cause: error });
  }
  if (!certificate.checkPrivateKey(privateKey)) throw new Error('the private key does not belong to the certificate in the same file');
  return {
    privateKey,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    certificatePem: certText,
    thumbprintSha256: createHash('sha256').update(certificate.raw).digest('hex').toUpperCase(),
    x5t: certificateX5t(certificate.raw),
    thumbprint: certificate.fingerprint.replace(/:/g, ''),
    notAfter: new Date(certificate.validTo),
  };
}
