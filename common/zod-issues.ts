import type { z } from 'zod';

function formatPath(path: ReadonlyArray<PropertyKey>, root: string): string {
  return path.length === 0 ? root : path.map(String).join('.');
}

/** One line per problem: `<field path>: <message>`; `root` names the whole value (an empty path). */
export function formatIssues(issues: ReadonlyArray<z.core.$ZodIssue>, root: string): string[] {
  return issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return `${formatPath(issue.path, root)}: unknown field(s) ${issue.keys.map((key) => `'${key}'`).join(', ')}`;
    }
    return `${formatPath(issue.path, root)}: ${issue.message}`;
  });
}
