import { readFileSync } from 'node:fs';

/**
 * A plain reference checker of Jepsen's (Knossos') semantics for key-value JSON Lines histories,
 * sharing no code with @dsim/check: its own reader and pairing, and the textbook search of Wing &
 * Gong with Lowe's memo (just-in-time linearization over calls and returns in history order),
 * with the memo keyed by text (the state and the linearized set as a list of ids). Slow, and
 * meant to be obviously right:
 * - a `fail` operation never happened, except a failed cas, which saw a value other than the
 *   expected one (and changed nothing);
 * - an `info` operation (or one with no completion) may take effect at any time after its
 *   invocation, or never; an `info` read constrains nothing;
 * - get returns the current value ("" or null for a never-written key, as `absent` says); put
 *   sets it; append concatenates onto it ("" when absent); cas [expected, next] sets next when
 *   the value is expected.
 */
export function referenceVerdict(path: string, absent: '' | null): 'linearizable' | 'not-linearizable' {
  return referenceVerdictOfText(readFileSync(path, 'utf8'), absent);
}

/** The same, over the text of a JSON Lines history. */
export function referenceVerdictOfText(text: string, absent: '' | null): 'linearizable' | 'not-linearizable' {
  interface Op {
    f: string;
    key: string;
    input: unknown;
    output: unknown;
    call: number;
    ret: number;
    failed: boolean;
  }
  const open = new Map<number, { entry: Record<string, unknown>; position: number }>();
  const byKey = new Map<string, Op[]>();
  const lines = text.split('\n');
  let position = 0;
  const add = (entry: Record<string, unknown>, call: number, ret: number, type: string, output: unknown) => {
    if (type === 'fail' && entry.f !== 'cas') return;
    if (type === 'info' && entry.f === 'get') return;
    const key = String(entry.key);
    if (!byKey.has(key)) byKey.set(key, []);
    byKey.get(key)!.push({
      f: String(entry.f),
      key,
      input: entry.value,
      output,
      call,
      ret: type === 'info' ? Infinity : ret,
      failed: type === 'fail',
    });
  };
  for (const line of lines) {
    if (line.trim() === '') continue;
    const entry = JSON.parse(line) as Record<string, unknown>;
    const here = position++;
    const process = entry.process as number;
    if (entry.type === 'invoke') open.set(process, { entry, position: here });
    else {
      const invoked = open.get(process)!;
      open.delete(process);
      add(invoked.entry, invoked.position, here, String(entry.type), entry.value);
    }
  }
  for (const invoked of open.values()) add(invoked.entry, invoked.position, Infinity, 'info', undefined);
  for (const ops of byKey.values()) if (!keyLinearizable(ops, absent)) return 'not-linearizable';
  return 'linearizable';

  function keyLinearizable(ops: Op[], initial: '' | null): boolean {
    const step = (state: unknown, op: Op, completed: boolean): { ok: boolean; state: unknown } => {
      switch (op.f) {
        case 'get':
          return { ok: !completed || (op.output ?? null) === state, state };
        case 'put':
          return { ok: true, state: op.input };
        case 'append':
          return { ok: true, state: `${state ?? ''}${String(op.input)}` };
        case 'cas': {
          const [expected, next] = op.input as [unknown, unknown];
          if (op.failed) return { ok: expected !== state, state };
          return { ok: expected === state, state: expected === state ? next : state };
        }
        default:
          throw new Error(`unknown operation ${op.f}`);
      }
    };
    // Operations by invocation. Op j may take effect next iff no other operation still pending
    // returned before j was invoked (Herlihy & Wing's real-time order); such an operation comes
    // before j in this order, so a scan from the first pending one finds every candidate.
    ops.sort((a, b) => a.call - b.call);
    const n = ops.length;
    const done = new Uint8Array(n);
    let finiteRemaining = ops.filter((op) => Number.isFinite(op.ret)).length;
    const frames: Array<{ op: number; before: unknown; highest: number }> = [];
    const seen = new Set<string>();
    let state: unknown = initial;
    let low = 0;
    let resumeFrom = 0;
    for (;;) {
      while (low < n && done[low] === 1) low++;
      // Every completed operation took effect; the unknown ones may never have.
      if (finiteRemaining === 0) return true;
      let minRet = Infinity;
      let advanced = false;
      for (let j = low; j < n; j++) {
        const op = ops[j]!;
        if (op.call > minRet) break;
        if (done[j] === 1) continue;
        if (j >= resumeFrom) {
          const next = step(state, op, Number.isFinite(op.ret));
          if (next.ok) {
            done[j] = 1;
            const highest = Math.max(frames.at(-1)?.highest ?? -1, j);
            // The set as: the first completed operation not linearized, the unknown ones before it
            // that are not linearized either (every other operation before it is), and every
            // linearized one after it. Unknown operations may stay out forever, so they must not
            // hold the first index back.
            let first = low;
            while (first < n && (done[first] === 1 || !Number.isFinite(ops[first]!.ret))) first++;
            const members: number[] = [];
            for (let k = low; k < first; k++) if (done[k] === 0) members.push(k);
            members.push(-1);
            for (let k = first; k <= highest; k++) if (done[k] === 1) members.push(k);
            const memoKey = `${JSON.stringify(next.state)}|${first}|${members.join(',')}`;
            if (!seen.has(memoKey)) {
              seen.add(memoKey);
              frames.push({ op: j, before: state, highest });
              if (Number.isFinite(op.ret)) finiteRemaining--;
              state = next.state;
              resumeFrom = 0;
              advanced = true;
              break;
            }
            done[j] = 0;
          }
        }
        if (op.ret < minRet) minRet = op.ret;
      }
      if (advanced) continue;
      const frame = frames.pop();
      if (frame === undefined) return false;
      done[frame.op] = 0;
      if (Number.isFinite(ops[frame.op]!.ret)) finiteRemaining++;
      state = frame.before;
      if (frame.op < low) low = frame.op;
      resumeFrom = frame.op + 1;
    }
  }
}
