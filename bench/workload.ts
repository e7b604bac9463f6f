// The benchmark's simulated workload: 200 tasks over ~15 minutes, with per-family duration
// distributions that differ from the catalog's priors (as real models do), progress where the
// family reports it, and a burst of submissions in the middle.
import { seededRandom, normal } from '../src/simulator/random';

export type Family = 'image' | 'flux' | 'video' | 'video-progress' | 'suno' | 'speech';

export interface FamilySpec {
  family: Family;
  /** Catalog model whose duration prior the scheduler starts from. */
  model: string;
  category: 'image' | 'video' | 'audio';
  /** True distribution of the generation time: log-normal, seconds. */
  median: number;
  sigma: number;
  /** Share of the workload. */
  share: number;
  /** How the family reports progress. */
  progress: 'none' | 'linear' | 'suno-stages';
}

export const FAMILIES: FamilySpec[] = [
  { family: 'image', model: 'google/nano-banana', category: 'image', median: 9, sigma: 0.35, share: 0.25, progress: 'none' },
  { family: 'image', model: 'bytedance/seedream', category: 'image', median: 14, sigma: 0.3, share: 0.12, progress: 'none' },
  { family: 'flux', model: 'flux-kontext-pro', category: 'image', median: 12, sigma: 0.3, share: 0.08, progress: 'none' },
  { family: 'video', model: 'veo3_fast', category: 'video', median: 75, sigma: 0.3, share: 0.1, progress: 'none' },
  { family: 'video-progress', model: 'kling/v2-1-standard', category: 'video', median: 130, sigma: 0.35, share: 0.1, progress: 'linear' },
  { family: 'suno', model: 'suno/generate', category: 'audio', median: 70, sigma: 0.25, share: 0.15, progress: 'suno-stages' },
  { family: 'speech', model: 'elevenlabs/text-to-speech-multilingual-v2', category: 'audio', median: 6, sigma: 0.4, share: 0.2, progress: 'none' },
];

export interface WorkTask {
  id: string;
  spec: FamilySpec;
  /** When the create was answered (ms, virtual). */
  start: number;
  /** Generation time (ms). */
  duration: number;
  end: number;
}

/** Progress (0..1) a status call at time `at` reports, or undefined. */
export function progressAt(t: WorkTask, at: number): number | undefined {
  const f = (at - t.start) / t.duration;
  if (t.spec.progress === 'linear') {
    const queue = 0.15;
    return f <= queue ? 0 : Math.min(0.99, (f - queue) / (1 - queue));
  }
  if (t.spec.progress === 'suno-stages') return f < 0.4 ? 0 : f < 0.75 ? 0.35 : 0.7;
  return undefined;
}

export function makeWorkload(n = 200, seed = 42): WorkTask[] {
  const random = seededRandom(seed);
  const tasks: WorkTask[] = [];
  const pick = () => {
    let r = random();
    for (const f of FAMILIES) {
      r -= f.share;
      if (r <= 0) return f;
    }
    return FAMILIES[FAMILIES.length - 1];
  };
  // Poisson arrivals at ~1 every 5 s, plus a burst of 40 submissions at the 5-minute mark,
  // spread as Kie's create limit (20 per 10 s) forces.
  const burst = Math.min(40, Math.floor(n / 5));
  let t = 0;
  for (let i = 0; i < n - burst; i++) {
    t += -Math.log(1 - random()) * 5000;
    tasks.push(task(pick(), Math.round(t)));
  }
  for (let b = 0; b < burst; b++) tasks.push(task(pick(), 300_000 + Math.floor(b / 20) * 10_000 + (b % 20) * 50));
  tasks.sort((a, b) => a.start - b.start);
  tasks.forEach((x, i) => (x.id = `t${i}`));
  return tasks;

  function task(spec: FamilySpec, start: number): WorkTask {
    const seconds = Math.max(spec.median / 3, spec.median * Math.exp(spec.sigma * normal(random)));
    const duration = Math.round(seconds * 1000);
    return { id: '', spec, start, duration, end: start + duration };
  }
}
