import { randomBytes } from 'node:crypto';
import { dictionary } from '@zxcvbn-ts/language-common';
import bcrypt from 'bcrypt';
import { BadUserInputError, ClientGoneError } from '../errors';
import { checkText } from '../text';

export const MIN_PASSWORD_LENGTH = 8;
/** bcrypt reads only the first 72 bytes of a password, so longer ones are rejected rather than truncated. */
export const MAX_PASSWORD_BYTES = 72;

let commonPasswords: Set<string> | undefined;

/**
 * Checks a password against zxcvbn-ts's list of about 49,000 commonly used passwords,
 * ignoring case. The set is built on first use.
 */
export function isCommonPassword(password: string): boolean {
  commonPasswords ??= new Set(dictionary['passwords-common'].map((entry) => entry.toLowerCase()));
  return commonPasswords.has(password.toLowerCase());
}

/** Throws BAD_USER_INPUT when a new password is outside the policy. */
export function checkPasswordPolicy(password: string, field: string): void {
  checkText(password, field);
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new BadUserInputError(`Password must be at least ${MIN_PASSWORD_LENGTH} characters long`, field);
  }
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) {
    throw new BadUserInputError(
      `Password must be at most ${MAX_PASSWORD_BYTES} bytes in UTF-8 (bcrypt ignores anything longer); use a shorter one`,
      field,
    );
  }
  if (isCommonPassword(password)) {
    throw new BadUserInputError('This password is in a list of commonly used passwords; choose another', field);
  }
}

/**
 * Runs at most `limit` tasks at once, and the others wait in order. A finished task hands its slot
 * to the next waiter directly, so a newcomer cannot take it first.
 */
export class Semaphore {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  /** Runs `task` when a slot is free. Throws ClientGoneError instead when `signal` has aborted by then. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.running < this.limit) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      if (signal?.aborted) throw new ClientGoneError();
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/**
 * Hashes and checks passwords with bcrypt's asynchronous API, which runs on libuv's thread
 * pool. At most `concurrency` run at once (BCRYPT_CONCURRENCY), because the pool's four threads
 * would otherwise take every core from the event loop during a burst of sign-ins.
 */
export class PasswordHasher {
  /** Hash of a random password, compared against when an email has no account, so that both cases cost one comparison. */
  private readonly dummyHash: Promise<string>;
  private readonly slots: Semaphore;

  constructor(
    private readonly cost: number,
    concurrency = 1,
  ) {
    this.slots = new Semaphore(concurrency);
    this.dummyHash = this.slots.run(() => bcrypt.hash(randomBytes(32).toString('base64url'), cost));
  }

  hash(password: string): Promise<string> {
    return this.slots.run(() => bcrypt.hash(password, this.cost));
  }

  /**
   * Compares a password with a stored hash, or with the dummy hash when there is none.
   * A password over 72 bytes never matches, since bcrypt would compare only its prefix.
   * When `signal` aborts while the comparison waits for a slot, it throws ClientGoneError.
   */
  async verify(password: string, passwordHash: string | undefined, signal?: AbortSignal): Promise<boolean> {
    const tooLong = Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES;
    const hash = passwordHash ?? (await this.dummyHash);
    const matches = await this.slots.run(() => bcrypt.compare(password, hash), signal);
    return matches && passwordHash !== undefined && !tooLong;
  }
}
