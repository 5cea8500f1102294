import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, their sessions and refresh tokens, and their tasks. */
export class InitialSchema1764806400000 implements MigrationInterface {
  name = 'InitialSchema1764806400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);

    await queryRunner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX users_email_key ON users (email)`);

    await queryRunner.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        delivery text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        user_agent text,
        ip text
      )`);
    await queryRunner.query(`CREATE INDEX sessions_user_id_idx ON sessions (user_id)`);

    await queryRunner.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        token_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        rotated_at timestamptz,
        replaced_by uuid
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX refresh_tokens_token_hash_key ON refresh_tokens (token_hash)`);
    await queryRunner.query(`CREATE INDEX refresh_tokens_session_id_idx ON refresh_tokens (session_id)`);

    await queryRunner.query(`CREATE TYPE task_priority AS ENUM ('LOW', 'MEDIUM', 'HIGH')`);
    await queryRunner.query(`
      CREATE TABLE tasks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        title text NOT NULL,
        description text,
        completed boolean NOT NULL DEFAULT false,
        completed_at timestamptz,
        priority task_priority NOT NULL DEFAULT 'MEDIUM',
        due_date timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One index per sort order, each led by the owner so that every page is a range scan of one list.
    await queryRunner.query(`CREATE INDEX tasks_owner_created_idx ON tasks (owner_id, created_at, id)`);
    await queryRunner.query(`CREATE INDEX tasks_owner_updated_idx ON tasks (owner_id, updated_at, id)`);
    await queryRunner.query(`CREATE INDEX tasks_owner_due_idx ON tasks (owner_id, due_date, id)`);
    await queryRunner.query(`CREATE INDEX tasks_owner_priority_idx ON tasks (owner_id, priority, id)`);
    await queryRunner.query(`CREATE INDEX tasks_owner_title_idx ON tasks (owner_id, (lower(title) COLLATE "C"), id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE tasks`);
    await queryRunner.query(`DROP TYPE task_priority`);
    await queryRunner.query(`DROP TABLE refresh_tokens`);
    await queryRunner.query(`DROP TABLE sessions`);
    await queryRunner.query(`DROP TABLE users`);
  }
}
