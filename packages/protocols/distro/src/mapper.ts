import type { NodeId } from '@dsim/core';

/** Java's String.hashCode: 31-polynomial over UTF-16 code units with 32-bit wrap-around. */
export function javaHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

/** Nacos' DistroMapper.distroHash: Math.abs(hashCode % Integer.MAX_VALUE). */
export function distroHash(tag: string): number {
  return Math.abs(javaHash(tag) % 2147483647);
}

/**
 * The healthy list as DistroMapper keeps it: members UP or SUSPICIOUS, sorted as Java sorts
 * strings (by UTF-16 code unit), so every node with the same view computes the same owners and
 * "n10" sorts before "n9" exactly as "10.0.0.10:8848" sorts before "10.0.0.9:8848".
 */
export function sortedHealthyList(members: readonly NodeId[]): NodeId[] {
  return [...members].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** DistroMapper.mapSrv: the owner of a tag, or self when the list is empty. */
export function mapServer(tag: string, healthyList: readonly NodeId[], self: NodeId): NodeId {
  if (healthyList.length === 0) return self;
  return healthyList[distroHash(tag) % healthyList.length]!;
}

/**
 * DistroMapper.responsible with its quirks: an empty list means "not ready" (false); a node that
 * cannot see itself in the list claims everything (true); otherwise the tag's slot must fall
 * between the first and last index of the local address.
 */
export function isResponsible(tag: string, healthyList: readonly NodeId[], self: NodeId): boolean {
  if (healthyList.length === 0) return false;
  const first = healthyList.indexOf(self);
  if (first < 0) return true;
  const last = healthyList.lastIndexOf(self);
  const target = distroHash(tag) % healthyList.length;
  return first <= target && target <= last;
}
