/** The client program's log lines, as the article's client prints them: one column of indent per client. */
import type { ClientEvent } from './timeline/types';

const WHAT: Record<ClientEvent['kind'], (e: ClientEvent) => string> = {
  connecting: () => 'is trying to connect',
  connected: () => 'connected',
  send: (e) => `is sending ${JSON.stringify(e.message)}`,
  echo: (e) => `received ${JSON.stringify(e.message)}`,
  closed: () => 'is disconnected',
  error: (e) => `failed: ${e.code}`,
};

/** One line for one client event; `index` is the client's position, for the indent. */
export function clientLogLine(event: ClientEvent, index: number, time: string): string {
  return `${'\t'.repeat(index)}CLIENT ${event.client} ${WHAT[event.kind](event)} at ${time}`;
}
