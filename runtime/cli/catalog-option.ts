import { dirname, join, resolve } from 'node:path';
import { type Catalog, catalogFileAt } from '../../common/catalog.js';
import { DapError, ExitCode } from '../../common/dap-error.js';
import type { CatalogLocation } from '../backends/contract/run-backend.js';
import type { UserCatalog } from '../run/run-plan.js';

/** The environment variable that names a catalog when --catalog is absent. */
export const catalogVariable = 'DAP_CATALOG';


export type { CatalogLocation, UserCatalog };

/**
 * The catalog --catalog (else DAP_CATALOG) names, or undefined for the built-in one: a
 * `.catalog.json` file, or the folder dap-gen wrote (`<dir>/DapReporting/DapReporting.catalog.json`,
 * or that DapReporting folder itself). A name that leads to no file is a usage error; the file is
 * read and checked by readCatalog.
 */
export function locateCatalog(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): CatalogLocation | undefined {
  const raw = flag ?? (env[catalogVariable] || undefined);
  if (raw === undefined) return undefined;
  const given = flag !== undefined ? `--catalog ${raw}` : `${catalogVariable}=${raw}`;
  const target = resolve(cwd, raw);
  const found = catalogFileAt(target);
  if (!found.path && !found.folder) throw new DapError('CATALOG_NOT_FOUND', ExitCode.usage, `${given}: no such file or folder (${target})`);
  if (!found.path) {
    throw new DapError(
      'CATALOG_NOT_FOUND',
      ExitCode.usage,
      `${given}: the folder holds no catalog: expected ${found.expected} (what dap-gen --reports <file> --out ${raw} writes) or a .catalog.json file`,
    );
  }
  const path = found.path;
  return { path, given, moduleManifest: join(dirname(path), 'DapReporting.psd1') };
}


/**
 * The catalog --catalog or DAP_CATALOG names, read and checked (an unreadable or malformed one is a
 * usage error naming how it was given, the file and the problem); undefined when none is named.
 */
export function readUserCatalog(
  flag: string | undefined,
  deps: { env: NodeJS.ProcessEnv; cwd: string; readCatalog(path: string): Catalog },
): UserCatalog | undefined {
  const location = locateCatalog(flag, deps.env, deps.cwd);
  if (!location) return undefined;
  try {
    return { ...location, catalog: deps.readCatalog(location.path) };
  } catch (error) {
    if (error instanceof DapError) throw new DapError(error.code, ExitCode.usage, `${location.given}: ${error.message}`, { cause: error });
    throw error;
  }
}
