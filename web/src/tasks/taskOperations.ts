import { graphql } from '../gql';
import type {
  TaskCountsQuery,
  TaskFieldsFragment,
  TaskOrderField,
  OrderDirection,
  TaskPriority,
  TasksQuery,
  TaskStatus,
  UpdateTaskInput as SchemaUpdateTaskInput,
} from '../gql/graphql';

export type { CreateTaskInput, OrderDirection, TaskOrderField, TaskPriority, TaskStatus } from '../gql/graphql';

/** A task with the fields of the TaskFields fragment, as every task query and mutation returns it. */
export type Task = TaskFieldsFragment;
export type TaskCounts = TaskCountsQuery['taskCounts'];
export type TaskConnection = TasksQuery['tasks'];
export type TaskEdge = TaskConnection['edges'][number];

/** The filter of the list on screen, which always names a status. */
export interface TaskFilter {
  status: TaskStatus;
  search?: string;
}

export interface TaskOrder {
  field: TaskOrderField;
  direction: OrderDirection;
}

/**
 * The variables of the list on screen. They are stricter than the generated
 * `TasksQueryVariables`, where every argument is optional, because the cache updates
 * read the status and the order. `useQuery(TASKS_QUERY)` checks that they still fit.
 */
export interface TaskListVariables {
  filter: TaskFilter;
  orderBy: TaskOrder;
  first: number;
  after?: string | null;
}

/**
 * An omitted field stays as it is, and `null` clears `description` and `dueDate`. The
 * schema's type allows null everywhere, but the API rejects it for the other fields.
 */
export type UpdateTaskInput = Omit<SchemaUpdateTaskInput, 'title' | 'completed' | 'priority'> & {
  title?: string;
  completed?: boolean;
  priority?: TaskPriority;
};

export const TASK_FIELDS = graphql(`
  fragment TaskFields on Task {
    id
    title
    description
    completed
    completedAt
    priority
    dueDate
    createdAt
    updatedAt
  }
`);

export const TASKS_QUERY = graphql(`
  query Tasks($filter: TaskFilter, $orderBy: TaskOrder, $first: Int, $after: String) {
    tasks(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      edges {
        cursor
        node {
          ...TaskFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const TASK_COUNTS_QUERY = graphql(`
  query TaskCounts {
    taskCounts {
      all
      active
      completed
    }
  }
`);

export const CREATE_TASK_MUTATION = graphql(`
  mutation CreateTask($input: CreateTaskInput!) {
    createTask(input: $input) {
      ...TaskFields
    }
  }
`);

export const UPDATE_TASK_MUTATION = graphql(`
  mutation UpdateTask($id: ID!, $input: UpdateTaskInput!) {
    updateTask(id: $id, input: $input) {
      ...TaskFields
    }
  }
`);

export const DELETE_TASK_MUTATION = graphql(`
  mutation DeleteTask($id: ID!) {
    deleteTask(id: $id)
  }
`);

export const SET_ALL_TASKS_COMPLETED_MUTATION = graphql(`
  mutation SetAllTasksCompleted($completed: Boolean!) {
    setAllTasksCompleted(completed: $completed)
  }
`);

export const CLEAR_COMPLETED_TASKS_MUTATION = graphql(`
  mutation ClearCompletedTasks {
    clearCompletedTasks
  }
`);
