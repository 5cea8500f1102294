import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeTaskServer, graphQLError } from '../test/fakeTaskServer';
import { ALICE, renderApp } from '../test/renderApp';

function setUp(titles: string[] = [], completedTitles: string[] = []) {
  const server = new FakeTaskServer();
  for (const title of titles) server.addTask(title, { completed: completedTitles.includes(title) });
  const app = renderApp({ server, signedInAs: ALICE });
  return { server, ...app };
}

function titles(): string[] {
  return screen.queryAllByTestId('todo-title').map((element) => element.textContent ?? '');
}

function item(title: string): HTMLElement {
  const element = screen.getAllByTestId('todo-item').find((li) => within(li).queryByText(title));
  if (!element) throw new Error(`No task titled "${title}" is shown.`);
  return element;
}

describe('task list', () => {
  it('shows tasks, counter and email', async () => {
    setUp(['buy milk', 'walk the dog', 'read'], ['read']);

    await waitFor(() => expect(titles()).toEqual(['buy milk', 'walk the dog', 'read']));
    expect(screen.getByTestId('todo-count')).toHaveTextContent('2 items left');
    expect(screen.getByText('alice@example.com')).toBeInTheDocument();
    expect(item('read')).toHaveClass('completed');
    expect(item('buy milk').className).toBe('');
    expect(screen.getByRole('button', { name: 'Clear completed' })).toBeInTheDocument();
  });

  it('focuses the new-task field', async () => {
    setUp();

    await waitFor(() => expect(screen.getByPlaceholderText('What needs to be done?')).toHaveFocus());
  });

  it('says "1 item left" in the singular', async () => {
    setUp(['only one']);

    await waitFor(() => expect(screen.getByTestId('todo-count')).toHaveTextContent('1 item left'));
    expect(screen.queryByRole('button', { name: 'Clear completed' })).not.toBeInTheDocument();
  });

  it('hides the list and footer without tasks', async () => {
    const { server } = setUp();

    await waitFor(() => expect(server.requestsOf('TaskCounts')).toHaveLength(1));
    await waitFor(() => expect(screen.queryByText('Loading tasks…')).not.toBeInTheDocument());
    expect(screen.queryByLabelText('Mark all as complete')).not.toBeInTheDocument();
    expect(screen.queryByTestId('todo-count')).not.toBeInTheDocument();
  });

  it('sends the access token with each request', async () => {
    const { server } = setUp(['a']);

    await waitFor(() => expect(server.requestsOf('Tasks')).toHaveLength(1));
    expect(server.requestsOf('Tasks')[0].authorization).toBe(`Bearer ${ALICE.accessToken}`);
  });
});

describe('adding tasks', () => {
  it('adds a trimmed title at the bottom and clears the field', async () => {
    const { user, server } = setUp(['first']);
    await waitFor(() => expect(titles()).toEqual(['first']));

    const field = screen.getByPlaceholderText('What needs to be done?');
    await user.type(field, '   second task   {Enter}');

    expect(titles()).toEqual(['first', 'second task']);
    expect(field).toHaveValue('');
    await waitFor(() => expect(server.tasks.map((task) => task.title)).toEqual(['first', 'second task']));
    await waitFor(() => expect(screen.getByTestId('todo-count')).toHaveTextContent('2 items left'));
  });

  it('adds nothing for an empty or blank title', async () => {
    const { user, server } = setUp(['first']);
    await waitFor(() => expect(titles()).toEqual(['first']));

    const field = screen.getByPlaceholderText('What needs to be done?');
    await user.type(field, '{Enter}');
    await user.type(field, '    {Enter}');

    expect(titles()).toEqual(['first']);
    expect(server.requestsOf('CreateTask')).toHaveLength(0);
  });

  it('rejects a title over 500 code points', async () => {
    const { user, server } = setUp();
    await waitFor(() => expect(server.requestsOf('Tasks')).toHaveLength(1));

    const field = screen.getByPlaceholderText('What needs to be done?');
    // 501 emoji: 1002 UTF-16 units but 501 code points.
    await user.click(field);
    await user.paste('😀'.repeat(501));
    await user.keyboard('{Enter}');

    expect(screen.getByRole('alert')).toHaveTextContent('The title is 501 characters long; the maximum is 500.');
    expect(server.requestsOf('CreateTask')).toHaveLength(0);
  });

  it('accepts a title of exactly 500 emoji', async () => {
    const { user, server } = setUp();
    await waitFor(() => expect(server.requestsOf('Tasks')).toHaveLength(1));

    await user.click(screen.getByPlaceholderText('What needs to be done?'));
    await user.paste('😀'.repeat(500));
    await user.keyboard('{Enter}');

    await waitFor(() => expect(server.tasks).toHaveLength(1));
  });

  it('sends quick creations one at a time, in order', async () => {
    const { user, server } = setUp();
    await waitFor(() => expect(server.requestsOf('Tasks')).toHaveLength(1));
    const release = server.hold('CreateTask');

    const field = screen.getByPlaceholderText('What needs to be done?');
    await user.type(field, 'first{Enter}');
    await user.type(field, 'second{Enter}');

    expect(titles()).toEqual(['first', 'second']);
    expect(server.requestsOf('CreateTask')).toHaveLength(1);

    act(() => release());
    await waitFor(() => expect(server.tasks.map((task) => task.title)).toEqual(['first', 'second']));
    expect(titles()).toEqual(['first', 'second']);
  });

  it('rolls back a rejected task and gives the text back', async () => {
    const { user, server } = setUp();
    await waitFor(() => expect(server.requestsOf('Tasks')).toHaveLength(1));
    server.failNext('CreateTask', graphQLError('INTERNAL_SERVER_ERROR', 'Unexpected error'));

    const field = screen.getByPlaceholderText('What needs to be done?');
    await user.type(field, 'doomed{Enter}');

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not add “doomed”: The server failed to complete the request. Try again later.',
    );
    expect(titles()).toEqual([]);
    expect(field).toHaveValue('doomed');
  });
});

