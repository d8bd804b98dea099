import { recountResponsible } from './copies.ts';
import { isResponsible, mapServer, sortedHealthyList } from './mapper.ts';
import type { Ctx, S } from './context.ts';
import type { DistroState, MemberState } from './state.ts';

/**
 * Member health as ServerMemberManager keeps it: every 2 s a report goes to one member,
 * round-robin; every 5 s to every member that is not UP. A failed report makes the member
 * SUSPICIOUS; more than memberFailAccessMax failures make it DOWN. A successful report, or a report
 * received from the member, makes it UP. (A refused connection also means DOWN at once in Nacos;
 * in the simulation a crashed node is silent, so it goes DOWN by count.)
 */
export function sendReport(state: S, ctx: Ctx): void {
  ctx.setTimer('report', ctx.config.memberReportIntervalMicros);
  if (state.members.length === 0) return;
  state.reportCursor = (state.reportCursor + 1) % state.members.length;
  probe(state.members[state.reportCursor]!.id, ctx);
}

export function sendUnhealthyReports(state: S, ctx: Ctx): void {
  ctx.setTimer('unhealthyReport', ctx.config.unhealthyReportIntervalMicros);
  for (const member of state.members) if (member.state !== 'UP') probe(member.id, ctx);
}

function probe(target: string, ctx: Ctx): void {
  if (ctx.hasTimer(`reportTimeout:${target}`)) return; // one report in flight per member
  ctx.send(target, { type: 'Report' });
  ctx.setTimer(`reportTimeout:${target}`, ctx.config.memberReportTimeoutMicros);
}

export function handleReport(state: S, from: string, ctx: Ctx): void {
  ctx.send(from, { type: 'ReportAck' });
  markMember(state, from, 'UP', ctx);
}

export function handleReportAck(state: S, from: string, ctx: Ctx): void {
  ctx.cancelTimer(`reportTimeout:${from}`);
  markMember(state, from, 'UP', ctx);
}

export function handleReportTimeout(state: S, target: string, ctx: Ctx): void {
  const member = state.members.find((candidate) => candidate.id === target);
  if (!member) return;
  member.failAccessCount += 1;
  markMember(state, target, member.failAccessCount > ctx.config.memberFailAccessMax ? 'DOWN' : 'SUSPICIOUS', ctx);
}

function markMember(state: S, id: string, next: MemberState, ctx: Ctx): void {
  const member = state.members.find((candidate) => candidate.id === id);
  if (!member) return;
  if (next === 'UP') member.failAccessCount = 0;
  if (member.state === next) return;
  member.state = next;
  ctx.annotate(`${ctx.self} sees ${id} ${next}`);
  rebuildHealthyList(state, ctx);
}

/** DistroMapper.onEvent(MembersChangeEvent): ownership moves silently, with no handoff. */
export function rebuildHealthyList(state: S, ctx: Ctx): void {
  const next = healthyListOf(state, ctx.self, ctx.bugs.has('hashOverAllMembers'));
  if (next.length === state.healthyList.length && next.every((id, i) => id === state.healthyList[i])) return;
  state.healthyList = next;
  state.stats.rehashes += 1;
  recountResponsible(state, ctx.self);
}

export function healthyListOf(state: Pick<DistroState, 'members'>, self: string, allMembers = false): string[] {
  const alive = state.members.filter((member) => allMembers || member.state !== 'DOWN').map((member) => member.id);
  return sortedHealthyList([self, ...alive]);
}

export const responsibleFor = (state: Pick<DistroState, 'healthyList'>, client: string, self: string): boolean =>
  isResponsible(client, state.healthyList, self);

export const ownerOf = (state: Pick<DistroState, 'healthyList'>, client: string, self: string): string =>
  mapServer(client, state.healthyList, self);

/** Members a push goes to: allMembersWithoutSelf at send time. */
export const otherMembers = (state: S): string[] => state.members.map((member) => member.id);

export const memberIsUp = (state: S, id: string): boolean =>
  state.members.find((member) => member.id === id)?.state === 'UP';
