// The engine's downloader against curl on the same URL: throughput, and how much memory it takes.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { downloadToTemp } from '../src/core/engine/index';

export interface DownloadBench {
  bytes: number;
  engineMBps: number;
  curlMBps: number;
  ratio: number;
  rssGrowthMB: number;
  /** Growth per measured run (MB). */
  rssGrowthRunsMB: number[];
  runs: { tool: string; ms: number }[];
}

async function startSimulatorProcess(): Promise<{ child: ChildProcess; bigFile: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'sim-server.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`simulator exited (${code})`)));
  });
  return { child, bigFile: (JSON.parse(line) as { bigFile: string }).bigFile };
}

function curl(url: string, out: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const p = spawn('curl', ['-sS', '--fail', '-o', out, url], { stdio: ['ignore', 'ignore', 'inherit'] });
    p.once('error', reject);
    p.once('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`curl exited ${code}`))));
  });
}

export async function benchDownload(bytes = 500 * 1024 * 1024, rounds = 2): Promise<DownloadBench> {
  const { child, bigFile } = await startSimulatorProcess();
  const dir = mkdtempSync(join(tmpdir(), 'kie-bench-dl-'));
  const url = `${bigFile}${bytes}.bin`;
  const runs: { tool: string; ms: number }[] = [];
  let rssGrowth = 0;
  const growthRuns: number[] = [];
  try {
    // Warm up both paths (connections, JIT) with a small download.
    await curl(`${bigFile}${8 << 20}.bin`, join(dir, 'warm-curl'));
    await downloadToTemp({ url: `${bigFile}${8 << 20}.bin`, tempPath: join(dir, 'warm-engine') });
    const runCurl = async () => {
      const curlOut = join(dir, 'curl.bin');
      runs.push({ tool: 'curl', ms: await curl(url, curlOut) });
      if (statSync(curlOut).size !== bytes) throw new Error('curl got the wrong size');
      rmSync(curlOut);
    };
    const runEngine = async () => {
      const engineOut = join(dir, 'engine.part');
      global.gc?.();
      const base = process.memoryUsage().rss;
      let peak = base;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 10);
      const started = performance.now();
      const result = await downloadToTemp({ url, tempPath: engineOut });
      runs.push({ tool: 'engine', ms: performance.now() - started });
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      rssGrowth = Math.max(rssGrowth, peak - base);
      growthRuns.push(Math.round(((peak - base) / 1048576) * 10) / 10);
      if (result.bytes !== bytes) throw new Error('the engine got the wrong size');
      rmSync(engineOut);
    };
    // Alternate who goes first: the machine's load changes from second to second.
    for (let r = 0; r < rounds; r++) {
      if (r % 2) {
        await runEngine();
        await runCurl();
      } else {
        await runCurl();
        await runEngine();
      }
    }
  } finally {
    child.stdin?.end();
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
  const best = (tool: string) => Math.min(...runs.filter((r) => r.tool === tool).map((r) => r.ms));
  const mbps = (ms: number) => bytes / 1048576 / (ms / 1000);
  const engineMBps = mbps(best('engine'));
  const curlMBps = mbps(best('curl'));
  return { bytes, engineMBps, curlMBps, ratio: engineMBps / curlMBps, rssGrowthMB: rssGrowth / 1048576, rssGrowthRunsMB: growthRuns, runs };
}
