/**
 * The plainest echo server Node can be, `socket.pipe(socket)`: the benchmark measures its load
 * generator's ceiling against it. Prints the same first line as `echolab serve`.
 */
import net, { type AddressInfo } from 'node:net';

const server = net.createServer((socket) => {
  socket.on('error', () => socket.destroy()); // a client that resets has simply left
  socket.pipe(socket);
});
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on 127.0.0.1:${(server.address() as AddressInfo).port}`);
});
