-- Row-level security for the PostGraphile reference server, applied to the benchmark database only
-- (never part of the app's migrations). The app and the other servers connect as a superuser, which
-- bypasses these policies, so they see the tables as before.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'todo_bench_viewer') THEN
    CREATE ROLE todo_bench_viewer NOLOGIN;
  END IF;
END
$$;

CREATE SCHEMA IF NOT EXISTS bench_auth;

-- The caller's user id when the token's session is live (the app's resolveViewer conditions), else NULL.
-- SECURITY DEFINER so that the viewer role needs no access to sessions; STABLE so that a policy can use it as an index condition.
CREATE OR REPLACE FUNCTION bench_auth.viewer_id() RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT s.user_id FROM sessions s
   WHERE s.id = nullif(current_setting('jwt.claims.sid', true), '')::uuid
     AND s.user_id = nullif(current_setting('jwt.claims.sub', true), '')::uuid
     AND s.revoked_at IS NULL AND s.expires_at > now()
     AND s.last_used_at > now() - interval '24 hours'
$$;

GRANT USAGE ON SCHEMA public, bench_auth TO todo_bench_viewer;
GRANT EXECUTE ON FUNCTION bench_auth.viewer_id() TO todo_bench_viewer;
GRANT SELECT, INSERT, UPDATE, DELETE ON tasks TO todo_bench_viewer;
GRANT SELECT (id, email, created_at) ON users TO todo_bench_viewer;

ALTER TABLE tasks ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS bench_tasks_owner ON tasks;
CREATE POLICY bench_tasks_owner ON tasks TO todo_bench_viewer
  USING (owner_id = bench_auth.viewer_id()) WITH CHECK (owner_id = bench_auth.viewer_id());

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS bench_users_self ON users;
CREATE POLICY bench_users_self ON users TO todo_bench_viewer USING (id = bench_auth.viewer_id());
