import { Component, type ErrorInfo, type ReactNode } from 'react';

/**
 * The last line of defence: if the page itself fails to render, show what happened and a way out
 * instead of a blank screen. (Timeline entries have their own boundary, so one bad entry never gets here.)
 */
export class AppErrorBoundary extends Component<{ children: ReactNode }, { error: Error | undefined }> {
  override state = { error: undefined as Error | undefined };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('[cricket] the page failed to render', error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="crash-screen" role="alert">
        <h1>Something went wrong</h1>
        <p>The page hit an unexpected error. Your conversation is safe on the server.</p>
        <pre className="crash-detail">{error.message}</pre>
        <div className="crash-actions">
          <button type="button" className="primary-button" onClick={() => window.location.reload()}>
            Reload the page
          </button>
          <button type="button" className="secondary-button" onClick={() => this.setState({ error: undefined })}>
            Try again
          </button>
        </div>
      </div>
    );
  }
}
