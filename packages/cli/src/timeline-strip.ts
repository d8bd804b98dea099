import type { NodeId, TraceEvent, TraceHeader } from '@dsim/core';
import { style } from './style.ts';

/**
 * A per-node strip of the run in the terminal: one row per node, one column per slice of
 * simulated time, the node's role by letter and colour, crashes as '×', pauses as '‖', and a
 * row of fault and violation markers. It shows the shape of a run before anyone reads numbers.
 */
export class TimelineStrip {
  private readonly columns: number;
  private readonly width: number;
  private readonly rows = new Map<NodeId, string[]>();
  private readonly status = new Map<NodeId, string>();
  /** Status when the current column began, and a different status seen during it (a transient worth showing). */
  private readonly columnStart = new Map<NodeId, string>();
  private readonly transient = new Map<NodeId, string>();
  private readonly markers: string[];
  private readonly roles = new Map<string, number>();
  private column = 0;

  constructor(
    private readonly header: TraceHeader,
    columns = 64,
  ) {
    this.columns = columns;
    this.width = Math.max(1, Math.ceil(header.until / columns));
    for (const node of header.nodes) {
      this.rows.set(node, []);
      this.status.set(node, '?');
      this.columnStart.set(node, '?');
    }
    this.markers = new Array(columns).fill(' ');
  }

  /** Feed events in order. */
  add(event: TraceEvent): void {
    const target = Math.min(this.columns - 1, Math.floor(event.t / this.width));
    while (this.column < target) this.fill();
    switch (event.k) {
      case 'state':
        this.status.set(event.node, roleOf(event.summary));
        break;
      case 'fault': {
        const fault = event.fault;
        if (fault.type === 'crash') this.status.set(fault.node, '×');
        else if (fault.type === 'pause') this.status.set(fault.node, '‖');
        else if (fault.type === 'resume') this.status.set(fault.node, this.lastRole(fault.node));
        this.mark(
          target,
          fault.type === 'heal'
            ? 'h'
            : fault.type === 'crash' || fault.type === 'restart'
              ? 'c'
              : fault.type.startsWith('clock')
                ? 't'
                : fault.type === 'pause' || fault.type === 'resume'
                  ? 'p'
                  : 'n',
        );
        break;
      }
      case 'violation':
        this.markers[target] = '!';
        break;
      default:
        break;
    }
    if (event.k === 'state') this.lastRoles.set(event.node, roleOf(event.summary));
    this.noteTransients();
  }

  private noteTransients(): void {
    for (const [node, status] of this.status) {
      if (!this.transient.has(node) && status !== this.columnStart.get(node)) this.transient.set(node, status);
    }
  }

  private readonly lastRoles = new Map<NodeId, string>();
  private lastRole(node: NodeId): string {
    return this.lastRoles.get(node) ?? '?';
  }

  private mark(column: number, symbol: string): void {
    if (this.markers[column] !== '!')
      this.markers[column] = this.markers[column] === ' ' || this.markers[column] === symbol ? symbol : '*';
  }

  private fill(): void {
    for (const [node, row] of this.rows) {
      const start = this.columnStart.get(node)!;
      const transient = this.transient.get(node);
      const now = this.status.get(node)!;
      // Show what changed during the slice, even if it changed back before the slice ended.
      row.push(now !== start ? now : (transient ?? now));
      this.columnStart.set(node, now);
    }
    this.transient.clear();
    this.column++;
  }

  render(): string {
    while (this.column < this.columns) this.fill();
    const label = Math.max(...this.header.nodes.map((node) => node.length), 6);
    const lines: string[] = [];
    for (const [node, row] of this.rows)
      lines.push(`  ${node.padEnd(label)} ${row.map((role) => this.cell(role)).join('')}`);
    lines.push(
      `  ${'faults'.padEnd(label)} ${this.markers.map((m) => (m === '!' ? style.red(style.bold('!')) : m === ' ' ? style.dim('·') : style.yellow(m))).join('')}`,
    );
    const legendRoles = [...this.roles.keys()].map((role) => `${this.cell(role)} ${role}`).join('  ');
    lines.push(
      `  ${''.padEnd(label)} ${style.dim(`0s${' '.repeat(Math.max(1, this.columns - 2 - String(this.header.until / 1e6).length - 1))}${this.header.until / 1e6}s`)}`,
    );
    lines.push(
      style.dim(`  roles: `) +
        legendRoles +
        style.dim(`   × crashed  ‖ paused   faults: n network  c crash/restart  p pause  t clock  h heal  ! violation`),
    );
    return lines.join('\n');
  }

  private cell(role: string): string {
    if (role === '×') return style.red('×');
    if (role === '‖') return style.magenta('‖');
    if (role === '?') return style.dim('?');
    if (!this.roles.has(role)) this.roles.set(role, this.roles.size);
    const palette = [style.green, style.cyan, style.yellow, style.blue, style.magenta, style.gray];
    const letter = role[0]!.toUpperCase();
    return palette[this.roles.get(role)! % palette.length]!(letter);
  }
}

/** A node's role for the strip: `summarize` need not report one (the field is optional), and then it shows as '?'. */
function roleOf(summary: { readonly role?: unknown }): string {
  return typeof summary.role === 'string' && summary.role !== '' ? summary.role : '?';
}
