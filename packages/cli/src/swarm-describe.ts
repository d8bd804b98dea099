import { describeLatency, formatMicros, type SwarmDraw } from '@dsim/core';

/** One line for people: what a `--swarm` seed drew ('5 nodes, faults partition+crash ×4, latency ...'). */
export function describeSwarm(draw: SwarmDraw): string {
  const parts: string[] = [];
  if (draw.nodes !== undefined) parts.push(`${draw.nodes} nodes`);
  if (draw.faultKinds !== undefined)
    parts.push(`faults ${draw.faultKinds.join('+')}${draw.faults !== undefined ? ` ×${draw.faults}` : ''}`);
  else if (draw.faults !== undefined) parts.push(`${draw.faults} fault episodes`);
  if (draw.latency !== undefined) parts.push(`latency ${describeLatency(draw.latency)}`);
  if (draw.loss) parts.push(`loss ${draw.loss}`);
  if (draw.duplicate) parts.push(`duplicate ${draw.duplicate}`);
  if (draw.faultDurationMicros !== undefined)
    parts.push(`episodes ${formatMicros(draw.faultDurationMicros.min)}–${formatMicros(draw.faultDurationMicros.max)}`);
  if (draw.partitionShapes !== undefined) parts.push(`partitions ${draw.partitionShapes.join('+')}`);
  if (draw.clockJumpMicros !== undefined) parts.push(`clock jumps ≤ ${formatMicros(draw.clockJumpMicros)}`);
  if (draw.burstProbability !== undefined) parts.push(`bursts ${draw.burstProbability}`);
  if (draw.clientTimeoutMicros !== undefined) parts.push(`client timeout ${formatMicros(draw.clientTimeoutMicros)}`);
  if (draw.clientTimeoutRoundTrips !== undefined)
    parts.push(`client timeout ${draw.clientTimeoutRoundTrips}× a write's time`);
  if (draw.clientStopMicros !== undefined) parts.push(`clients stop at ${formatMicros(draw.clientStopMicros)}`);
  if (draw.syncLatency !== undefined)
    parts.push(
      `disk syncs ${describeLatency(draw.syncLatency)}${draw.loseUnsyncedWrites ? ', crashes lose unsynced writes' : ''}`,
    );
  for (const [name, value] of Object.entries(draw.config ?? {})) parts.push(`${name}=${String(value)}`);
  for (const [name, value] of Object.entries(draw.options ?? {})) parts.push(`--${name} ${String(value)}`);
  if (draw.cornerShare !== undefined) parts.push(`knobs at an end ${Math.round(draw.cornerShare * 100)}%`);
  return parts.join(', ');
}
