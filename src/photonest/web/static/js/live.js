// Live updates: the server's socket.io events over a plain WebSocket (Engine.IO v4 framing, no client library).
const listeners = new Map();

export function on(event, fn) {
  if (!listeners.has(event)) listeners.set(event, new Set());
  listeners.get(event).add(fn);
  return () => listeners.get(event)?.delete(fn);
}

let socket = null;
let retry = 1000;

export function connect() {
  if (socket && socket.readyState <= 1) return;
  const proto = location.protocol === "https:" ? "wss" : "ws";
  socket = new WebSocket(`${proto}://${location.host}/api/socket.io/?EIO=4&transport=websocket`);
  socket.addEventListener("message", (m) => {
    const data = String(m.data);
    if (data === "2") return socket.send("3");            // engine.io ping -> pong
    if (data.startsWith("0")) return socket.send("40");   // engine.io open -> socket.io connect
    if (data.startsWith("40")) { retry = 1000; return; }  // connected to the namespace
    if (data.startsWith("42")) {
      try {
        const [event, ...args] = JSON.parse(data.slice(2));
        for (const fn of listeners.get(event) || []) fn(...args);
      } catch { /* ignore malformed frames */ }
    }
  });
  socket.addEventListener("close", () => {
    setTimeout(connect, retry);
    retry = Math.min(retry * 2, 30000);
  });
}
