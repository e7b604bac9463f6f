// Makes the sample workspace used by `npm run demo` and the end-to-end tests: a few pictures
// rendered locally (no network) and a short guide.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeImage, renderPrompt } from '../src/simulator/media/image';

const PICTURES: [string, string, number, number, 'png' | 'jpeg'][] = [
  ['photos/sunrise-hills.png', 'sunrise over rolling hills', 480, 320, 'png'],
  ['photos/harbour-at-dusk.jpg', 'a quiet harbour at dusk', 400, 400, 'jpeg'],
  ['photos/desert-night.png', 'desert under a violet night sky', 320, 480, 'png'],
];

const GUIDE = `# Kie Studio demo workspace

1. Open the Kie Studio view in the activity bar. In the offline demo nothing leaves this machine.
2. In **Generate**, pick an image model, type a prompt and press Generate. The task shows up in
   **Tasks**; the picture lands in \`assets/image/\` with a \`.json\` record beside it.
3. Right-click a picture in \`photos/\` → **Kie Studio** → **Upscale Image**.
`;

export function makeDemoWorkspace(dir: string): string[] {
  const written: string[] = [];
  for (const [relative, prompt, width, height, format] of PICTURES) {
    const path = join(dir, relative);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, encodeImage(renderPrompt(prompt, width, height), format));
    written.push(path);
  }
  writeFileSync(join(dir, 'README.md'), GUIDE);
  return written;
}

if (process.argv[1]?.endsWith('demo-workspace.ts')) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: demo-workspace.ts <folder>');
  console.log(makeDemoWorkspace(dir).join('\n'));
}
