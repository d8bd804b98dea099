import type { Draft, NodeContext } from '@dsim/core';
import type { DistroBug } from './bugs.ts';
import type { DistroConfig } from './config.ts';
import type { DistroMessage, DistroResult, DistroState, DistroTimer } from './state.ts';

export type Ctx = NodeContext<DistroMessage, DistroResult, DistroConfig, DistroTimer, DistroBug>;
export type S = Draft<DistroState>;

/** A fresh id for a push or a forward, unique on this node for this incarnation. */
export function nextId(state: S, ctx: Ctx): string {
  state.nextId += 1;
  return `${ctx.self}.${state.incarnation}.${state.nextId}`;
}
