import { statSync } from 'node:fs';
import { readBoundedFile, readProblem } from '../../../../common/bounded-read.js';
import { inputLimits } from '../../../../common/input-limits.js';
import { DapError, ExitCode } from '../../../../common/dap-error.js';
import { parseCertificatePem, type ClientCertificate } from './certificate.js';
import { isOpenToOthers } from './token-file.js';

/**
 * Reads the certificate credential from a PEM file (key and certificate, no password). A file that
 * group or others may read is refused, as ssh refuses such a key: the key in it may be known. Under
 * --simulate (the committed simulator test key, checked out 0644 by git) it is only a warning.
 */
export function readCertificateFile(path: string, options: { simulate: boolean; warn(message: string): void }): ClientCertificate {
  let mode: number;
  let text: string;
  try {
    mode = statSync(path).mode;
    text = readBoundedFile(path, inputLimits.certificate);
  } catch (error) {
    throw new DapError('BAD_CERTIFICATE', ExitCode.usage, `--certificate ${path}: cannot read it (${readProblem(error)})`, { cause: error });
  }
  if (isOpenToOthers(mode)) {
    const problem = `--certificate ${path}: the file holds a private key and other users can read it (mode ${(mode & 0o777).toString(8)}); chmod 600 it`;
    if (!options.simulate) throw new DapError('CERTIFICATE_FILE_OPEN', ExitCode.usage, problem);
    options.warn(`dap-report: warning: ${problem}`);
  }
  try {
    return parseCertificatePem(text);
  } catch (error) {
    throw new DapError('BAD_CERTIFICATE', ExitCode.usage, `--certificate ${path}: ${(error as Error).message}`, { cause: error });
  }
}
