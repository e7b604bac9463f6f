import * as vscode from 'vscode';
import type { HttpLogEvent } from '../core/kie/http';
import { formatHttpEvent, isErrorEvent, redact } from './model/log';

/**
 * The "Kie Studio" log output channel. Every line goes through redaction of the secrets it
 * knows (the API key); HTTP events come from the client's `log` hook, which never carries headers.
 */
export class Logger implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  private readonly secrets = new Set<string>();

  constructor() {
    this.channel = vscode.window.createOutputChannel('Kie Studio', { log: true });
  }

  /** A value that must never appear in the log. */
  addSecret(secret: string | undefined): void {
    if (secret) this.secrets.add(secret);
  }

  private clean(message: string): string {
    return redact(message, [...this.secrets]);
  }

  info(message: string): void {
    this.channel.info(this.clean(message));
  }

  warn(message: string): void {
    this.channel.warn(this.clean(message));
  }

  error(message: string, err?: unknown): void {
    const detail = err === undefined ? '' : `: ${err instanceof Error ? err.message : String(err)}`;
    this.channel.error(this.clean(`${message}${detail}`));
  }

  debug(message: string): void {
    this.channel.debug(this.clean(message));
  }

  http = (event: HttpLogEvent): void => {
    const line = this.clean(formatHttpEvent(event));
    if (isErrorEvent(event)) this.channel.warn(line);
    else this.channel.info(line);
  };

  dispose(): void {
    this.channel.dispose();
  }
}
