import { type JSX, lazy, Suspense, useMemo } from 'react';
import type { ChatEnvironment } from '../chat/chat-environment.js';
import { ChatPage } from '../chat/chat-page.js';
import { useTheme } from '../theme/use-theme.js';
import { routeOf } from './app-route.js';

// The debug page is its own chunk: chat users never download it.
const DebugPage = lazy(() => import('../debug/debug-page.js').then((module) => ({ default: module.DebugPage })));

/** The app: the chat page, or the debug page at `/debug`, in the user's theme. */
export function App({ environment }: { environment: ChatEnvironment }): JSX.Element {
  const theme = useTheme();
  const route = useMemo(
    () => routeOf(window.location.pathname, new URL(environment.baseUrl).pathname),
    [environment.baseUrl],
  );
  if (route === 'debug') {
    return (
      <Suspense
        fallback={
          <div className="loading-frame" role="status">
            <span className="spinner" aria-hidden="true" />
            Loading the debug page…
          </div>
        }
      >
        <DebugPage />
      </Suspense>
    );
  }
  return <ChatPage environment={environment} theme={theme} />;
}
