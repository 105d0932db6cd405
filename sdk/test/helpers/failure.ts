import { expect } from 'vitest';
import { SwitchyardError } from '@switchyard/client';

/** The error a call rejects with (failing the test when it resolves, or rejects with anything but a SwitchyardError). */
export async function failure(call: Promise<unknown>): Promise<SwitchyardError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SwitchyardError);
  return err as SwitchyardError;
}
