import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Task, TaskPriority } from './task.entity';

export enum TaskStatus {
  ALL = 'ALL',
  ACTIVE = 'ACTIVE',
  COMPLETED = 'COMPLETED',
}

export enum TaskOrderField {
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
  DUE_DATE = 'DUE_DATE',
  PRIORITY = 'PRIORITY',
  TITLE = 'TITLE',
}

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

registerEnumType(TaskStatus, {
  name: 'TaskStatus',
  description: 'Which tasks a list shows.',
  valuesConfig: {
    ALL: { description: 'Every task.' },
    ACTIVE: { description: 'Tasks not yet completed.' },
    COMPLETED: { description: 'Completed tasks.' },
  },
});

registerEnumType(TaskOrderField, {
  name: 'TaskOrderField',
  description: 'What a task list is sorted by. Ties are broken by id, so the order is total.',
  valuesConfig: {
    CREATED_AT: { description: 'Creation time.' },
    UPDATED_AT: { description: 'Time of the last change.' },
    DUE_DATE: { description: 'Due date; tasks without one come last in both directions.' },
    PRIORITY: { description: 'Priority rank: LOW < MEDIUM < HIGH.' },
    TITLE: { description: 'Title, ignoring case, by Unicode code point.' },
  },
});

registerEnumType(OrderDirection, {
  name: 'OrderDirection',
  description: 'Sort direction.',
  valuesConfig: { ASC: { description: 'Ascending.' }, DESC: { description: 'Descending.' } },
});

@InputType({ description: 'Which tasks to list. Conditions combine with AND.' })
export class TaskFilter {
  @Field(() => TaskStatus, { nullable: true, defaultValue: TaskStatus.ALL, description: 'Completion status.' })
  status?: TaskStatus | null;

  @Field(() => String, {
    nullable: true,
    description: 'Case-insensitive substring of the title or description; % and _ match themselves.',
  })
  search?: string | null;

  @Field(() => TaskPriority, { nullable: true, description: 'Only tasks of this priority.' })
  priority?: TaskPriority | null;

  @Field(() => Date, { nullable: true, description: 'Only tasks due at or before this instant.' })
  dueBefore?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only tasks due at or after this instant.' })
  dueAfter?: Date | null;
}

@InputType({ description: 'Sort order of a task list.' })
export class TaskOrder {
  @Field(() => TaskOrderField, { nullable: false, defaultValue: TaskOrderField.CREATED_AT, description: 'The sort key.' })
  field!: TaskOrderField;

  @Field(() => OrderDirection, { nullable: false, defaultValue: OrderDirection.ASC, description: 'The direction.' })
  direction!: OrderDirection;
}

@InputType({ description: 'A new task.' })
export class CreateTaskInput {
  @Field({ description: 'Title; trimmed, then 1 to 500 characters.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Up to 10,000 characters, kept exactly.' })
  description?: string | null;

  @Field(() => TaskPriority, { nullable: true, defaultValue: TaskPriority.MEDIUM, description: 'How urgent the task is.' })
  priority?: TaskPriority | null;

  @Field(() => Date, { nullable: true, description: 'When the task is due.' })
  dueDate?: Date | null;
}

@InputType({
  description:
    'Changes to a task. An omitted field stays as it is; null clears description and dueDate, and is rejected for title, completed and priority.',
})
export class UpdateTaskInput {
  @Field(() => String, { nullable: true, description: 'New title; trimmed, then 1 to 500 characters.' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'New description of up to 10,000 characters, or null to clear it.' })
  description?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Completes or reopens the task; completedAt follows.' })
  completed?: boolean | null;

  @Field(() => TaskPriority, { nullable: true, description: 'New priority.' })
  priority?: TaskPriority | null;

  @Field(() => Date, { nullable: true, description: 'New due date, or null to clear it.' })
  dueDate?: Date | null;
}

@ObjectType({ description: 'Where a page of a list ends.' })
export class PageInfo {
  @Field({ description: 'Whether more tasks follow this page.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the last task of the page; pass it as `after` for the next page.' })
  endCursor!: string | null;
}

@ObjectType({ description: 'A task in a list, with its position.' })
export class TaskEdge {
  @Field({ description: 'Opaque position of this task, valid only with the same order.' })
  cursor!: string;

  @Field(() => Task, { description: 'The task.' })
  node!: Task;
}

@ObjectType({ description: 'A page of the caller’s tasks.' })
export class TaskConnection {
  @Field(() => [TaskEdge], { description: 'The tasks of this page, in order.' })
  edges!: TaskEdge[];

  @Field(() => PageInfo, { description: 'Where this page ends.' })
  pageInfo!: PageInfo;

  /** Counts the tasks that match the filter; run only when a query selects totalCount. */
  countTotal!: () => Promise<number>;
}

@ObjectType({ description: 'How many tasks the caller has.' })
export class TaskCounts {
  @Field(() => Int, { description: 'Every task.' })
  all!: number;

  @Field(() => Int, { description: 'Tasks not yet completed.' })
  active!: number;

  @Field(() => Int, { description: 'Completed tasks.' })
  completed!: number;
}
