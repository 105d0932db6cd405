import type { Page } from './types.js';

/**
 * Every object of a list endpoint, page after page: each next page starts after the last id of
 * the one before (`starting_after`), until the API says `has_more: false`. Pages are fetched only
 * as the caller iterates, so breaking out of the loop stops fetching.
 */
export async function* paginate<T extends { id: string }, Q extends { starting_after?: string }>(
  fetchPage: (query: Q) => Promise<Page<T>>,
  query: Q,
): AsyncGenerator<T, void, undefined> {
  let cursor = query.starting_after;
  for (;;) {
    const page = await fetchPage(cursor === undefined ? query : { ...query, starting_after: cursor });
    yield* page.data;
    const last = page.data.at(-1);
    if (!page.has_more || !last) return;
    cursor = last.id;
  }
}
