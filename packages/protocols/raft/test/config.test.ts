import { describe, expect, it } from 'vitest';
import { defaults, validateConfig } from '../src/config.ts';

const nodes = ['n1', 'n2', 'n3'];

describe('raft config: election timeout ranges', () => {
  it("accepts 0 (etcd's [E, 2E)) and any maximum at least E, including E itself", () => {
    for (const electionTimeoutMaxMicros of [0, 150_000, 151_000, 300_000])
      expect(validateConfig({ ...defaults, electionTimeoutMaxMicros }, nodes)).toEqual([]);
  });

  it('rejects a maximum below the minimum, naming the field and the fix', () => {
    expect(validateConfig({ ...defaults, electionTimeoutMaxMicros: 100_000 }, nodes)).toEqual([
      expect.stringMatching(/^electionTimeoutMaxMicros: must be 0 .* at least electionTimeoutMicros \(150000\)/),
    ]);
  });
});
