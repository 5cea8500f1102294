import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Lets taskCounts and the status filters count from the index alone, without reading the table. */
export class TaskCountsIndex1764892800000 implements MigrationInterface {
  name = 'TaskCountsIndex1764892800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX tasks_owner_completed_idx ON tasks (owner_id, completed)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX tasks_owner_completed_idx`);
  }
}
