import { formatMicros, parseTrace, type RunResult } from '@dsim/core';

/**
 * A compact text rendering of a run, in the spirit of etcd raft's testdata: one line per event
 * that tells the story (faults, role and term changes, elections, entries moving, snapshots,
 * client outcomes, violations), leaving out the steady heartbeat chatter. The trace hash on the
 * last line covers everything else, so any change to the run shows in the diff.
 */
export function renderGolden(result: RunResult, options: { maxLines?: number } = {}): string {
  const maxLines = options.maxLines ?? 500;
  const { events } = parseTrace(result.trace.join('\n'));
  const lines: string[] = [];
  const roles = new Map<string, string>();
  let omitted = 0;
  const push = (t: number, text: string) => {
    if (lines.length < maxLines) lines.push(`${formatMicros(t).padStart(9)} ${text}`);
    else omitted++;
  };
  for (const event of events) {
    switch (event.k) {
      case 'send': {
        const desc = event.desc;
        if (desc.startsWith('Heartbeat') || /^AppendEntries .* n=0 /.test(desc) || / ok idx=/.test(desc)) break;
        push(event.t, `${event.from}->${event.to} ${desc}`);
        break;
      }
      case 'fault':
        push(event.t, `fault: ${event.desc}`);
        break;
      case 'state': {
        const summary = event.summary as { role: string; term: number; commit: number };
        const role = `${summary.role} t=${summary.term}`;
        if (roles.get(event.node) !== role) {
          roles.set(event.node, role);
          push(event.t, `${event.node} is ${role} commit=${summary.commit}`);
        }
        break;
      }
      case 'init':
        if (event.restart) {
          roles.delete(event.node);
          push(event.t, `${event.node} restarts`);
        }
        break;
      case 'note':
        if (event.node && !event.text.includes('already gave up')) push(event.t, `note: ${event.text}`);
        break;
      case 'complete':
        push(
          event.t,
          `${event.client} ${event.type}${event.value !== undefined ? ` ${JSON.stringify(event.value)}` : ''}${event.error ? ` (${event.error})` : ''}`,
        );
        break;
      case 'violation':
        push(event.t, `VIOLATION ${event.invariant}: ${event.message}`);
        break;
      case 'error':
        push(event.t, `ERROR ${event.message}`);
        break;
      default:
        break;
    }
  }
  if (omitted > 0) lines.push(`... ${omitted} more lines`);
  lines.push(
    `end ${result.endReason} at ${formatMicros(result.endTime)}, ${result.stats.events} events, trace hash ${result.hash}`,
  );
  return lines.join('\n') + '\n';
}
