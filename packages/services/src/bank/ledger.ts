import type { DurableStorage } from '@dsim/core';

/**
 * Amounts per account on durable storage, under one key as [account, amount] pairs: a list
 * rather than an object, so account names that look like numbers keep their order.
 */
export function storeAmounts(storage: DurableStorage, key: string, amounts: Readonly<Record<string, number>>): void {
  storage.put(
    key,
    Object.keys(amounts).map((account) => [account, amounts[account]]),
  );
}

/** The amounts stored under `key`, or every account at `initial` when nothing was stored yet. */
export function loadAmounts(
  storage: DurableStorage,
  key: string,
  accounts: readonly string[],
  initial: number,
): Record<string, number> {
  const stored = storage.get<Array<[string, number]>>(key);
  const amounts: Record<string, number> = {};
  if (stored) for (const [account, amount] of stored) amounts[account] = amount;
  else for (const account of accounts) amounts[account] = initial;
  return amounts;
}
