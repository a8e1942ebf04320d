export * from './simulator-types.js';
export { startSimulator } from './start-simulator.js';
export { loadScenario, parseScenario } from './load-scenario.js';
export type { Scenario, ScenarioInput, FaultSpec, FaultType } from './scenario-schema.js';
export { faultTypes } from './scenario-schema.js';
export { buildWorld } from './world.js';
export type { World, TenantRecord } from './world.js';
export { cmdletSpecs } from './report-catalog.js';
export { defaultScenarioPath, standInModulesDir } from './paths.js';
