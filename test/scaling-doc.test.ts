import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const doc = readFileSync(resolve(import.meta.dirname, '../docs/scaling.md'), 'utf8');
const yamlBlocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map(
  (match) => parse(match[1]!) as Record<string, unknown>,
);

interface JobManifest {
  readonly kind: string;
  readonly spec: {
    readonly completionMode: string;
    readonly completions: number;
    readonly parallelism: number;
    readonly template: { readonly spec: { readonly containers: Array<{ readonly args: string[] }> } };
  };
}

describe('docs/scaling.md', () => {
  const manifest = yamlBlocks.find((block) => block.kind === 'Job') as unknown as JobManifest;

  it('holds a Kubernetes Job manifest that is valid against the Kubernetes schema (kubernetes-models)', () => {
    expect(manifest).toBeDefined();
    expect(() => new Job(manifest as never).validate()).not.toThrow();
    // The validator is live: the same manifest with a wrong type is refused.
    const broken = { ...manifest, spec: { ...manifest.spec, completions: 'eight' } };
    expect(() => new Job(broken as never).validate()).toThrow(/completions must be integer/);
  });

  it('runs one shard per completion index: --shard auto/n matches completions: n', () => {
    expect(manifest.spec.completionMode).toBe('Indexed');
    const args = manifest.spec.template.spec.containers[0]!.args.join(' ');
    const shards = /--shard auto\/(\d+)/.exec(args);
    expect(Number(shards?.[1])).toBe(manifest.spec.completions);
    expect(args).toContain('JOB_COMPLETION_INDEX');
  });

  it('holds a GitHub Actions workflow whose matrix has one entry per shard and a merge job after it', () => {
    const workflow = yamlBlocks.find((block) => 'jobs' in block) as {
      jobs: {
        shard: { strategy: { matrix: { shard: number[] } }; steps: Array<{ run?: string }> };
        merge: { needs: string; steps: Array<{ run?: string }> };
      };
    };
    const shards = workflow.jobs.shard.strategy.matrix.shard;
    const command = workflow.jobs.shard.steps.map((step) => step.run ?? '').join('\n');
    const count = /--shard \$\{\{ matrix\.shard \}\}\/(\d+)/.exec(command);
    expect(shards).toEqual(Array.from({ length: Number(count?.[1]) }, (_, i) => i + 1));
    expect(workflow.jobs.merge.needs).toBe('shard');
    expect(workflow.jobs.merge.steps.some((step) => step.run?.includes('dsim sweep merge'))).toBe(true);
  });
});
