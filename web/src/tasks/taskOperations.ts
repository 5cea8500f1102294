import { gql, type TypedDocumentNode } from '@apollo/client';

export type TaskPriority = 'LOW' | 'MEDIUM' | 'HIGH';
export type TaskStatus = 'ALL' | 'ACTIVE' | 'COMPLETED';
export type TaskOrderField = 'CREATED_AT' | 'UPDATED_AT' | 'DUE_DATE' | 'PRIORITY' | 'TITLE';
export type OrderDirection = 'ASC' | 'DESC';

export interface Task {
  __typename: 'Task';
  id: string;
  title: string;
  description: string | null;
  completed: boolean;
  completedAt: string | null;
  priority: TaskPriority;
  dueDate: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TaskFilter {
  status: TaskStatus;
  search?: string;
}

export interface TaskOrder {
  field: TaskOrderField;
  direction: OrderDirection;
}

export interface TaskCounts {
  __typename: 'TaskCounts';
  all: number;
  active: number;
  completed: number;
}

export interface TaskEdge {
  __typename: 'TaskEdge';
  cursor: string;
  node: Task;
}

export interface TaskConnection {
  __typename: 'TaskConnection';
  edges: TaskEdge[];
  pageInfo: { __typename: 'PageInfo'; hasNextPage: boolean; endCursor: string | null };
}

export interface TasksQueryData {
  tasks: TaskConnection;
}

export interface TasksQueryVariables {
  filter: TaskFilter;
  orderBy: TaskOrder;
  first: number;
  after?: string | null;
}

export interface CreateTaskInput {
  title: string;
  description?: string | null;
  priority?: TaskPriority;
  dueDate?: string | null;
}

/** An omitted field stays as it is, and `null` clears `description` and `dueDate`. */
export interface UpdateTaskInput {
  title?: string;
  description?: string | null;
  completed?: boolean;
  priority?: TaskPriority;
  dueDate?: string | null;
}

export const TASK_FIELDS: TypedDocumentNode<Task> = gql`
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
`;

export const TASKS_QUERY: TypedDocumentNode<TasksQueryData, TasksQueryVariables> = gql`
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
  ${TASK_FIELDS}
`;

export const TASK_COUNTS_QUERY: TypedDocumentNode<{ taskCounts: TaskCounts }, Record<string, never>> = gql`
  query TaskCounts {
    taskCounts {
      all
      active
      completed
    }
  }
`;

export const CREATE_TASK_MUTATION: TypedDocumentNode<{ createTask: Task }, { input: CreateTaskInput }> = gql`
  mutation CreateTask($input: CreateTaskInput!) {
    createTask(input: $input) {
      ...TaskFields
    }
  }
  ${TASK_FIELDS}
`;

export const UPDATE_TASK_MUTATION: TypedDocumentNode<{ updateTask: Task }, { id: string; input: UpdateTaskInput }> =
  gql`
    mutation UpdateTask($id: ID!, $input: UpdateTaskInput!) {
      updateTask(id: $id, input: $input) {
        ...TaskFields
      }
    }
    ${TASK_FIELDS}
  `;

export const DELETE_TASK_MUTATION: TypedDocumentNode<{ deleteTask: string }, { id: string }> = gql`
  mutation DeleteTask($id: ID!) {
    deleteTask(id: $id)
  }
`;

export const SET_ALL_TASKS_COMPLETED_MUTATION: TypedDocumentNode<
  { setAllTasksCompleted: number },
  { completed: boolean }
> = gql`
  mutation SetAllTasksCompleted($completed: Boolean!) {
    setAllTasksCompleted(completed: $completed)
  }
`;

export const CLEAR_COMPLETED_TASKS_MUTATION: TypedDocumentNode<
  { clearCompletedTasks: number },
  Record<string, never>
> = gql`
  mutation ClearCompletedTasks {
    clearCompletedTasks
  }
`;
