// The simulator in a process of its own, so a download benchmark measures the client only.
import { startSimulator } from '../src/simulator/index';

(async () => {
  const sim = await startSimulator({ speed: 0.001 });
  process.stdout.write(`${JSON.stringify({ apiUrl: sim.apiUrl, uploadUrl: sim.uploadUrl, fileUrl: sim.fileUrl, apiKey: sim.apiKey, bigFile: sim.bigFileUrl(0).replace(/0\.bin$/, '') })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void sim.stop().then(() => process.exit(0)));
})();
