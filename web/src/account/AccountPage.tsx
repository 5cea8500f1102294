import { useEffect, useId, useRef } from 'react';
import type { SessionUser } from '../session/refreshRequest';
import './account.css';
import { ChangePasswordForm } from './ChangePasswordForm';
import { DeleteAccountSection } from './DeleteAccountSection';
import { SessionList } from './SessionList';
import { SignOutEverywhere } from './SignOutEverywhere';

export interface AccountPageProps {
  user: SessionUser;
  /** Runs before a sign-out that starts on this page, such as the account's deletion, and leaves the page. */
  onSignedOut(): void;
}

/**
 * Renders the account page at `#/account`: sessions, password change, sign-out everywhere
 * and deletion. App.tsx loads it with import(), so that its code stays out of the first screen.
 */
export function AccountPage({ user, onSignedOut }: AccountPageProps) {
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);

  // Moves the focus to the new page, as a page load would, so that screen readers announce it.
  useEffect(() => {
    heading.current?.focus();
  }, []);

  return (
    <main className="account-page" aria-labelledby={headingId}>
      <p className="account-back">
        <a href="#/">← Back to your tasks</a>
      </p>
      <h1 id={headingId} ref={heading} tabIndex={-1}>
        Account
      </h1>
      <p className="account-email-line">
        Signed in as <strong>{user.email}</strong>
      </p>

      <SessionList onSignedOut={onSignedOut} />
      <ChangePasswordForm user={user} />
      <SignOutEverywhere onSignedOut={onSignedOut} />
      <DeleteAccountSection user={user} onSignedOut={onSignedOut} />
    </main>
  );
}
