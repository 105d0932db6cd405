import type { Knex } from 'knex';

export interface PageRequest {
  limit: number;
  startingAfter?: string | undefined;
}

export interface Page<T> {
  data: T[];
  has_more: boolean;
}

/** Newest first by time-sortable id; `starting_after` is the last id of the previous page. */
export async function fetchPage<T extends { id: string }>(query: Knex.QueryBuilder, page: PageRequest, idColumn = 'id'): Promise<Page<T>> {
  if (page.startingAfter) query.where(idColumn, '<', page.startingAfter);
  const rows = (await query.orderBy(idColumn, 'desc').limit(page.limit + 1)) as T[];
  return { data: rows.slice(0, page.limit), has_more: rows.length > page.limit };
}
