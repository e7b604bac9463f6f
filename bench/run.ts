// `npm run bench`: the engine's scheduler against fixed-interval pollers on one simulated
// workload (virtual time), and the engine's downloader against curl. Not a test: it prints a
// table and PASS/FAIL lines for the goals, and writes bench/results/latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchDownload } from './download';
import { comparePollers, type PollerResult } from './polling';
import { makeWorkload } from './workload';

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function table(rows: PollerResult[]): string[] {
  const head = ['poller', 'status requests', 'p50 lag', 'p95 lag', 'peak req/s', 'image p95', 'video p95', 'audio p95'];
  const body = rows.map((r) => [
    r.name, String(r.requests), s(r.p50LagMs), s(r.p95LagMs), String(r.peakPerSecond),
    s(r.lagByCategory.image.p95), s(r.lagByCategory.video.p95), s(r.lagByCategory.audio.p95),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
}

async function main(): Promise<void> {
  const started = Date.now();
  const goals: { name: string; pass: boolean; detail: string }[] = [];
  const tasks = makeWorkload(200, 42);
  const counts = tasks.reduce<Record<string, number>>((acc, t) => ({ ...acc, [t.spec.category]: (acc[t.spec.category] ?? 0) + 1 }), {});
  console.log(`Workload: ${tasks.length} tasks (${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}) over ${s(Math.max(...tasks.map((t) => t.end)))} of virtual time; status round trip 120 ms.`);
  const polling = await comparePollers(tasks);
  console.log('');
  for (const l of table([polling.ours, ...polling.extra, ...polling.fixed])) console.log(l);
  console.log('');
  console.log(`Fixed pollers' p95 lag interpolated at our ${polling.ours.requests} requests: ${s(polling.fixedP95AtOurRequests)}${polling.extrapolated ? ' (outside their range: clamped)' : ''}; ours ${s(polling.ours.p95LagMs)} (${(polling.lagReduction * 100).toFixed(0)}% lower).`);

  goals.push({ name: 'peak status requests never above 10/s', pass: polling.ours.peakPerSecond <= 10, detail: `${polling.ours.peakPerSecond}/s` });
  goals.push({ name: 'p95 detection lag of image tasks at most 2 s', pass: polling.ours.imageP95LagMs <= 2000, detail: s(polling.ours.imageP95LagMs) });
  goals.push({
    name: 'p95 lag at least 30% below fixed pollers at the same request count',
    pass: polling.lagReduction >= 0.3 && !polling.extrapolated,
    detail: `${(polling.lagReduction * 100).toFixed(0)}% lower (${s(polling.ours.p95LagMs)} vs ${s(polling.fixedP95AtOurRequests)})`,
  });

  console.log('');
  console.log('Downloading 500 MB from the simulator\'s large-file path (simulator in its own process; best of 6 each, alternating) ...');
  const dl = await benchDownload(500 * 1024 * 1024, 6);
  console.log(`  engine ${dl.engineMBps.toFixed(0)} MB/s, curl ${dl.curlMBps.toFixed(0)} MB/s, ratio ${dl.ratio.toFixed(2)}; peak RSS growth ${dl.rssGrowthMB.toFixed(1)} MB (per run: ${dl.rssGrowthRunsMB.join(", ")} MB, after an 8 MB warm-up download)`);
  goals.push({ name: 'download throughput at least 0.9 × curl', pass: dl.ratio >= 0.9, detail: dl.ratio.toFixed(2) });
  goals.push({ name: 'download memory growth at most 32 MB', pass: dl.rssGrowthMB <= 32, detail: `${dl.rssGrowthMB.toFixed(1)} MB` });

  console.log('');
  for (const g of goals) console.log(`${g.pass ? 'PASS' : 'FAIL'}  ${g.name}: ${g.detail}`);
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    seconds: (Date.now() - started) / 1000,
    workload: { tasks: tasks.length, byCategory: counts },
    polling,
    download: dl,
    goals,
  };
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nWrote bench/results/latest.json (${results.seconds.toFixed(0)} s).`);
  if (goals.some((g) => !g.pass)) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
