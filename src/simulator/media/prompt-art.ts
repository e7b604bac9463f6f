// Draws a calm abstract landscape whose palette and shapes are chosen by a hash of the prompt.
import { createRandom, hashPrompt } from './prompt-hash';
import { createRaster, hslToRgb, type Raster, type Rgb } from './raster';

interface Orb {
  x: number;
  y: number;
  radius: number;
  feather: number;
  opacity: number;
  colour: Rgb;
}

interface Ridge {
  base: number;
  waves: { amplitude: number; frequency: number; phase: number }[];
  top: Rgb;
  bottom: Rgb;
}

interface Scene {
  skyFrom: Rgb;
  skyTo: Rgb;
  angle: number;
  orbs: Orb[];
  ridges: Ridge[];
}

const HARMONIES = [30, 150, 180, 210, 120];

function planScene(prompt: string, seed: number): Scene {
  const rand = createRandom(hashPrompt(prompt, seed));
  const hue = rand() * 360;
  const accentHue = hue + HARMONIES[Math.floor(rand() * HARMONIES.length)];
  const night = rand() < 0.35;
  const skyFrom = hslToRgb(hue, 0.5 + rand() * 0.3, night ? 0.12 + rand() * 0.1 : 0.45 + rand() * 0.15);
  const skyTo = hslToRgb(hue + 20 + rand() * 40, 0.6 + rand() * 0.3, night ? 0.35 + rand() * 0.1 : 0.72 + rand() * 0.12);

  const orbs: Orb[] = [
    {
      x: 0.2 + rand() * 0.6,
      y: 0.2 + rand() * 0.25,
      radius: 0.1 + rand() * 0.1,
      feather: 0.01,
      opacity: 0.95,
      colour: hslToRgb(accentHue, 0.85, night ? 0.85 : 0.62),
    },
  ];
  const glowCount = 2 + Math.floor(rand() * 4);
  for (let i = 0; i < glowCount; i++) {
    orbs.push({
      x: rand(),
      y: rand() * 0.6,
      radius: 0.05 + rand() * 0.2,
      feather: 0.05 + rand() * 0.1,
      opacity: 0.15 + rand() * 0.25,
      colour: hslToRgb(accentHue + rand() * 60 - 30, 0.7, 0.75),
    });
  }

  const ridgeCount = 2 + Math.floor(rand() * 3);
  const ridges: Ridge[] = [];
  for (let i = 0; i < ridgeCount; i++) {
    const depth = (i + 1) / ridgeCount; // 0 = far, 1 = near
    const lightness = (night ? 0.3 : 0.5) - depth * 0.3;
    ridges.push({
      base: 0.5 + depth * 0.35 - rand() * 0.08,
      waves: [0, 1, 2].map((k) => ({
        amplitude: (0.06 - k * 0.015) * (0.5 + rand()),
        frequency: (1 + k * 2.5) * (0.6 + rand() * 0.8) * Math.PI * 2,
        phase: rand() * Math.PI * 2,
      })),
      top: hslToRgb(hue + 180 + depth * 40, 0.35 + depth * 0.2, lightness),
      bottom: hslToRgb(hue + 200 + depth * 40, 0.4 + depth * 0.2, Math.max(0.05, lightness - 0.15)),
    });
  }
  return { skyFrom, skyTo, angle: (rand() - 0.5) * 0.8, orbs, ridges };
}

function mix(a: number, b: number, t: number): number {
  return a + (b - a) * t;
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

export function renderPrompt(prompt: string, width: number, height: number, seed = 0): Raster {
  const out = createRaster(width, height);
  const scene = planScene(prompt, seed);
  const unit = Math.min(width, height);
  const dirX = Math.sin(scene.angle);
  const dirY = Math.cos(scene.angle);
  const ridgeEdges = scene.ridges.map((ridge) => {
    const edges = new Float32Array(width);
    for (let x = 0; x < width; x++) {
      const u = x / Math.max(width, height); // same hill spacing in portrait and landscape
      edges[x] = (ridge.base + ridge.waves.reduce((s, w) => s + w.amplitude * Math.sin(u * w.frequency + w.phase), 0)) * height;
    }
    return edges;
  });

  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x / width;
      const v = y / height;
      const t = clamp01((u - 0.5) * dirX + (v - 0.5) * dirY + 0.5);
      let r = mix(scene.skyFrom[0], scene.skyTo[0], t);
      let g = mix(scene.skyFrom[1], scene.skyTo[1], t);
      let b = mix(scene.skyFrom[2], scene.skyTo[2], t);

      for (const orb of scene.orbs) {
        const distance = Math.hypot(x - orb.x * width, y - orb.y * height) / unit;
        const coverage = clamp01((orb.radius - distance) / orb.feather + 0.5) * orb.opacity;
        if (coverage > 0) {
          r = mix(r, orb.colour[0], coverage);
          g = mix(g, orb.colour[1], coverage);
          b = mix(b, orb.colour[2], coverage);
        }
      }

      for (let i = 0; i < scene.ridges.length; i++) {
        const edge = ridgeEdges[i][x];
        const coverage = clamp01(y - edge + 0.5); // one-pixel anti-aliased edge
        if (coverage > 0) {
          const ridge = scene.ridges[i];
          const shade = clamp01((y - edge) / (height - edge + 1));
          r = mix(r, mix(ridge.top[0], ridge.bottom[0], shade), coverage);
          g = mix(g, mix(ridge.top[1], ridge.bottom[1], shade), coverage);
          b = mix(b, mix(ridge.top[2], ridge.bottom[2], shade), coverage);
        }
      }

      const o = (y * width + x) * 4;
      out.data[o] = Math.round(r);
      out.data[o + 1] = Math.round(g);
      out.data[o + 2] = Math.round(b);
      out.data[o + 3] = 255;
    }
  }
  return out;
}
