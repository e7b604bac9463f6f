/** The status bar item's text and tooltip, without vscode. */
import { formatCredits } from './format';

export interface StatusState {
  demo: boolean;
  hasKey: boolean;
  /** null: unknown (not fetched yet, or the look-up failed). */
  credits: number | null;
  running: number;
  /** Why the balance could not be fetched. */
  error?: string;
}

export interface StatusView {
  text: string;
  tooltip: string;
  /** Use the warning background (demo mode), a theme colour. */
  warning: boolean;
}

export function statusView(s: StatusState): StatusView {
  const running = s.running > 0 ? ` $(loading~spin) ${s.running}` : '';
  const tasksLine = s.running === 0 ? 'No tasks running.' : s.running === 1 ? '1 task running.' : `${s.running} tasks running.`;
  if (s.demo) {
    const credits = s.credits === null ? '' : ` ${formatCredits(s.credits)}`;
    return {
      text: `$(beaker) DEMO${credits}${running}`,
      tooltip: `Kie Studio offline demo: a simulator on this machine, no key and no real credits.\nDemo balance: ${s.credits === null ? 'unknown' : `${formatCredits(s.credits)} credits`}\n${tasksLine}\nClick to show the tasks.`,
      warning: true,
    };
  }
  if (!s.hasKey) {
    return { text: `$(key) Kie: no key${running}`, tooltip: `No Kie.ai API key is set.\n${tasksLine}\nClick to show the tasks.`, warning: false };
  }
  const credits = s.credits === null ? '—' : formatCredits(s.credits);
  const balance = s.credits === null ? `Kie.ai balance unknown${s.error ? ` (${s.error})` : ''}` : `Kie.ai balance: ${formatCredits(s.credits)} credits`;
  return { text: `$(sparkle) ${credits}${running}`, tooltip: `${balance}\n${tasksLine}\nClick to show the tasks.`, warning: false };
}
