/**
 * The one message protocol between the sidebar webview and the extension host.
 * Both sides import this file; every message crossing the boundary is checked with these
 * schemas on arrival. Requests carry a `requestId` and get exactly one `reply`.
 * Handshake: the webview sends `ready` once it listens; the host sends nothing before that.
 */
import * as z from 'zod';
import { modelSpecSchema } from '../core/catalog/modelSpecSchema';

const category = z.enum(['image', 'video', 'audio']);
const input = z.record(z.string(), z.unknown());
const requestId = z.number().int().nonnegative();

export const FROM_WEBVIEW = {
  ready: 'ready',
  generate: 'generate',
  pickFile: 'pickFile',
  listMedia: 'listMedia',
  preview: 'preview',
  refreshBalance: 'refreshBalance',
  rememberModel: 'rememberModel',
  runCommand: 'runCommand',
  /** The form is rendered and usable (for the "sidebar to usable form" timing). */
  formReady: 'formReady',
} as const;

export const FROM_HOST = {
  init: 'init',
  reply: 'reply',
  balance: 'balance',
  fill: 'fill',
  models: 'models',
} as const;

/** Commands the webview may ask the host to run; anything else is refused. */
export const WEBVIEW_COMMANDS = ['kieStudio.setApiKey', 'kieStudio.startDemo', 'kieStudio.stopDemo', 'kieStudio.showTasks', 'kieStudio.showCredits'] as const;

export const webviewMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal(FROM_WEBVIEW.ready) }),
  z.strictObject({ type: z.literal(FROM_WEBVIEW.generate), requestId, modelId: z.string().min(1).max(200), input }),
  z.strictObject({ type: z.literal(FROM_WEBVIEW.pickFile), requestId, field: z.string(), kind: z.enum(['image', 'video', 'audio']), multiple: z.boolean() }),
  z.strictObject({ type: z.literal(FROM_WEBVIEW.listMedia), requestId, kind: z.enum(['image', 'video', 'audio']) }),
  z.strictObject({ type: z.literal(FROM_WEBVIEW.preview), requestId, path: z.string().max(4096) }),
  z.strictObject({ type: z.literal(FROM_WEBVIEW.refreshBalance) }),
  z.strictObject({ type: z.literal(FROM_WEBVIEW.rememberModel), category, modelId: z.string().max(200) }),
  z.strictObject({ type: z.literal(FROM_WEBVIEW.runCommand), command: z.enum(WEBVIEW_COMMANDS) }),
  z.strictObject({ type: z.literal(FROM_WEBVIEW.formReady) }),
]);
export type WebviewMessage = z.infer<typeof webviewMessage>;

const issue = z.strictObject({ field: z.string(), message: z.string() });

export const replyMessage = z.strictObject({
  type: z.literal(FROM_HOST.reply),
  requestId,
  ok: z.boolean(),
  result: z.unknown().optional(),
  error: z.string().optional(),
  issues: z.array(issue).optional(),
});

const account = z.strictObject({
  /** null: unknown (no key, or the look-up failed). */
  credits: z.number().nullable(),
  demo: z.boolean(),
  hasKey: z.boolean(),
  error: z.string().optional(),
});

export const hostMessage = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal(FROM_HOST.init),
    userModels: z.array(modelSpecSchema),
    lastModelByCategory: z.record(z.string(), z.string()),
    account,
    assetsFolder: z.string(),
  }),
  replyMessage,
  z.strictObject({ type: z.literal(FROM_HOST.balance), account }),
  z.strictObject({ type: z.literal(FROM_HOST.fill), modelId: z.string(), input }),
  z.strictObject({ type: z.literal(FROM_HOST.models), userModels: z.array(modelSpecSchema) }),
]);
export type HostMessage = z.infer<typeof hostMessage>;
export type Account = z.infer<typeof account>;

/** Results of the requests, by request type. */
export interface ReplyResults {
  generate: { taskId: string; localId: string };
  pickFile: { files: { path: string; previewUri?: string }[] };
  listMedia: { files: { path: string; previewUri?: string }[] };
  preview: { uri?: string };
}
