/** The one place that constructs the task engine (so its options are a one-line change). */
import type { Catalog } from '../core/catalog/catalog';
import { TaskEngine, type EngineLimits } from '../core/engine';
import type { TaskEngineApi } from '../core/engine/types';
import type { KieClient } from '../core/kie/client';

export interface EngineFactoryOptions {
  catalog: Catalog;
  client: () => KieClient;
  storageDir: string;
  log?: (line: string) => void;
  limits?: EngineLimits;
}

export function createEngine(options: EngineFactoryOptions): TaskEngineApi {
  return new TaskEngine(options);
}
