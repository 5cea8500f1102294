import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, UseMiddleware } from 'type-graphql';
import { TaskMutationRateLimit } from '../rate-limit';
import { requireViewer, type RequestContext } from '../auth/context';
import { DEFAULT_PAGE_SIZE } from './pagination';
import { Task } from './task.entity';
import { TaskService } from './task.service';
import { CreateTaskInput, OrderDirection, TaskConnection, TaskCounts, TaskFilter, TaskOrder, TaskOrderField, UpdateTaskInput } from './task.types';

async function tasksOfViewer(context: RequestContext): Promise<TaskService> {
  const viewer = await requireViewer(context);
  return new TaskService(context.sql, viewer.user, { maxTasks: context.config.maxTasksPerUser });
}

@Resolver(() => Task)
export class TaskResolver {
  @Authorized()
  @Query(() => Task, { nullable: true, description: 'One of the caller’s tasks; null when it does not exist or is someone else’s.' })
  async task(@Arg('id', () => ID, { description: 'The task’s id.' }) id: string, @Ctx() context: RequestContext): Promise<Task | undefined> {
    return (await tasksOfViewer(context)).find(id);
  }

  @Authorized()
  @Query(() => TaskConnection, { description: 'A page of the caller’s tasks, oldest first unless orderBy says otherwise.' })
  async tasks(
    @Arg('filter', () => TaskFilter, { nullable: true, description: 'Which tasks to include.' }) filter: TaskFilter | null | undefined,
    @Arg('orderBy', () => TaskOrder, { nullable: true, description: 'Sort order; CREATED_AT ASC by default.' }) orderBy: TaskOrder | null | undefined,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE, description: 'Page size, 1 to 100.' }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'endCursor of the previous page.' }) after: string | null | undefined,
    @Ctx() context: RequestContext,
  ): Promise<TaskConnection> {
    const page = await (await tasksOfViewer(context)).list({
      filter,
      field: orderBy?.field ?? TaskOrderField.CREATED_AT,
      direction: orderBy?.direction ?? OrderDirection.ASC,
      first: first ?? DEFAULT_PAGE_SIZE,
      after,
    });
    return {
      edges: page.edges,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
      countTotal: page.countTotal,
    };
  }

  @Authorized()
  @Query(() => TaskCounts, { description: 'How many tasks the caller has, in all and by status.' })
  async taskCounts(@Ctx() context: RequestContext): Promise<TaskCounts> {
    return (await tasksOfViewer(context)).counts();
  }

  @Authorized()
  @UseMiddleware(TaskMutationRateLimit)
  @Mutation(() => Task, { description: 'Adds a task at the end of the caller’s list.' })
  async createTask(@Arg('input', { description: 'The new task.' }) input: CreateTaskInput, @Ctx() context: RequestContext): Promise<Task> {
    return (await tasksOfViewer(context)).create(input);
  }

  @Authorized()
  @UseMiddleware(TaskMutationRateLimit)
  @Mutation(() => Task, { description: 'Changes a task. An unknown id, or someone else’s task, is NOT_FOUND.' })
  async updateTask(
    @Arg('id', () => ID, { description: 'The task to change.' }) id: string,
    @Arg('input', { description: 'The changes.' }) input: UpdateTaskInput,
    @Ctx() context: RequestContext,
  ): Promise<Task> {
    return (await tasksOfViewer(context)).update(id, input);
  }

  @Authorized()
  @UseMiddleware(TaskMutationRateLimit)
  @Mutation(() => ID, { description: 'Deletes a task and returns its id. An unknown id, or someone else’s task, is NOT_FOUND.' })
  async deleteTask(@Arg('id', () => ID, { description: 'The task to delete.' }) id: string, @Ctx() context: RequestContext): Promise<string> {
    return (await tasksOfViewer(context)).delete(id);
  }

  @Authorized()
  @UseMiddleware(TaskMutationRateLimit)
  @Mutation(() => Int, { description: 'Completes (true) or reopens (false) every task of the caller; returns how many changed.' })
  async setAllTasksCompleted(
    @Arg('completed', { description: 'The new state of every task.' }) completed: boolean,
    @Ctx() context: RequestContext,
  ): Promise<number> {
    return (await tasksOfViewer(context)).setAllCompleted(completed);
  }

  @Authorized()
  @UseMiddleware(TaskMutationRateLimit)
  @Mutation(() => Int, { description: 'Deletes every completed task of the caller; returns how many.' })
  async clearCompletedTasks(@Ctx() context: RequestContext): Promise<number> {
    return (await tasksOfViewer(context)).clearCompleted();
  }

}

@Resolver(() => TaskConnection)
export class TaskConnectionResolver {
  @FieldResolver(() => Int, { description: 'How many tasks match the filter, over all pages. Counted only when selected.' })
  totalCount(@Root() connection: TaskConnection): Promise<number> {
    return connection.countTotal();
  }
}
