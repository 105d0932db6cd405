/**
 * Orders accounts by priority (high first) and, among equal priorities, by a weighted random
 * choice (Efraimidis–Spirakis: sort by -ln(U)/weight), so over many invoices each account of a
 * priority gets a share proportional to its weight, and the rest follow as failover.
 */
export function orderByPriorityAndWeight<T extends { priority: number; weight: number }>(accounts: T[], random: () => number = Math.random): T[] {
  return accounts
    .map((account) => ({ account, key: -Math.log(1 - random()) / Math.max(1, account.weight) }))
    .sort((a, b) => b.account.priority - a.account.priority || a.key - b.key)
    .map((x) => x.account);
}
