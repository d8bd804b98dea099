/**
 * A dark, calm palette. Roles get colours by what the word usually means in distributed systems
 * (whoever leads is gold, whoever follows is blue, trouble is red), else by order of appearance,
 * so every protocol's summaries colour well without protocol-specific code.
 */
export const COLORS = {
  background: '#0e1217',
  panel: '#141a21',
  grid: '#1f2731',
  line: '#2b3541',
  text: '#d6dde6',
  dim: '#8793a3',
  faint: '#5a6573',
  cursor: '#f2f5f8',
  fault: '#e0a458',
  violation: '#ff5f6d',
  crashed: '#3a4049',
  paused: '#e5c07b',
  cut: '#ff6b6b',
  ok: '#7cc58a',
  fail: '#ef6f6c',
  info: '#e5c07b',
  pending: '#8793a3',
  selection: '#ffffff',
  leader: '#e6b450',
} as const;

const ROLE_HINTS: Array<[RegExp, string]> = [
  [/leader|coordinator|primary|master|proposer|orchestrator/i, '#e6b450'],
  [/candidate|electing|pre-?vote|prepar/i, '#c08fe0'],
  [/follower|participant|replica|backup|acceptor|learner|secondary/i, '#5fa8e8'],
  [/healthy|ok|alive|committed|done|confirm/i, '#6fc08c'],
  // Orange, not gold: a blocked participant must not look like its coordinator.
  [/suspect|uncertain|unknown|blocked|waiting|pending/i, '#f08a3c'],
  // Rose, not red: a node another node is removing is still up, unlike a crashed one (red ring).
  [/remov|fail|abort|dead|cancel|compensat|down/i, '#e05fa0'],
];
const ROLE_FALLBACK = [
  '#56b6c2',
  '#c678dd',
  '#98c379',
  '#d19a66',
  '#61afef',
  '#e5c07b',
  '#7ec8a0',
  '#b39ddb',
  '#f48fb1',
  '#80cbc4',
];

export function roleColors(roles: readonly string[]): Map<string, string> {
  const colors = new Map<string, string>();
  const used = new Set<string>();
  let fallback = 0;
  for (const role of roles) {
    const hint = ROLE_HINTS.find(([pattern]) => pattern.test(role));
    if (hint && !used.has(hint[1])) {
      colors.set(role, hint[1]);
      used.add(hint[1]);
      continue;
    }
    let color = ROLE_FALLBACK[fallback++ % ROLE_FALLBACK.length]!;
    while (used.has(color) && fallback < ROLE_FALLBACK.length * 2)
      color = ROLE_FALLBACK[fallback++ % ROLE_FALLBACK.length]!;
    colors.set(role, color);
    used.add(color);
  }
  return colors;
}

const DROP_HINTS: Record<string, string> = { partition: '#ff6b6b', crashed: '#9aa4b2', loss: '#e0a458' };
const DROP_FALLBACK = ['#c678dd', '#56b6c2', '#d19a66', '#f48fb1'];

export function dropColors(reasons: readonly string[]): Map<string, string> {
  const colors = new Map<string, string>();
  let fallback = 0;
  for (const reason of reasons)
    colors.set(reason, DROP_HINTS[reason] ?? DROP_FALLBACK[fallback++ % DROP_FALLBACK.length]!);
  return colors;
}

/** Side colours for partition groups. */
export const GROUP_COLORS = ['#4c8dd6', '#c88a3a', '#58b08a', '#a77bd0', '#d0607a', '#6cb8c8'];

/** A stable colour per message kind (the first word of its description). */
const MESSAGE_COLORS = ['#7fb4e6', '#9fd49f', '#d7b46a', '#c79be0', '#7fd0d0', '#e69a8f', '#b0c4de', '#e0c0a0'];
const messageColorCache = new Map<string, string>();
export function messageColor(desc: string | undefined): string {
  const word = (desc ?? '').split(/[\s(]/, 1)[0] ?? '';
  let color = messageColorCache.get(word);
  if (!color) {
    let hash = 0;
    for (let i = 0; i < word.length; i++) hash = (Math.imul(hash, 31) + word.charCodeAt(i)) | 0;
    color = MESSAGE_COLORS[Math.abs(hash) % MESSAGE_COLORS.length]!;
    messageColorCache.set(word, color);
  }
  return color;
}

export function withAlpha(hex: string, alpha: number): string {
  const value = parseInt(hex.slice(1), 16);
  return `rgba(${(value >> 16) & 255},${(value >> 8) & 255},${value & 255},${alpha})`;
}
