import { ApolloLink } from '@apollo/client/link';
import { Observable } from 'rxjs';
import type { Task, TaskStatus } from '../tasks/taskOperations';

/**
 * A mock link for component tests. It responds to the web app's operations from tasks
 * kept in memory for one user, following the API's contract (order CREATED_AT ASC, cursor
 * pagination, status and search filters). Tests can make the next call of an operation
 * fail, or hold its response back to look at the optimistic state.
 */

export interface GraphQLResult {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions: Record<string, unknown> }>;
}

export interface RecordedRequest {
  operationName: string;
  variables: Record<string, unknown>;
  authorization: string | undefined;
}

type Handler = (variables: Record<string, any>) => GraphQLResult;

export function graphQLError(code: string, message = code, extensions: Record<string, unknown> = {}): GraphQLResult {
  return { data: null, errors: [{ message, extensions: { code, ...extensions } }] };
}

export class FakeTaskServer {
  tasks: Task[] = [];
  readonly requests: RecordedRequest[] = [];
  /**
   * The access tokens the server accepts. While set, every operation but Login and
   * Register sent without one of them fails with UNAUTHENTICATED, as with an expired token.
   */
  validTokens: Set<string> | null = null;
  private nextId = 1;
  private clock = Date.parse('2026-01-01T00:00:00Z');
  private readonly failures = new Map<string, Array<GraphQLResult | Error>>();
  private readonly holds = new Map<string, Array<Promise<void>>>();
  readonly handlers: Record<string, Handler> = {
    Tasks: (variables) => this.listTasks(variables),
    TaskCounts: () => ({ data: { taskCounts: { __typename: 'TaskCounts', ...this.counts() } } }),
    CreateTask: ({ input }) => ({ data: { createTask: this.addTask(input.title, input) } }),
    UpdateTask: ({ id, input }) => this.updateTask(id, input),
    DeleteTask: ({ id }) => this.deleteTask(id),
    SetAllTasksCompleted: ({ completed }) => this.setAllCompleted(completed),
    ClearCompletedTasks: () => this.clearCompleted(),
  };

  /** Adds a task directly, as if created earlier. */
  addTask(title: string, fields: Partial<Task> = {}): Task {
    const createdAt = this.tick();
    const task: Task = {
      __typename: 'Task',
      id: `task-${this.nextId++}`,
      title,
      description: fields.description ?? null,
      completed: fields.completed ?? false,
      completedAt: fields.completed ? createdAt : null,
      priority: fields.priority ?? 'MEDIUM',
      dueDate: fields.dueDate ?? null,
      createdAt,
      updatedAt: createdAt,
    };
    this.tasks.push(task);
    return { ...task };
  }

  /** Makes the next call of `operationName` return `result` instead. */
  failNext(operationName: string, result: GraphQLResult): void {
    const queue = this.failures.get(operationName) ?? [];
    queue.push(result);
    this.failures.set(operationName, queue);
  }

  /** Makes the next call of `operationName` fail as fetch() does when the server is unreachable. */
  failNextWithNetworkError(operationName: string): void {
    const queue = this.failures.get(operationName) ?? [];
    queue.push(new TypeError('Failed to fetch'));
    this.failures.set(operationName, queue);
  }

  /** Holds back the responses to `operationName` until the returned function is called. */
  hold(operationName: string): () => void {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const gates = this.holds.get(operationName) ?? [];
    gates.push(gate);
    this.holds.set(operationName, gates);
    return () => {
      release();
      this.holds.set(
        operationName,
        (this.holds.get(operationName) ?? []).filter((item) => item !== gate),
      );
    };
  }

  requestsOf(operationName: string): RecordedRequest[] {
    return this.requests.filter((request) => request.operationName === operationName);
  }