describe('completing tasks', () => {
  it('shows a toggle before the server confirms', async () => {
    const { user, server } = setUp(['a', 'b']);
    await waitFor(() => expect(titles()).toEqual(['a', 'b']));

    const release = server.hold('UpdateTask');
    await user.click(within(item('a')).getByRole('checkbox'));

    expect(item('a')).toHaveClass('completed');
    expect(screen.getByTestId('todo-count')).toHaveTextContent('1 item left');

    act(() => release());
    await waitFor(() => expect(server.tasks[0].completed).toBe(true));
    expect(item('a')).toHaveClass('completed');
    expect(screen.getByTestId('todo-count')).toHaveTextContent('1 item left');
  });

  it('rolls back a rejected toggle with a message', async () => {
    const { user, server } = setUp(['a']);
    await waitFor(() => expect(titles()).toEqual(['a']));
    server.failNext('UpdateTask', graphQLError('INTERNAL_SERVER_ERROR', 'Unexpected error'));

    await user.click(within(item('a')).getByRole('checkbox'));

    expect(await screen.findByRole('alert')).toHaveTextContent('Could not save “a”');
    await waitFor(() => expect(item('a')).not.toHaveClass('completed'));
    expect(screen.getByTestId('todo-count')).toHaveTextContent('1 item left');
  });

  it('marks all complete and active again', async () => {
    const { user, server } = setUp(['a', 'b']);
    await waitFor(() => expect(titles()).toEqual(['a', 'b']));
    const toggleAll = screen.getByLabelText('Mark all as complete');

    await user.click(toggleAll);
    expect(toggleAll).toBeChecked();
    expect(item('a')).toHaveClass('completed');
    expect(item('b')).toHaveClass('completed');
    await waitFor(() => expect(server.tasks.every((task) => task.completed)).toBe(true));

    await user.click(toggleAll);
    expect(toggleAll).not.toBeChecked();
    await waitFor(() => expect(server.tasks.some((task) => task.completed)).toBe(false));
    expect(screen.getByTestId('todo-count')).toHaveTextContent('2 items left');
  });

  it('clears completed tasks', async () => {
    const { user, server } = setUp(['a', 'b', 'c'], ['b']);
    await waitFor(() => expect(titles()).toEqual(['a', 'b', 'c']));

    await user.click(screen.getByRole('button', { name: 'Clear completed' }));

    expect(titles()).toEqual(['a', 'c']);
    expect(screen.queryByRole('button', { name: 'Clear completed' })).not.toBeInTheDocument();
    await waitFor(() => expect(server.tasks.map((task) => task.title)).toEqual(['a', 'c']));
  });

  it('deletes a task with its delete button', async () => {
    const { user, server } = setUp(['a', 'b']);
    await waitFor(() => expect(titles()).toEqual(['a', 'b']));

    await user.click(screen.getByRole('button', { name: 'Delete “a”' }));

    expect(titles()).toEqual(['b']);
    await waitFor(() => expect(server.tasks.map((task) => task.title)).toEqual(['b']));
  });

  it('toggles a task that is still being created', async () => {
    const { user, server } = setUp();
    await waitFor(() => expect(server.requestsOf('Tasks')).toHaveLength(1));
    const release = server.hold('CreateTask');

    await user.type(screen.getByPlaceholderText('What needs to be done?'), 'fresh{Enter}');
    await user.click(within(item('fresh')).getByRole('checkbox'));
    expect(item('fresh')).toHaveClass('completed');
    expect(screen.getByTestId('todo-count')).toHaveTextContent('0 items left');

    act(() => release());
    await waitFor(() => expect(server.tasks[0]?.completed).toBe(true));
    expect(item('fresh')).toHaveClass('completed');
    await waitFor(() => expect(server.requestsOf('UpdateTask')).toHaveLength(1));
    expect(screen.getByTestId('todo-count')).toHaveTextContent('0 items left');
    expect(screen.getByRole('button', { name: 'Clear completed' })).toBeInTheDocument();
    expect(server.requestsOf('UpdateTask')[0].variables.id).toBe(server.tasks[0].id);
  });
});

