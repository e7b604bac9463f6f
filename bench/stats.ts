export function quantile(values: number[], q: number): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/** Most timestamps in any window of `windowMs` (each window half-open: [t, t + windowMs)). */
export function peakPerWindow(times: number[], windowMs = 1000): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < t.length; hi++) {
    while (t[hi] - t[lo] >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

/** Linear interpolation of y at x through points sorted by x; clamps outside their range. */
export function interpolate(points: { x: number; y: number }[], x: number): { y: number; extrapolated: boolean } {
  const p = [...points].sort((a, b) => a.x - b.x);
  if (x <= p[0].x) return { y: p[0].y, extrapolated: x < p[0].x };
  if (x >= p[p.length - 1].x) return { y: p[p.length - 1].y, extrapolated: x > p[p.length - 1].x };
  for (let i = 1; i < p.length; i++) {
    if (x <= p[i].x) {
      const f = (x - p[i - 1].x) / (p[i].x - p[i - 1].x);
      return { y: p[i - 1].y + f * (p[i].y - p[i - 1].y), extrapolated: false };
    }
  }
  return { y: p[p.length - 1].y, extrapolated: true };
}
