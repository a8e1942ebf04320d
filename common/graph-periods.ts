/**
 * The periods a Microsoft Graph usage report accepts, `(period='D7')` …, in the service's order
 * (shared/reference/partner-environment.md §4): the definitions' Period parameter, the generated
 * module's [ValidateSet], the runtime and the simulator all take them from here.
 */
export const graphPeriods = ['D7', 'D30', 'D90', 'D180'] as const;
export type GraphPeriod = (typeof graphPeriods)[number];

/** The period a Graph report covers when none is given. */
export const defaultGraphPeriod = 'D7' satisfies GraphPeriod;
