import * as d3 from 'd3';
import type { LogEntryView, LogView, NodeView, ViewTone } from '@dsim/core';
import { committedThrough, logKey, sameEntry, type CommittedEntries, type LostEntry } from '../model/view-facts.ts';
import { COLORS } from './palette.ts';

/** Width and height of one log entry's cell. */
export const CELL_WIDTH = 32;
export const CELL_HEIGHT = 17;
/** Marks drawn under the strip, in this order, and their short names. */
const MARK_NAMES: Record<string, string> = {
  commit: 'c',
  applied: 'a',
  hw: 'hw',
  leo: 'leo',
  flushed: 'f',
  leso: 'ls',
};

/** A colour per term (ballot, epoch): neighbouring terms differ, so an entry from another term shows. */
export function termColor(term: number | undefined): string {
  if (term === undefined) return '#6b7785';
  return d3.schemeTableau10[((term % 10) + 10) % 10]!;
}

const TONE_COLORS: Record<ViewTone, string> = {
  plain: COLORS.text,
  good: COLORS.ok,
  warn: COLORS.info,
  bad: COLORS.violation,
};

/** What the strip needs to know beyond the view: commitments across the cluster and what the node lost. */
export interface StripFacts {
  readonly committed: CommittedEntries;
  readonly lost: readonly LostEntry[];
  readonly time: number;
  /** Log indexes a violation names (marked red). */
  readonly flagged: ReadonlySet<number>;
  /** How many cells fit. */
  readonly maxCells: number;
  /** How wide a line of badges may be before it wraps (the room between this node and its neighbours), px. */
  readonly badgeWidth: number;
  readonly dim: boolean;
}

/** Short text for a cell: 'noop', 'x=1' from 'put x=1', '1→2' from 'cas x 1→2'. */
export function shortLabel(label: string): string {
  const plain = label.replace(/\s*\([^)]*\)/g, '').trim();
  if (plain.length <= 6) return plain;
  const words = plain.split(' ');
  // 'put x=1' → 'x=1' (the operand says more than the verb); 'tx3 commit' → 'commit'.
  const last = words[words.length - 1]!;
  return last.length <= 6 ? last : `${last.slice(0, 5)}…`;
}

/** An entry's colour: its term's, or for a decision without a term, good or bad news by its marks. */
export function entryColor(entry: LogEntryView): string {
  if (entry.term !== undefined) return termColor(entry.term);
  const marks = entry.marks ?? [];
  if (marks.some((mark) => /commit|chosen|confirm|done/.test(mark))) return COLORS.ok;
  if (marks.some((mark) => /abort|cancel|fail|compensat/.test(mark))) return COLORS.fail;
  return termColor(undefined);
}

/** One line of badges: 'term 3 · commit 2'. */
export function badgeLine(view: NodeView): string {
  return (view.badges ?? []).map((badge) => `${badge.label} ${badge.value}`).join(' · ');
}

/** Width of a character of the badges' 10.5 px monospace font, px. */
const BADGE_CHARACTER_WIDTH = 6.4;
/** Height of a line of badges, px. */
export const BADGE_LINE_HEIGHT = 12;

/**
 * The badges in lines no wider than `width` px, whole badges per line: a long line would run
 * into the badges of the node beside it (TCC's 'frozen 0 · empty rollbacks 1 · refused late 1').
 */
export function badgeLines(view: NodeView, width: number): string[] {
  const perLine = Math.max(12, Math.floor(width / BADGE_CHARACTER_WIDTH));
  const lines: string[] = [];
  for (const badge of view.badges ?? []) {
    const text = `${badge.label} ${badge.value}`;
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + 3 + text.length <= perLine) lines[last] = `${lines[last]} · ${text}`;
    else lines.push(text);
  }
  return lines;
}

/**
 * Draws a node's view into its SVG group: badges above the node, and under it one strip per log
 * (the newest entries that fit, coloured by term, labelled, with the index above and the marks
 * below). A cell whose entry differs from what some node committed at that index is outlined red
 * with the committed entry named in its tooltip; an entry this node had committed and then lost
 * is drawn struck through beside the strip.
 */
