import { COLORS } from './palette.ts';
import { el, replaceContent } from './dom.ts';
import type { Loaded } from './context.ts';

/** Legends for what the colours mean: roles and node states, drop reasons and fault shading, outcomes. */
export function renderLegends(loaded: Loaded): void {
  const cluster = document.querySelector<HTMLElement>('#cluster-legend')!;
  const items: HTMLElement[] = [];
  for (const [role, color] of loaded.roleColors) items.push(item(role, `background:${color}`));
  items.push(item('crashed', `background:${COLORS.crashed};box-shadow:inset 0 0 0 2px ${COLORS.cut}`));
  items.push(item('paused', `background:transparent;box-shadow:inset 0 0 0 2px ${COLORS.paused}`));
  items.push(item('message in flight', 'background:#7fb4e6;width:7px;height:7px'));
  items.push(item('cut link (→| one-way)', `background:${COLORS.cut}`, 'line'));
  replaceContent(cluster, ...items);

  const spacetime = document.querySelector<HTMLElement>('#spacetime-legend')!;
  const drops = [...loaded.dropColors].map(([reason, color]) =>
    item(`✕ drop: ${reason}`, `background:${color}`, 'line'),
  );
  replaceContent(
    spacetime,
    ...drops,
    item('fault', `background:${COLORS.fault}`, 'line'),
    item('violation', `background:${COLORS.violation}`, 'line'),
    item('crashed', 'background:rgba(255,107,107,0.35)', 'bar'),
    item('paused', 'background:rgba(229,192,123,0.4)', 'bar'),
  );

  const operations = document.querySelector<HTMLElement>('#ops-legend')!;
  replaceContent(
    operations,
    item('ok', `background:${COLORS.ok}`, 'bar'),
    item('fail', `background:${COLORS.fail}`, 'bar'),
    item('info (unknown)', `background:${COLORS.info}`, 'bar'),
    item('pending', `background:${COLORS.pending}`, 'bar'),
  );
}

function item(label: string, style: string, shape = ''): HTMLElement {
  return el('span', { class: 'item' }, el('span', { class: `swatch ${shape}`.trim(), style }), label);
}
