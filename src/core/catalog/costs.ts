import { flatCost } from './define';
import type { CostEstimate, ModelInput } from './types';

/** Credits by the value of one field (e.g. duration or speed), with a fallback. */
export function byField(field: string, table: Record<string, number>, fallback: number, unit = ''): (input: ModelInput) => CostEstimate {
  return (input) => {
    const value = input[field];
    const key = value === undefined ? undefined : String(value);
    const credits = key !== undefined && key in table ? table[key] : fallback;
    return flatCost(credits, key !== undefined && key in table ? `${credits} credits for ${field} ${key}${unit}` : `${credits} credits per task`);
  };
}

/** Credits per thousand characters of a text field. */
export function perThousandChars(field: string, creditsPerThousand: number): (input: ModelInput) => CostEstimate {
  return (input) => {
    const text = typeof input[field] === 'string' ? (input[field] as string) : '';
    const credits = Math.max(1, Math.ceil((text.length / 1000) * creditsPerThousand * 100) / 100);
    return flatCost(credits, `${creditsPerThousand} credits per 1000 characters`);
  };
}

/** Credits per output when a field sets how many outputs are made. */
export function perOutput(field: string, each: number, defaultCount = 1): (input: ModelInput) => CostEstimate {
  return (input) => {
    const n = Number(input[field] ?? defaultCount) || defaultCount;
    return flatCost(each * n, `${each} credits per output × ${n}`);
  };
}
