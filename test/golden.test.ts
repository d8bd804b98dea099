import { join } from 'node:path';
import type { AnyProtocol } from '@dsim/core';
import { registry } from '@dsim/registry';
import {
  compactStyle,
  expectGolden,
  loadScenarioFiles,
  notesStyle,
  renderGolden,
  runInBothModes,
  storyStyle,
  type GoldenStyle,
} from '@dsim/testing';
import { describe, it } from 'vitest';

/**
 * Golden traces of every shipped scenario (simulations/<protocol>/<name>.ts or .json), in etcd
 * raft's testdata style: test/golden/<protocol>/<name>.txt holds the compact story of the run,
 * which must match byte for byte, and both state modes must give the same trace. Regenerate with
 * `UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts` and review the diff like code.
 */
const root = join(import.meta.dirname, '..');

/** How each protocol's runs read best; a protocol not listed gets the compact default. */
const styles: Record<string, GoldenStyle> = {
  raft: storyStyle({
    // Heartbeats, empty AppendEntries, their acknowledgements and the leader's notes from its own
    // disk are the steady state, not the story.
    hideSend: (desc) =>
      desc.startsWith('Heartbeat') ||
      /^AppendEntries .* n=0 /.test(desc) ||
      / ok idx=/.test(desc) ||
      desc.startsWith('StorageAppendResponse'),
    hideNote: (text) => text.includes('already gave up'),
    role: (summary) => `${String(summary.role)} t=${String(summary.term)}`,
    detail: (summary) => `commit=${String(summary.commit)}`,
    maxLines: 400,
  }),
  // 'fanout' paces the coordinator's sends; its firings add nothing to the story.
  '2pc': compactStyle({ hideTimers: ['fanout'] }),
  '3pc': compactStyle({ hideTimers: ['fanout'] }),
  heartbeat: notesStyle(),
  // Distro's story is in its notes: members seen down and up, snapshots loaded, clients expired.
  distro: notesStyle(),
};

const protocolName = (scenario: { protocol: string | AnyProtocol }) =>
  typeof scenario.protocol === 'string' ? scenario.protocol : scenario.protocol.name;

const files = await loadScenarioFiles(join(root, 'simulations'));

describe('golden traces of the shipped scenarios', () => {
  for (const { relativePath, scenario } of files) {
    const name = relativePath.replace(/\.(ts|json)$/, '');
    it(`${relativePath} matches test/golden/${name}.txt in both state modes`, () => {
      const result = runInBothModes(scenario, { registry });
      const style = styles[protocolName(scenario as { protocol: string | AnyProtocol })] ?? compactStyle();
      expectGolden(join(root, 'test', 'golden', `${name}.txt`), renderGolden(result, style));
    });
  }
});