  /** Creates the mock link that responds through this server. */
  link(): ApolloLink {
    return new ApolloLink((operation) => {
      const operationName = operation.operationName ?? '';
      const headers = (operation.getContext().headers ?? {}) as Record<string, string>;
      this.requests.push({ operationName, variables: operation.variables, authorization: headers.authorization });

      return new Observable<ApolloLink.Result>((subscriber) => {
        let closed = false;
        void this.answer(operationName, operation.variables, headers.authorization).then((result) => {
          if (closed) return;
          if (result instanceof Error) return subscriber.error(result);
          subscriber.next(result as ApolloLink.Result);
          subscriber.complete();
        });
        return () => {
          closed = true;
        };
      });
    });
  }

  private async answer(
    operationName: string,
    variables: Record<string, unknown>,
    authorization: string | undefined,
  ): Promise<GraphQLResult | Error> {
    await Promise.all(this.holds.get(operationName) ?? []);
    await Promise.resolve();

    const token = authorization?.replace(/^Bearer /, '');
    const isSignIn = operationName === 'Login' || operationName === 'Register';
    if (this.validTokens && !isSignIn && (token === undefined || !this.validTokens.has(token))) {
      return graphQLError('UNAUTHENTICATED', 'Access token expired');
    }

    const failure = this.failures.get(operationName)?.shift();
    if (failure) return failure;

    const handler = this.handlers[operationName];
    if (!handler) return graphQLError('INTERNAL_SERVER_ERROR', `The fake server has no handler for ${operationName}.`);
    return handler(variables);
  }

  private tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }

  private counts() {
    const completed = this.tasks.filter((task) => task.completed).length;
    return { all: this.tasks.length, active: this.tasks.length - completed, completed };
  }

  private listTasks(variables: Record<string, any>): GraphQLResult {
    const status: TaskStatus = variables.filter?.status ?? 'ALL';
    const search: string | undefined = variables.filter?.search?.toLowerCase();
    const first: number = variables.first ?? 20;

    const matching = this.tasks.filter((task) => {
      if (status === 'ACTIVE' && task.completed) return false;
      if (status === 'COMPLETED' && !task.completed) return false;
      if (search && !`${task.title}\n${task.description ?? ''}`.toLowerCase().includes(search)) return false;
      return true;
    });

    const start = variables.after ? matching.findIndex((task) => task.id === variables.after) + 1 : 0;
    const page = matching.slice(start, start + first);

    return {
      data: {
        tasks: {
          __typename: 'TaskConnection',
          edges: page.map((task) => ({ __typename: 'TaskEdge', cursor: task.id, node: { ...task } })),
          pageInfo: {
            __typename: 'PageInfo',
            hasNextPage: start + first < matching.length,
            endCursor: page.length > 0 ? page[page.length - 1].id : null,
          },
        },
      },
    };
  }

  private updateTask(id: string, input: Record<string, any>): GraphQLResult {
    const task = this.tasks.find((item) => item.id === id);
    if (!task) return graphQLError('NOT_FOUND', 'Task not found');

    const now = this.tick();
    if (input.title !== undefined) task.title = input.title;
    if (input.description !== undefined) task.description = input.description;
    if (input.priority !== undefined) task.priority = input.priority;
    if (input.dueDate !== undefined) task.dueDate = input.dueDate;
    if (input.completed !== undefined && input.completed !== task.completed) {
      task.completed = input.completed;
      task.completedAt = input.completed ? now : null;
    }
    task.updatedAt = now;
    return { data: { updateTask: { ...task } } };
  }

  private deleteTask(id: string): GraphQLResult {
    const before = this.tasks.length;
    this.tasks = this.tasks.filter((task) => task.id !== id);
    return this.tasks.length === before ? graphQLError('NOT_FOUND', 'Task not found') : { data: { deleteTask: id } };
  }

  private setAllCompleted(completed: boolean): GraphQLResult {
    const now = this.tick();
    let changed = 0;
    for (const task of this.tasks) {
      if (task.completed === completed) continue;
      task.completed = completed;
      task.completedAt = completed ? now : null;
      changed += 1;
    }
    return { data: { setAllTasksCompleted: changed } };
  }

  private clearCompleted(): GraphQLResult {
    const before = this.tasks.length;
    this.tasks = this.tasks.filter((task) => !task.completed);
    return { data: { clearCompletedTasks: before - this.tasks.length } };
  }
}
