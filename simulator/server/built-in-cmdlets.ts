/**
 * The cmdlets the simulator serves with data of its own, on either Exchange path (the remoting
 * session's and the admin API's), and the catalogs' declared cmdlets beyond them. Here, above the
 * services, because only this layer may know both lists; the world is handed the answer.
 */
import type { Catalog } from '../../common/catalog.js';
import { exoCmdletNames } from '../exo/cmdlets.js';
import { cmdletSpecs } from '../remoting/cmdlet-catalog.js';
import { type DeclaredCmdletSpec, declareCatalogCmdlets } from '../world/declared-cmdlets.js';

const builtIn = new Set([...cmdletSpecs.map((spec) => spec.name), ...exoCmdletNames].map((name) => name.toLowerCase()));

/** True for a cmdlet the simulator serves with data of its own (a catalog cannot redefine it). */
export function isBuiltInCmdlet(name: string): boolean {
  return builtIn.has(name.toLowerCase());
}

/** The cmdlets the catalogs declare beyond the built-in ones (world/declared-cmdlets.ts has the rules). */
export function catalogCmdletSpecs(catalogs: readonly Catalog[]): DeclaredCmdletSpec[] {
  return declareCatalogCmdlets(catalogs, isBuiltInCmdlet);
}
