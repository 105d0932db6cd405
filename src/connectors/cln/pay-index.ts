/**
 * The highest pay_index a node has handed out, found with probes of "the first payment after L,
 * without waiting" (waitanyinvoice with timeout 0): `probe(L)` answers the pay_index of the next
 * paid invoice after L, or null when there is none. Whether a payment exists after L only flips
 * once as L grows, so a doubling search and then a bisection find it in about 2·log2(n) probes
 * instead of walking every payment the node ever received.
 */
export async function highestPayIndex(probe: (after: number) => Promise<number | null>): Promise<number> {
  // Invariant: `known` is 0 or an existing pay_index, so highest ≥ known; highest ≤ `bound` once set.
  let known = 0;
  let bound: number | undefined;
  let step = 0;
  while (bound === undefined || bound > known) {
    const at = bound === undefined ? known + step : Math.floor((known + bound) / 2);
    const next = await probe(at);
    if (next === null) bound = at;
    else {
      if (next <= at) throw new Error(`a payment after ${at} came back with pay_index ${next}`);
      known = next;
      step = step === 0 ? 1 : step * 2;
    }
  }
  return known;
}
