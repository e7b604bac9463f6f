/**
 * Imported first by main.ts: zod must not probe `new Function` (its JIT) under the webview's
 * Content-Security-Policy, which has no 'unsafe-eval' and would report a violation. Object
 * schemas read this setting when they are created, so it is set before any schema module loads.
 */
import * as z from 'zod';

z.config({ jitless: true });
