import { ClientGoneError } from '../src/errors';
import { PasswordHasher, Semaphore } from '../src/auth/passwords';

/** Makes a task that records its start in `started` and finishes when `finish` is called. */
function controllable(name: string, started: string[]) {
  let finish!: () => void;
  const done = new Promise<string>((resolve) => {
    finish = () => resolve(name);
  });
  return {
    task: () => {
      started.push(name);
      return done;
    },
    finish: () => finish(),
  };
}

describe('Semaphore', () => {
  it('runs tasks in order within limit', async () => {
    const slots = new Semaphore(1);
    const started: string[] = [];
    const first = controllable('first', started);
    const second = controllable('second', started);
    const third = controllable('third', started);

    const runs = [slots.run(first.task), slots.run(second.task), slots.run(third.task)];
    await Promise.resolve();
    expect(started).toEqual(['first']);

    first.finish();
    await runs[0];
    // A newcomer arriving as the slot frees must queue behind the waiters.
    const fourth = controllable('fourth', started);
    const late = slots.run(fourth.task);
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['first', 'second']);

    second.finish();
    third.finish();
    fourth.finish();
    await expect(Promise.all([...runs, late])).resolves.toEqual(['first', 'second', 'third', 'fourth']);
    expect(started).toEqual(['first', 'second', 'third', 'fourth']);
  });

  it('skips tasks of gone clients', async () => {
    const slots = new Semaphore(1);
    const started: string[] = [];
    const first = controllable('first', started);
    const skipped = controllable('skipped', started);
    const next = controllable('next', started);
    const closedConnection = new AbortController();

    const running = slots.run(first.task);
    const waiting = slots.run(skipped.task, closedConnection.signal);
    const after = slots.run(next.task);
    closedConnection.abort();
    first.finish();
    next.finish();

    await expect(waiting).rejects.toBeInstanceOf(ClientGoneError);
    await expect(Promise.all([running, after])).resolves.toEqual(['first', 'next']);
    expect(started).toEqual(['first', 'next']);
  });
});

describe('PasswordHasher', () => {
  it('checks a password against its hash', async () => {
    const hasher = new PasswordHasher(4, 1);
    const hash = await hasher.hash('correct horse battery');

    await expect(hasher.verify('correct horse battery', hash)).resolves.toBe(true);
    await expect(hasher.verify('wrong horse battery', hash)).resolves.toBe(false);
    await expect(hasher.verify('correct horse battery', undefined)).resolves.toBe(false);
  });

  it('skips comparison for gone client', async () => {
    const hasher = new PasswordHasher(4, 1);
    const hash = await hasher.hash('correct horse battery');

    await expect(hasher.verify('correct horse battery', hash, AbortSignal.abort())).rejects.toBeInstanceOf(ClientGoneError);
  });
});
