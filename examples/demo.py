"""nats-wasm demo: Python in Pyodide talking to nats-server over WebSocket.

The same file runs under Node (`npm run demo`) and live in a browser page
(examples/demo.html): the host imports it and awaits ``main(url)``.
"""

import nats_wasm
from nats_wasm import errors


async def main(url: str) -> None:
    async with await nats_wasm.connect(url, name="nats-wasm demo") as nc:
        print(f"connected to {nc.connected_url} (server {nc.server_info['version']})")

        # Publish/subscribe with async for.
        sub = await nc.subscribe("demo.greetings.*")
        for who in ("ada", "grace", "linus"):
            await nc.publish(f"demo.greetings.{who}", f"hello, {who}".encode())
        received = 0
        async for msg in sub.messages:
            print(f"  [{msg.subject}] {msg.data.decode()}")
            received += 1
            if received == 3:
                break

        # Headers travel with the message.
        hsub = await nc.subscribe("demo.orders")
        await nc.publish("demo.orders", b'{"item": "tea"}',
                         headers={"Order-Id": "1001", "Priority": "high"})
        order = await hsub.next_msg(timeout=2)
        print(f"  order {order.headers['Order-Id']} ({order.headers['Priority']}): "
              f"{order.data.decode()}")

        # Request/reply with a Python service.
        async def time_service(msg):
            await msg.respond(b"it is " + msg.data.upper())

        await nc.subscribe("demo.echo", cb=time_service)
        reply = await nc.request("demo.echo", b"tea time", timeout=2)
        print(f"  request -> {reply.data.decode()}")

        # A request nobody answers fails fast with a typed error.
        try:
            await nc.request("demo.nobody", b"?", timeout=2)
        except errors.NoRespondersError as e:
            print(f"  no responders: {e}")

        print(f"  round trip {1000 * await nc.rtt():.2f} ms, stats {nc.stats}")
    print("done")

