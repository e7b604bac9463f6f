import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ModelEntry } from '../core/catalog/types';
import { flag, flagList, UsageError, type ParsedArgs } from './args';

function coerce(entry: ModelEntry, name: string, raw: string): unknown {
  const field = entry.fields.find((f) => f.name === name);
  if (/^[[{]/.test(raw.trim())) {
    try {
      return JSON.parse(raw);
    } catch {
      throw new UsageError(`--set ${name}: the value looks like JSON but does not parse`);
    }
  }
  switch (field?.type) {
    case 'number':
    case 'integer': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--set ${name}: "${raw}" is not a number`);
      return n;
    }
    case 'boolean':
      if (!/^(true|false|yes|no|1|0)$/i.test(raw)) throw new UsageError(`--set ${name}: "${raw}" is not true or false`);
      return /^(true|yes|1)$/i.test(raw);
    case 'array':
      return raw === '' ? [] : raw.split(',').map((s) => s.trim());
    default:
      if (field?.enum?.every((v) => typeof v === 'number')) return Number(raw);
      return raw;
  }
}

/** The model input from `--input <json | @file>` and any number of `--set field=value`. */
export function inputFromArgs(entry: ModelEntry, args: ParsedArgs, cwd: string): Record<string, unknown> {
  let input: Record<string, unknown> = {};
  const given = flag(args, 'input');
  if (given) {
    const text = given.startsWith('@') ? readFileSync(resolve(cwd, given.slice(1)), 'utf8') : given;
    try {
      const parsed = JSON.parse(text);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      input = parsed as Record<string, unknown>;
    } catch (err) {
      throw new UsageError(`--input must be a JSON object (${(err as Error).message})`);
    }
  }
  for (const pair of flagList(args, 'set')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set takes field=value, got "${pair}"`);
    const name = pair.slice(0, eq);
    const value = coerce(entry, name, pair.slice(eq + 1));
    const field = entry.fields.find((f) => f.name === name);
    // Repeating --set for a list field appends, so several files can be given one by one.
    if (field?.type === 'array' && Array.isArray(input[name]) && Array.isArray(value)) input[name] = [...(input[name] as unknown[]), ...value];
    else input[name] = value;
  }
  return input;
}
