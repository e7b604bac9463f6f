/** Small formatting helpers shared by the tree, the status bar and notifications (no vscode import). */

/** "4s", "1m 05s", "2h 03m". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${String(m % 60).padStart(2, '0')}m`;
}

/** Credits as people read them: grouped, at most two decimals. */
export function formatCredits(credits: number): string {
  return credits.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** One line, at most `max` characters, with an ellipsis when cut. */
export function excerpt(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, Math.max(1, max - 1)).trimEnd()}…`;
}

/** Progress as a percentage; Kie reports 0..1 (a few families 0..100). */
export function formatProgress(progress: number | undefined): string | undefined {
  if (progress === undefined || !Number.isFinite(progress) || progress <= 0) return undefined;
  const pct = progress <= 1 ? progress * 100 : progress;
  return `${Math.min(100, Math.round(pct))}%`;
}

/** Escapes text for inclusion in Markdown (tooltips), so prompts cannot inject links or formatting. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

/** Last path segment, for both separators. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}