describe('editing titles', () => {
  it('edits on double-click, saves on Enter', async () => {
    const { user, server } = setUp(['old title']);
    await waitFor(() => expect(titles()).toEqual(['old title']));

    await user.dblClick(screen.getByText('old title'));
    const edit = screen.getByRole('textbox', { name: 'Edit' });
    expect(edit).toHaveFocus();
    expect(item('old title')).toHaveClass('editing');

    await user.clear(edit);
    await user.type(edit, '  new title  {Enter}');

    expect(titles()).toEqual(['new title']);
    expect(screen.queryByRole('textbox', { name: 'Edit' })).not.toBeInTheDocument();
    await waitFor(() => expect(server.tasks[0].title).toBe('new title'));
  });

  it('saves when the field loses focus', async () => {
    const { user, server } = setUp(['old']);
    await waitFor(() => expect(titles()).toEqual(['old']));

    await user.dblClick(screen.getByText('old'));
    const edit = screen.getByRole('textbox', { name: 'Edit' });
    await user.clear(edit);
    await user.type(edit, 'blurred');
    act(() => edit.dispatchEvent(new FocusEvent('blur')));

    await waitFor(() => expect(server.tasks[0].title).toBe('blurred'));
    expect(server.requestsOf('UpdateTask')).toHaveLength(1);
  });

  it('cancels on Escape', async () => {
    const { user, server } = setUp(['keep me']);
    await waitFor(() => expect(titles()).toEqual(['keep me']));

    await user.dblClick(screen.getByText('keep me'));
    const edit = screen.getByRole('textbox', { name: 'Edit' });
    await user.clear(edit);
    await user.type(edit, 'changed{Escape}');

    expect(titles()).toEqual(['keep me']);
    expect(server.requestsOf('UpdateTask')).toHaveLength(0);
  });

  it('deletes the task when the title is emptied', async () => {
    const { user, server } = setUp(['a', 'b']);
    await waitFor(() => expect(titles()).toEqual(['a', 'b']));

    await user.dblClick(screen.getByText('a'));
    const edit = screen.getByRole('textbox', { name: 'Edit' });
    await user.clear(edit);
    await user.type(edit, '   {Enter}');

    expect(titles()).toEqual(['b']);
    await waitFor(() => expect(server.tasks.map((task) => task.title)).toEqual(['b']));
  });
});

describe('details', () => {
  it('sets description, priority and due date', async () => {
    const { user, server } = setUp(['plan trip']);
    await waitFor(() => expect(titles()).toEqual(['plan trip']));

    await user.click(screen.getByRole('button', { name: 'Edit details of “plan trip”' }));
    const form = screen.getByRole('form', { name: 'Details of “plan trip”' });
    expect(within(form).getByLabelText('Title')).toHaveFocus();

    await user.type(within(form).getByLabelText('Description'), 'Book the train');
    await user.selectOptions(within(form).getByLabelText('Priority'), 'HIGH');
    await user.type(within(form).getByLabelText('Due date'), '2030-05-17');
    await user.click(within(form).getByRole('button', { name: 'Save' }));

    expect(screen.queryByRole('form')).not.toBeInTheDocument();
    expect(item('plan trip')).toHaveTextContent('High priority');
    expect(item('plan trip')).toHaveTextContent('Book the train');
    expect(item('plan trip').querySelector('time')).toHaveAttribute('datetime', '2030-05-17T00:00:00.000Z');

    await waitFor(() =>
      expect(server.requestsOf('UpdateTask')[0].variables.input).toEqual({
        description: 'Book the train',
        priority: 'HIGH',
        dueDate: '2030-05-17T00:00:00.000Z',
      }),
    );
  });

  it('rejects a description over 10,000 code points', async () => {
    const { user, server } = setUp(['long']);
    await waitFor(() => expect(titles()).toEqual(['long']));

    await user.click(screen.getByRole('button', { name: 'Edit details of “long”' }));
    await user.click(screen.getByLabelText('Description'));
    await user.paste('é'.repeat(10_001));
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(screen.getByText('The description is 10001 characters long; the maximum is 10000.')).toBeInTheDocument();
    expect(server.requestsOf('UpdateTask')).toHaveLength(0);
  });
});