export function drawNodeView(
  group: d3.Selection<SVGGElement, unknown, null, undefined>,
  view: NodeView | undefined,
  r: number,
  stripTop: number,
  facts: StripFacts,
): void {
  const lines = view ? badgeLines(view, facts.badgeWidth) : [];
  const badges = group.selectAll<SVGTextElement, string[]>('text.badges').data(lines.length ? [lines] : []);
  badges
    .join('text')
    .attr('class', 'badges')
    .attr('y', -r - 9)
    .attr('text-anchor', 'middle')
    .attr('font-size', 10.5)
    .attr('font-family', 'ui-monospace, SFMono-Regular, Menlo, monospace')
    .attr('fill', view?.badges?.some((b) => b.tone === 'bad') ? COLORS.violation : COLORS.text)
    .attr('pointer-events', 'none')
    .selectAll('tspan')
    .data((d) => d)
    .join('tspan')
    .attr('x', 0)
    // The last line sits just above the node; earlier ones stack upwards.
    .attr('y', (_, i) => -r - 9 - (lines.length - 1 - i) * BADGE_LINE_HEIGHT)
    .text((d) => d);

  const logs = view?.logs ?? [];
  const strips = group
    .selectAll<SVGGElement, LogView>('g.log')
    .data(logs)
    .join((enter) => enter.append('g').attr('class', 'log'));
  strips.attr('opacity', facts.dim ? 0.45 : 1);
  strips.each(function (log, position) {
    drawStrip(d3.select(this), log, position, stripTop + position * (CELL_HEIGHT + 22), logs.length > 1, facts);
  });
}

interface Cell {
  readonly index: number;
  readonly entry: LogEntryView;
  readonly conflict: string | undefined;
}

