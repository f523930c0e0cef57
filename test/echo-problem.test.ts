/** What is wrong with an echo, said from what a client sent and got back: no sockets, transcripts written by hand. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { echoProblem, type Transcript } from '../support/echo-problem';

/** Client `client` sent `sent` (texts, or bytes named by their size), and got `received` back. */
function transcript(client: string | undefined, sent: (string | Uint8Array)[], received: string | Uint8Array, more: Partial<Transcript> = {}): Transcript {
  return {
    client,
    sent: sent.map((message) => (typeof message === 'string' ? { bytes: Buffer.from(message), prose: JSON.stringify(message) } : { bytes: message, prose: `the ${message.length} B payload` })),
    received: Buffer.from(received),
    closedByServer: false,
    ...more,
  };
}

describe('echoProblem', () => {
  it('finds nothing wrong with an exact echo, of one message or several', () => {
    assert.equal(echoProblem(transcript('A', ['Hello', 'World!'], 'HelloWorld!')), undefined);
    assert.equal(echoProblem(transcript('A', [], '')), undefined);
  });

  it('shows a short text that came back changed whole, and says that its letters changed case', () => {
    assert.equal(echoProblem(transcript('A', ['Hello'], 'HELLO')), `client A's echo of "Hello" came back as "HELLO": letters changed case`);
    assert.equal(echoProblem(transcript(undefined, ['Hello'], 'hELLO')), `the echo of "Hello" came back as "hELLO": letters changed case`);
  });

  it('names the message whose echo changed, and counts the bytes that did when it is not only case', () => {
    assert.equal(echoProblem(transcript('A', ['Hello', 'World!'], 'HelloWorld?')), `client A's echo of "World!" came back as "World?": 1 of its 6 bytes changed`);
  });

  it('shows where a binary echo changed, from that byte on, in hex', () => {
    const payload = Uint8Array.from({ length: 100 }, (_, i) => (i === 40 ? 0x61 : 0x80 + i));
    const echo = Uint8Array.from(payload, (byte, i) => (i === 40 ? 0x41 : byte));
    assert.equal(
      echoProblem(transcript(undefined, [payload], echo)),
      'the echo of the 100 B payload came back changed from byte 40 on: letters changed case (hex 61 a9 aa ab ac ad ae af… came back as hex 41 a9 aa ab ac ad ae af…)',
    );
  });

  it("names bytes that another client sent, and that client, where they came back to this one after its own echo", () => {
    const a = transcript('A', ['hello from A'], 'hello from Ahello from B');
    const b = transcript('B', ['hello from B'], 'hello from B');
    assert.equal(echoProblem(a, [a, b]), 'client A received "hello from B", which client B sent');
    assert.equal(echoProblem(b, [a, b]), undefined);
  });

  it("or in place of its own echo", () => {
    const a = transcript('A', ['Hello'], 'World!');
    const b = transcript('B', ['World!'], '');
    assert.equal(echoProblem(a, [a, b]), 'client A received "World!", which client B sent, in place of the echo of "Hello"');
  });

  it('shows a long run of them cut short', () => {
    const other = transcript('other', ['ping'], 'pingZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ');
    const flood = transcript('no-read', ['Z'.repeat(1000)], '');
    assert.equal(echoProblem(other, [flood, other]), `client other received "${'Z'.repeat(24)}"…, which client no-read sent`);
  });

  it('names every client that sent them, when several did', () => {
    const a = transcript('A', ['ping'], 'pingpong');
    const others = ['B', 'C'].map((name) => transcript(name, ['pong'], 'pong'));
    assert.equal(echoProblem(a, [a, ...others]), 'client A received "pong", which clients B and C sent');
  });

  it('does not call bytes another client\'s that this one sent as well: an echo twice over is its own', () => {
    const a = transcript('A', ['Hello'], 'HelloHello');
    const b = transcript('B', ['Hello'], 'Hello');
    assert.equal(echoProblem(a, [a, b]), `after client A's echo of "Hello", 5 bytes more came back: "Hello"`);
  });

  it('says that the server closed the connection after the first echo, and what got no answer', () => {
    assert.equal(echoProblem(transcript('A', ['Hello', 'World!'], 'Hello', { closedByServer: true })), `the server closed client A's connection after the first echo: "World!" got no answer`);
    assert.equal(echoProblem(transcript('A', ['Hello'], '', { closedByServer: true })), `the server closed client A's connection without answering "Hello"`);
  });

  it('says so too when everything came back before the server closed a connection its client had not', () => {
    assert.equal(echoProblem(transcript('A', ['Hello'], 'Hello', { closedByServer: true })), "the server closed client A's connection after the first echo, before A had closed it");
    assert.equal(echoProblem(transcript(undefined, ['Hello', 'World!'], 'HelloWorld!', { closedByServer: true })), 'the server closed the connection after 2 echoes, before the client had closed it');
  });

  it('says how much of a payload came back when the rest was lost, and whether the server closed or the client stopped waiting', () => {
    const payload = new Uint8Array(3 * 1024 ** 2 + 1);
    const first64KiB = payload.subarray(0, 64 * 1024);
    assert.equal(echoProblem(transcript(undefined, [payload], first64KiB, { gaveUpAfterMs: 8000 })), 'of the 3145729 B payload, only the first 64 KiB came back within 8000 ms');
    assert.equal(echoProblem(transcript(undefined, [payload], payload.subarray(0, 1), { closedByServer: true })), 'of the 3145729 B payload, only the first byte came back, then the server closed the connection');
    assert.equal(echoProblem(transcript('A', ['Hello'], 'He')), 'of "Hello", only the first 2 bytes came back to client A');
    assert.equal(echoProblem(transcript(undefined, [payload], '', { gaveUpAfterMs: 8000 })), 'nothing came back for the 3145729 B payload within 8000 ms');
  });
});