describe('filters', () => {
  it('follows the URL fragment and marks the selected link', async () => {
    const { server } = setUp(['a', 'b', 'c'], ['b']);
    await waitFor(() => expect(titles()).toEqual(['a', 'b', 'c']));

    act(() => {
      window.location.hash = '#/active';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    await waitFor(() => expect(titles()).toEqual(['a', 'c']));
    expect(screen.getByRole('link', { name: 'Active' })).toHaveClass('selected');
    expect(server.requestsOf('Tasks').at(-1)?.variables.filter).toEqual({ status: 'ACTIVE' });

    act(() => {
      window.location.hash = '#/completed';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    await waitFor(() => expect(titles()).toEqual(['b']));
    expect(screen.getByRole('link', { name: 'Completed' })).toHaveClass('selected');
  });

  it('hides a task completed in the Active view at once', async () => {
    window.location.hash = '#/active';
    const { user } = setUp(['a', 'b']);
    await waitFor(() => expect(titles()).toEqual(['a', 'b']));

    await user.click(within(item('a')).getByRole('checkbox'));

    expect(titles()).toEqual(['b']);
  });

  it('links each filter to its fragment', async () => {
    setUp(['a']);
    await waitFor(() => expect(titles()).toEqual(['a']));

    expect(screen.getByRole('link', { name: 'All' })).toHaveAttribute('href', '#/');
    expect(screen.getByRole('link', { name: 'Active' })).toHaveAttribute('href', '#/active');
    expect(screen.getByRole('link', { name: 'Completed' })).toHaveAttribute('href', '#/completed');
  });

  it('searches by text', async () => {
    const { user, server } = setUp(['buy milk', 'call mom']);
    await waitFor(() => expect(titles()).toEqual(['buy milk', 'call mom']));

    await user.type(screen.getByLabelText('Search'), 'MILK');

    await waitFor(() => expect(titles()).toEqual(['buy milk']));
    expect(server.requestsOf('Tasks').at(-1)?.variables.filter).toEqual({ status: 'ALL', search: 'MILK' });
  });

  it('sorts by the chosen order', async () => {
    const { user, server } = setUp(['a', 'b']);
    await waitFor(() => expect(titles()).toEqual(['a', 'b']));

    await user.selectOptions(screen.getByLabelText('Sort by'), 'Newest first');

    await waitFor(() =>
      expect(server.requestsOf('Tasks').at(-1)?.variables.orderBy).toEqual({ field: 'CREATED_AT', direction: 'DESC' }),
    );
  });
});

describe('pagination', () => {
  it('loads the next page after the end cursor', async () => {
    const many = Array.from({ length: 53 }, (_, index) => `task ${index + 1}`);
    const { user, server } = setUp(many);
    await waitFor(() => expect(titles()).toHaveLength(50));

    await user.click(screen.getByRole('button', { name: 'Load more' }));

    await waitFor(() => expect(titles()).toHaveLength(53));
    expect(titles().at(-1)).toBe('task 53');
    expect(server.requestsOf('Tasks').at(-1)?.variables.after).toBe(server.tasks[49].id);
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });
});

describe('loading and errors', () => {
  it('shows a loading state, then an error with a retry', async () => {
    const server = new FakeTaskServer();
    server.addTask('recovered');
    server.failNext('Tasks', graphQLError('INTERNAL_SERVER_ERROR', 'Unexpected error'));
    const release = server.hold('Tasks');
    const { user } = renderApp({ server, signedInAs: ALICE });

    expect(await screen.findByText('Loading tasks…')).toBeInTheDocument();
    act(() => release());

    expect(await screen.findByText(/Could not load your tasks/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(titles()).toEqual(['recovered']));
  });
});
