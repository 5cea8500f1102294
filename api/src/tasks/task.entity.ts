import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { User } from '../auth/user.entity';
import { DateTimeScalar, type Timestamp } from '../timestamps';

/** Declared from lowest to highest: PostgreSQL sorts enum values in this order. */
export enum TaskPriority {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
}

registerEnumType(TaskPriority, {
  name: 'TaskPriority',
  description: 'How urgent a task is; ordering ranks LOW < MEDIUM < HIGH.',
  valuesConfig: {
    LOW: { description: 'Can wait.' },
    MEDIUM: { description: 'The default.' },
    HIGH: { description: 'Urgent.' },
  },
});

@ObjectType({ description: 'A task on one person’s list. Only its owner can read or change it.' })
@Entity({ name: 'tasks' })
@Index('tasks_owner_created_idx', ['ownerId', 'createdAt', 'id'])
@Index('tasks_owner_updated_idx', ['ownerId', 'updatedAt', 'id'])
@Index('tasks_owner_due_idx', ['ownerId', 'dueDate', 'id'])
@Index('tasks_owner_priority_idx', ['ownerId', 'priority', 'id'])
@Index('tasks_owner_completed_idx', ['ownerId', 'completed'])
// An expression index on (owner_id, lower(title) COLLATE "C", id), created by the migration.
@Index('tasks_owner_title_idx', { synchronize: false })
export class Task {
  @Field(() => ID, { description: 'Stable identifier of the task.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  // The task service sets it on every task it returns, because only the owner can reach a task.
  @Field(() => User, { description: 'The task’s owner: always the caller.' })
  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'owner_id', foreignKeyConstraintName: 'tasks_owner_id_fkey' })
  owner!: Relation<User>;

  @Field({ description: 'Title, 1 to 500 characters, trimmed.' })
  @Column({ type: 'text' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Free text of up to 10,000 characters, kept exactly as written.' })
  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Field({ description: 'Whether the task is done.' })
  @Column({ type: 'boolean', default: false })
  completed!: boolean;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the task was last completed; null while it is open.' })
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Timestamp | null;

  @Field(() => TaskPriority, { description: 'How urgent the task is.' })
  @Column({ type: 'enum', enum: TaskPriority, enumName: 'task_priority', default: TaskPriority.MEDIUM })
  priority!: TaskPriority;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the task is due, if ever.' })
  @Column({ name: 'due_date', type: 'timestamptz', nullable: true })
  dueDate!: Timestamp | null;

  @Field(() => DateTimeScalar, { description: 'When the task was created.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Timestamp;

  @Field(() => DateTimeScalar, { description: 'When the task was last changed.' })
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Timestamp;
}
