// The offline Kie.ai simulator: real HTTP servers that answer like api.kie.ai, its upload host and its file hosts.
export { startSimulator, type Simulator } from './simulator';
export type { SimulatorOptions, RateLimits } from './options';
export { FaultInjector, parseFaultSpec, type FaultInit, type FaultKind, type FaultRule, type EndpointKey } from './faults';
export type { ReceivedRequest, Origin } from './recorder';
export type { SimState } from './state';
export type { SimTask } from './tasks/task';