function drawStrip(
  strip: d3.Selection<SVGGElement, LogView, null, undefined>,
  log: LogView,
  position: number,
  top: number,
  named: boolean,
  facts: StripFacts,
): void {
  const key = logKey(log, position);
  const committed = facts.committed.get(key);
  const shown = Math.min(log.entries.length, facts.maxCells);
  const first = log.entries.length - shown;
  const cells: Cell[] = [];
  for (let k = first; k < log.entries.length; k++) {
    const index = log.start + k;
    const entry = log.entries[k]!;
    const known = committed?.get(index);
    const conflict =
      known && known.time <= facts.time && !sameEntry(known.entry, entry)
        ? `${known.entry.label}${known.entry.term !== undefined ? ` (term ${known.entry.term})` : ''} was committed here`
        : undefined;
    cells.push({ index, entry, conflict });
  }
  const lost = facts.lost.filter((l) => l.log === key && l.time <= facts.time).slice(-1);
  // Cells are centred under the node; an empty log still shows its frame.
  const width = Math.max(1, shown) * CELL_WIDTH;
  const left = -width / 2;
  strip
    .attr('data-log', key)
    .attr('data-start', log.start)
    .attr('data-entries', log.entries.length)
    .attr('transform', `translate(0,${top})`);

  strip
    .selectAll<SVGTextElement, string>('text.log-name')
    .data(named ? [key] : [])
    .join('text')
    .attr('class', 'log-name')
    .attr('x', left - 4)
    .attr('y', CELL_HEIGHT - 5)
    .attr('text-anchor', 'end')
    .attr('font-size', 9)
    .attr('fill', COLORS.dim)
    .text((d) => d);

  const cell = strip
    .selectAll<SVGGElement, Cell>('g.entry')
    .data(cells, (d) => String(d.index))
    .join((enter) => {
      const g = enter.append('g').attr('class', 'entry');
      g.append('rect');
      g.append('text').attr('class', 'label');
      g.append('text').attr('class', 'index');
      g.append('title');
      return g;
    });
  cell
    .attr('data-index', (d) => d.index)
    .attr('data-label', (d) => d.entry.label)
    .attr('data-term', (d) => d.entry.term ?? '')
    .attr('data-conflict', (d) => (d.conflict || facts.flagged.has(d.index) ? 'true' : null))
    .attr('transform', (_, i) => `translate(${left + i * CELL_WIDTH},0)`);
  cell
    .select('rect')
    .attr('width', CELL_WIDTH - 2)
    .attr('height', CELL_HEIGHT)
    .attr('rx', 2)
    .attr('fill', (d) => entryColor(d.entry))
    .attr('fill-opacity', (d) => (d.index <= committedThrough(log) || d.entry.term === undefined ? 0.95 : 0.45))
    .attr('stroke', (d) => (d.conflict || facts.flagged.has(d.index) ? COLORS.violation : 'none'))
    .attr('stroke-width', 2.5);
  cell
    .select('text.label')
    .attr('x', (CELL_WIDTH - 2) / 2)
    .attr('y', CELL_HEIGHT - 5)
    .attr('text-anchor', 'middle')
    .attr('font-size', 8.5)
    .attr('font-family', 'ui-monospace, SFMono-Regular, Menlo, monospace')
    .attr('fill', '#0e1217')
    .attr('pointer-events', 'none')
    .text((d) => shortLabel(d.entry.label));
  cell
    .select('text.index')
    .attr('x', (CELL_WIDTH - 2) / 2)
    .attr('y', -2)
    .attr('text-anchor', 'middle')
    .attr('font-size', 8)
    .attr('fill', COLORS.faint)
    .attr('pointer-events', 'none')
    .text((d) => d.index);
  cell
    .select('title')
    .text(
      (d) =>
        `index ${d.index}: ${d.entry.label}${d.entry.term !== undefined ? `, term ${d.entry.term}` : ''}${(d.entry.marks ?? []).length ? ` [${d.entry.marks!.join(', ')}]` : ''}${d.conflict ? ` — conflicts: ${d.conflict}` : ''}`,
    );

  // Marks: a tick under the cell at each mark's position, named.
  const marks = Object.entries(log.marks ?? {})
    .filter(([, at]) => at >= log.start + first - 1 && at <= log.start + log.entries.length)
    .sort((a, b) => a[1] - b[1]);
  const markRows = new Map<number, number>();
  strip
    .selectAll<SVGGElement, [string, number]>('g.mark')
    .data(marks, (d) => d[0])
    .join((enter) => {
      const g = enter.append('g').attr('class', 'mark');
      g.append('path');
      g.append('text');
      return g;
    })
    .attr('data-mark', (d) => d[0])
    .attr('data-at', (d) => d[1])
    .each(function ([name, at]) {
      // The tick sits at the right edge of the marked entry ("up to and including").
      const x = left + (at - log.start - first + 1) * CELL_WIDTH - 1;
      const row = markRows.get(x) ?? 0;
      markRows.set(x, row + 1);
      const g = d3.select(this).attr('transform', `translate(${x},${CELL_HEIGHT + 1})`);
      g.select('path')
        .attr('d', 'M0,0V5')
        .attr('stroke', name === 'commit' || name === 'hw' ? COLORS.ok : COLORS.dim)
        .attr('stroke-width', 1.5);
      g.select('text')
        .attr('x', 2 + row * 0)
        .attr('y', 6 + row * 9)
        .attr('font-size', 8.5)
        .attr('fill', name === 'commit' || name === 'hw' ? COLORS.ok : COLORS.dim)
        .attr('pointer-events', 'none')
        .text(MARK_NAMES[name] ?? name);
    });

  // The last committed entry this node lost, struck through, right of the strip.
  const lostCell = strip
    .selectAll<SVGGElement, LostEntry>('g.lost')
    .data(lost)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'lost');
      g.append('text');
      g.append('title');
      return g;
    })
    .attr('data-index', (d) => d.index)
    .attr('transform', `translate(${left + width + 6},${CELL_HEIGHT - 5})`);
  lostCell
    .select('text')
    .attr('font-size', 9)
    .attr('fill', COLORS.violation)
    .attr('text-decoration', 'line-through')
    .text((d) => `${d.index}:${shortLabel(d.was.label)}${d.was.term !== undefined ? `/t${d.was.term}` : ''}`);
  lostCell
    .select('title')
    .text(
      (d) =>
        `lost committed entry: index ${d.index} held ${d.was.label}${d.was.term !== undefined ? ` (term ${d.was.term})` : ''} under a commit mark, and now ${d.now ? `holds ${d.now.label}${d.now.term !== undefined ? ` (term ${d.now.term})` : ''}` : 'holds nothing'}`,
    );
}
