import { useEffect, useId, useState } from 'react';
import { SORT_OPTIONS, type SortOptionId } from './taskOrder';

export interface TaskToolbarProps {
  sort: SortOptionId;
  onSortChange(sort: SortOptionId): void;
  onSearchChange(search: string): void;
}

// Long enough to skip a request per keystroke, short enough to feel immediate.
const SEARCH_DELAY_MS = 250;

/** Renders the search field and the sort order of the list. */
export function TaskToolbar({ sort, onSortChange, onSearchChange }: TaskToolbarProps) {
  const [text, setText] = useState('');
  const searchId = useId();
  const sortId = useId();

  useEffect(() => {
    const timer = window.setTimeout(() => onSearchChange(text.trim()), SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [text, onSearchChange]);

  return (
    <div className="toolbar">
      <div className="toolbar-field search-field">
        <label htmlFor={searchId}>Search</label>
        <input
          id={searchId}
          type="search"
          placeholder="Title or description"
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
      </div>
      <div className="toolbar-field">
        <label htmlFor={sortId}>Sort by</label>
        <select id={sortId} value={sort} onChange={(event) => onSortChange(event.target.value as SortOptionId)}>
          {SORT_OPTIONS.map((option) => (
            <option key={option.id} value={option.id}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
