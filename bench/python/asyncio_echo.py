"""An asyncio echo server as Python's own documentation writes one: a Protocol whose
data_received writes back what arrived, on the event loop's single thread. Whatever the
client sends is echoed as it comes, with no reads of a fixed size and no await."""
import asyncio

from listener import listen


class Echo(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.transport.write(data)


async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Echo, sock=listen())
    await server.serve_forever()


asyncio.run(main())
