// GraphiQL for the todo API, served by the API at GET /graphql to browsers. Everything it
// loads comes from this origin: the bundle, Monaco's workers, the fonts and the schema.
import { pick, ToolbarButton, useGraphiQL } from '@graphiql/react';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createRoot } from 'react-dom/client';
import { findAccessToken, withBearerToken } from './accessToken';
import { createGraphiQLStorage, createMemoryStorage, headersPersistenceChosen } from './storage';
import './styles.css';

// Lines stay within about 55 characters, the width of the operation editor in a
// 1280-pixel-wide window.
const DEFAULT_QUERY = `# GraphiQL for the todo API. "Show Documentation
# Explorer" (top left) opens the schema's documentation.
#
# Every field but register, login and refreshToken
# needs an access token:
# 1. Write your email and password into Register
#    (for a new account) or Login, and run it: the
#    run button asks which operation to run.
# 2. Click "Use access token from result" (the key
#    icon). It writes {"Authorization": "Bearer …"}
#    into the Headers tab below.
# 3. Run Me, or any other operation. When the token
#    expires (after 30 minutes by default), run Login
#    again and click the key icon.
#
# Headers, and so the token, are not saved in this
# browser unless you turn on "Persist headers" in the
# settings (the gear icon). Queries and variables are
# saved in its local storage, with any password
# written into them.

mutation Register {
  register(
    input: {
      email: "your email"
      password: "your password"
      refreshTokenDelivery: BODY
    }
  ) {
    accessToken
    accessTokenExpiresAt
    refreshToken
    user { id email }
  }
}

mutation Login {
  login(
    input: {
      email: "your email"
      password: "your password"
      refreshTokenDelivery: BODY
    }
  ) {
    accessToken
    accessTokenExpiresAt
    refreshToken
    user { id email }
  }
}

query Me {
  me { id email }
  taskCounts { all active completed }
}
`;

const fetcher = createGraphiQLFetcher({
  url: '/graphql',
  // The API returns one JSON result per request, because it supports neither @defer nor subscriptions.
  enableIncrementalDelivery: false,
  // Same-origin cookies let refreshToken work for sessions signed in with COOKIE delivery.
  fetch: (input, init) => window.fetch(input, { ...init, credentials: 'same-origin' }),
});

/** Returns the browser's localStorage, or storage in memory where the browser denies access to it. */
function browserStorage(): Storage {
  try {
    return window.localStorage;
  } catch {
    return createMemoryStorage();
  }
}

function KeyIcon() {
  return (
    <svg
      className="graphiql-toolbar-icon"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <circle cx="7.5" cy="16.5" r="4.5" />
      <path d="M10.7 13.3 20.5 3.5M17.5 6.5l2.5 2.5M14.8 9.2l2 2" />
    </svg>
  );
}

/**
 * Writes the access token of the last response into the request headers. A click without a
 * token in the response throws, which ToolbarButton shows as an error state with the message.
 */
function UseAccessTokenButton() {
  const { headerEditor, responseEditor } = useGraphiQL(pick('headerEditor', 'responseEditor'));

  const applyAccessToken = () => {
    const token = findAccessToken(responseEditor?.getValue() ?? '');
    if (token === undefined) {
      throw new Error('The response has no accessToken. Run register, login or refreshToken first.');
    }
    headerEditor?.setValue(withBearerToken(headerEditor.getValue(), token));
  };

  return (
    <ToolbarButton label="Use access token from result" onClick={applyAccessToken}>
      <KeyIcon />
    </ToolbarButton>
  );
}

const storage = browserStorage();
const container = document.getElementById('graphiql');
if (!container) throw new Error('graphiql/index.html has no element with id "graphiql".');

createRoot(container).render(
  <GraphiQL
    fetcher={fetcher}
    storage={createGraphiQLStorage(storage)}
    defaultQuery={DEFAULT_QUERY}
    defaultEditorToolsVisibility="headers"
    // GraphiQL 5.4 ignores the saved "Persist headers" choice unless this prop is true, and
    // hides the setting when it is false, so both follow the person's choice here.
    shouldPersistHeaders={headersPersistenceChosen(storage)}
    showPersistHeadersSettings
  >
    <GraphiQL.Toolbar>
      {({ prettify, merge, copy }) => (
        <>
          {prettify}
          {merge}
          {copy}
          <UseAccessTokenButton />
        </>
      )}
    </GraphiQL.Toolbar>
  </GraphiQL>,
);
