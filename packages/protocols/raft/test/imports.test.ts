import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Layered like etcd's raft: pure blocks at the bottom (log, tracker, quorum), handlers above
 * them, and one step (ready.ts) above the handlers that applies, answers, serves reads and
 * compacts. A cycle between source files would mean a handler reaches back up into what runs
 * after it. Every relative import and re-export counts, type-only ones included: a type cycle is
 * still two files that cannot be understood one before the other.
 */
const srcDir = join(import.meta.dirname, '..', 'src');

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of readdirSync(srcDir)
    .filter((name) => name.endsWith('.ts'))
    .sort()) {
    const text = readFileSync(join(srcDir, file), 'utf8');
    const targets = new Set<string>();
    for (const match of text.matchAll(/\b(?:import|export)\b[^;]*?\bfrom\s+'\.\/([^']+)'/g)) targets.add(match[1]!);
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/** The first cycle found by depth-first search, as a path that starts and ends at one file; undefined when acyclic. */
function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const done = new Set<string>();
  const onPath: string[] = [];
  const visit = (file: string): string[] | undefined => {
    const at = onPath.indexOf(file);
    if (at >= 0) return [...onPath.slice(at), file];
    if (done.has(file)) return undefined;
    onPath.push(file);
    for (const target of graph.get(file) ?? []) {
      const cycle = visit(target);
      if (cycle) return cycle;
    }
    onPath.pop();
    done.add(file);
    return undefined;
  };
  for (const file of graph.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('raft source layering', () => {
  const graph = importGraph();

  it('reads the relative imports of every source file', () => {
    // The search must see the edges it judges: the step imports the state machine, and replication the log.
    expect(graph.get('ready.ts')).toContain('state-machine.ts');
    expect(graph.get('replication.ts')).toContain('log.ts');
    for (const [file, targets] of graph)
      for (const target of targets)
        expect(graph.has(target), `${file} imports ./${target}, not a source file`).toBe(true);
  });

  it('has no import cycle between source files', () => {
    const cycle = findCycle(graph);
    expect(cycle === undefined ? 'acyclic' : cycle.join(' → ')).toBe('acyclic');
  });

  it('finds a cycle when there is one (the search itself)', () => {
    const cyclic = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(findCycle(cyclic)).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts']);
    expect(
      findCycle(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', []],
        ]),
      ),
    ).toBeUndefined();
  });
});
