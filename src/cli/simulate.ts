// `kie-studio simulate`: runs the offline Kie.ai simulator until stopped.
import { startSimulator } from '../simulator';

export interface SimulateArgs {
  port?: number;
  speed?: number;
  /** Fault spec, e.g. "recordInfo:500:0.1,createTask:reset:1" (grammar in src/simulator/faults.ts). */
  faults?: string;
  credits?: number;
  apiKey?: string;
}

/** Starts the simulator, prints where it listens and how to point the CLI or the extension at it. */
export async function runSimulate(args: SimulateArgs, out: (line: string) => void): Promise<{ stop(): Promise<void> }> {
  const sim = await startSimulator({
    port: args.port,
    speed: args.speed,
    faults: args.faults,
    credits: args.credits,
    apiKey: args.apiKey,
  });
  out('Kie.ai simulator running (offline; no real credits are spent).');
  out(`  API:     ${sim.apiUrl}`);
  out(`  Upload:  ${sim.uploadUrl}`);
  out(`  Files:   ${sim.fileUrl}`);
  out(`  API key: ${sim.apiKey}`);
  out(`  Credits: ${sim.state.credits()}   speed: ${sim.options.speed}${args.faults ? `   faults: ${args.faults}` : ''}`);
  out(`Use it with: KIE_BASE_URL=${sim.apiUrl} KIE_UPLOAD_URL=${sim.uploadUrl} KIE_API_KEY=${sim.apiKey} kie-studio <command>`);
  return { stop: () => sim.stop() };
}
