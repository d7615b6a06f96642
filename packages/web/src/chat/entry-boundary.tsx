import { Component, type ErrorInfo, type ReactNode } from 'react';
import { FallbackEntry } from './entries/fallback-entry.js';

interface EntryBoundaryProps {
  /** What the entry is, for the fallback's title. */
  label: string;
  data?: unknown;
  children: ReactNode;
}

/**
 * Contains a failing timeline entry: an entity the renderers cannot handle shows a neutral card, and
 * the rest of the conversation keeps working. Retries when the entity changes (a later update may fix it).
 */
export class EntryBoundary extends Component<EntryBoundaryProps, { error: Error | undefined; data: unknown }> {
  override state = { error: undefined as Error | undefined, data: undefined as unknown };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  static getDerivedStateFromProps(props: EntryBoundaryProps, state: { error: Error | undefined; data: unknown }) {
    return props.data === state.data ? null : { error: undefined, data: props.data };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('[cricket] a timeline entry failed to render', error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.error) {
      return (
        <FallbackEntry
          title={`This ${this.props.label} could not be displayed`}
          detail={this.state.error.message}
          data={this.props.data}
        />
      );
    }
    return this.props.children;
  }
}
