import { Component, type ReactNode } from 'react';

interface LazyLoadBoundaryProps {
  /** Name of the lazily loaded part in words for the person, such as "the account page". */
  partName: string;
  children: ReactNode;
}

/**
 * Catches the error of a lazily loaded part whose code could not be fetched, such as
 * after a deployment replaced the files or while offline, and offers a reload.
 */
export class LazyLoadBoundary extends Component<LazyLoadBoundaryProps, { error: unknown }> {
  state = { error: null as unknown };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  componentDidCatch(error: unknown) {
    console.error(`Loading ${this.props.partName} failed.`, error);
  }

  render() {
    if (this.state.error === null) return this.props.children;
    return (
      <div className="splash" role="alert">
        <p>Could not load {this.props.partName}. Check your connection and reload the page.</p>
        <button type="button" className="primary-button" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}
