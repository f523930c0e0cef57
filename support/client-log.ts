/**
 * The client program's log lines, laid out as the article's client program prints them: its
 * two lines about connecting flush left, then what each client does, one tab of indent per
 * client before it.
 */
import type { ClientEvent } from './timeline/types';

const WHAT: Record<ClientEvent['kind'], (e: ClientEvent) => string> = {
  connecting: (e) => `Client trying to connect:  ------- CLIENT ${e.client}`,
  connected: (e) => `Client connected:          ------- CLIENT ${e.client}`,
  send: (e) => `CLIENT ${e.client} is sending message: ${e.message}`,
  echo: (e) => `CLIENT ${e.client} received message: ${e.message}`,
  closed: (e) => `CLIENT ${e.client} is disconnected`,
  error: (e) => `CLIENT ${e.client} failed: ${e.code}`,
};

/** One line for one client event; `index` is the client's position, for the indent. */
export function clientLogLine(event: ClientEvent, index: number, time: string): string {
  const indent = event.kind === 'connecting' || event.kind === 'connected' ? '' : '\t'.repeat(index);
  return `${indent}${WHAT[event.kind](event)} at ${time}`;
}
