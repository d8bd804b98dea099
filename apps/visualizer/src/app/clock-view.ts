import { formatCount, formatTime } from '../model/describe.ts';
import { el } from './dom.ts';

/**
 * The clock above the cluster: replay time, the trace line reached and the violations so far.
 * Its nodes are built once and only their texts change, and only when they differ: rebuilding
 * them every frame made the browser restyle, lay out and shape text anew on each scrubbed frame.
 */
export class ClockView {
  private readonly time = document.createTextNode('');
  private readonly line = document.createTextNode('');
  private readonly violations = el('span', { style: 'color:var(--violation)' });
  private shown = ['', '', ''];

  constructor(root: HTMLElement) {
    root.replaceChildren('t = ', el('b', {}, this.time), ' ', el('span', { class: 'dim' }, this.line, this.violations));
  }

  /** `line` is the trace line reached (the header is line 1), of `lines`. */
  update(time: number, line: number, lines: number, violations: number): void {
    const texts = [
      formatTime(time),
      `· line ${formatCount(line)} / ${formatCount(lines)}`,
      violations ? ` · ${violations} violation${violations === 1 ? '' : 's'}` : '',
    ];
    if (texts[0] !== this.shown[0]) this.time.data = texts[0]!;
    if (texts[1] !== this.shown[1]) this.line.data = texts[1]!;
    if (texts[2] !== this.shown[2]) this.violations.textContent = texts[2]!;
    this.shown = texts;
  }
}
