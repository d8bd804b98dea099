import type { Scenario } from '@dsim/core';
import type { Hunt } from '@dsim/property';

const base: Scenario = {
  name: 'distro-property',
  protocol: 'distro',
  nodes: 3,
  until: '150s',
  network: { latency: { dist: 'uniform', min: 1_000, max: 10_000 }, fifo: true },
  workload: {
    name: 'registry',
    clients: 12,
    thinkTime: '1s',
    timeout: '3s',
    startAt: '1s',
    options: {
      services: 3,
      persistentEvery: 6,
      deregisterEvery: 5,
      deregisterAt: '30s',
      silentEvery: 7,
      silentAt: '20s',
    },
  },
};

/** Generated faults for the clean property run: every kind, over by 50 s, then a long quiet period. */
export const cleanFaults = {
  kinds: ['partition', 'crash', 'pause', 'clock', 'loss', 'duplicate'],
  healAt: '50s',
  from: '5s',
  maxFaults: 5,
  minDuration: '1s',
  maxDuration: '40s',
  clockJumpMax: '1s',
} as const;

/**
 * One hunt per bug switch: its bug on, and generated faults of the kinds that expose it. The
 * package's property tests and the catch-bugs experiment run these.
 */
export const bugHunts: readonly Hunt[] = [
  {
    id: 'noVerify',
    bug: 'noVerify',
    name: 'distro catches noVerify',
    scenario: { ...base, bugs: ['noVerify'] },
    faults: { ...cleanFaults, kinds: ['partition', 'loss', 'crash'] },
  },
  {
    id: 'syncOnlyToOwner',
    bug: 'syncOnlyToOwner',
    name: 'distro catches syncOnlyToOwner',
    scenario: { ...base, bugs: ['syncOnlyToOwner'] },
    faults: { ...cleanFaults, kinds: ['partition', 'crash'] },
  },
  {
    id: 'hashOverAllMembers',
    bug: 'hashOverAllMembers',
    name: 'distro catches hashOverAllMembers',
    scenario: { ...base, nodes: 5, bugs: ['hashOverAllMembers'] },
    faults: { ...cleanFaults, kinds: ['crash'], durations: { crash: { min: '45s', max: '60s' } }, healAt: '70s' },
  },
  {
    id: 'noLoadOnStart',
    bug: 'noLoadOnStart',
    name: 'distro catches noLoadOnStart',
    scenario: { ...base, bugs: ['noLoadOnStart'] },
    faults: { ...cleanFaults, kinds: ['crash'] },
  },
  {
    id: 'expireWithoutResponsibilityCheck',
    bug: 'expireWithoutResponsibilityCheck',
    name: 'distro catches expireWithoutResponsibilityCheck',
    scenario: { ...base, nodes: 5, bugs: ['expireWithoutResponsibilityCheck'] },
    faults: { ...cleanFaults, kinds: ['crash', 'pause', 'loss'] },
  },
];

export const propertyBase = base;
