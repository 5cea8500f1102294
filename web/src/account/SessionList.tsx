import type { ApolloCache } from '@apollo/client';
import { useMutation, useQuery } from '@apollo/client/react';
import { useId, useRef, useState } from 'react';
import { describeError, hasErrorCode } from '../apollo/errors';
import { useNotify } from '../notices/Notices';
import { useSessionManager } from '../session/SessionContext';
import { REVOKE_SESSION_MUTATION, SESSIONS_QUERY, type AccountSession } from './accountOperations';
import { describeUserAgent } from './describeUserAgent';

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function removeSessionFromList(cache: ApolloCache, id: string): void {
  cache.modify<{ sessions: AccountSession[] }>({
    id: 'ROOT_QUERY',
    fields: {
      sessions(existing, { readField }) {
        return (existing as readonly AccountSession[]).filter((item) => readField('id', item) !== id);
      },
    },
  });
}

/** Lists the account's active sessions, each with a button that revokes it. */
export function SessionList({ onSignedOut }: { onSignedOut(): void }) {
  const session = useSessionManager();
  const notify = useNotify();
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const sessionsQuery = useQuery(SESSIONS_QUERY, { fetchPolicy: 'cache-and-network', nextFetchPolicy: 'cache-first' });
  const [revokeSession] = useMutation(REVOKE_SESSION_MUTATION);
  const [revokingId, setRevokingId] = useState<string | null>(null);

  const sessions = sessionsQuery.data?.sessions;

  async function revoke(item: AccountSession) {
    const name = describeUserAgent(item.userAgent);
    setRevokingId(item.id);
    try {
      await revokeSession({
        variables: { id: item.id },
        update: (cache) => {
          if (!item.current) removeSessionFromList(cache, item.id);
        },
      });
    } catch (error) {
      setRevokingId(null);
      if (!hasErrorCode(error, 'NOT_FOUND')) {
        notify(`Could not revoke the session of ${name}: ${describeError(error)}`);
        return;
      }
      // The session ended meanwhile (signed out, expired or revoked elsewhere), which is
      // the result the person requested.
      if (!item.current) {
        sessionsQuery.client.cache.batch({ update: (cache) => removeSessionFromList(cache, item.id) });
        notify(`The session of ${name} had already ended.`, 'info');
        heading.current?.focus();
        return;
      }
    }

    if (item.current) {
      onSignedOut();
      session.signOut();
      return;
    }
    setRevokingId(null);
    notify(`Revoked the session of ${name}.`, 'info');
    // The button that had the focus is gone with its row.
    heading.current?.focus();
  }

  return (
    <section className="account-section" aria-labelledby={headingId}>
      <h2 id={headingId} ref={heading} tabIndex={-1}>
        Signed-in sessions
      </h2>
      <p className="account-section-intro">
        Each browser or program where you signed in. Revoking a session signs it out at its next request.
      </p>

      {!sessions && sessionsQuery.loading && (
        <p className="list-status" role="status">
          Loading sessions…
        </p>
      )}

      {sessionsQuery.error && (
        <div className="form-error" role="alert">
          <p>Could not load your sessions. {describeError(sessionsQuery.error)}</p>
          {/* A failed retry shows here again, through sessionsQuery.error. */}
          <button type="button" className="secondary-button" onClick={() => void sessionsQuery.refetch().catch(() => {})}>
            Try again
          </button>
        </div>
      )}

      {sessions && (
        <ul className="session-list" aria-label="Sessions">
          {sessions.map((item) => (
            <SessionItem
              key={item.id}
              item={item}
              revoking={revokingId === item.id}
              disabled={revokingId !== null}
              onRevoke={() => void revoke(item)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

interface SessionItemProps {
  item: AccountSession;
  revoking: boolean;
  disabled: boolean;
  onRevoke(): void;
}

function SessionItem({ item, revoking, disabled, onRevoke }: SessionItemProps) {
  const nameId = useId();
  const detailsId = useId();
  const idleLabel = item.current ? 'Revoke and sign out' : 'Revoke';

  return (
    <li className="session-item" data-testid="session-item" data-current={item.current ? 'true' : undefined}>
      <div className="session-info">
        <p id={nameId} className="session-name">
          {describeUserAgent(item.userAgent)}
          {item.current && <span className="session-current"> (this browser)</span>}
        </p>
        <p id={detailsId} className="session-details">
          Signed in <time dateTime={item.createdAt}>{dateTimeFormat.format(new Date(item.createdAt))}</time>
          {' · '}last active <time dateTime={item.lastUsedAt}>{dateTimeFormat.format(new Date(item.lastUsedAt))}</time>
          {item.ip && ` · IP address ${item.ip}`}
        </p>
      </div>
      <button
        type="button"
        className="secondary-button"
        aria-describedby={`${nameId} ${detailsId}`}
        disabled={disabled}
        onClick={onRevoke}
      >
        {revoking ? 'Revoking…' : idleLabel}
      </button>
    </li>
  );
}
