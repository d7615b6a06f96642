import { useEffect, useMemo } from 'react';
import { ChatClient } from '../client/index.js';
import type { ChatEnvironment } from './chat-environment.js';

/**
 * The {@link ChatClient} of conversation `convId`, connected while `shouldConnect` is true and closed
 * when the conversation changes or the page unmounts. Creating a client opens nothing, so a blank new
 * conversation holds no socket on the server (and leaves no empty conversation behind on servers that
 * still create one on a WebSocket join); the page connects once the conversation exists or a prompt
 * is sent.
 */
export function useChatClient(environment: ChatEnvironment, convId: string, shouldConnect: boolean): ChatClient {
  const client = useMemo(
    () =>
      new ChatClient({
        baseUrl: environment.baseUrl,
        convId,
        ...(environment.WebSocket ? { WebSocket: environment.WebSocket } : {}),
        ...(environment.fetch ? { fetch: environment.fetch } : {}),
      }),
    [environment, convId],
  );
  useEffect(() => {
    if (!shouldConnect) return;
    client.connect();
    return () => client.close();
  }, [client, shouldConnect]);
  // Closes a client that connected on its own (the first send) when the conversation changes.
  useEffect(() => () => client.close(), [client]);
  return client;
}
