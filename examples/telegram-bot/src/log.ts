/** One line per event on stdout/stderr; tests pass their own. */
export interface Log {
  info(message: string): void;
  error(message: string, err?: unknown): void;
}

export const consoleLog: Log = {
  info: (message) => console.log(`${new Date().toISOString()} ${message}`),
  error: (message, err) => console.error(`${new Date().toISOString()} ${message}${err === undefined ? '' : `: ${describe(err)}`}`),
};

export const silentLog: Log = { info: () => {}, error: () => {} };

/** The message, plus what a SwitchyardError carries for support (status, code, request id). */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const e = err as Error & { status?: unknown; code?: unknown; requestId?: unknown };
  const details = [e.status, e.code, e.requestId && `request ${String(e.requestId)}`].filter((d) => d !== undefined && d !== null && d !== '');
  return details.length ? `${e.message} (${details.join(', ')})` : e.message;
}
