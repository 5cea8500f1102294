import { createRoot } from 'react-dom/client';
import { createApolloClient } from './apollo/createApolloClient';
import { clearCacheOnUserChange, Root } from './Root';
import { createRefreshRequest } from './session/refreshRequest';
import { SessionManager } from './session/SessionManager';
import { openSessionChannel } from './session/sessionChannel';
import './styles.css';

const session = new SessionManager({ refresh: createRefreshRequest(), channel: openSessionChannel() });
const client = createApolloClient(session);
clearCacheOnUserChange(session, client);
void session.restore();

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no element with id "root".');
createRoot(container).render(<Root session={session} client={client} />);
